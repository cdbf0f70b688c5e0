"""The importers fuzzed with the damage real files suffer, through the real commands.

test_faults.py feeds byte-flipped, cut and noisy files; this file extends it with the edits a
person or a program makes: lines duplicated or dropped, quotes, delimiters, NULs and BOMs put
in, another encoding or line ending, and for .xlsx, damage *inside* a valid zip (the sheet's
XML edited), which byte flips never reach past the zip's CRC. Seeds are the fixtures of every
importer. Each run must end with exit 0, 1 or 2, never "internal error", and a failed command
leaves the store exactly as it was.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, FIXTURES, Run, RunCli
from tests.test_faults import damaged, dump

# 120 examples of each keep the file near 15 s; FUZZ_N=2000 hunts longer (passed 1,500 before
# this file was committed).
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_N", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ROSTER = FIXTURES / "roster" / "peserta-prm-2021-ii.csv"
SEEDS = {
    "roster": [
        FIXTURES / "roster" / name
        for name in ("peserta-prm-2021-ii.csv", "peserta-cp1252.csv", "peserta-utf16.csv")
    ],
    "roster-xlsx": [FIXTURES / "roster" / "peserta.xlsx"],
    "scores": sorted((FIXTURES / "scores").glob("*.csv")),
    "attendance": [
        FIXTURES / "attendance" / name
        for name in ("zoom-sesi-1.csv", "meet-sesi-2.csv", "manual-sesi-3.csv")
    ],
    "attendance-xlsx": [FIXTURES / "attendance" / "manual-sesi-4-nip-number.xlsx"],
    "cohorts": [EXAMPLES / "prm-2021-ii.yaml", *sorted((FIXTURES / "cohorts").glob("*.yaml"))],
}
DATA = {kind: [path.read_bytes() for path in paths] for kind, paths in SEEDS.items()}
INJECTIONS = [
    b'"',
    b'""',
    b",",
    b";",
    b"\t",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\r",
    b"\n",
    b"=",
    b'="',
    b"\xc3",
    b"{",
    b"[",
    b": ",
    b"- ",
    b"&",
    b"*a",
    b"!!python/object",
]


@st.composite
def edited(draw: st.DrawFn, seed: bytes) -> bytes:
    """The edits a person or a program makes to a text file, several in a row."""
    data = seed
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                [
                    "dup-line",
                    "drop-line",
                    "swap-lines",
                    "inject",
                    "delete",
                    "truncate",
                    "reencode",
                    "endings",
                    "damaged",
                ]
            )
        )
        lines = data.splitlines(keepends=True) or [b""]
        if kind == "dup-line":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i] = [lines[i]] * draw(st.integers(1, 3))
            data = b"".join(lines)
        elif kind == "drop-line":
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = b"".join(lines)
        elif kind == "swap-lines" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"".join(lines)
        elif kind == "inject":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from(INJECTIONS)) + data[at:]
        elif kind == "delete" and data:
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif kind == "reencode":
            text = data.decode("utf-8", errors="replace")
            codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-8-sig", "cp1252", "latin-1"]))
            data = text.encode(codec, errors="replace")
        elif kind == "endings":
            ending = draw(st.sampled_from([b"\r\n", b"\r", b"\n"]))
            data = ending.join(data.splitlines())
        elif data:  # test_faults' byte flips and noise need a byte to flip
            data = draw(damaged(data))
    return data


@st.composite
def edited_workbook(draw: st.DrawFn, seed: bytes) -> bytes:
    """A valid zip whose parts were edited: the sheet's XML, the shared strings, the book."""
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        parts = {entry.filename: archive.read(entry.filename) for entry in archive.infolist()}
    xml_parts = sorted(name for name in parts if name.endswith(".xml") or name.endswith(".rels"))
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(xml_parts))
        kind = draw(st.sampled_from(["edit", "row-far", "dimension", "drop-part"]))
        if kind == "edit":
            parts[name] = draw(edited(parts[name]))
        elif kind == "row-far":
            parts[name] = parts[name].replace(
                b'<row r="2"', b'<row r="%d"' % draw(st.integers(3, 3_000_000)), 1
            )
        elif kind == "dimension":
            parts[name] = parts[name].replace(
                b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="', 1
            )
        elif len(parts) > 1:
            del parts[name]
            xml_parts.remove(name)
            if not xml_parts:
                break
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def mutated(kind: str) -> st.SearchStrategy[bytes]:
    seeds = DATA[kind]
    if kind.endswith("-xlsx"):
        return st.sampled_from(seeds).flatmap(edited_workbook)
    return st.sampled_from(seeds).flatmap(edited)


ENCODINGS = st.sampled_from([None, None, None, "utf-8", "cp1252", "utf-16", "zlib", "nope"])


def run_on(cli: RunCli, args: list[str], data: bytes, name: str, *extra: str) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return cli(*args, str(path), *extra)


def clean(result: Run, before: dict[str, object], db: Path) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if result.exit_code != 0:
        assert dump(db) == before


@pytest.fixture
def rostered(cli: RunCli, prm: Path) -> Path:
    assert cli("roster", "import", str(ROSTER)).exit_code == 0
    return prm


@FUZZ
@given(
    data=st.one_of(mutated("roster"), mutated("roster-xlsx")),
    xlsx=st.booleans(),
    encoding=ENCODINGS,
)
def test_roster_import_survives_edited_files(
    cli: RunCli, prm: Path, store_path: Path, data: bytes, xlsx: bool, encoding: str | None
) -> None:
    before = dump(store_path)
    suffix = ".xlsx" if data.startswith(b"PK") and xlsx else ".csv"
    extra = ["--encoding", encoding] if encoding and suffix == ".csv" else []
    clean(run_on(cli, ["roster", "import"], data, f"peserta{suffix}", *extra), before, store_path)


@FUZZ
@given(data=mutated("scores"), encoding=ENCODINGS)
def test_score_import_survives_edited_files(
    cli: RunCli, rostered: Path, store_path: Path, data: bytes, encoding: str | None
) -> None:
    before = dump(store_path)
    extra = ["--encoding", encoding] if encoding else []
    clean(run_on(cli, ["score", "import"], data, "nilai.csv", *extra), before, store_path)


@FUZZ
@given(data=st.one_of(mutated("attendance"), mutated("attendance-xlsx")))
def test_attendance_import_survives_edited_files(
    cli: RunCli, rostered: Path, store_path: Path, data: bytes
) -> None:
    before = dump(store_path)
    name = "hadir.xlsx" if data.startswith(b"PK") else "zoom.csv"
    clean(run_on(cli, ["attendance", "import"], data, name), before, store_path)


@FUZZ
@given(data=mutated("cohorts"))
def test_cohort_validate_survives_edited_files(
    cli: RunCli, prm: Path, store_path: Path, data: bytes
) -> None:
    before = dump(store_path)
    result = run_on(cli, ["cohort", "validate"], data, "cohort.yaml")
    clean(result, before, store_path)
    assert dump(store_path) == before  # validating never writes


def test_the_seeds_are_there() -> None:
    assert all(DATA.values()), {kind: len(seeds) for kind, seeds in DATA.items()}
