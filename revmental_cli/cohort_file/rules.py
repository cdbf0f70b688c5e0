"""The cohort rules: the fields of a definition -> the domain's ``Cohort``, every problem at once.

Owns which keys a definition has, the id and programme code formats, the dates and times of
the sessions (inside the cohort, in order, without overlaps, JP against minutes) and the
facilitators they name; the rule sections are sections.py's. Must never touch YAML or files:
it reads the plain data reader.py made, through FieldChecker's shapes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from revmental_cli.cohort_file.fields import MISSING
from revmental_cli.cohort_file.hints import angkatan_hint
from revmental_cli.cohort_file.sections import SectionChecker
from revmental_cli.domain.cohort import (
    FILE_KEYS,
    MODES,
    ROLES,
    SESSION_KINDS,
    Cohort,
    Facilitator,
    Session,
    from_roman,
)
from revmental_cli.i18n import _

ID_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")


class CohortChecker(SectionChecker):
    """Field-by-field conversion of a whole definition that records problems instead of
    stopping at the first (FieldChecker records them)."""

    def cohort(self, data: Any) -> Cohort | None:
        top = self.mapping(data, "", FILE_KEYS)
        if top is None:
            return None
        cid = self._code(
            top,
            "id",
            "",
            _("'{id}' is not a valid cohort id"),
            _("use upper-case letters, digits and dashes, e.g. PRM-2021-II"),
        )
        prog_code = prog_name = MISSING
        programme = self.get(top, "programme", "", True)
        if programme is not MISSING:
            prog = self.mapping(programme, "programme", ("code", "name"))
            if prog is not None:
                prog_code = self._code(
                    prog,
                    "code",
                    "programme",
                    _("'{code}' is not a valid programme code"),
                    _("use upper-case letters, digits and dashes, e.g. PRM"),
                )
                prog_name = self.text(prog, "name", "programme")
        angkatan = self._angkatan(top)
        year = self.integer(top, "year", low=2000, high=2100)
        organiser = self.text(top, "organiser")
        mode = self.choice(top, "mode", "", MODES, None)
        capacity = self.integer(top, "capacity", required=False, low=1, high=10_000)
        start = self.date(top, "start")
        end = self.date(top, "end")
        if start is not MISSING and end is not MISSING and start > end:
            self.error(
                "end",
                _("the cohort ends ({end}) before it starts ({start})").format(
                    end=end, start=start
                ),
            )
        if year is not MISSING and start is not MISSING and abs(start.year - year) > 1:
            self.warn(
                "year",
                _("year {year} differs from the start date {start}").format(year=year, start=start),
            )
        jp_minutes = self.integer(top, "jp_minutes", required=False, low=1, high=240)
        jp_minutes = 45 if jp_minutes is MISSING else jp_minutes
        max_jp_day = self.integer(top, "max_jp_per_day", required=False, low=1, high=24)
        opening_date = opening_by = None
        if "opening" in top and top["opening"] is not None:
            opening = self.mapping(top["opening"], "opening", ("date", "by"))
            if opening is not None:
                od = self.date(opening, "date", "opening", required=False)
                opening_date = None if od is MISSING else od
                ob = self.text(opening, "by", "opening", required=False)
                opening_by = None if ob is MISSING else ob
                if (
                    opening_date
                    and start is not MISSING
                    and end is not MISSING
                    and not (start <= opening_date <= end)
                ):
                    self.warn(
                        "opening.date",
                        _(
                            "the opening ({date}) is outside the cohort's dates ({start} to {end})"
                        ).format(date=opening_date, start=start, end=end),
                    )
        facilitators = self._facilitators(top)
        sessions = self._sessions(top, facilitators, start, end, jp_minutes, mode, max_jp_day)
        attendance = self._attendance(top)
        completion = self._completion(top)
        certificate = self._certificate(top)
        siasn = self._siasn(top)
        closing = self._closing(top)
        if self.problems:
            return None
        cohort = Cohort(
            id=cid,
            programme_code=prog_code,
            programme_name=prog_name,
            angkatan=angkatan,
            year=year,
            organiser=organiser,
            mode=mode,
            capacity=None if capacity is MISSING else capacity,
            max_jp_per_day=None if max_jp_day is MISSING else max_jp_day,
            start=start,
            end=end,
            jp_minutes=jp_minutes,
            opening_date=opening_date,
            opening_by=opening_by,
            facilitators=tuple(facilitators.values()),
            sessions=tuple(sessions),
            attendance=attendance,
            completion=completion,
            certificate=certificate,
            siasn=siasn,
            closing=closing,
        )
        self._check_template(cohort)
        return None if self.problems else cohort

    def _code(self, found: dict[str, Any], key: str, path: str, bad: str, hint: str) -> Any:
        """An id or a code: upper-case letters, digits and dashes, else MISSING (``bad`` names
        the value as ``{id}`` or ``{code}``)."""
        value = self.text(found, key, path)
        if value is MISSING or ID_RE.fullmatch(value):
            return value
        self.error(f"{path}.{key}" if path else key, bad.format(id=value, code=value), hint)
        return MISSING

    def _angkatan(self, top: dict[str, Any]) -> Any:
        value = top.get("angkatan")
        # "angkatan: II" is how people write it; accept the Roman numeral too.
        if isinstance(value, str) and from_roman(value) is not None:
            return from_roman(value)
        number = self.integer(top, "angkatan", low=1, high=999)
        if number is MISSING and self.problems and self.problems[-1].field == "angkatan":
            self.problems[-1].hint = angkatan_hint()
        return number

    def _facilitators(self, top: dict[str, Any]) -> dict[str, Facilitator]:
        out: dict[str, Facilitator] = {}
        for i, item in enumerate(self.items(top, "facilitators", required=False)):
            path = f"facilitators[{i}]"
            f = self.mapping(item, path, ("id", "name", "role", "rate_per_jp", "internal"))
            if f is None:
                continue
            fid = self.text(f, "id", path)
            name = self.text(f, "name", path)
            role = self.choice(f, "role", path, ROLES, "fasilitator")
            # Rupiah, whole: the SBM rates are whole rupiah; a billion per JP is a typo.
            rate = self.integer(f, "rate_per_jp", path, required=False, low=0, high=999_999_999)
            internal = self.boolean(f, "internal", path, False)
            if fid is MISSING or name is MISSING or role is MISSING:
                continue
            if fid in out:
                self.error(f"{path}.id", _("facilitator id '{id}' is used twice").format(id=fid))
                continue
            out[fid] = Facilitator(
                fid, name, role, rate_per_jp=None if rate is MISSING else rate, internal=internal
            )
        return out

    def _sessions(
        self,
        top: dict[str, Any],
        facilitators: dict[str, Facilitator],
        start: Any,
        end: Any,
        jp_minutes: int,
        mode: Any,
        max_jp_day: Any,
    ) -> list[Session]:
        items = self.items(top, "sessions", required=True)
        if "sessions" in top and top["sessions"] is not None and not items:
            self.error("sessions", _("the cohort has no sessions"), _("list at least one session"))
        default_kind = "klasikal" if mode == "klasikal" else "sinkron"
        out: list[Session] = []
        previous: tuple[int, dt.datetime, dt.datetime] | None = None  # number, start, end
        per_day: dict[dt.date, int] = {}
        for i, item in enumerate(items):
            path = f"sessions[{i}]"
            label = _("(session {number})").format(number=i + 1)
            s = self.mapping(
                item, path, ("date", "start", "end", "title", "jp", "facilitator", "kind")
            )
            if s is None:
                continue
            day = self.date(s, "date", path)
            t0 = self.time(s, "start", path)
            t1 = self.time(s, "end", path)
            title = self.text(s, "title", path)
            jp = self.integer(s, "jp", path, low=1, high=24)
            kind = self.choice(s, "kind", path, SESSION_KINDS, default_kind)
            fid = self.text(s, "facilitator", path, required=False)
            if fid is not MISSING and fid not in facilitators:
                known = ", ".join(facilitators) or _("none defined")
                self.error(
                    f"{path}.facilitator",
                    _("unknown facilitator '{id}' {session}").format(id=fid, session=label),
                    _("facilitator ids: {ids}").format(ids=known),
                )
                fid = MISSING
            if (
                day is not MISSING
                and start is not MISSING
                and end is not MISSING
                and not (start <= day <= end)
            ):
                self.error(
                    f"{path}.date",
                    _("{day} is outside the cohort's dates ({start} to {end}) {session}").format(
                        day=day, start=start, end=end, session=label
                    ),
                )
            if t0 is not MISSING and t1 is not MISSING and t0 >= t1:
                self.error(
                    f"{path}.end",
                    _(
                        "the session ends ({end}) before or when it starts ({start}) {session}"
                    ).format(end=f"{t1:%H:%M}", start=f"{t0:%H:%M}", session=label),
                )
                t1 = MISSING
            if MISSING in (day, t0, t1):
                previous = None
                continue
            # The order is checked whenever the times are known, whatever else is wrong with
            # the session: every problem is reported at once.
            starts_at, ends_at = dt.datetime.combine(day, t0), dt.datetime.combine(day, t1)
            if previous is not None and starts_at < previous[2]:
                order = (
                    _("session {number} overlaps session {other}")
                    if starts_at > previous[1]
                    else _("session {number} comes before session {other}")
                )
                self.error(
                    f"{path}.start" if day == previous[1].date() else f"{path}.date",
                    order.format(number=i + 1, other=previous[0]),
                    _("list sessions in time order, without overlaps"),
                )
            previous = (i + 1, starts_at, ends_at)
            if MISSING in (title, jp, kind):
                continue
            session = Session(
                number=i + 1,
                date=day,
                start=t0,
                end=t1,
                title=title,
                jp=jp,
                facilitator=None if fid is MISSING else fid,
                kind=kind,
            )
            if kind != "asinkron" and session.minutes != jp * jp_minutes:
                self.warn(
                    f"{path}.jp",
                    _(
                        "{jp} JP x {jp_minutes} min = {total} min, "
                        "but the session lasts {minutes} min {session}"
                    ).format(
                        jp=jp,
                        jp_minutes=jp_minutes,
                        total=jp * jp_minutes,
                        minutes=session.minutes,
                        session=label,
                    ),
                )
            per_day[day] = per_day.get(day, 0) + jp
            out.append(session)
        if max_jp_day is not MISSING:
            for day, total in per_day.items():
                if total > max_jp_day:
                    self.warn(
                        "sessions",
                        _("{day} has {total} JP, more than max_jp_per_day ({max})").format(
                            day=day, total=total, max=max_jp_day
                        ),
                    )
        return out
