"""Typer's usage errors ("No such command", "Missing argument ...") in the user's language.

Typer (below 0.29) ships its own copy of click whose messages are English f-strings with no
message ids, so they cannot be looked up in the catalogue as they are made. This module
replaces how a usage error is *shown*: the usage line, the "Try ... for help." hint and the
"Error: ..." line are written from our catalogue, and click's few message shapes are read
back into their parts. It is the one place where English from elsewhere is translated by
pattern; everything revmental says itself carries its message id (revmental_cli.messages).
"""

from __future__ import annotations

import re
import sys
from functools import cache
from string import Formatter
from typing import IO, Any

from revmental_cli.i18n import N_, _, language


def _shape(msgid: str, english: str | None = None, **groups: str) -> tuple[str, str]:
    """(pattern over click's English, our msgid). ``english`` is click's wording where it is
    not our msgid's; each ``{field}`` matches ``groups[field]`` (any text by default)."""
    pattern = ""
    for literal, field, _spec, _conv in Formatter().parse(english or msgid):
        pattern += re.escape(literal)
        if field is not None:
            pattern += f"(?P<{field}>{groups.get(field, '.*')})"
    return pattern, msgid


# Named groups fill the msgid's placeholders, and a group named ``detail`` is itself read
# back (an invalid value's reason). The first shape that matches wins: longer ones first.
_SHAPES: tuple[tuple[str, str], ...] = (
    _shape(N_("No such command '{name}'. Did you mean {suggestions}?")),
    _shape(N_("No such command '{name}'.")),
    _shape(
        N_("No such option: {name} (possible options: {options})"),
        "No such option: {name} (Possible options: {options})",
        name=r"\S+",
    ),
    _shape(N_("No such option: {name}"), name=r"\S+"),
    _shape(N_("Missing argument {param}.")),
    _shape(N_("Missing option {param}.")),
    _shape(N_("Missing parameter: {param}")),
    _shape(N_("Got unexpected extra argument(s) ({args})")),
    _shape(N_("Invalid value for {param}: {detail}"), param=".*?"),
    _shape(N_("Invalid value: {detail}")),
    _shape(N_("'{value}' is not one of {choices}.")),
    _shape(N_("'{value}' is not {choice}."), choice="'.*'"),
    # click may end the sentence before ``rest`` or not: the dot is optional here alone.
    (
        r"'(?P<value>.*)' is not a valid (?P<kind>\w+)\.?(?P<rest>.*)",
        N_("'{value}' is not a valid {kind}.{rest}"),
    ),
    _shape(N_("{value} is not in the range {range}.")),
    _shape(N_("Option '{name}' requires a value."), "Option '{name}' requires an argument."),
    _shape(N_("Option '{name}' does not take a value.")),
    _shape(N_("Missing command.")),
)


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p + r"\Z", re.DOTALL), msgid) for p, msgid in _SHAPES)


def translate(message: str) -> str:
    """click's English message in the user's language (unchanged when no shape fits)."""
    if language() == "en":
        return message
    for pattern, msgid in _compiled():
        match = pattern.match(message)
        if match:
            parts = match.groupdict()
            if "detail" in parts:
                parts["detail"] = translate(parts["detail"])
            return _(msgid).format(**parts)
    return message


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    """click's UsageError.show, with each of its three lines from the catalogue."""
    from typer import echo

    file = file if file is not None else sys.stderr
    color = None
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        color = ctx.color
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]
            )
            hint += "\n"
        echo(f"{ctx.get_usage()}\n{hint}", file=file, color=color)
    echo(
        _("Error: {message}").format(message=translate(self.format_message())),
        file=file,
        color=color,
    )


def install() -> None:
    """Show usage errors through ``_show_usage_error`` (Typer's bundled click, or click)."""
    for name in ("typer._click.exceptions", "click.exceptions"):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "UsageError"):
            module.UsageError.show = _show_usage_error
