"""Write the sample Word STTP template to examples/templates/sttp-contoh.docx.

The layout lives in revmental_cli/documents/sample_docx.py (the installed tool exports the same
bytes with `certificate template --format docx`); this script only saves it, so that the
committed example can be opened in Word without installing anything. Run it after changing the
layout: tests/test_documents.py checks that the committed file is up to date.

    python scripts/make_sample_docx.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from revmental_cli.documents.sample_docx import SAMPLE_NAME, sample_docx  # noqa: E402

TARGET = ROOT / "examples" / "templates" / SAMPLE_NAME


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(sample_docx())
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
