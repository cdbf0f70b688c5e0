"""certificate issue, list, verify and revoke through the real commands, on real stores.

The scenario: PRM-2021-II with the canonical roster, everyone marked present in all 11
sessions with `attendance mark`, and scores for three participants (NDH 1, 3 and 5) that pass;
everyone else lacks the required `rancangan` and is deferred. The tests check what a user sees
and the certificates table, read with sqlite3 directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CANONICAL, RunCli, query

pytestmark = pytest.mark.both_backends

PRM_ID = "PRM-2021-II"
LIST_KEYS = {"number", "nip", "name", "predicate", "issued", "revoked"}

NIP = {
    1: "198309222012091919", 2: "198010062002042080", 3: "199312232016072178",
    4: "199008122011031301", 5: "199408022017112466", 6: "197501232019121005",
    7: "199310152019112298", 8: "198502032021061471", 9: "198810232014112857",
    10: "199011182016101195", 11: "199611202019062784", 12: "198502202007111365",
    13: "198902162011122266", 14: "199411052020121402", 15: "197309021996022415",
    16: "197911261999041821", 17: "197810062002082389", 18: "199412142016011922",
    19: "199407112019032372", 20: "199808062023061230", 21: "198304242012092369",
    22: "200012242020071651", 23: "197804152008032994", 24: "197606072018021298",
    25: "197208022002122886",
}  # fmt: skip


def number(seq: int) -> str:
    """The example cohort's template: "{seq:03d}/STTP/PRM-II/PKASN/{year}"."""
    return f"{seq:03d}/STTP/PRM-II/PKASN/2021"


# --- helpers ----------------------------------------------------------------------------------


def certificates(db: Path) -> list[tuple[Any, ...]]:
    """(number, seq, nip, predicate, final_score, revoked?, revoked_reason), by seq."""
    return query(
        db,
        "SELECT number, seq, nip, predicate, final_score, revoked_at IS NOT NULL, "
        "revoked_reason FROM certificates ORDER BY seq",
    )


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "certificates": query(db, "SELECT * FROM certificates ORDER BY number"),
        "scores": query(db, "SELECT * FROM scores ORDER BY cohort_id, nip, component"),
        "attendance": query(db, "SELECT * FROM attendance ORDER BY cohort_id, session, nip"),
        "history": query(db, "SELECT * FROM history ORDER BY rowid"),
    }


@pytest.fixture
def passed(cli: RunCli, prm: Path, store_path: Path, tmp_path: Path) -> Path:
    """NDH 1, 3 and 5 pass; nobody else does. The sheet lists them out of NDH order."""
    run = cli("roster", "import", str(CANONICAL))
    assert run.exit_code == 0, run.stderr
    for session in range(1, 12):
        run = cli(
            "attendance", "mark", *NIP.values(), "--session", str(session), "--status", "hadir"
        )
        assert run.exit_code == 0, run.stderr
    sheet = tmp_path / "nilai.csv"
    sheet.write_text(
        "NIP;sikap;akademik;rancangan\n"
        f"{NIP[5]};75;75;75\n"  # 75.00 Cukup Memuaskan
        f"{NIP[3]};95;95;95\n"  # 95.00 Sangat Memuaskan
        f"{NIP[1]};85;85;85\n"  # 85.00 Memuaskan
        f"{NIP[2]};85;85;\n",  # no rancangan: deferred
        encoding="utf-8",
    )
    run = cli("score", "import", str(sheet))
    assert run.exit_code == 0, run.stderr
    assert certificates(store_path) == []
    return store_path


# --- issue ---------------------------------------------------------------------------------------


def test_issue_numbers_passed_participants_in_ndh_order(cli: RunCli, passed: Path) -> None:
    run = cli("certificate", "issue")
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stderr
    assert "3 certificate(s) issued" in run.stderr
    assert certificates(passed) == [
        (number(1), 1, NIP[1], "Memuaskan", 85.0, 0, None),
        (number(2), 2, NIP[3], "Sangat Memuaskan", 95.0, 0, None),
        (number(3), 3, NIP[5], "Cukup Memuaskan", 75.0, 0, None),
    ]
    for seq in (1, 2, 3):
        assert number(seq) in run.stderr


def test_issue_is_idempotent(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    before = dump(passed)
    run = cli("certificate", "issue")
    assert run.exit_code == 0, run.stderr
    assert "0 certificate(s) issued" in run.stderr
    assert dump(passed)["certificates"] == before["certificates"]


def test_issue_numbers_a_newly_passed_participant_next(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    assert cli("score", "set", NIP[2], "rancangan", "85").exit_code == 0
    run = cli("certificate", "issue")
    assert run.exit_code == 0, run.stderr
    assert certificates(passed)[-1] == (number(4), 4, NIP[2], "Memuaskan", 85.0, 0, None)
    assert len(certificates(passed)) == 4


def test_revoke_then_issue_gives_a_new_number(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    run = cli("certificate", "revoke", number(2), "--reason", "salah penulisan nama")
    assert run.exit_code == 0, run.stderr
    assert certificates(passed)[1] == (
        number(2), 2, NIP[3], "Sangat Memuaskan", 95.0, 1, "salah penulisan nama",
    )  # fmt: skip
    run = cli("certificate", "issue")
    assert run.exit_code == 0, run.stderr
    rows = certificates(passed)
    assert len(rows) == 4
    assert rows[1][5] == 1  # the revoked one stays revoked, under its own number
    assert rows[3] == (number(4), 4, NIP[3], "Sangat Memuaskan", 95.0, 0, None)
    assert len({r[0] for r in rows}) == 4  # never reused


def test_revoking_the_last_number_does_not_free_it(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    assert cli("certificate", "revoke", number(3), "--reason", "salah nama").exit_code == 0
    assert cli("certificate", "issue").exit_code == 0
    assert [r[0] for r in certificates(passed)] == [number(n) for n in (1, 2, 3, 4)]
    assert certificates(passed)[3][2] == NIP[5]


def test_a_withdrawn_participant_gets_no_certificate(cli: RunCli, passed: Path) -> None:
    assert cli("roster", "withdraw", NIP[3], "--reason", "mutasi").exit_code == 0
    run = cli("certificate", "issue")
    assert run.exit_code == 0, run.stderr
    assert [(r[0], r[2]) for r in certificates(passed)] == [
        (number(1), NIP[1]),
        (number(2), NIP[5]),
    ]


def test_nobody_passed_issues_nothing(cli: RunCli, prm: Path, store_path: Path) -> None:
    assert cli("roster", "import", str(CANONICAL)).exit_code == 0
    run = cli("certificate", "issue")
    assert run.exit_code == 0, run.stderr
    assert "0 certificate(s) issued" in run.stderr
    assert certificates(store_path) == []


# --- list and verify -----------------------------------------------------------------------------


def test_list_json_shape(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    assert cli("certificate", "revoke", number(1), "--reason", "salah nama").exit_code == 0
    run = cli("certificate", "list", "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert [set(c) for c in data] == [LIST_KEYS] * 3
    assert [(c["number"], c["nip"], c["predicate"], c["revoked"]) for c in data] == [
        (number(1), NIP[1], "Memuaskan", True),
        (number(2), NIP[3], "Sangat Memuaskan", False),
        (number(3), NIP[5], "Cukup Memuaskan", False),
    ]
    assert data[0]["name"] == "Dr. Ir. H. Ahmad Fauzi, M.Si."
    assert all(isinstance(c["issued"], str) and c["issued"][:4].isdigit() for c in data)


def test_list_table_names_the_cohort(cli: RunCli, passed: Path) -> None:
    empty = cli("certificate", "list")
    assert empty.exit_code == 0, empty.stderr
    assert PRM_ID in empty.stdout
    assert cli("certificate", "issue").exit_code == 0
    run = cli("certificate", "list")
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stdout
    assert number(2) in run.stdout
    assert NIP[3] in run.stdout


def test_verify_gives_the_details(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    run = cli("certificate", "verify", number(2), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert set(data) >= LIST_KEYS
    assert (data["number"], data["nip"], data["cohort"], data["revoked"]) == (
        number(2),
        NIP[3],
        PRM_ID,
        False,
    )
    assert data["name"] == "Hj. Siti Rahmawati, S.E., M.M."
    assert data["predicate"] == "Sangat Memuaskan"
    human = cli("certificate", "verify", number(2))
    assert human.exit_code == 0, human.stderr
    assert "Hj. Siti Rahmawati, S.E., M.M." in human.stdout
    assert PRM_ID in human.stdout
    assert "valid" in human.stdout


def test_verify_a_revoked_certificate_says_so(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    assert cli("certificate", "revoke", number(2), "--reason", "salah nama").exit_code == 0
    data = cli("certificate", "verify", number(2), "--json").json()
    assert data["revoked"] is True
    assert data["revoked_reason"] == "salah nama"
    human = cli("certificate", "verify", number(2))
    assert "REVOKED" in human.stdout and "salah nama" in human.stdout


@pytest.mark.parametrize("unknown", ["999/STTP/PRM-II/PKASN/2021", "nope"])
def test_verify_an_unknown_number_exits_1(cli: RunCli, passed: Path, unknown: str) -> None:
    assert cli("certificate", "issue").exit_code == 0
    run = cli("certificate", "verify", unknown)
    assert run.exit_code == 1
    assert unknown in run.stderr
    assert run.stdout == ""


# --- revoke ---------------------------------------------------------------------------------------


def test_revoke_needs_a_reason(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    before = dump(passed)
    missing = cli("certificate", "revoke", number(1))
    assert missing.exit_code == 2
    blank = cli("certificate", "revoke", number(1), "--reason", "  ")
    assert blank.exit_code == 1
    assert "reason" in blank.stderr
    assert dump(passed) == before


def test_revoke_names_the_cohort(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    run = cli("certificate", "revoke", number(1), "--reason", "salah nama")
    assert run.exit_code == 0, run.stderr
    assert certificates(passed)[0][5] == 1
    assert PRM_ID in run.stderr + run.stdout


def test_revoke_an_unknown_number_exits_1(cli: RunCli, passed: Path) -> None:
    before = dump(passed)
    run = cli("certificate", "revoke", number(9), "--reason", "salah")
    assert run.exit_code == 1
    assert dump(passed) == before


# --- a closed cohort ------------------------------------------------------------------------------


def test_a_closed_cohort_refuses_writes(cli: RunCli, passed: Path) -> None:
    run = cli("cohort", "close")
    assert run.exit_code == 0, run.stderr
    before = dump(passed)
    attempts = [
        ("certificate", "issue"),
        ("score", "set", NIP[2], "rancangan", "80"),
        ("attendance", "mark", NIP[2], "--session", "1", "--status", "sakit"),
    ]
    for args in attempts:
        run = cli(*args)
        assert run.exit_code == 1, args
        assert "closed" in run.stderr, args
        assert dump(passed) == before, args
    assert certificates(passed) == []


def test_a_closed_cohort_refuses_a_revoke(cli: RunCli, passed: Path) -> None:
    assert cli("certificate", "issue").exit_code == 0
    assert cli("cohort", "close").exit_code == 0
    before = dump(passed)
    run = cli("certificate", "revoke", number(1), "--reason", "salah nama")
    assert run.exit_code == 1
    assert dump(passed) == before
    listed = cli("certificate", "list", "--json")  # reading still works
    assert listed.exit_code == 0
    assert len(listed.json()) == 3


def test_closing_before_issuing_says_who_would_have_no_certificate(
    cli: RunCli, passed: Path
) -> None:
    run = cli("cohort", "close")
    assert run.exit_code == 0, run.stderr
    assert "3 participant(s) of PRM-2021-II passed but have no certificate" in run.stderr
    assert cli("certificate", "issue").exit_code == 1  # closed: nothing more is issued
