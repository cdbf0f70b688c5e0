"""Cases a mutation check of the code found untested, run through the real commands.

Each test names, in its docstring, the code change (mutation) it exists to catch: the pass
score's half-up rounding, certificate numbers shared between cohorts, a revoke followed by a
new number template, and the formula guard of the rejects file for TAB and CR. The stores are
read with sqlite3 directly, as in the other command tests.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CANONICAL, RunCli, query

pytestmark = pytest.mark.both_backends

PRM_ID = "PRM-2021-II"
SECOND_ID = "PRM-2021-III"
PRM_FORMAT = '"{seq:03d}/STTP/PRM-II/PKASN/{year}"'  # as written in cohorts/prm-2021-ii.yaml
SHARED_FORMAT = '"{seq:03d}/STTP/{year}"'  # no cohort in it: two cohorts draw from one series
SESSIONS = range(1, 12)

NIP = {
    1: "198309222012091919", 2: "198010062002042080", 3: "199312232016072178",
    4: "199008122011031301", 5: "199408022017112466", 6: "197501232019121005",
}  # fmt: skip


# --- helpers ----------------------------------------------------------------------------------


def certificates(db: Path) -> list[tuple[Any, ...]]:
    """(number, cohort, seq, nip, revoked?) in the order they were issued."""
    return query(
        db,
        "SELECT number, cohort_id, seq, nip, revoked_at IS NOT NULL FROM certificates "
        "ORDER BY issued_at, seq, cohort_id",
    )


def ok(cli: RunCli, *args: str) -> str:
    run = cli(*args)
    assert run.exit_code == 0, (args, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr
    return run.stdout


def json_of(cli: RunCli, *args: str) -> Any:
    return json.loads(ok(cli, *args))


def mark_present(cli: RunCli, ndhs: list[int], *cohort: str) -> None:
    for session in SESSIONS:
        nips = (NIP[n] for n in ndhs)
        ok(
            cli,
            "attendance",
            "mark",
            *nips,
            "--session",
            str(session),
            "--status",
            "hadir",
            *cohort,
        )


def import_scores(
    cli: RunCli, path: Path, rows: dict[int, tuple[str, str, str]], *cohort: str
) -> None:
    lines = ["NIP;sikap;akademik;rancangan"]
    lines += [f"{NIP[n]};{';'.join(values)}" for n, values in rows.items()]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    ok(cli, "score", "import", str(path), *cohort)


def set_template(cohort_file: Path, template: str) -> None:
    """Replace the certificate number template of a cohort file (its last line)."""
    text = cohort_file.read_text(encoding="utf-8")
    head, _, _ = text.rpartition("number_format:")
    cohort_file.write_text(f"{head}number_format: {template}\n", encoding="utf-8")


@pytest.fixture
def three_passed(cli: RunCli, enrolled: Path, tmp_path: Path) -> Path:
    """NDH 1, 3 and 5 of PRM-2021-II pass (present everywhere, 85); nobody else does."""
    mark_present(cli, [1, 3, 5])
    import_scores(cli, tmp_path / "nilai.csv", {n: ("85", "85", "85") for n in (1, 3, 5)})
    return enrolled


# --- the pass score: 70.005 rounds half up -----------------------------------------------------


def test_a_final_score_of_exactly_70_005_rounds_half_up_and_passes(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    """Kills, in domain.completion: ROUND_HALF_EVEN in final_score, or round(float, 2), which
    make 70.005 70.00 (deferred); ROUND_UP there, which lifts 70.004999 to a pass; `>` for
    `>=` against the pass score; and binary floats in the sum (Decimal(float), a float
    total), under which 70.105 is 70.10499999 and rounds down."""
    shown = json_of(cli, "cohort", "show", "--json")
    completion = shown["completion"]
    weights = {c["key"]: Decimal(str(c["weight"])) for c in completion["components"]}
    assert weights == {"sikap": 30, "akademik": 20, "rancangan": 50}
    assert Decimal(str(completion["pass_score"])) == Decimal("70.01")

    def exact(sikap: str, akademik: str, rancangan: str) -> Decimal:
        values = {"sikap": sikap, "akademik": akademik, "rancangan": rancangan}
        return sum((weights[k] * Decimal(v) / 100 for k, v in values.items()), Decimal(0))

    on_the_half = ("70", "70", "70.01")
    just_under = ("70", "70", "70.009998")
    float_trap = ("70", "70", "70.21")  # 0.5 x 70.21 is 35.10499999... in binary
    assert exact(*on_the_half) == Decimal("70.005")
    assert exact(*just_under) == Decimal("70.004999")
    assert exact(*float_trap) == Decimal("70.105")

    mark_present(cli, [1, 2, 3])
    sheet = {1: on_the_half, 2: just_under, 3: float_trap}
    import_scores(cli, tmp_path / "nilai.csv", sheet)
    people = {p["ndh"]: p for p in json_of(cli, "report", "completion", "--json")["participants"]}
    assert (people[1]["final_score"], people[1]["status"], people[1]["reasons"]) == (
        70.01,
        "passed",
        [],
    )
    assert people[1]["predicate"] == "Cukup Memuaskan"
    assert (people[2]["final_score"], people[2]["status"], people[2]["reasons"]) == (
        70.0,
        "deferred",
        ["final score 70.00 < 70.01"],
    )
    assert (people[3]["final_score"], people[3]["status"]) == (70.11, "passed")

    ok(cli, "certificate", "issue")
    issued = query(enrolled, "SELECT nip, predicate, final_score FROM certificates ORDER BY seq")
    assert issued == [(NIP[1], "Cukup Memuaskan", 70.01), (NIP[3], "Cukup Memuaskan", 70.11)]


# --- two cohorts, one number template ---------------------------------------------------------


def test_two_cohorts_sharing_a_template_never_share_a_number(
    cli: RunCli, three_passed: Path, prm: Path, examples: Path, tmp_path: Path
) -> None:
    """Kills: dropping the `while number_taken(...)` loop of certificate issue (the second
    cohort would start again at 001), and `number_taken` looking only at valid certificates,
    or only at the cohort's own (a revoked number of the first cohort would be handed out)."""
    set_template(prm, SHARED_FORMAT)
    ok(cli, "cohort", "open", str(prm))
    # The same course two months later, numbered from the same register.
    second = examples / "prm-2021-iii.yaml"
    text = prm.read_text(encoding="utf-8").replace("id: PRM-2021-II", f"id: {SECOND_ID}")
    text = text.replace("angkatan: 2 ", "angkatan: 3 ")
    text = text.replace("2021-10-", "2021-12-").replace("2021-09-", "2021-11-")
    second.write_text(text, encoding="utf-8")
    ok(cli, "cohort", "open", str(second))
    shown = json_of(cli, "cohort", "show", "--json")
    assert (shown["id"], shown["angkatan"], shown["certificate"]["number_format"]) == (
        SECOND_ID,
        3,
        SHARED_FORMAT.strip('"'),
    )
    ok(cli, "cohort", "open", str(prm))

    ok(cli, "certificate", "issue")
    ok(cli, "certificate", "revoke", "002/STTP/2021", "--reason", "salah nama")
    first = [(n, s) for n, _c, s, _nip, _r in certificates(three_passed)]
    assert first == [("001/STTP/2021", 1), ("002/STTP/2021", 2), ("003/STTP/2021", 3)]

    cohort = ("--cohort", SECOND_ID)
    ok(cli, "roster", "import", str(CANONICAL), *cohort)
    mark_present(cli, [2, 4], *cohort)
    import_scores(cli, tmp_path / "nilai-iii.csv", {n: ("90", "90", "90") for n in (2, 4)}, *cohort)
    ok(cli, "certificate", "issue", *cohort)
    # The first cohort's numbers, the revoked one included, are skipped.
    assert certificates(three_passed)[3:] == [
        ("004/STTP/2021", SECOND_ID, 4, NIP[2], 0),
        ("005/STTP/2021", SECOND_ID, 5, NIP[4], 0),
    ]

    # Back in the first cohort, NDH 3 (whose certificate was revoked) gets the next free one.
    ok(cli, "certificate", "issue", "--cohort", PRM_ID)
    assert certificates(three_passed)[5:] == [("006/STTP/2021", PRM_ID, 6, NIP[3], 0)]
    numbers = [row[0] for row in certificates(three_passed)]
    assert len(numbers) == len(set(numbers)) == 6
    verified = json_of(cli, "certificate", "verify", "004/STTP/2021", "--json")
    assert (verified["cohort"], verified["nip"], verified["valid"]) == (SECOND_ID, NIP[2], True)


# --- a revoke, then a new template -------------------------------------------------------------


def test_a_revoke_then_a_new_template_continues_the_numbering(
    cli: RunCli, three_passed: Path, prm: Path
) -> None:
    """Kills: `next_certificate_seq` counting only valid certificates (max(seq) over
    non-revoked ones). With the old template the number loop hides it; after a template
    change the freed seq renders as a fresh number and the person's new certificate would
    take the revoked one's seq (a crash on UNIQUE (cohort_id, seq))."""
    ok(cli, "certificate", "issue")
    old = [f"{seq:03d}/STTP/PRM-II/PKASN/2021" for seq in (1, 2, 3)]
    ok(cli, "certificate", "revoke", old[2], "--reason", "salah penulisan nama")  # NDH 5's

    set_template(prm, '"{seq:03d}/STTP-REV/{programme}-{angkatan}/{year}"')
    ok(cli, "cohort", "open", str(prm))
    ok(cli, "certificate", "issue")
    assert certificates(three_passed) == [
        (old[0], PRM_ID, 1, NIP[1], 0),
        (old[1], PRM_ID, 2, NIP[3], 0),
        (old[2], PRM_ID, 3, NIP[5], 1),  # stays revoked, under its own number
        ("004/STTP-REV/PRM-II/2021", PRM_ID, 4, NIP[5], 0),
    ]
    revoked = json_of(cli, "certificate", "verify", old[2], "--json")
    assert (revoked["nip"], revoked["valid"]) == (NIP[5], False)

    # Revoked again, and the centre goes back to the first template: the numbering goes on
    # from 5; nothing already printed (003 above all) is handed out again.
    ok(cli, "certificate", "revoke", "004/STTP-REV/PRM-II/2021", "--reason", "salah tanggal")
    set_template(prm, PRM_FORMAT)
    ok(cli, "cohort", "open", str(prm))
    ok(cli, "certificate", "issue")
    rows = certificates(three_passed)
    assert rows[4:] == [("005/STTP/PRM-II/PKASN/2021", PRM_ID, 5, NIP[5], 0)]
    assert [r[4] for r in rows] == [0, 0, 1, 1, 0]
    listed = json_of(cli, "certificate", "list", "--json")
    assert [(c["number"], c["revoked"]) for c in listed if c["nip"] == NIP[5]] == [
        (old[2], True),
        ("004/STTP-REV/PRM-II/2021", True),
        ("005/STTP/PRM-II/PKASN/2021", False),
    ]


# --- the rejects file: TAB and CR are formula starts too ---------------------------------------


def test_rejects_file_guards_cells_that_start_with_tab_or_cr(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    """Kills: dropping "\\t" or "\\r" from render._FORMULA_START (a spreadsheet strips the
    leading whitespace and runs what follows), and a guard that quotes more than formula
    starts (the other cells must come back exactly as written)."""
    text = CANONICAL.read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    rows = rows[:3]
    bad = rows[1]
    bad[header.index("NIP")] = "12345"  # the reason the row is rejected
    bad[header.index("Jabatan")] = '\t=HYPERLINK("http://x.example")'
    bad[header.index("Unit Kerja")] = "\r@SUM(A1)"
    bad[header.index("Tempat Lahir")] = "Me\tdan"  # a TAB inside a cell is no formula
    bad[header.index("Instansi")] = "Badan - Kepegawaian + Negara"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    sheet = isolated / "peserta-tab.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    out = isolated / "ditolak.csv"

    ok(cli, "roster", "import", str(sheet), "--skip-invalid", "--rejects", str(out))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        columns, *got = list(csv.reader(fh))
    assert columns == [*header, "line", "errors"]
    assert len(got) == 1
    record = dict(zip(columns, got[0], strict=True))
    assert record["line"] == "3"
    assert record["Jabatan"] == '\'\t=HYPERLINK("http://x.example")'
    assert record["Unit Kerja"] == "'\r@SUM(A1)"
    untouched = [h for h in header if h not in ("Jabatan", "Unit Kerja")]
    assert {h: record[h] for h in untouched} == {h: bad[header.index(h)] for h in untouched}
    assert query(store_path, "SELECT count(*) FROM enrollments") == [(2,)]
