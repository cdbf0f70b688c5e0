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
    DEFAULT_LEGAL_BASIS,
    DEFAULT_PREDICATES,
    AttendanceRules,
    CertificateRules,
    ClosingRules,
    Cohort,
    CompletionRules,
    Component,
    Predicate,
    SiasnRules,
    Signatory,
    certificate_number,
)
from revmental_cli.i18n import _

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# The placeholders domain.cohort.certificate_number fills.
_PLACEHOLDERS = frozenset(
    {
        "seq",
        "year",
        "angkatan",
        "angkatan_roman",
        "angkatan_no",
        "programme",
        "cohort",
        "month_roman",
    }
)
_CERTIFICATE_KEYS = (
    "number_format",
    "template",
    "place",
    "date",
    "signatory",
    "legal_basis",
    "logo",
    "verify_url",
    "tte_anchor",
    "back_page",
)
# The widest a placeholder may be padded: a certificate number is printed on one line.
_MAX_NUMBER_WIDTH = 40
URL_RE = re.compile(r"^https?://[^\s/]+\.[^\s]*$", re.IGNORECASE)


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
        # printed for failing and passing scores alike (the lowest passing band starts at the
        # pass score).
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
        m = self.mapping(top["certificate"], "certificate", _CERTIFICATE_KEYS)
        if m is None:
            return CertificateRules()
        path = "certificate"
        template = self._optional_text(m, "template", path)
        if template is not None and not template.lower().endswith((".typ", ".docx")):
            self.error(
                "certificate.template",
                _("{file} is neither a Typst (.typ) nor a Word (.docx) template").format(
                    file=template
                ),
                _("`revmental certificate template --output sttp.typ` writes one to start from"),
            )
        logo = self._optional_text(m, "logo", path)
        if logo is not None and not logo.lower().endswith((".png", ".svg")):
            self.error(
                "certificate.logo",
                _("{file} is not a PNG or SVG image").format(file=logo),
                _("save the logo as .png or .svg next to the cohort file"),
            )
        verify_url = self._optional_text(m, "verify_url", path)
        if verify_url is not None and not URL_RE.match(verify_url):
            self.error(
                "certificate.verify_url",
                _("{url} is not a web address").format(url=repr(verify_url)),
                _("write it in full, e.g. https://sttp.example.go.id/v/"),
            )
        anchor = m.get("tte_anchor")
        tte_anchor = None
        if anchor is not None:
            if not isinstance(anchor, str) or len(anchor.strip()) != 1:
                self.error(
                    "certificate.tte_anchor",
                    _("expected one character, found {value}").format(value=show(anchor)),
                    _('the signing service looks for one character, e.g. tte_anchor: "#"'),
                )
            else:
                tte_anchor = anchor.strip()
        day = self.date(m, "date", path, required=False)
        legal_basis = self._optional_text(m, "legal_basis", path)
        rules = CertificateRules(
            template=template,
            place=self._optional_text(m, "place", path),
            date=None if day is MISSING else day,
            signatory=self._signatory(m, "signatory", path),
            legal_basis=legal_basis or DEFAULT_LEGAL_BASIS,
            logo=logo,
            verify_url=verify_url,
            tte_anchor=tte_anchor,
            back_page=self.boolean(m, "back_page", path, True),
        )
        fmt = self.text(m, "number_format", "certificate", required=False)
        if fmt is MISSING:
            return rules
        # Unknown placeholders are found now, with the other problems; whether the template
        # renders is tried once the whole cohort is valid (_check_template).
        try:
            parsed = [(f, spec or "") for _text, f, spec, _conv in string.Formatter().parse(fmt)]
        except ValueError:
            parsed = []
        names = [f for f, _spec in parsed if f]
        for name, spec in parsed:
            # {seq:999999999d} would build a gigabyte string for each certificate.
            widths = [int(digits) for digits in re.findall(r"\d+", spec)]
            if "{" in spec or any(width > _MAX_NUMBER_WIDTH for width in widths):
                self.error(
                    "certificate.number_format",
                    _("{field} in {template}: a width over {limit} characters").format(
                        field=f"{{{name}:{spec}}}", template=repr(fmt), limit=_MAX_NUMBER_WIDTH
                    ),
                    _("a certificate number is short: use e.g. {seq:03d}"),
                )
        for name in names:
            if name.split(".")[0].split("[")[0] not in _PLACEHOLDERS:
                self.error(
                    "certificate.number_format",
                    _("unknown placeholder {{{name}}} in {template}").format(
                        name=name, template=repr(fmt)
                    ),
                    _("use {seq:03d}, {year}, {angkatan}, {programme}, {cohort}"),
                )
        rules.number_format = fmt
        return rules

    def _optional_text(self, m: dict[str, Any], key: str, path: str) -> str | None:
        value = self.text(m, key, path, required=False)
        return None if value is MISSING or not value else value

    def _signatory(self, m: dict[str, Any], key: str, path: str) -> Signatory | None:
        """A signatory block: title and name required, NIP optional (18 digits)."""
        if m.get(key) is None:
            return None
        sub = f"{path}.{key}"
        s = self.mapping(m[key], sub, ("title", "name", "nip"))
        if s is None:
            return None
        title = self.text(s, "title", sub)
        name = self.text(s, "name", sub)
        nip = self._optional_text(s, "nip", sub)
        if nip is not None:
            digits = nip.replace(" ", "")
            if not re.fullmatch(r"\d{18}", digits):
                self.error(
                    f"{sub}.nip",
                    _("{value} is not an 18-digit NIP").format(value=repr(nip)),
                    _('write it in quotes, e.g. nip: "197001011995031001"'),
                )
            nip = digits
        if title is MISSING or name is MISSING:
            return None
        return Signatory(title=title, name=name, nip=nip)

    def _siasn(self, top: dict[str, Any]) -> SiasnRules:
        if top.get("siasn") is None:
            return SiasnRules()
        m = self.mapping(top["siasn"], "siasn", ("jenis_diklat_id", "jenis_kursus_sertipikat"))
        if m is None:
            return SiasnRules()
        kind = self.integer(m, "jenis_diklat_id", "siasn", required=False, low=1, high=999)
        return SiasnRules(
            jenis_diklat_id=None if kind is MISSING else kind,
            jenis_kursus_sertipikat=self._optional_text(m, "jenis_kursus_sertipikat", "siasn"),
        )

    def _closing(self, top: dict[str, Any]) -> ClosingRules:
        if top.get("closing") is None:
            return ClosingRules()
        m = self.mapping(
            top["closing"], "closing", ("number", "date", "place", "signatory", "committee")
        )
        if m is None:
            return ClosingRules()
        day = self.date(m, "date", "closing", required=False)
        return ClosingRules(
            number=self._optional_text(m, "number", "closing"),
            date=None if day is MISSING else day,
            place=self._optional_text(m, "place", "closing"),
            signatory=self._signatory(m, "signatory", "closing"),
            committee=self._signatory(m, "committee", "closing"),
        )

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
