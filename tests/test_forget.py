"""`person forget` leaves nothing in the store file that names the person, in anyone's rows.

The person is named in another participant's attendance note, in another's withdrawal reason
(both copied into history lines), and in the name of the roster file the history records;
after the erasure the whole SQLite file, read as bytes, holds neither the name nor the NIP.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from revmental_cli.store.privacy import FORGOTTEN, scrubber
from tests.conftest import ROOT, RunCli

pytestmark = pytest.mark.both_backends

AHMAD = "198309222012091919"  # Dr. Ir. H. Ahmad Fauzi, M.Si. in the example roster
WULAN = "198010062002042080"
BUDI = "199008122011031301"
# Every way the store could still hold him, compared case-insensitively.
TRACES = [
    b"fauzi",
    AHMAD.encode(),
    b"19830922 201209 1 919",
    b"0812-5662-7199",
    b"081256627199",
]


def store_bytes(db: Path) -> bytes:
    data = db.read_bytes().lower()
    journal = db.with_name(db.name + "-journal")
    if journal.exists():
        data += journal.read_bytes().lower()
    return data


@pytest.mark.sqlite_file
def test_forget_scrubs_other_peoples_notes_history_lines_and_file_names(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    named_file = isolated / "surat-ahmad-fauzi.csv"
    shutil.copy(ROOT / "examples" / "peserta-prm-2021-ii.csv", named_file)
    assert cli("roster", "import", str(named_file)).exit_code == 0
    marked = cli(
        "attendance",
        "mark",
        WULAN,
        "-s",
        "1",
        "--status",
        "izin",
        "--note",
        "menggantikan AHMAD FAUZI (NIP 19830922 201209 1 919) rapat",
    )
    assert marked.exit_code == 0, marked.stderr
    withdrawn = cli("roster", "withdraw", BUDI, "--reason", f"digantikan oleh {AHMAD}")
    assert withdrawn.exit_code == 0, withdrawn.stderr
    before = store_bytes(store_path)
    assert all(trace in before for trace in (b"fauzi", AHMAD.encode())), "nothing to erase"

    forgot = cli("person", "forget", AHMAD, "--yes")
    assert forgot.exit_code == 0, forgot.stderr

    after = store_bytes(store_path)
    left = [trace for trace in TRACES if trace in after]
    assert not left, f"the store file still holds {left}"
    # The others' records stay, with the person replaced.
    conn = sqlite3.connect(store_path)
    try:
        note = conn.execute("SELECT note FROM attendance WHERE nip = ?", (WULAN,)).fetchone()[0]
        reason = conn.execute(
            "SELECT withdrawn_reason FROM enrollments WHERE nip = ?", (BUDI,)
        ).fetchone()[0]
        files = [f for (f,) in conn.execute("SELECT file FROM history WHERE file IS NOT NULL")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert note.startswith(f"menggantikan {FORGOTTEN} (NIP X") and note.endswith(") rapat")
    assert reason.startswith("digantikan oleh X")
    assert any(f.endswith(f"surat-{FORGOTTEN}.csv") for f in files), files
    # The others are still named: only he is gone.
    assert b"wulan sari" in after and b"budi santoso" in after
    check = cli("db", "check")
    assert check.exit_code == 0, check.stderr


def test_the_scrubber_finds_the_name_however_it_is_written() -> None:
    scrub = scrubber(
        AHMAD,
        "XPSEUDO",
        name="Dr. Ir. H. Ahmad Fauzi, M.Si.",
        plain="ahmad fauzi",
        email="ahmad.fauzi@lan.example",
        phone="081256627199",
    )
    assert scrub("surat_Ahmad_Fauzi.pdf") == f"surat_{FORGOTTEN}.pdf"
    assert scrub("Dr. Ir. H. Ahmad Fauzi, M.Si. hadir") == f"{FORGOTTEN} hadir"
    assert scrub("nip 19830922.201209.1.919 ok") == "nip XPSEUDO ok"
    assert scrub("hubungi AHMAD.FAUZI@lan.example") == f"hubungi {FORGOTTEN}"
    # Another name that merely contains his words, and other numbers, are left alone.
    assert scrub("Ahmad Fauzian hadir") == "Ahmad Fauzian hadir"
    assert scrub("1983092220120919190") == "1983092220120919190"
