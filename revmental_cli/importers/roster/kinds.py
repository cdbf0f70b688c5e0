"""Which number a roster row's participant has, and what it allows of the rest of the row.

Owns: the identifiers a NIP column may hold as its header names them (``id_kinds``), and the
checks of a row's golongan and employment against its number (``golongan_for_number``): a
PPPK number (21 in digits 13-14) takes a PPPK golongan (I to XVII) and makes the row PPPK,
a PNS NIP a PNS golongan (III/c). Used by parser.py; the fast path (fast.py) leaves every
row these rules could refuse to parser.py. Never touches the store, the console or the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revmental_cli.domain.person import FieldError, is_pppk
from revmental_cli.i18n import _
from revmental_cli.importers.headers import header_key

if TYPE_CHECKING:
    from revmental_cli.domain.ids import IdKind

__all__ = ["KIND_LABELS", "golongan_for_number", "id_kinds"]

# What an identifier is called in messages ("does not match the birth date in the NIK").
KIND_LABELS = {"nip": "NIP", "nik": "NIK", "nrp": "NRP"}
_AMBIGUOUS_GOLONGAN = frozenset({"I", "II", "III", "IV"})  # PNS without ruang, or PPPK


def id_kinds(header: str) -> frozenset[IdKind]:
    """The identifiers a NIP column may hold, as its header names them: "NIP/NIK" also
    NIKs, "NIP/NRP" also NRPs, "NIK" alone NIKs (and NIPs, which a person may still type)."""
    key = header_key(header)
    kinds: set[IdKind] = {"nip"}
    if "nik" in key or "kependudukan" in key:
        kinds.add("nik")
    if "nrp" in key:
        kinds.add("nrp")
    return frozenset(kinds)


def golongan_for_number(
    nip: str, employment: str, golongan: str, pangkat: str
) -> tuple[str, list[FieldError | str]]:
    """The row's employment, and what is wrong with its golongan given its valid ``nip``
    ("" when the NIP is wrong: then only the golongan and employment are compared).

    A PNS golongan comes with its pangkat; a PPPK one (a Roman numeral alone) without.
    """
    problems: list[FieldError | str] = []
    kind = "" if not nip else "nip" if len(nip) == 18 else "other"
    pppk_nip = kind == "nip" and is_pppk(nip)
    if golongan and pangkat and pppk_nip:
        problems.append(
            FieldError(
                _(
                    "{golongan} is a PNS golongan but the NIP is a PPPK number "
                    "(digits 13-14 are 21)"
                ).format(golongan=golongan),
                _(
                    "a PPPK golongan is a Roman numeral I to XVII, such as V; "
                    "check the golongan or the NIP"
                ),
            )
        )
    elif golongan in _AMBIGUOUS_GOLONGAN and not pangkat and employment != "PPPK" and not pppk_nip:
        # "III" alone is the usual shorthand for a PNS golongan without its ruang, and
        # also a valid PPPK golongan: never guess (a PPPK number says which).
        problems.append(
            _(
                "golongan {golongan} needs its ruang, e.g. {golongan}/a; if the "
                "participant is PPPK, add a Status Kepegawaian column saying PPPK"
            ).format(golongan=golongan)
        )
    elif golongan and not pangkat:  # a PPPK golongan
        if employment == "PNS":
            problems.append(
                _("{golongan} is a PPPK golongan but the participant is marked PNS").format(
                    golongan=golongan
                )
            )
        elif kind == "nip" and not pppk_nip and employment != "PPPK":
            # The sheet saying PPPK is believed (an older number); the golongan alone
            # against the NIP is a typo in one of them.
            problems.append(
                FieldError(
                    _(
                        "{golongan} is a PPPK golongan but the NIP is a PNS one "
                        "(digits 13-14 are the month {month}, not 21)"
                    ).format(golongan=golongan, month=nip[12:14]),
                    _("check the NIP, or write the PNS golongan, such as III/c"),
                )
            )
        elif not employment and kind != "other":  # a NIK or NRP is no PPPK number
            employment = "PPPK"
    if pppk_nip and not employment:
        employment = "PPPK"
    return employment, problems
