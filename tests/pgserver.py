"""A throwaway PostgreSQL cluster for the tests of the shared register.

``REVMENTAL_TEST_PG`` (a libpq URL of a server the tests may create databases on) is used when
set. Otherwise the tests start their own cluster: ``initdb`` in a temporary folder, a server on
a free port of 127.0.0.1 with trust authentication, stopped at the end of the run. PostgreSQL
refuses to run as root, so as root (CI containers) the cluster belongs to the ``postgres`` user
(Debian's package makes it) or, failing that, ``nobody``.

Each test gets a database of its own (``fresh_database``), created from an empty template: a
test never sees another's rows, and the advisory locks of one database do not reach another.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

_counter = itertools.count(1)


def binaries() -> Path | None:
    """The folder of initdb/pg_ctl/postgres, or None when PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _owner() -> str | None:
    """The user the cluster runs as: None for the current one (not root)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root with neither a postgres nor a nobody user")


def _as(owner: str | None, argv: list[str]) -> list[str]:
    if owner is None:
        return argv
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", owner, "--", *argv]
    return ["su", owner, "-s", "/bin/sh", "-c", " ".join(argv)]


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """A running server; yields the URL of its ``postgres`` database."""
    given = os.environ.get("REVMENTAL_TEST_PG")
    if given:
        yield given
        return
    bindir = binaries()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed (no pg_ctl)")
    owner = _owner()
    base = Path(tempfile.mkdtemp(prefix="revmental-pg-"))
    data = base / "data"
    if owner is not None:
        import pwd

        entry = pwd.getpwnam(owner)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    os.chmod(base, 0o700)
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    try:
        subprocess.run(
            _as(owner, [str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--no-sync"]),
            check=True, capture_output=True, env=env, cwd=base,
        )  # fmt: skip
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={base} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60"
        )
        subprocess.run(
            _as(owner, [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w",
                        "-l", str(base / "server.log"), "start"]),
            check=True, capture_output=True, env=env, cwd=base,
        )  # fmt: skip
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as(owner, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True, env=env, cwd=base,
        )  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_counter)}_{int(time.time() * 1000) % 100000}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
