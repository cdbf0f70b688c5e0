"""The rule sections of a cohort: attendance, completion (components, predicates), certificate.

Each section is optional and falls back to the domain's defaults; what is written is checked
against the others (weights add up to 100, predicate bands go down to 0, the certificate
template renders distinct numbers). Must never touch YAML or files: it reads the plain data
reader.py made, through FieldChecker's shapes.
"""

from __future__ import annotations

import re
import string
from typing import Any

from revmental_cli.cohort_file.fields import MISSING, FieldChecker, show
from revmental_cli.domain.cohort import (
    ATTENDANCE_STATUSES,
    DEFAULT_COMPONENTS,
    DEFAULT_PREDICATES,
    AttendanceRules,
    CertificateRules,
    Cohort,
    CompletionRules,
    Component,
    Predicate,
    certificate_number,
)
from revmental_cli.i18n import _

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# The placeholders domain.cohort.certificate_number fills.
_PLACEHOLDERS = frozenset({"seq", "year", "angkatan", "angkatan_no", "programme", "cohort"})


class SectionChecker(FieldChecker):
    """The optional rule sections; CohortChecker (rules.py) adds the cohort itself."""

    def _attendance(self, top: dict[str, Any]) -> AttendanceRules:
        if top.get("attendance") is None:
            return AttendanceRules()
        a = self.mapping(
            top["attendance"],
            "attendance",
            ("present_min_pct", "late_after_min", "counts_as_attended"),
        )
        if a is None:
            return AttendanceRules()
        default = AttendanceRules()
        pct = self.number(a, "present_min_pct", "attendance", required=False, low=0, high=100)
        late = self.integer(a, "late_after_min", "attendance", required=False, low=0, high=600)
        counts = default.counts_as_attended
        if a.get("counts_as_attended") is not None:
            raw = self.items(a, "counts_as_attended", "attendance", required=False)
            chosen = []
            for j, status in enumerate(raw):
                if not isinstance(status, str) or status.strip().lower() not in ATTENDANCE_STATUSES:
                    self.error(
                        f"attendance.counts_as_attended[{j}]",
                        _("{value} is not a status; use: {statuses}").format(
                            value=show(status), statuses=", ".join(ATTENDANCE_STATUSES)
                        ),
                    )
                else:
                    chosen.append(status.strip().lower())
            if not raw:
                self.error("attendance.counts_as_attended", _("name at least one status"))
            counts = tuple(dict.fromkeys(chosen))
        return AttendanceRules(
            present_min_pct=default.present_min_pct if pct is MISSING else pct,
            late_after_min=default.late_after_min if late is MISSING else late,
            counts_as_attended=counts,
        )

    def _completion(self, top: dict[str, Any]) -> CompletionRules:
        default = CompletionRules()
        if top.get("completion") is None:
            return default
        c = self.mapping(
            top["completion"],
            "completion",
            ("min_attendance_pct", "pass_score", "defer_min_score", "components", "predicates"),
        )
        if c is None:
            return default
        path = "completion"
        min_att = self.number(c, "min_attendance_pct", path, required=False, low=0, high=100)
        pass_score = self.number(c, "pass_score", path, required=False, low=0, high=100)
        defer = self.number(c, "defer_min_score", path, required=False, low=0, high=100)
        pass_score = default.pass_score if pass_score is MISSING else pass_score
        defer = default.defer_min_score if defer is MISSING else defer
        if defer > pass_score:
            self.error(
                "completion.defer_min_score",
                _("defer_min_score ({defer}) is above pass_score ({passing})").format(
                    defer=f"{defer:g}", passing=f"{pass_score:g}"
                ),
                _("a deferred score lies between defer_min_score and pass_score"),
            )
        components: tuple[Component, ...] = DEFAULT_COMPONENTS
        if c.get("components") is not None:
            components = self._components(c)
        predicates: tuple[Predicate, ...] = DEFAULT_PREDICATES
        if c.get("predicates") is not None:
            predicates = self._predicates(c)
        # The band that holds the pass score should start there: otherwise one predicate is
        # printed for failing and passing scores alike (domain.md: the lowest passing band).
        holding = [band for band in predicates if band.min <= pass_score]
        if holding and max(holding, key=lambda band: band.min).min < pass_score:
            band = max(holding, key=lambda band: band.min)
            self.warn(
                "completion.predicates",
                _(
                    "predicate {label} (from {low}) is given to failing and passing scores "
                    "alike (pass_score {passing})"
                ).format(label=repr(band.label), low=f"{band.min:g}", passing=f"{pass_score:g}"),
                _("start a predicate at the pass score"),
            )
        return CompletionRules(
            min_attendance_pct=default.min_attendance_pct if min_att is MISSING else min_att,
            pass_score=pass_score,
            defer_min_score=defer,
            components=components,
            predicates=predicates,
        )

    def _components(self, c: dict[str, Any]) -> tuple[Component, ...]:
        out: list[Component] = []
        weights: list[float] = []
        seen: set[str] = set()
        items = self.items(c, "components", "completion", required=False)
        for i, item in enumerate(items):
            path = f"completion.components[{i}]"
            m = self.mapping(item, path, ("key", "name", "weight", "required"))
            if m is None:
                continue
            key = self.text(m, "key", path)
            if key is not MISSING and not KEY_RE.fullmatch(key):
                self.error(
                    f"{path}.key",
                    _("'{key}' is not a valid key").format(key=key),
                    _("use lower-case letters, digits and _, e.g. rancangan"),
                )
                key = MISSING
            if key is not MISSING and key in seen:
                self.error(f"{path}.key", _("component key '{key}' is used twice").format(key=key))
                key = MISSING
            name = self.text(m, "name", path)
            weight = self.number(m, "weight", path, low=0, high=100)
            required = self.boolean(m, "required", path, False)
            if weight is not MISSING and weight <= 0:
                self.error(f"{path}.weight", _("a weight must be more than 0"))
                weight = MISSING
            if weight is not MISSING:
                weights.append(weight)
            if MISSING in (key, name, weight):
                continue
            seen.add(key)
            out.append(Component(key, name, weight, required))
        if not items:
            self.error("completion.components", _("name at least one score component"))
        # Checked when every weight could be read, even if a key or a name is wrong.
        total = sum(weights)
        if weights and len(weights) == len(items) and abs(total - 100) > 1e-6:
            self.error(
                "completion.components",
                _("the weights add up to {total}, not 100").format(total=f"{total:g}"),
            )
        return tuple(out)

    def _predicates(self, c: dict[str, Any]) -> tuple[Predicate, ...]:
        out: list[Predicate] = []
        items = self.items(c, "predicates", "completion", required=False)
        for i, item in enumerate(items):
            path = f"completion.predicates[{i}]"
            m = self.mapping(item, path, ("min", "label"))
            if m is None:
                continue
            low = self.number(m, "min", path, low=0, high=100)
            label = self.text(m, "label", path)
            if low is MISSING or label is MISSING:
                continue
            if out and low >= out[-1].min:
                self.error(
                    f"{path}.min",
                    _("bands must go from the highest down: {low} is not below {previous}").format(
                        low=f"{low:g}", previous=f"{out[-1].min:g}"
                    ),
                )
                continue
            out.append(Predicate(low, label))
        if not items:
            self.error("completion.predicates", _("name at least one predicate band"))
        elif out and len(out) == len(items) and out[-1].min != 0:
            self.error(
                f"completion.predicates[{len(items) - 1}].min",
                _("the lowest band starts at {low}, so scores below it have no predicate").format(
                    low=f"{out[-1].min:g}"
                ),
                _("end the list with a band whose min is 0"),
            )
        return tuple(out)

    def _certificate(self, top: dict[str, Any]) -> CertificateRules:
        if top.get("certificate") is None:
            return CertificateRules()
        m = self.mapping(top["certificate"], "certificate", ("number_format",))
        if m is None:
            return CertificateRules()
        fmt = self.text(m, "number_format", "certificate", required=False)
        if fmt is MISSING:
            return CertificateRules()
        # Unknown placeholders are found now, with the other problems; whether the template
        # renders is tried once the whole cohort is valid (_check_template).
        try:
            names = [f for _text, f, _spec, _conv in string.Formatter().parse(fmt) if f]
        except ValueError:
            names = []
        for name in names:
            if name.split(".")[0].split("[")[0] not in _PLACEHOLDERS:
                self.error(
                    "certificate.number_format",
                    _("unknown placeholder {{{name}}} in {template}").format(
                        name=name, template=repr(fmt)
                    ),
                    _("use {seq:03d}, {year}, {angkatan}, {programme}, {cohort}"),
                )
        return CertificateRules(fmt)

    def _check_template(self, cohort: Cohort) -> None:
        fmt = cohort.certificate.number_format
        path = "certificate.number_format"
        # The hints name placeholders of the certificate template: they are not formatted.
        hint = _("use {seq:03d}, {year}, {angkatan}, {programme}, {cohort}")
        try:
            first = certificate_number(cohort.certificate, cohort, 1)
            second = certificate_number(cohort.certificate, cohort, 2)
        except KeyError as exc:
            self.error(
                path,
                _("unknown placeholder {{{name}}} in {template}").format(
                    name=exc.args[0], template=repr(fmt)
                ),
                hint,
            )
            return
        except (ValueError, IndexError, AttributeError, TypeError) as exc:
            self.error(
                path,
                _("the template {template} does not render ({reason})").format(
                    template=repr(fmt), reason=exc
                ),
                hint,
            )
            return
        if first == second:
            self.error(
                path,
                _("the template {template} gives every certificate the same number").format(
                    template=repr(fmt)
                ),
                _("include {seq} in it"),
            )
