"""All output. The only package that owns a Console (console.py).

Data goes to stdout, messages to stderr. Data from files (names, titles) is always rendered as
``Text`` so that Rich never reads ``[...]`` in it as markup (a name like ``[red]`` would vanish
or raise). JSON bypasses Rich
entirely: Rich would wrap it at 80 columns when piped.

Language (i18n.py): every word a person reads here goes through ``_()``; status words are
translated for tables only, the data itself (JSON, CSV/XLSX column names and values) stays
English. Messages made elsewhere in English on purpose, as a ``Msg`` (the store's errors,
completion reasons, attendance match reasons) are translated for display with ``localize``.

The modules: console (the consoles, messages), labels (status words), output (JSON, CSV,
XLSX), and one view per noun. Everything the commands call is re-exported here, so they write
``render.NAME``; a view's module loads when one of its names is first used. Nothing here
reads the store: what is printed comes in as arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revmental_cli.lazy import lazy_attributes
from revmental_cli.render.console import (
    err,
    error,
    hint,
    info,
    out,
    plain_errors,
    plain_lines,
    problem_text,
    progress,
    success,
    warning,
    warning_lines,
    warnings,
)
from revmental_cli.render.labels import (
    ATT_LABEL,
    COHORT_STATUS,
    ENROLMENT_STATUS,
    MATCHED_BY,
    SOURCE,
    word,
)

if TYPE_CHECKING:
    from revmental_cli.render.attendance_view import (
        ATT_LETTER,
        ATT_STYLE,
        LONG_TABLE,
        attendance_import,
        attendance_matrix,
        attendance_session,
    )
    from revmental_cli.render.certificate_view import certificate_detail, certificates
    from revmental_cli.render.cohort_view import (
        changes,
        cohort_detail,
        cohort_heading,
        cohort_list,
    )
    from revmental_cli.render.history_view import history
    from revmental_cli.render.output import (
        Sheet,
        csv_stdout,
        emit_json,
        guard,
        private_output,
        spreadsheet,
        write_csv,
        write_xlsx,
    )
    from revmental_cli.render.report_view import STATUS_LABEL, STATUS_STYLE, completion
    from revmental_cli.render.roster_view import roster, roster_import
    from revmental_cli.render.schedule_view import schedule

# The views load when one of their names is first asked for: a command imports only the
# view it prints with (importing all of them was a few milliseconds of every start-up).
# submodule -> names.
_LAZY = {
    "attendance_view": (
        "ATT_LETTER", "ATT_STYLE", "LONG_TABLE",
        "attendance_import", "attendance_matrix", "attendance_session",
    ),
    "certificate_view": ("certificate_detail", "certificates"),
    "cohort_view": ("changes", "cohort_detail", "cohort_heading", "cohort_list"),
    "history_view": ("history",),
    "output": (
        "Sheet", "csv_stdout", "emit_json", "guard", "private_output", "spreadsheet",
        "write_csv", "write_xlsx",
    ),
    "report_view": ("STATUS_LABEL", "STATUS_STYLE", "completion"),
    "roster_view": ("roster", "roster_import"),
    "schedule_view": ("schedule",),
}  # fmt: skip


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "ATT_LABEL",
    "ATT_LETTER",
    "ATT_STYLE",
    "COHORT_STATUS",
    "ENROLMENT_STATUS",
    "LONG_TABLE",
    "MATCHED_BY",
    "SOURCE",
    "STATUS_LABEL",
    "STATUS_STYLE",
    "Sheet",
    "attendance_import",
    "attendance_matrix",
    "attendance_session",
    "certificate_detail",
    "certificates",
    "changes",
    "cohort_detail",
    "cohort_heading",
    "cohort_list",
    "completion",
    "csv_stdout",
    "emit_json",
    "err",
    "error",
    "guard",
    "hint",
    "history",
    "info",
    "out",
    "plain_errors",
    "plain_lines",
    "private_output",
    "problem_text",
    "progress",
    "roster",
    "roster_import",
    "schedule",
    "spreadsheet",
    "success",
    "warning",
    "warning_lines",
    "warnings",
    "word",
    "write_csv",
    "write_xlsx",
]
