"""Indonesian number words, dates, periods and NIP grouping (revmental_cli.domain.words)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revmental_cli.domain.words import (
    group_nip,
    jp_text,
    long_date,
    number_words,
    period_text,
)

# A reference parser written independently of number_words: it reads the words back the way a
# person would (digits, "belas", "puluh", "ratus", then the scales), so a wrong word order or a
# missed "se-" prefix in the generator shows up as a different number.
_DIGITS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_SCALE = {"ribu": 1000, "juta": 10**6, "miliar": 10**9, "triliun": 10**12}


def parse_words(text: str) -> int:
    tokens = text.split()
    if tokens == ["nol"]:
        return 0
    total = 0  # finished scale groups
    group = 0  # the current group below a thousand
    last = None  # the previous token's value, for "dua belas", "tiga puluh", "lima ratus"
    for tok in tokens:
        if tok in _DIGITS and tok != "nol":
            assert last is None, f"two digits in a row in {text!r}"
            last = _DIGITS[tok]
        elif tok == "sepuluh":
            group += 10
        elif tok == "sebelas":
            group += 11
        elif tok == "seratus":
            group += 100
        elif tok == "seribu":
            assert group == 0 and last is None
            total += 1000
        elif tok == "belas":
            assert last is not None
            group += 10 + last
            last = None
        elif tok == "puluh":
            assert last is not None
            group += 10 * last
            last = None
        elif tok == "ratus":
            assert last is not None
            group += 100 * last
            last = None
        elif tok in _SCALE:
            if last is not None:
                group += last
                last = None
            assert 0 < group < 1000
            total += group * _SCALE[tok]
            group = 0
        else:
            raise AssertionError(f"unknown word {tok!r} in {text!r}")
    if last is not None:
        group += last
    return total + group


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (36, "tiga puluh enam"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (210, "dua ratus sepuluh"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1234, "seribu dua ratus tiga puluh empat"),
        (2000, "dua ribu"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (1000000, "satu juta"),
        (2500000, "dua juta lima ratus ribu"),
        (9999, "sembilan ribu sembilan ratus sembilan puluh sembilan"),
    ],
)
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


@given(st.integers(min_value=0, max_value=9999))
def test_every_number_below_ten_thousand_reads_back(n: int) -> None:
    assert parse_words(number_words(n)) == n


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_large_numbers_read_back(n: int) -> None:
    assert parse_words(number_words(n)) == n


def test_every_number_below_ten_thousand_exhaustively() -> None:
    # Cheap enough to check them all, which hypothesis alone would not promise.
    seen = set()
    for n in range(10000):
        words = number_words(n)
        assert parse_words(words) == n
        seen.add(words)
    assert len(seen) == 10000


@pytest.mark.parametrize("bad", [-1, 10**15])
def test_number_words_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        number_words(bad)


def test_number_words_refuses_non_int() -> None:
    with pytest.raises(TypeError):
        number_words(3.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        number_words(True)


def test_jp_text() -> None:
    assert jp_text(36) == "36 (tiga puluh enam)"
    assert jp_text(1) == "1 (satu)"


def test_long_date() -> None:
    assert long_date(date(1988, 7, 14)) == "14 Juli 1988"
    assert long_date(date(2021, 10, 1)) == "1 Oktober 2021"
    assert long_date(date(2000, 2, 29)) == "29 Februari 2000"


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2021, 9, 29), date(2021, 10, 29), "29 September s.d. 29 Oktober 2021"),
        (date(2021, 7, 1), date(2021, 7, 5), "1 s.d. 5 Juli 2021"),
        (date(2021, 7, 1), date(2021, 7, 1), "1 Juli 2021"),
        (date(2021, 12, 28), date(2022, 1, 5), "28 Desember 2021 s.d. 5 Januari 2022"),
    ],
)
def test_period_text(start: date, end: date, text: str) -> None:
    assert period_text(start, end) == text


def test_period_text_refuses_reversed_dates() -> None:
    with pytest.raises(ValueError):
        period_text(date(2021, 7, 5), date(2021, 7, 1))


@pytest.mark.parametrize(
    ("nip", "grouped"),
    [
        ("198807142014032004", "19880714 201403 2 004"),
        ("19880714 201403 2 004", "19880714 201403 2 004"),
        (" 198807142014032004 ", "19880714 201403 2 004"),
        ("3273011407880004", "3273011407880004"),  # a 16-digit NIK
        ("PPPK-2023-0001", "PPPK-2023-0001"),
        ("19880714201403200", "19880714201403200"),  # 17 digits: not a NIP
        ("１９８８０７１４２０１４０３２００４", "１９８８０７１４２０１４０３２００４"),
    ],
)
def test_group_nip(nip: str, grouped: str) -> None:
    assert group_nip(nip) == grouped


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_group_nip_keeps_every_digit(nip: str) -> None:
    grouped = group_nip(nip)
    assert grouped.replace(" ", "") == nip
    assert [len(p) for p in grouped.split(" ")] == [8, 6, 1, 3]
