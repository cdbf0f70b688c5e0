"""Status words as tables show them: the display word of each stored code.

Owns the code -> word tables (the codes themselves, JSON and CSV values, stay English) and
``word``, for the terminal and the web view alike, so that both say the same word. Must never
print or import Rich: the noun modules, the commands and the web pages choose where a word goes.
"""

from __future__ import annotations

from revmental_cli.i18n import N_, _

# Status words as tables show them; the codes (JSON values) stay English.
ATT_LABEL = {
    "present": N_("present"),
    "late": N_("late"),
    "excused": N_("excused"),
    "sick": N_("sick"),
    "absent": N_("absent"),
}
COHORT_STATUS = {"open": N_("open"), "closed": N_("closed")}
ENROLMENT_STATUS = {"enrolled": N_("enrolled"), "withdrawn": N_("withdrawn")}
# A participant's outcome in the completion report (and the web view's completion page).
OUTCOME_STATUS = {
    "passed": N_("passed"),
    "deferred": N_("deferred"),
    "not_passed": N_("not passed"),
}
# How an import matched a participant to a report row (a JSON value, ``matched_by``).
MATCHED_BY = {
    "email": N_("email"),
    "nip": N_("nip"),
    "ndh": N_("ndh"),
    "name": N_("name"),
    "missing": N_("missing"),
    "sheet": N_("sheet"),
    "manual (kept)": N_("manual (kept)"),
}
SOURCE = {"import": N_("import"), "manual": N_("manual")}


def word(table: dict[str, str], code: str) -> str:
    """A code's display word in the user's language; an unknown code as it is."""
    return _(table[code]) if code in table else code
