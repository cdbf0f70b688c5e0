"""Indonesian and English: the catalog is complete and compiled, the language is chosen as the
contract says, and what people read is Indonesian under ``REVMENTAL_LANG=id`` while JSON stays
the same byte for byte."""

from __future__ import annotations

import importlib.util
import inspect
import re
import string
import sys
from pathlib import Path
from typing import Any

import pytest

from revmental_cli import i18n
from revmental_cli.cli import command_tree
from tests.conftest import ROOT, RunCli
from tests.test_journey import ATTENDANCE, journey

pytest.importorskip("babel", reason="the catalog checks need Babel (pip install babel)")


def _tooling() -> Any:
    spec = importlib.util.spec_from_file_location("i18n_tooling", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_tooling"] = module
    spec.loader.exec_module(module)
    return module


TOOLS = _tooling()


@pytest.fixture(scope="module")
def extracted() -> dict[str, Any]:
    return TOOLS.extract()


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    return {TOOLS._msgid(m.id): m for m in TOOLS.read_catalog() if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --- the catalog -------------------------------------------------------------------------------


def test_every_message_has_an_indonesian_translation(
    extracted: dict[str, Any], catalog: dict[str, Any]
) -> None:
    missing = [
        f"{m!r} ({e.where[0]})"
        for m, e in extracted.items()
        if m not in catalog or not str(catalog[m].string).strip() or catalog[m].fuzzy
    ]
    assert not missing, "untranslated (python scripts/i18n.py extract, then translate):\n" + (
        "\n".join(missing)
    )


def test_the_catalog_has_no_obsolete_entries(
    extracted: dict[str, Any], catalog: dict[str, Any]
) -> None:
    obsolete = sorted(set(catalog) - set(extracted))
    assert not obsolete, "obsolete (python scripts/i18n.py extract drops them):\n" + "\n".join(
        map(repr, obsolete)
    )


def test_placeholders_match(catalog: dict[str, Any]) -> None:
    wrong = [
        (msgid, m.string) for msgid, m in catalog.items() if _fields(msgid) != _fields(m.string)
    ]
    assert not wrong


def test_help_translations_keep_their_examples(catalog: dict[str, Any]) -> None:
    """The example lines of a help text are commands: the translation keeps them verbatim."""
    for msgid, m in catalog.items():
        if "\nExample:\n" not in msgid:
            continue
        examples = [line for line in msgid.splitlines() if line.startswith("    revmental")]
        assert "\nContoh:\n" in m.string, msgid
        assert [x for x in m.string.splitlines() if x.startswith("    revmental")] == examples


def test_the_committed_mo_is_up_to_date() -> None:
    assert TOOLS.MO.exists(), "python scripts/i18n.py compile"
    compiled = TOOLS.translations_in_mo(TOOLS.mo_bytes())
    committed = TOOLS.translations_in_mo(TOOLS.MO.read_bytes())
    assert committed == compiled, "the .mo is stale: python scripts/i18n.py compile"


def test_the_catalog_ships_with_the_package() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "locale/*/LC_MESSAGES/*.mo" in text
    assert "locale/*/LC_MESSAGES/*.po" in text


def test_no_fstring_inside_a_message() -> None:
    """``_(f"...")`` would look up a msgid that never exists: placeholders are named."""
    offenders = []
    for path in (ROOT / "revmental_cli").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bN?_\(\s*f[\"']", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert not offenders


# --- choosing the language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"REVMENTAL_LANG": "id"}, "id"),
        ({"REVMENTAL_LANG": "en", "LANG": "id_ID.UTF-8"}, "en"),
        ({"REVMENTAL_LANG": "ID"}, "id"),
        ({"REVMENTAL_LANG": "id_ID.UTF-8"}, "id"),
        ({"REVMENTAL_LANG": "fr", "LANG": "id_ID.UTF-8"}, "en"),  # unknown: English
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
        ({"LC_ALL": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, "id"),
        ({"LC_MESSAGES": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, "id"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "ida_XX"}, "en"),  # not Indonesian, only starts with the letters
        ({}, "en"),
    ],
)
def test_language_follows_the_contract(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name in ("REVMENTAL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


def _locale_only(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name in ("REVMENTAL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def test_the_locale_chooses_when_revmental_lang_is_unset(
    cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _locale_only(monkeypatch, LANG="id_ID.UTF-8")
    assert "belum ada basis data" in cli("cohort", "list").stderr
    _locale_only(monkeypatch, LANG="en_US.UTF-8")
    assert "there is no store yet" in cli("cohort", "list").stderr
    _locale_only(monkeypatch, LC_ALL="en_US.UTF-8", LANG="id_ID.UTF-8")
    assert "there is no store yet" in cli("cohort", "list").stderr
    _locale_only(monkeypatch, REVMENTAL_LANG="id", LC_ALL="en_US.UTF-8")
    assert "belum ada basis data" in cli("cohort", "list").stderr


def test_dates_are_spelled_in_each_language(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    day = dt.date(2021, 9, 29)
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    assert i18n.long_date(day) == "Rabu, 29 September 2021"
    assert i18n.long_date(dt.date(2021, 8, 17)) == "Selasa, 17 Agustus 2021"
    assert i18n.short_date(dt.date(2021, 10, 1)) == "Jum 1 Okt 2021"
    monkeypatch.setenv("REVMENTAL_LANG", "en")
    assert i18n.long_date(day) == "Wednesday, 29 September 2021"
    assert i18n.short_date(day) == "Wed 29 Sep 2021"


# --- what people read --------------------------------------------------------------------------


@pytest.fixture
def indonesian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVMENTAL_LANG", "id")


def test_help_is_indonesian(cli: RunCli, indonesian: None) -> None:
    root = cli("--help")
    assert root.exit_code == 0
    assert root.stdout.startswith("Penggunaan: ")
    assert "Administrasi angkatan pelatihan ASN" in root.stdout
    assert "Contoh:" in root.stdout and "Example:" not in root.stdout
    assert "Perintah:" in root.stdout and "Opsi:" in root.stdout
    opened = cli("cohort", "open", "--help").stdout
    assert "Muat definisi angkatan ke basis data" in opened
    assert re.search(r"Contoh:\s*\n\s*\n\s*revmental cohort open cohorts/prm-2021-ii\.yaml", opened)
    assert "Tampilkan apa yang akan berubah" in opened  # an option's help
    assert "Tampilkan pesan ini lalu keluar." in opened


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _commands(sub, (*path, name))
    return found


@pytest.mark.parametrize("path", _commands(command_tree()), ids=" ".join)
def test_every_help_is_indonesian_with_its_example(
    cli: RunCli, indonesian: None, path: tuple[str, ...]
) -> None:
    text = cli(*path, "--help").stdout
    match = re.search(r"Contoh:\s*\n(?:\s*\n)*\s*(\S.*)", text)
    assert match, text
    assert match.group(1).startswith(" ".join(("revmental", *path)))


def test_help_in_english_is_untouched(cli: RunCli) -> None:
    command = command_tree()
    opened = command.commands["cohort"].commands["open"]  # type: ignore[attr-defined]
    assert opened.help == inspect.getdoc(opened.callback)
    assert cli("--help").stdout.startswith("Usage: ")


def test_getting_started_is_indonesian(cli: RunCli, indonesian: None) -> None:
    assert "Memulai (alur utama)" in cli().stdout


def test_errors_are_indonesian(cli: RunCli, prm: Path, indonesian: None) -> None:
    run = cli("cohort", "show", "NOPE")
    assert run.exit_code == 1
    assert "kesalahan: angkatan 'NOPE' tidak dikenal" in run.stderr
    assert "saran: angkatan di basis data ini: PRM-2021-II" in run.stderr
    run = cli("attendance", "show", "--session", "99")
    assert "PRM-2021-II tidak memiliki sesi 99" in run.stderr
    run = cli("roster", "withdraw", "12")
    assert "bukan NIP" in run.stderr


def test_schedule_is_indonesian(cli: RunCli, prm: Path, indonesian: None) -> None:
    text = cli("schedule", "show").stdout
    assert "Jadwal · PRM-2021-II" in text
    for header in ("Waktu", "Sesi", "Fasilitator", "Jenis"):
        assert header in text
    assert "Rabu, 29 September 2021" in text
    assert "Jumat, 1 Oktober 2021" in text
    assert "11 sesi dalam" in text and "JP (1 JP = 45 menit)" in text


def test_cohort_show_is_indonesian(cli: RunCli, prm: Path, indonesian: None) -> None:
    text = cli("cohort", "show").stdout
    assert "Penyelenggara" in text
    assert "Rabu, 29 September 2021 – Jumat, 29 Oktober 2021" in text
    assert "Sangat Memuaskan" in text  # the cohort file's own labels, untouched


def test_journey_tables_are_indonesian(
    cli: RunCli, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey(cli)
    monkeypatch.setenv("REVMENTAL_LANG", "id")

    roster = cli("roster", "show").stdout
    assert "Daftar peserta · PRM-2021-II" in roster
    assert "Instansi" in roster and "terdaftar" in roster

    matrix = cli("attendance", "show").stdout
    assert "Kehadiran · PRM-2021-II" in matrix
    assert "H hadir, T terlambat, I izin, S sakit, A alpa" in matrix
    assert " P " not in matrix.split("\n", 3)[-1].rsplit("\n", 3)[0]  # letters are H/T/I/S/A

    session = cli("attendance", "show", "--session", "11").stdout
    assert "sesi 11" in session
    assert "izin" in session and "hadir" in session and "alpa" not in session

    report = cli("report", "completion").stdout
    assert "Kelulusan · PRM-2021-II" in report
    for word in ("lulus", "ditunda", "tidak lulus", "Predikat", "Alasan"):
        assert word in report
    assert "nilai akhir 66,00 < 70,01" in report
    assert "kehadiran 83,3% < 90%" in report
    assert "nilai belum ada: rancangan" in report
    assert "passed" not in report and "deferred" not in report


def test_json_is_the_same_in_both_languages(
    cli: RunCli, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey(cli)
    commands = [
        ("schedule", "show", "--json"),
        ("roster", "show", "--json"),
        ("attendance", "show", "--json"),
        ("report", "completion", "--json"),
        ("report", "attendance", "--json"),
        ("cohort", "show", "--json"),
        ("cohort", "list", "--json"),
        ("report", "completion", "--format", "csv"),
        ("roster", "show", "--format", "csv"),
        (
            "attendance",
            "import",
            str(ATTENDANCE / "zoom-sesi-01.csv"),
            "--dry-run",
            "--json",
        ),
    ]
    for command in commands:
        monkeypatch.setenv("REVMENTAL_LANG", "en")
        english = cli(*command)
        monkeypatch.setenv("REVMENTAL_LANG", "id")
        indonesian = cli(*command)
        assert english.exit_code == indonesian.exit_code == 0, command
        assert english.stdout == indonesian.stdout, command


def test_rejected_rows_in_json_stay_english(
    cli: RunCli, prm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "peserta.csv"
    sheet.write_text("NIP,Nama,Email\n1.98807E+17,Ani,ani@example\n", encoding="utf-8")
    monkeypatch.setenv("REVMENTAL_LANG", "en")
    english = cli("roster", "import", str(sheet), "--json")
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    indonesian = cli("roster", "import", str(sheet), "--json")
    assert english.exit_code == indonesian.exit_code == 1
    assert english.stdout == indonesian.stdout
    shown = cli("roster", "import", str(sheet))
    assert "baris 2: NIP:" in shown.stderr  # the column as the file wrote it


# --- files that cannot be used: cohort definitions, sheets, reports -----------------------------


def test_cohort_problems_are_indonesian(cli: RunCli, indonesian: None) -> None:
    """Messages and hints are translated; the locations (``baris N``, as for roster rows) and
    the field paths stay as the file writes them."""
    five = ROOT / "tests" / "fixtures" / "cohorts" / "five-mistakes.yaml"
    run = cli("cohort", "validate", str(five))
    assert run.exit_code == 1
    text = run.stderr
    assert "5 masalah dalam definisi angkatan; tidak ada yang disimpan" in text
    assert "five-mistakes.yaml: baris 2: id: 'prm 2021/ii' bukan ID angkatan yang sah" in text
    assert "baris 20: sessions[0].facilitator: fasilitator 'F09' tidak dikenal (sesi 1)" in text
    assert "saran: ID fasilitator: F01" in text
    assert (
        "baris 21: sessions[1].date: 2021-11-02 di luar tanggal angkatan "
        "(2021-09-29 sampai 2021-10-29) (sesi 2)"
    ) in text
    assert "baris 27: sessions[2].start: seharusnya waktu dalam format HH:MM" in text
    assert "baris 32: completion.components: jumlah bobot 90, bukan 100" in text
    assert "perbaiki isian yang disebut di atas" in text
    for english in ("line ", "problems", "is not a valid", "outside", "hint:", "weights"):
        assert english not in text, english


def test_cohort_file_traps_are_indonesian(cli: RunCli, tmp_path: Path, indonesian: None) -> None:
    broken = tmp_path / "salah.yaml"
    broken.write_text("id: PRM-2021-II\nid: PRM-2021-III\n", encoding="utf-8")
    text = cli("cohort", "validate", str(broken)).stderr
    assert "baris 2: id: kunci 'id' ganda (pertama kali di baris 1)" in text
    binary = tmp_path / "biner.yaml"
    binary.write_bytes(b"\x00\x01id: X")
    text = cli("cohort", "validate", str(binary)).stderr
    assert "ini berkas biner, bukan definisi angkatan dalam YAML" in text


def test_a_binary_sheet_gives_an_indonesian_error(
    cli: RunCli, prm: Path, tmp_path: Path, indonesian: None
) -> None:
    sheet = tmp_path / "peserta.csv"
    sheet.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 1
    assert (
        "kesalahan: peserta.csv: ini berkas zip (mungkin buku kerja .xlsx yang diberi nama .csv)"
    ) in run.stderr
    assert "saran: ganti nama berkasnya menjadi .xlsx jika ini buku kerja" in run.stderr
    pdf = tmp_path / "peserta.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    assert "peserta.pdf: ini berkas PDF, bukan tabel" in cli("roster", "import", str(pdf)).stderr


_ZOOM_HEADER = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    "812 3456 7890,Sesi tambahan,{start},{end},host@lan.example,60,2\n"
    "\n"
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
)


def test_a_zoom_report_matching_no_session_gives_an_indonesian_error(
    cli: RunCli, prm: Path, tmp_path: Path, indonesian: None
) -> None:
    report = tmp_path / "zoom-sesi-x.csv"
    report.write_text(
        _ZOOM_HEADER.format(start="11/15/2021 09:00:00 AM", end="11/15/2021 10:00:00 AM")
        + "Ani,ani@example.go.id,11/15/2021 09:01:00 AM,11/15/2021 10:00:00 AM,59,No\n",
        encoding="utf-8",
    )
    run = cli("attendance", "import", str(report))
    assert run.exit_code == 1
    assert (
        "zoom-sesi-x.csv: rapat dimulai 2021-11-15 09:00; tidak ada sesi yang dimulai dalam "
        "satu jam dari waktu itu"
    ) in run.stderr
    assert "meeting" not in run.stderr


def test_zoom_row_problems_are_indonesian(
    cli: RunCli, prm: Path, tmp_path: Path, indonesian: None
) -> None:
    report = tmp_path / "zoom-sesi-1.csv"
    report.write_text(
        _ZOOM_HEADER.format(start="09/29/2021 08:50:02 AM", end="09/29/2021 12:06:40 PM")
        + "Ani,ani@example.go.id,,09/29/2021 12:00:00 PM,59,No\n"
        + "Budi,budi@example.go.id,29/09/2021 09:00,09/29/2021 12:00:00 PM,abc,No\n",
        encoding="utf-8",
    )
    text = cli("attendance", "import", str(report)).stderr
    assert "baris 5: Join Time: waktu kosong" in text
    assert "baris 6: Join Time: bukan tanggal dan waktu: '29/09/2021 09:00'" in text
    assert "baris 6: Duration (Minutes): bukan jumlah menit: 'abc'" in text
    assert "saran: tulis menit sebagai 95 atau 1:35:00" in text
    not_a_report = tmp_path / "catatan.csv"
    not_a_report.write_text("Judul,Isi\nrapat,ya\n", encoding="utf-8")
    text = cli("attendance", "import", str(not_a_report)).stderr
    # Its columns are named, and no --format is suggested: none would read it.
    assert "catatan.csv: bukan laporan kehadiran yang dapat dibaca alat ini: kolomnya: " in text
    assert "saran: laporan Zoom memerlukan kolom nama" in text
    assert "--format zoom" not in text


@pytest.mark.parametrize(("lang", "expected"), [("en", "82.5"), ("id", "82,5")])
def test_numbers_read_alike_as_float_and_decimal(
    monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    # i18n tells a Decimal without importing decimal itself: both kinds must still read as
    # a person reads them, in a table and inside a translated message.
    from decimal import Decimal

    monkeypatch.setenv("REVMENTAL_LANG", lang)
    assert i18n.number(Decimal("82.50"), None) == expected
    assert i18n.number(82.5, None) == expected
    assert i18n.number(Decimal("82.5")) == expected
    assert i18n.number(90, None) == "90"
    assert i18n._decimal_comma(Decimal("82.50")) == expected
    assert i18n._decimal_comma(82.5) == expected
    assert i18n._decimal_comma(3) == 3
