"""Running the web view: the bind rules (loopback, or a password read from the environment)
and uvicorn.

Owns the decision whether a host may be served and with which password, and the server's
start. Never reads a password from the command line, never writes or creates the store.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

from revmental_cli.errors import InputError, UsageError
from revmental_cli.i18n import _

LOOPBACK_HOSTS = frozenset({"localhost", "localhost.", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and the name localhost: only this machine can connect."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def password_for(host: str, password_env: str | None) -> str | None:
    """The password the server asks for, from the environment variable named by
    --password-env; None for a loopback server without one. Refuses a non-loopback host
    without a password, and a variable that is unset or empty."""
    if password_env is None:
        if is_loopback(host):
            return None
        raise UsageError(
            _("--host {host} lets other machines connect: --password-env VAR is required").format(
                host=host
            ),
            hint=_(
                "put a password in an environment variable and name it, e.g. "
                "REVMENTAL_WEB_PASSWORD=... revmental serve --host {host} "
                "--password-env REVMENTAL_WEB_PASSWORD"
            ).format(host=host),
        )
    name = password_env.strip()
    value = os.environ.get(name, "") if name else ""
    if not value:
        raise InputError(
            _("--password-env {name}: the environment variable {name} is not set or empty").format(
                name=password_env
            ),
            hint=_("set it to the password before starting the server"),
        )
    return value


def serve(*, host: str, port: int, show_personal: bool, password: str | None) -> None:
    """Check that the store can be read, then serve until Ctrl-C."""
    import uvicorn

    from revmental_cli.context import open_store
    from revmental_cli.web.app import create_app

    with open_store("serve"):  # no store, or an unusable one: said now, not on every page
        pass
    app = create_app(
        show_personal=show_personal,
        password=password,
        loopback_only=password is None and is_loopback(host),
    )
    # The socket is ours, bound before uvicorn starts: a port in use is said in words with
    # exit 1 (uvicorn itself would exit 3, which means "the store is busy" here).
    listening = listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    print(
        _("revmental serve: http://{host}:{port}/ (read-only; Ctrl-C stops it)").format(
            host=shown, port=port
        ),
        file=sys.stderr,
        flush=True,
    )
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,  # the paths name cohorts only, but a log is one more copy to guard
        server_header=False,
        lifespan="off",
    )
    try:
        uvicorn.Server(config).run(sockets=[listening])
    finally:
        listening.close()


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or the reason there cannot be one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        # Python appends "(while attempting to bind on address ...)": the message says it.
        reason = (exc.strerror or str(exc)).split(" (while attempting")[0]
        if isinstance(exc, socket.gaierror) or (exc.errno or 0) < 0:  # a name, not a port
            hint = _("check the host name, or use an address such as 0.0.0.0")
        else:
            hint = _("choose another --port, or stop the program that uses it")
        raise InputError(
            _("cannot listen on {host} port {port} ({reason})").format(
                host=host, port=port, reason=reason
            ),
            hint=hint,
        ) from None
