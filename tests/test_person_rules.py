"""Rules about people (NIP, golongan, phone, email, sex, dates, names), without I/O."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revmental_cli.domain.person import (
    EXCEL_NIP_HINT,
    EXCEL_NIP_MESSAGE,
    GOLONGAN_PANGKAT,
    FieldError,
    nip_birth_date,
    nip_sex,
    normalize_golongan,
    normalize_phone,
    normalize_sex,
    parse_date_cell,
    strip_titles,
    validate_email,
)
from revmental_cli.domain.person import (
    normalize_nip as _normalize_nip,
)

SAMPLE = "198807142014032004"


def normalize_nip(raw: str) -> str:
    """The rule under test, checked against today's date (a required parameter)."""
    return _normalize_nip(raw, today=date.today())


def field_error(func: Callable[..., object], *args: object, **kwargs: object) -> FieldError:
    with pytest.raises(FieldError) as info:
        func(*args, **kwargs)
    return info.value


# ------------------------------------------------------------------------ NIP


@pytest.mark.parametrize(
    "raw",
    [
        "198807142014032004",
        "  198807142014032004 ",
        "19880714 201403 2 004",
        "19880714.201403.2.004",
        "19880714-201403-2-004",
        "'198807142014032004",
        "19880714\u00a0201403\u00a02\u00a0004",
    ],
)
def test_nip_spellings_normalise_to_18_digits(raw: str) -> None:
    assert normalize_nip(raw) == SAMPLE


@pytest.mark.parametrize(
    "raw",
    [
        "1.98807E+17",
        "1,98807E+17",
        "1.98807142014032E+17",
        "1.98807142014032e+17",
        "1,98807142014032e17",
        "2E+17",
        "198807142014032000",
        "'198807142014032000",
        "198807142014032004.0",
        "198807142014032004,0",
    ],
)
def test_excel_damage_is_named_with_its_fix(raw: str) -> None:
    error = field_error(normalize_nip, raw)
    assert error.message == EXCEL_NIP_MESSAGE
    assert error.hint == EXCEL_NIP_HINT
    assert "Text" in str(error)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("19880714201403200", "NIP must have 18 digits, found 17"),
        ("1988071420140320045", "NIP must have 18 digits, found 19"),
        ("198813322014032004", "NIP digits 1-8 are not a real birth date (19881332)"),
        ("198802302014032004", "NIP digits 1-8 are not a real birth date (19880230)"),
        ("188807142014032004", "NIP digits 1-8 are not a real birth date (18880714)"),
        # 21 in digits 13-14 is a PPPK number, accepted as it is (tests/test_people_kinds.py).
        ("198807142014222004", "NIP digits 13-14 are not a month (22)"),
        ("198807142014002004", "NIP digits 13-14 are not a month (00)"),
        ("198807142014033004", "NIP digit 15 must be 1 (male) or 2 (female), found 3"),
        ("19880714 201403 2 000", "NIP sequence (digits 16-18) cannot be 000"),
        ("198807141930032004", "NIP digits 9-12 are not a plausible appointment year (1930)"),
        ("19880714201403200X", "NIP may only contain digits, found 'X'"),
        ("", "NIP is empty"),
    ],
)
def test_nip_structure_messages(raw: str, message: str) -> None:
    assert field_error(normalize_nip, raw).message.startswith(message)


def test_nip_in_the_future_is_rejected() -> None:
    future = f"{date.today().year + 1}0101"
    assert "future" in field_error(normalize_nip, f"{future}201403 2 004").message


def test_pppk_skips_only_the_month_check() -> None:
    assert normalize_nip("198807142014212004") == "198807142014212004"
    with pytest.raises(FieldError, match="digit 15"):
        normalize_nip("198807142014213004")


def test_arabic_indic_digits_are_not_digits() -> None:
    assert "only contain digits" in field_error(normalize_nip, "١٩٨٨٠٧١٤٢٠١٤٠٣٢٠٠٤").message


def test_nip_birth_date_and_sex() -> None:
    assert nip_birth_date(SAMPLE) == date(1988, 7, 14)
    assert nip_sex(SAMPLE) == "P"
    assert nip_sex("198807142014031004") == "L"


@st.composite
def valid_nips(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(date.today().year - 15, 1, 1)))
    year = draw(st.integers(max(1940, born.year + 15), date.today().year + 1))
    month = draw(st.integers(1, 12))
    sex = draw(st.sampled_from("12"))
    seq = draw(st.integers(1, 999))
    return f"{born:%Y%m%d}{year}{month:02d}{sex}{seq:03d}"


@given(valid_nips(), st.sampled_from([" ", ".", "-", " - "]))
def test_any_valid_nip_normalises_to_itself(nip: str, sep: str) -> None:
    assert normalize_nip(nip) == nip
    grouped = sep.join([nip[:8], nip[8:14], nip[14], nip[15:]])
    assert normalize_nip(grouped) == nip
    assert normalize_nip(f"'{nip}") == nip
    assert nip_birth_date(nip).strftime("%Y%m%d") == nip[:8]


# ------------------------------------------------------------------- golongan


@pytest.mark.parametrize(
    "raw",
    [
        "III/c",
        "III/C",
        "IIIc",
        "III.c",
        "III-c",
        "III c",
        "iii/c",
        " III / c ",
        "Penata (III/c)",
        "Penata, III/c",
        "Penata - III/c",
        "penata (iii/c)",
        "III/c Penata",
        "III/c - Penata",
        "Penata",
        "Gol. III/c",
        "Golongan III/c",
    ],
)
def test_golongan_spellings(raw: str) -> None:
    assert normalize_golongan(raw) == ("III/c", "Penata")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Penata Tk. I (III/d)", ("III/d", "Penata Tingkat I")),
        # A slash between the pangkat and the code, as many agency sheets write it.
        ("Penata/III/c", ("III/c", "Penata")),
        ("Pembina/IV a", ("IV/a", "Pembina")),
        ("Penata Tk. I/III d", ("III/d", "Penata Tingkat I")),
        ("PEMBINA TK. I / IV.b", ("IV/b", "Pembina Tingkat I")),
        ("III/c/Penata", ("III/c", "Penata")),
        ("Pembina Utama Muda, IV/c", ("IV/c", "Pembina Utama Muda")),
        ("Penata Muda Tingkat I", ("III/b", "Penata Muda Tingkat I")),
        ("Penata Muda Tk. I", ("III/b", "Penata Muda Tingkat I")),
        ("Penata Muda Tk.I", ("III/b", "Penata Muda Tingkat I")),
        ("Juru Muda", ("I/a", "Juru Muda")),
        ("IV/e", ("IV/e", "Pembina Utama")),
        ("I/a", ("I/a", "Juru Muda")),
        ("IX", ("IX", "")),
        ("ix", ("IX", "")),
        ("Golongan IX", ("IX", "")),
        ("XVII", ("XVII", "")),
        ("I", ("I", "")),
        ("", ("", "")),
        ("   ", ("", "")),
    ],
)
def test_golongan_and_pangkat(raw: str, expected: tuple[str, str]) -> None:
    assert normalize_golongan(raw) == expected


def test_every_golongan_maps_to_its_pangkat_both_ways() -> None:
    for code, pangkat in GOLONGAN_PANGKAT.items():
        assert normalize_golongan(code) == (code, pangkat)
        assert normalize_golongan(pangkat) == (code, pangkat)
        assert normalize_golongan(f"{pangkat} ({code})") == (code, pangkat)


def test_contradicting_pangkat_names_both() -> None:
    message = field_error(normalize_golongan, "Penata (III/d)").message
    assert "Penata" in message and "III/c" in message and "III/d" in message


@pytest.mark.parametrize("raw", ["V/a", "III/e", "I/e", "3/c", "XVIII", "Penata Agung", "foo"])
def test_unknown_golongan_hints_the_accepted_form(raw: str) -> None:
    error = field_error(normalize_golongan, raw)
    assert error.hint is not None and "III/c" in error.hint


def test_nonexistent_golongan_is_named() -> None:
    assert field_error(normalize_golongan, "V/a").message.startswith("golongan V/a does not exist")
    assert field_error(normalize_golongan, "III/e").message.startswith(
        "golongan III/e does not exist"
    )


# ---------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62-812-3456-7890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("(0812) 345 678", "+62812345678"),
        ("81234567890", "+6281234567890"),
        ("'081234567890", "+6281234567890"),
        ("022-7790044", "+62227790044"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_phone_numbers_become_e164(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12345", "phone number must start with 0, 8, 62 or +62"),
        ("0812", "phone number has 3 digits after the leading 0"),
        ("08123456789012345", "phone number has 16 digits after the leading 0"),
        ("+61 412 345 678", "only Indonesian numbers (+62)"),
        ("0812-ABC-7890", "not a phone number"),
    ],
)
def test_bad_phone_numbers(raw: str, message: str) -> None:
    assert field_error(normalize_phone, raw).message.startswith(message)


# ---------------------------------------------------------------------- email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("budi.santoso@bandung.go.id", "budi.santoso@bandung.go.id"),
        (" Budi.Santoso@Bandung.GO.ID ", "Budi.Santoso@bandung.go.id"),
        ("wulan+prm@example.com", "wulan+prm@example.com"),
        ("", ""),
    ],
)
def test_valid_emails_keep_the_local_part(raw: str, expected: str) -> None:
    assert validate_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "budi@@example",
        "budi@example",
        "budi santoso@example.com",
        "budi@example..com",
        "budi..santoso@example.com",
        ".budi@example.com",
        "@example.com",
        "budi@",
        "budi@-example.com",
        "budi.example.com",
    ],
)
def test_invalid_emails(raw: str) -> None:
    assert "email address" in field_error(validate_email, raw).message


# ----------------------------------------------------------------- sex, dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L", "L"),
        ("l", "L"),
        ("Laki-laki", "L"),
        ("LAKI-LAKI", "L"),
        ("Pria", "L"),
        ("M", "L"),
        ("Male", "L"),
        ("P", "P"),
        ("Perempuan", "P"),
        ("Wanita", "P"),
        ("F", "P"),
        ("female", "P"),
        ("", ""),
    ],
)
def test_sex_spellings(raw: str, expected: str) -> None:
    assert normalize_sex(raw) == expected


def test_unknown_sex() -> None:
    assert field_error(normalize_sex, "X").hint == "write L (laki-laki) or P (perempuan)"


@pytest.mark.parametrize(
    "raw",
    [
        "1988-07-14",
        "14/07/1988",
        "14-07-1988",
        "14.07.1988",
        "14/7/1988",
        "14 Juli 1988",
        "14 juli 1988",
        "14 Jul 1988",
        "14 July 1988",
        "14-Jul-1988",
        "1988-07-14 00:00:00",
        date(1988, 7, 14),
        datetime(1988, 7, 14, 0, 0),
    ],
)
def test_birth_date_forms(raw: str | date) -> None:
    assert parse_date_cell(raw) == date(1988, 7, 14)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1 Agustus 2001", date(2001, 8, 1)), ("5 Mei 1990", date(1990, 5, 5))],
)
def test_indonesian_month_names(raw: str, expected: date) -> None:
    assert parse_date_cell(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("07/14/1988", "not a real date"),  # MM/DD is never accepted
        ("31/02/1988", "not a real date"),
        ("14 Foo 1988", "unknown month name"),
        ("88-07-14", "not a date"),
        ("kemarin", "not a date"),
        ("", "date is empty"),
    ],
)
def test_bad_dates(raw: str, message: str) -> None:
    assert field_error(parse_date_cell, raw).message.startswith(message)


# ---------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dr. Ir. H. Ahmad Fauzi, M.Si.", "ahmad fauzi"),
        ("Wulan Sari, S.Sos.", "wulan sari"),
        ("Hj. Siti Rahmawati, S.E., M.M.", "siti rahmawati"),
        ("Prof.Dr.Budi Santoso", "budi santoso"),
        ("dr. Maya Puspitasari", "maya puspitasari"),
        ("drg. Ayu Lestari", "ayu lestari"),
        ("KH. Abdul Rahman", "abdul rahman"),
        ("Ns. Rina Marlina, S.Kep., Ners", "rina marlina"),
        ("Agus Salim, S.E., Ak., CA", "agus salim"),
        ("H. Dedi Kurniawan, S.Ag., M.A.", "dedi kurniawan"),
        ("Teguh Prasetyo, Ph.D.", "teguh prasetyo"),
        ("Sri Wahyuni, A.Md.", "sri wahyuni"),
        ("Drs. Bambang Sutrisno, M.AP.", "bambang sutrisno"),
        ("Ahmad Fauzi M.Si", "ahmad fauzi"),
        ("  BUDI   SANTOSO ", "budi santoso"),
        ("Hendra Gunawan", "hendra gunawan"),
    ],
)
def test_strip_titles(raw: str, expected: str) -> None:
    assert strip_titles(raw) == expected


def test_strip_titles_keeps_name_parts_after_commas_that_are_not_degrees() -> None:
    assert strip_titles("Santoso, Budi") == "santoso budi"


def test_strip_titles_never_empties_a_name() -> None:
    assert strip_titles("H.") == "h."


# ------------------------------------------------------- robustness (hypothesis)

NORMALIZERS = [normalize_nip, normalize_golongan, normalize_phone, validate_email, normalize_sex]


@pytest.mark.slow
@given(st.text(), st.sampled_from(NORMALIZERS))
def test_normalizers_raise_only_field_error(text: str, func: Callable[[str], object]) -> None:
    try:
        func(text)
    except FieldError as exc:
        assert exc.message
    with contextlib.suppress(FieldError):
        normalize_nip(text)
    with contextlib.suppress(FieldError):
        parse_date_cell(text)


@given(st.text())
def test_strip_titles_never_raises_and_collapses_whitespace(text: str) -> None:
    once = strip_titles(text)
    assert once == " ".join(once.split())


@pytest.mark.parametrize("nip", ["199301011988022007", "198807142002032004"])
def test_an_appointment_before_the_age_of_fifteen_is_a_typo(nip: str) -> None:
    with pytest.raises(FieldError, match="plausible appointment year"):
        normalize_nip(nip)
