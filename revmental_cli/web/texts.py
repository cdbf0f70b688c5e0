"""The words of the web pages, as gettext messages: the templates hold no text of their own.

Templates write ``{{ t.roster }}``; ``Words`` looks the key up here and translates it in the
language of the request, so ``scripts/i18n.py extract`` finds every word (it reads Python
only) and a misspelt key fails loudly instead of printing nothing. Owns no logic; never
touches the store.
"""

from __future__ import annotations

from revmental_cli.i18n import N_, _

TEXTS: dict[str, str] = {
    # Reused from the command-line tables (one translation for both).
    "cohorts": N_("Cohorts"),
    "id": N_("ID"),
    "programme": N_("Programme"),
    "angkatan": N_("Angkatan"),
    "organiser": N_("Organiser"),
    "mode": N_("Mode"),
    "dates": N_("Dates"),
    "capacity": N_("Capacity"),
    "participants": N_("Participants"),
    "people": N_("People"),
    "sessions": N_("Sessions"),
    "status": N_("Status"),
    "schedule": N_("Schedule"),
    "session": N_("Session"),
    "time": N_("Time"),
    "jp": N_("JP"),
    "facilitator": N_("Facilitator"),
    "facilitators": N_("Facilitators"),
    "role": N_("Role"),
    "kind": N_("Kind"),
    "roster": N_("Roster"),
    "ndh": N_("NDH"),
    "nip": N_("NIP"),
    "name": N_("Name"),
    "gol": N_("Gol."),
    "agency": N_("Agency"),
    "attendance": N_("Attendance"),
    "completion": N_("Completion"),
    "reasons": N_("Reasons"),
    "predicate": N_("Predicate"),
    "final": N_("Final"),
    "certificates": N_("Certificates"),
    "number": N_("Number"),
    "issued": N_("Issued"),
    "total": N_("Total"),
    "rules": N_("Rules"),
    "min_attendance": N_("Min. attendance"),
    "pass_score": N_("Pass score"),
    "score_components": N_("Score components"),
    "weight": N_("Weight"),
    "minutes": N_("Min."),
    "note": N_("Note"),
    # The web view's own.
    "read_only": N_("Read-only view of the register; nothing can be changed here."),
    "overview": N_("Overview"),
    "position": N_("Position"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "masked": N_(
        "NIP, e-mail and phone numbers are masked; the administrator can show them with "
        "`revmental serve --show-personal`."
    ),
    "shown": N_("Personal data is shown in full (--show-personal): do not leave this page open."),
    "unrecorded": N_("not recorded"),
    "chart_title": N_("Attendance per session"),
    "per_session": N_("Attendance per session"),
    "revoked_reason": N_("Reason for revocation"),
    "no_cohorts": N_("There are no cohorts in this store yet."),
    "no_participants": N_("No participants yet."),
    "no_certificates": N_("No certificates issued yet."),
    "no_sessions": N_("This cohort has no sessions."),
    "all_cohorts": N_("All cohorts"),
    "language": N_("Language"),
    "withdrawn_list": N_("Withdrawn"),
    "remedial": N_("after remedial"),
    "attended_pct": N_("Attended"),
    "print_note": N_("Printed from revmental"),
}


class Words:
    """``t.key`` in a template: the word in the request's language."""

    def __getattr__(self, key: str) -> str:
        try:
            msgid = TEXTS[key]
        except KeyError:
            raise AttributeError(key) from None
        return _(msgid)


WORDS = Words()
