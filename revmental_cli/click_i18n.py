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
from typing import IO, Any

from revmental_cli.i18n import N_, _, language

# (pattern over click's English, our msgid); named groups fill the msgid's placeholders, and
# a group named ``detail`` is itself read back (an invalid value's reason).
_SHAPES: tuple[tuple[str, str], ...] = (
    (
        r"No such command '(?P<name>.*)'\. Did you mean (?P<suggestions>.*)\?",
        N_("No such command '{name}'. Did you mean {suggestions}?"),
    ),
    (r"No such command '(?P<name>.*)'\.", N_("No such command '{name}'.")),
    (
        r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.*)\)",
        N_("No such option: {name} (possible options: {options})"),
    ),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (r"Missing argument (?P<param>.*)\.", N_("Missing argument {param}.")),
    (r"Missing option (?P<param>.*)\.", N_("Missing option {param}.")),
    (r"Missing parameter: (?P<param>.*)", N_("Missing parameter: {param}")),
    (
        r"Got unexpected extra argument\(s\) \((?P<args>.*)\)",
        N_("Got unexpected extra argument(s) ({args})"),
    ),
    (
        r"Invalid value for (?P<param>.*?): (?P<detail>.*)",
        N_("Invalid value for {param}: {detail}"),
    ),
    (r"Invalid value: (?P<detail>.*)", N_("Invalid value: {detail}")),
    (
        r"'(?P<value>.*)' is not one of (?P<choices>.*)\.",
        N_("'{value}' is not one of {choices}."),
    ),
    (r"'(?P<value>.*)' is not (?P<choice>'.*')\.", N_("'{value}' is not {choice}.")),
    (
        r"'(?P<value>.*)' is not a valid (?P<kind>\w+)\.?(?P<rest>.*)",
        N_("'{value}' is not a valid {kind}.{rest}"),
    ),
    (
        r"(?P<value>.*) is not in the range (?P<range>.*)\.",
        N_("{value} is not in the range {range}."),
    ),
    (r"Option '(?P<name>.*)' requires an argument\.", N_("Option '{name}' requires a value.")),
    (
        r"Option '(?P<name>.*)' does not take a value\.",
        N_("Option '{name}' does not take a value."),
    ),
    (r"Missing command\.", N_("Missing command.")),
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
