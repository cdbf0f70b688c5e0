"""The root command: global options and one sub-app per noun; a failing command's error is
turned into its words and exit code by exits.py."""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from revmental_cli import __version__, outcome
from revmental_cli.commands import MODULES, NOUNS
from revmental_cli.context import state
from revmental_cli.i18n import N_, _, language

GETTING_STARTED = N_(
    """\
revmental: cohort administration for ASN training centres.

Getting started (the core journey):
  revmental cohort open                        load a definition from ./cohorts/ and make it current
  revmental roster import participants.csv     import the agencies' participant lists
  revmental schedule show                      the sessions, day by day, with JP
  revmental cohort show                        the cohort's facts and rules

Run `revmental COMMAND --help` for any command, e.g. `revmental cohort --help`.
"""
)

# Help texts Typer and its click write themselves; translated where they are shown.
TYPER_TEXTS = (
    N_("Usage: "),
    N_("[required]"),
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def help_text(text: str) -> str:
    """A command's or option's help in the user's language; the msgid is the English text
    exactly as written, cleaned with inspect.cleandoc (what ``scripts/i18n.py`` extracts)."""
    translated = _(inspect.cleandoc(text))
    return text if translated == inspect.cleandoc(text) else translated


def translate_help(command: Any) -> None:
    """Replace the help of a command, its parameters and its sub-commands, recursively."""
    if getattr(command, "help", None):
        command.help = help_text(command.help)
    if getattr(command, "short_help", None):
        command.short_help = help_text(command.short_help)
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = help_text(param.help)
    command.context_class = _TranslatedContext
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


_BaseFormatter: Any = typer.Context.formatter_class


class _TranslatedFormatter(_BaseFormatter):
    """Typer's help layout with its own headings and texts translated."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    @contextlib.contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_(name)):
            yield

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        # Typer appends "[required]" to an option's help text after it was translated.
        required = _("[required]")
        rows = [
            (term, (_(text) if text else text).replace("[required]", required))
            for term, text in rows
        ]
        super().write_dl(rows, *args, **kwargs)


class _TranslatedContext(typer.Context):
    formatter_class = _TranslatedFormatter


class RootGroup(TyperGroup):
    """Turns the errors a user can cause into a message and the contract's exit code, shows
    the help in the user's language, and loads a noun's commands only when that noun is run
    (Typer builds the command tree on every run: building all of it, and importing every
    module it names, was most of the start-up time of a simple command)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if language() != "en":
            translate_help(self)
            from revmental_cli import click_i18n

            click_i18n.install()

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # The command line names the noun's command to run: only that one is built.
        if len(args) > 1 and args[0] in NOUNS:
            self._load(args[0], wanted=args[1])
        # The nouns load lazily, so Typer knows none of them to suggest for a typo:
        # `revmental cohrt` -> "Did you mean 'cohort'?", as a noun's own group says it.
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:
            message = getattr(exc, "message", "")
            if args and message.startswith("No such command") and "Did you mean" not in message:
                from difflib import get_close_matches

                matches = get_close_matches(args[0], list(NOUNS))
                if matches:
                    suggestions = ", ".join(repr(m) for m in matches)
                    exc.message = f"{message.rstrip('.')}. Did you mean {suggestions}?"  # type: ignore[attr-defined]
            raise

    def list_commands(self, ctx: Any) -> list[str]:
        return list(NOUNS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in NOUNS:
            self._load(cmd_name)
        return self.commands.get(cmd_name)

    def _load(self, noun: str, wanted: str | None = None) -> None:
        if noun not in self.commands:
            command = _load_noun(noun, wanted)
            if language() != "en":
                translate_help(command)
            self.commands[noun] = command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The list of nouns with their short help, read from NOUNS: no module is imported.
        loaded = self.commands
        # The first paragraph whole, as short help: Click would cut it to fit a narrow
        # terminal ("Cohort definitions: validate, open, ..."); given whole, it wraps.
        self.commands = {
            name: TyperCommand(
                name, short_help=help_text(NOUNS[name]).split("\n\n")[0].replace("\n", " ")
            )
            for name in NOUNS
        }
        try:
            super().format_commands(ctx, formatter)
        finally:
            self.commands = loaded

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click Context
        outcome.done.reset()
        try:
            return super().invoke(ctx)
        except (Exception, KeyboardInterrupt) as exc:
            # Typer's own exits, aborts and usage errors carry their exit codes: let them pass.
            if type(exc).__module__.startswith(("typer", "click")):
                raise
            from revmental_cli.exits import exit_code

            ctx.exit(exit_code(exc))


app = typer.Typer(
    cls=RootGroup,
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _load_noun(name: str, wanted: str | None = None) -> Any:  # a click Command or Group
    """The click command of one noun (a group, or the root-level ``history``).

    ``wanted``: the word after the noun on the command line. When it names one of the noun's
    commands, the group is built with that one alone: Typer reads the signature of every
    command it builds, a millisecond or two of a short command's start-up for commands this
    process will not run. Anything else (``--help``, a typo, nothing) builds them all."""
    import importlib

    module_name, attribute = MODULES[name]
    found = getattr(importlib.import_module(f"revmental_cli.commands.{module_name}"), attribute)
    command: Any
    if isinstance(found, typer.Typer):
        registered = found.registered_commands
        chosen = [c for c in registered if _command_name(c) == wanted]
        found.registered_commands = chosen or registered
        try:
            command = typer.main.get_group(found)
        finally:
            found.registered_commands = registered
    else:  # a command of its own at the root (history)
        single = typer.Typer(rich_markup_mode=None, add_completion=False)
        single.command(name, help=NOUNS[name])(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


def _command_name(info: Any) -> str:  # a typer CommandInfo
    """The name a noun's command is called by, as Typer gives it."""
    return str(info.name or typer.main.get_command_name(info.callback.__name__))


def command_tree() -> Any:
    """The whole command tree, every noun loaded (for tools and tests that walk it)."""
    root = typer.main.get_group(app)
    ctx = typer.Context(root)
    for name in root.list_commands(ctx):
        root.get_command(ctx, name)
    return root


def _version(value: bool) -> None:
    if value:
        typer.echo(f"revmental {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db_option: str | None = typer.Option(
        None,
        "--db",
        help=(
            "The store file, or a shared register's postgresql:// URL (default: "
            "$REVMENTAL_DB, else your data folder)."
        ),
        show_default=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Cohort administration for ASN training centres: cohorts, rosters, schedules,
    attendance, completion and certificates.

    Example:

        revmental cohort open cohorts/prm-2021-ii.yaml
    """
    state.db = db_option or None
    if ctx.invoked_subcommand is None:
        typer.echo(_(GETTING_STARTED))
        raise typer.Exit()


def _tolerant_streams() -> None:
    """A console that cannot show a character prints '?' instead of failing the command
    (an old Windows code page meeting a Chinese-Indonesian name); JSON and CSV bypass this
    and are written as UTF-8 bytes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def main() -> None:
    _tolerant_streams()
    try:
        app(prog_name="revmental")
    finally:
        _flush_stdout()


def _flush_stdout() -> None:
    """Output still buffered when the command returns is written now, where a full disk
    (`revmental roster show > /dev/full`) is said in words with exit 1, not by Python at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        from revmental_cli.exits import silence_stdout

        silence_stdout()
    except OSError as exc:
        from revmental_cli import render
        from revmental_cli.exits import os_error, silence_stdout

        message, hint = os_error(exc)
        silence_stdout()
        render.error(message, hint)
        raise SystemExit(1) from None
    except (ValueError, AttributeError):  # closed or replaced by a test
        pass


if __name__ == "__main__":
    main()
