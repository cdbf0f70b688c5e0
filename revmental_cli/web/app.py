"""The Starlette application of `revmental serve`: routes, language, security headers,
basic auth and the GET/HEAD-only rule.

Owns the HTTP side: which URL shows which page (``pages``), the request's language
(``?lang=id|en``, else the tool's own choice), the headers every response carries, and the
error pages. Each request opens the store through ``revmental_cli.context.open_store`` (never
creating it), reads, and closes it. Must never write the store, fetch anything from elsewhere
or send JavaScript.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from revmental_cli.errors import NotFound, RevmentalError, StoreBusy
from revmental_cli.i18n import _, language, localize, speaking
from revmental_cli.render.safe import visible
from revmental_cli.web import pages
from revmental_cli.web.server import is_loopback
from revmental_cli.web.texts import WORDS

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from revmental_cli.store import Store

# Sent with every response: no script may run, nothing is fetched from elsewhere, the pages
# (personal data) are not cached, and no address leaks to another site through a link.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
}
REALM = 'Basic realm="revmental", charset="UTF-8"'

# The language of a page is forced for the thread that builds it (i18n keeps one forced
# language for the process): pages are built one at a time. A read-only view for a few
# administrators loses nothing by it.
_PAGE_LOCK = threading.Lock()


def _finalize(value: Any) -> Any:
    """Every value a template writes: control and invisible characters spelled out (a name
    holding U+202E must not reorder the page), then escaped by autoescape."""
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    return visible(value)


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("revmental_cli.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Page:
    """The links and words a template needs for one request."""

    def __init__(self, request: Request, lang: str, explicit: bool) -> None:
        self.request = request
        self.lang = lang
        self.explicit = explicit  # ?lang= was given: links keep it

    def url(self, path: str, **query: str) -> str:
        if self.explicit:
            query.setdefault("lang", self.lang)
        return path + ("?" + urlencode(query) if query else "")

    def switch(self, lang: str) -> str:
        return self.request.url.path + "?" + urlencode({"lang": lang})


def _language(request: Request) -> tuple[str, bool]:
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in ("id", "en"):
        return asked, True
    return language(), False


class Site:
    """The pages of one server: its privacy choice and its templates."""

    def __init__(self, *, show_personal: bool) -> None:
        self.privacy = pages.Privacy(show_personal=show_personal)
        self.env = environment()

    def render(
        self,
        request: Request,
        template: str,
        build: Callable[[Store], dict[str, Any] | None],
        *,
        section: str = "",
    ) -> Response:
        from revmental_cli.context import open_store

        lang, explicit = _language(request)
        page = Page(request, lang, explicit)
        with _PAGE_LOCK, speaking(lang):
            try:
                with open_store("serve") as store:
                    data = build(store)
                if data is None:
                    return self.error(page, 404, _("There is no such page."), None)
                if "chart" in data:
                    data["chart"] = Markup(data["chart"])  # built and escaped by chart.py
                body = self.env.get_template(template).render(
                    t=WORDS, page=page, section=section, privacy=self.privacy, **data
                )
                return HTMLResponse(body)
            except NotFound as exc:
                return self.error(page, 404, exc.message, exc.hint)
            except StoreBusy as exc:
                return self.error(page, 503, exc.message, exc.hint)
            except RevmentalError as exc:  # no store yet, an unusable one
                return self.error(page, 503, exc.message, exc.hint)
            except Exception as exc:  # a bug: say so, show no data
                if os.environ.get("REVMENTAL_DEBUG"):
                    import traceback

                    traceback.print_exception(type(exc), exc, exc.__traceback__)
                return self.error(
                    page, 500, _("internal error ({kind})").format(kind=type(exc).__name__), None
                )

    def error(self, page: Page, status: int, message: str, hint: str | None) -> Response:
        body = self.env.get_template("error.html").render(
            t=WORDS,
            page=page,
            section="",
            privacy=self.privacy,
            message=localize(message),
            hint=localize(hint) if hint else "",
            status=status,
        )
        return HTMLResponse(body, status_code=status)


def routes(site: Site) -> list[Route]:
    privacy = site.privacy
    # Each page: its path, its template, the tab it lights, and what it reads (given the
    # store and the path's parameters).
    table: list[tuple[str, str, str, Callable[[Store, dict[str, Any]], dict[str, Any] | None]]]
    table = [
        ("/", "cohorts.html", "", lambda s, p: pages.cohort_list(s)),
        (
            "/cohort/{cohort}",
            "overview.html",
            "overview",
            lambda s, p: pages.overview(s, p["cohort"]),
        ),
        (
            "/cohort/{cohort}/roster",
            "roster.html",
            "roster",
            lambda s, p: pages.roster(s, p["cohort"], privacy),
        ),
        (
            "/cohort/{cohort}/attendance",
            "attendance.html",
            "attendance",
            lambda s, p: pages.attendance(s, p["cohort"]),
        ),
        (
            "/cohort/{cohort}/attendance/{session:int}",
            "session.html",
            "attendance",
            lambda s, p: pages.session_attendance(s, p["cohort"], p["session"], privacy),
        ),
        (
            "/cohort/{cohort}/completion",
            "completion.html",
            "completion",
            lambda s, p: pages.completion(s, p["cohort"], privacy),
        ),
        (
            "/cohort/{cohort}/certificates",
            "certificates.html",
            "certificates",
            lambda s, p: pages.certificates(s, p["cohort"]),
        ),
    ]

    def handler(
        template: str, section: str, build: Callable[[Store, dict[str, Any]], dict[str, Any] | None]
    ) -> Callable[[Request], Response]:
        def answer(request: Request) -> Response:
            params = request.path_params
            return site.render(request, template, lambda s: build(s, params), section=section)

        return answer

    get = ["GET"]  # Starlette answers HEAD for every GET route
    return [
        Route(path, handler(template, section, build), methods=get)
        for path, template, section, build in table
    ]


class Guard:
    """The outermost layer: security headers on every response (errors included), GET and
    HEAD only, the Host check of a loopback server, and basic auth when a password is set."""

    def __init__(self, app: ASGIApp, *, password: str | None, loopback_only: bool) -> None:
        self.app = app
        self.password = password
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in SECURITY_HEADERS
                ]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        refusal = self.refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, secured)
            return
        await self.app(scope, receive, secured)

    def refusal(self, scope: Scope) -> Response | None:
        if scope["method"] not in ("GET", "HEAD"):
            return PlainTextResponse(
                "405 Method Not Allowed: this view is read-only\n",
                status_code=405,
                headers={"Allow": "GET, HEAD"},
            )
        headers = {k.decode("latin-1").lower(): v for k, v in scope.get("headers", [])}
        if self.loopback_only and not _loopback_host(headers.get("host", b"")):
            # A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) would
            # otherwise read the roster through the visitor's browser.
            return PlainTextResponse("421 Misdirected Request\n", status_code=421)
        if self.password is not None and not _authorised(
            headers.get("authorization", b""), self.password
        ):
            return PlainTextResponse(
                "401 Unauthorized\n", status_code=401, headers={"WWW-Authenticate": REALM}
            )
        return None


def _loopback_host(raw: bytes) -> bool:
    host = raw.decode("latin-1").strip().lower()
    if host.startswith("["):  # [::1]:8001
        host = host[1 : host.find("]")] if "]" in host else host
    else:
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return bool(host) and is_loopback(host)


def _authorised(raw: bytes, password: str) -> bool:
    """Basic auth with any user name and the server's password (compared in constant time)."""
    scheme, _space, value = raw.decode("latin-1").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    _user, colon, given = decoded.partition(b":")
    if not colon:
        return False
    return hmac.compare_digest(given, password.encode("utf-8"))


def create_app(
    *, show_personal: bool = False, password: str | None = None, loopback_only: bool = False
) -> ASGIApp:
    """The whole application. ``loopback_only``: answer only requests addressed to this
    machine by a loopback name (a server bound to 127.0.0.1 without a password)."""
    site = Site(show_personal=show_personal)

    def not_found(request: Request, exc: Exception) -> Response:
        lang, explicit = _language(request)
        with _PAGE_LOCK, speaking(lang):
            return site.error(Page(request, lang, explicit), 404, _("There is no such page."), None)

    inner = Starlette(routes=routes(site), exception_handlers={404: not_found})
    return Guard(inner, password=password, loopback_only=loopback_only)
