"""serve: the read-only web view of the store (options in, revmental_cli.web runs it)."""

from __future__ import annotations

import typer

from revmental_cli.errors import InputError
from revmental_cli.i18n import _

WEB_PACKAGES = ("starlette", "jinja2", "markupsafe", "uvicorn")


def serve(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        metavar="HOST",
        help=(
            "The address to listen on. Any other than this machine's own (127.0.0.1, ::1, "
            "localhost) requires --password-env."
        ),
    ),
    port: int = typer.Option(
        8001, "--port", metavar="PORT", min=1, max=65535, help="The port to listen on."
    ),
    show_personal: bool = typer.Option(
        False,
        "--show-personal",
        help="Show NIP, e-mail and phone numbers in full (masked by default).",
    ),
    password_env: str | None = typer.Option(
        None,
        "--password-env",
        metavar="VAR",
        help=(
            "Ask for a password (HTTP basic auth, any user name) read from the environment "
            "variable VAR; never given on the command line."
        ),
    ),
) -> None:
    """``revmental serve``: a root-level command (its help is in commands.NOUNS)."""
    import importlib

    for package in WEB_PACKAGES:  # the optional extra, checked before anything else
        try:
            importlib.import_module(package)
        except ImportError:
            raise InputError(
                _("the web view needs packages that are not installed ({name})").format(
                    name=package
                ),
                hint=_('install them with: pip install "revmental[web]"'),
            ) from None
    from revmental_cli.web.server import password_for
    from revmental_cli.web.server import serve as run

    password = password_for(host, password_env)
    run(host=host, port=port, show_personal=show_personal, password=password)
