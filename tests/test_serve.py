"""`revmental serve`: the read-only web view, in-process (Starlette's TestClient), as a real
server in a subprocess (urllib), and in headless Chromium.

The example cohort is built once per module with the real commands (the README's journey:
roster, attendance, scores, certificates, one revoked) and copied into each test's own store.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from revmental_cli.cli import app
from tests.conftest import ROOT, RunCli, revmental_process
from tests.startup_probe import probe

# Starlette 1.x asks for httpx2 under its TestClient; httpx works the same for these tests.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

PRM = "PRM-2021-II"
PAGES = [
    "/",
    f"/cohort/{PRM}",
    f"/cohort/{PRM}/roster",
    f"/cohort/{PRM}/attendance",
    f"/cohort/{PRM}/attendance/1",
    f"/cohort/{PRM}/completion",
    f"/cohort/{PRM}/certificates",
]
REVOKED = "002/STTP/PRM-II/PKASN/2021"
# What the example roster holds, whole: none of it may appear on a masked page.
NIPS = ["198309222012091919", "198010062002042080", "197208022002122886"]
EMAILS = ["ahmad.fauzi@lan.example", "wulan.sari@bkn.example", "yuliani@sumedangkab.example"]
PHONES = ["+6281256627199", "081256627199", "6281256627199", "+6281373360313"]


def _journey(db: Path) -> None:
    """The README's journey on ``db``, with the real commands."""
    runner = CliRunner()
    steps = [
        ["cohort", "open", "cohorts/prm-2021-ii.yaml"],
        ["roster", "import", "examples/peserta-prm-2021-ii.csv"],
        [
            "attendance",
            "import",
            *sorted(str(p) for p in Path("examples/attendance").glob("zoom-*")),
        ],
        ["attendance", "import", "examples/attendance/mandiri-sesi-04.csv", "--session", "4"],
        ["attendance", "import", "examples/attendance/mandiri-sesi-09.csv", "--session", "9"],
        ["attendance", "mark", "199611202019062784", "--session", "11", "--status", "izin"],
        ["score", "import", "examples/nilai-prm-2021-ii.csv"],
        ["certificate", "issue"],
        ["certificate", "revoke", REVOKED, "--reason", "data <b>salah</b>"],
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVMENTAL_DB", str(db))
        mp.setenv("REVMENTAL_LANG", "en")
        mp.chdir(ROOT)
        from revmental_cli import render

        for args in steps:
            render.out.cache_clear()
            render.err.cache_clear()
            result = runner.invoke(app, args, catch_exceptions=False)
            assert result.exit_code == 0, (args, result.stderr)


@pytest.fixture(scope="module")
def journey_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "journey.db"
    _journey(db)
    return db


@pytest.fixture
def filled(journey_store: Path, store_path: Path) -> Path:
    """This test's store: a copy of the journey's."""
    store_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(journey_store, store_path)
    return store_path


def client(**options: object) -> object:
    from starlette.testclient import TestClient

    from revmental_cli.web.app import create_app

    return TestClient(create_app(**options), base_url="http://127.0.0.1")  # type: ignore[arg-type]


def text_of(body: str) -> str:
    """The page as a reader sees it: tags dropped, entities resolved."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", body))


# --- in-process ----------------------------------------------------------------------------


def test_every_page_renders_the_example_cohort(filled: Path) -> None:
    c = client()
    bodies = {}
    for path in PAGES:
        response = c.get(path)  # type: ignore[attr-defined]
        assert response.status_code == 200, (path, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        bodies[path] = response.text
    assert PRM in bodies["/"] and "Pelatihan Revolusi Mental" in bodies["/"]
    overview = text_of(bodies[f"/cohort/{PRM}"])
    assert "Wednesday, 29 September 2021" in overview and "36" in overview
    assert "Pembukaan" in overview or "Revolusi Mental" in overview
    roster = text_of(bodies[f"/cohort/{PRM}/roster"])
    assert "Dr. Ir. H. Ahmad Fauzi, M.Si." in roster and "Yuliani, S.IP." in roster
    attendance = bodies[f"/cohort/{PRM}/attendance"]
    assert attendance.count("<svg") == 1 and 'data-status="present"' in attendance
    assert "Sri Wahyuni" in text_of(bodies[f"/cohort/{PRM}/attendance/1"])
    completion = text_of(bodies[f"/cohort/{PRM}/completion"])
    assert "21 passed, 2 deferred, 2 not passed of 25" in completion
    assert "83.3%" in completion  # the one who missed too much, with the reason
    assert re.search(r"attendance 83\.3% < 90%", completion), completion[:2000]
    certificates = text_of(bodies[f"/cohort/{PRM}/certificates"])
    assert "001/STTP/PRM-II/PKASN/2021" in certificates and REVOKED in certificates
    assert "revoked (DICABUT)" in certificates and "valid (SAH)" in certificates
    assert "data <b>salah</b>" in certificates  # the reason, as text
    assert "<b>salah</b>" not in bodies[f"/cohort/{PRM}/certificates"]


def test_the_store_is_never_written(filled: Path) -> None:
    before = filled.read_bytes()
    c = client()
    for path in PAGES:
        c.get(path)  # type: ignore[attr-defined]
    assert filled.read_bytes() == before


def test_personal_data_stays_masked(filled: Path) -> None:
    c = client()
    for path in PAGES:
        body = c.get(path).text  # type: ignore[attr-defined]
        digits = re.sub(r"\D", "", body)  # no NIP or phone hidden by markup between digits
        for secret in NIPS + EMAILS + PHONES:
            assert secret not in body, (path, secret)
        for nip in NIPS:
            assert nip not in digits, (path, nip)
    roster = c.get(f"/cohort/{PRM}/roster").text  # type: ignore[attr-defined]
    assert "198309**********19" in roster
    assert "a***@lan.example" in roster
    assert "+62812*****199" in roster


def test_show_personal_shows_them(filled: Path) -> None:
    roster = client(show_personal=True).get(f"/cohort/{PRM}/roster").text  # type: ignore[attr-defined]
    for secret in [*NIPS, *EMAILS, "+6281256627199"]:
        assert secret in roster
    assert "--show-personal" in roster  # the page says that it shows everything


def test_lang_id_gives_indonesian(filled: Path) -> None:
    c = client()
    roster = c.get(f"/cohort/{PRM}/roster?lang=id").text  # type: ignore[attr-defined]
    assert '<html lang="id">' in roster
    assert "Daftar peserta" in roster and "terdaftar" in roster and "Instansi" in roster
    assert f'href="/cohort/{PRM}/attendance?lang=id"' in roster  # links keep the language
    certificates = c.get(f"/cohort/{PRM}/certificates?lang=id").text  # type: ignore[attr-defined]
    assert ">SAH<" in certificates and ">DICABUT<" in certificates
    overview = c.get(f"/cohort/{PRM}?lang=id").text  # type: ignore[attr-defined]
    assert "Rabu, 29 September 2021" in overview and "Jadwal" in overview
    attendance = c.get(f"/cohort/{PRM}/attendance?lang=id").text  # type: ignore[attr-defined]
    assert "hadir" in attendance and "alpa" in attendance and "Kehadiran per sesi" in attendance
    completion = text_of(c.get(f"/cohort/{PRM}/completion?lang=id").text)  # type: ignore[attr-defined]
    assert "21 lulus, 2 ditunda, 2 tidak lulus dari 25" in completion
    assert "83,3%" in completion
    english = c.get(f"/cohort/{PRM}/roster?lang=en").text  # type: ignore[attr-defined]
    assert "Daftar peserta" not in english and ">Roster<" in english


def test_the_tool_language_is_the_default(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    roster = client().get(f"/cohort/{PRM}/roster").text  # type: ignore[attr-defined]
    assert "Daftar peserta" in roster
    assert f'href="/cohort/{PRM}/attendance"' in roster  # no ?lang: the default stays


def test_only_get_and_head(filled: Path) -> None:
    c = client()
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        for path in ("/", f"/cohort/{PRM}/roster", "/no/such/page"):
            response = c.request(method, path)  # type: ignore[attr-defined]
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == "GET, HEAD"
    head = c.head(f"/cohort/{PRM}/roster")  # type: ignore[attr-defined]
    assert head.status_code == 200 and head.content == b""


def test_security_headers_on_every_response(filled: Path) -> None:
    expected = {
        "content-security-policy": (
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
        ),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-store",
    }
    c = client(password="pw")
    responses = [
        c.get("/", auth=("admin", "pw")),  # type: ignore[attr-defined]
        c.get("/nowhere", auth=("admin", "pw")),  # type: ignore[attr-defined]
        c.post("/", auth=("admin", "pw")),  # type: ignore[attr-defined]
        c.get("/"),  # type: ignore[attr-defined]
    ]
    assert [r.status_code for r in responses] == [200, 404, 405, 401]
    for response in responses:
        for name, value in expected.items():
            assert response.headers[name] == value
    body = responses[0].text
    assert "<script" not in body.lower() and "http://" not in body and "https://" not in body


def test_password_is_asked_and_compared(filled: Path) -> None:
    c = client(password="rahasia sekali")
    assert c.get("/").status_code == 401  # type: ignore[attr-defined]
    assert c.get("/").headers["www-authenticate"].startswith("Basic ")  # type: ignore[attr-defined]
    assert c.get("/", auth=("admin", "wrong")).status_code == 401  # type: ignore[attr-defined]
    bad = {"Authorization": "Basic !!!notbase64"}
    assert c.get("/", headers=bad).status_code == 401  # type: ignore[attr-defined]
    assert c.get("/", auth=("admin", "rahasia sekali")).status_code == 200  # type: ignore[attr-defined]
    assert c.get("/", auth=("siapa saja", "rahasia sekali")).status_code == 200  # type: ignore[attr-defined]


def test_a_loopback_server_answers_only_loopback_names(filled: Path) -> None:
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) gets nothing."""
    from starlette.testclient import TestClient

    from revmental_cli.web.app import create_app

    served = create_app(loopback_only=True)
    assert TestClient(served, base_url="http://evil.example").get("/").status_code == 421
    for base in ("http://127.0.0.1:8001", "http://localhost:8001", "http://[::1]:8001"):
        assert TestClient(served, base_url=base).get("/").status_code == 200, base


def test_hostile_names_are_shown_harmlessly(cli: RunCli, prm: Path, isolated: Path) -> None:
    roster = isolated / "hostile.csv"
    roster.write_text(
        "NIP;Nama;Email\n"
        "198309222012091919;<script>alert(1)</script> Budi;a@b.example\n"
        '198010062002042080;Evil\x1b[2J \u202e Name & "q" <img src=x onerror=alert(2)>;'
        "c@d.example\n",
        encoding="utf-8",
    )
    assert cli("roster", "import", str(roster)).exit_code == 0
    c = client(show_personal=True)
    for path in (
        f"/cohort/{PRM}/roster",
        f"/cohort/{PRM}/completion",
        f"/cohort/{PRM}/attendance/1",
    ):
        body = c.get(path).text  # type: ignore[attr-defined]
        assert "<script" not in body and "<img" not in body, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Budi" in body, path
        assert "\x1b" not in body and "\u202e" not in body, path
        assert "Evil\\x1b[2J \\u202e Name &amp; &#34;q&#34;" in body, path


def test_unknown_cohort_and_page(filled: Path) -> None:
    c = client()
    missing = c.get("/cohort/NOPE-1")  # type: ignore[attr-defined]
    assert missing.status_code == 404 and "unknown cohort" in missing.text and PRM in missing.text
    assert c.get(f"/cohort/{PRM}/attendance/99").status_code == 404  # type: ignore[attr-defined]
    nowhere = c.get("/no/such/page?lang=id")  # type: ignore[attr-defined]
    assert nowhere.status_code == 404 and "Halaman ini tidak ada." in nowhere.text


def test_no_store_is_said_and_never_created(store_path: Path, cli: RunCli) -> None:
    response = client().get("/")  # type: ignore[attr-defined]
    assert response.status_code == 503 and "there is no store yet" in response.text
    assert not store_path.exists()
    run = cli("serve", "--port", "8001")
    assert run.exit_code == 1 and "there is no store yet" in run.stderr
    assert not store_path.exists()


def test_an_empty_store_says_so(cli: RunCli, store_path: Path, examples: Path) -> None:
    assert cli("cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
    roster = client().get(f"/cohort/{PRM}/roster")  # type: ignore[attr-defined]
    assert roster.status_code == 200 and "No participants yet." in roster.text
    certificates = client().get(f"/cohort/{PRM}/certificates")  # type: ignore[attr-defined]
    assert "No certificates issued yet." in certificates.text
    attendance = client().get(f"/cohort/{PRM}/attendance")  # type: ignore[attr-defined]
    assert attendance.status_code == 200 and "<svg" in attendance.text


def test_without_the_extra_it_says_what_to_install(
    filled: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "starlette", None)
    run = cli("serve")
    assert run.exit_code == 1
    assert 'pip install "revmental[web]"' in run.stderr


def test_password_env_must_hold_a_password(
    filled: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REVMENTAL_TEST_PW", raising=False)
    run = cli("serve", "--host", "0.0.0.0", "--password-env", "REVMENTAL_TEST_PW")
    assert run.exit_code == 1 and "REVMENTAL_TEST_PW" in run.stderr and "not set" in run.stderr
    monkeypatch.setenv("REVMENTAL_TEST_PW", "")
    run = cli("serve", "--host", "0.0.0.0", "--password-env", "REVMENTAL_TEST_PW")
    assert run.exit_code == 1 and "empty" in run.stderr


def test_a_port_in_use_is_said(filled: Path, cli: RunCli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = cli("serve", "--port", str(port))
    assert run.exit_code == 1  # not uvicorn's 3, which would read "the store is busy"
    assert f"cannot listen on 127.0.0.1 port {port}" in run.stderr and "--port" in run.stderr


def test_help_loads_no_web_library() -> None:
    for args in (["--help"], ["serve", "--help"]):
        run = probe(*args, REVMENTAL_LANG="en")
        web = [
            m for m in ("starlette", "jinja2", "uvicorn", "revmental_cli.web") if m in run.modules
        ]
        assert not web, (args, run.stderr)
        assert "serve" in run.stdout


# --- the pure parts ------------------------------------------------------------------------


def test_masking() -> None:
    from revmental_cli.web.masking import mask_email, mask_nip, mask_phone

    assert mask_nip("198807222010121004") == "198807**********04"
    assert mask_nip("3201234567890123") == "320123********23"  # a NIK
    assert mask_nip("1234") == "****" and mask_nip(None) == ""
    assert mask_email("ahmad.fauzi@kemenag.go.id") == "a***@kemenag.go.id"
    assert mask_email("@x.id") == "***@x.id"
    assert mask_email("nomail") == "no**il"
    assert mask_phone("0812-3456-789") == "0812****789"
    assert mask_phone("+6281256627199") == "+62812*****199"
    assert mask_phone("(0852) 9031 9811") == "0852*****811"
    assert mask_phone("123") == "***" and mask_phone("") == ""


def test_chart_is_one_escaped_svg_with_bars_in_proportion() -> None:
    from revmental_cli.web.chart import SessionBar, attendance_chart

    words = {
        "present": "hadir",
        "late": "terlambat",
        "excused": "izin",
        "sick": "sakit",
        "absent": "<alpa>",
        "unrecorded": "belum & dicatat",
    }
    svg = attendance_chart(
        [
            SessionBar(1, {"present": 20, "late": 3, "absent": 2}),
            SessionBar(2, {"present": 10}, unrecorded=15),
            SessionBar(3, {}),
        ],
        words,
        title='Kehadiran "per" sesi',
        session_word="Sesi",
    )
    root = ET.fromstring(svg)  # well-formed XML: the text is escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("role") == "img"
    assert root.find(f"{ns}title").text == 'Kehadiran "per" sesi'  # type: ignore[union-attr]
    bars = [r for r in root.iter(f"{ns}rect") if r.get("data-status")]
    assert [r.get("data-status") for r in bars] == [
        "present", "late", "absent", "present", "unrecorded",
    ]  # fmt: skip
    heights = [float(r.get("height", 0)) for r in bars]
    assert heights[0] / heights[1] == pytest.approx(20 / 3, rel=0.01)
    assert sum(heights[:3]) == pytest.approx(sum(heights[3:]), rel=0.01)  # 25 each
    tips = [r.find(f"{ns}title").text for r in bars]  # type: ignore[union-attr]
    assert tips[2] == "Sesi 1 · <alpa>: 2"
    assert "<alpa>" not in svg and "&lt;alpa&gt;" in svg and "belum &amp; dicatat" in svg
    assert "<script" not in svg
    assert attendance_chart([], words, title="t", session_word="s").startswith("<svg")


# --- the real server -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running(db: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`revmental serve` in a subprocess until the block ends; yields its base URL."""
    port = _free_port()
    full_env = {
        **os.environ,
        "REVMENTAL_DB": str(db),
        "REVMENTAL_LANG": "en",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "revmental_cli", "serve", "--port", str(port), *args],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"serve exited {proc.returncode}: {proc.stderr.read()}")
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answers (401 with a password)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_a_non_loopback_host_needs_a_password(filled: Path) -> None:
    proc = revmental_process(["serve", "--host", "0.0.0.0", "--port", str(_free_port())], filled)
    assert proc.returncode == 2, proc.stderr
    assert "--password-env" in proc.stderr and "0.0.0.0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_basic_auth_over_real_http(filled: Path) -> None:
    env = {"REVMENTAL_WEB_PASSWORD": "kunci rahasia"}
    with running(
        filled, "--host", "0.0.0.0", "--password-env", "REVMENTAL_WEB_PASSWORD", env=env
    ) as base:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/", timeout=10)
        assert refused.value.code == 401
        assert refused.value.headers["WWW-Authenticate"].startswith("Basic ")
        token = base64.b64encode(b"admin:kunci rahasia").decode()
        request = urllib.request.Request(
            base + f"/cohort/{PRM}/roster", headers={"Authorization": f"Basic {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Cache-Control"] == "no-store"
            body = response.read().decode("utf-8")
        assert "Ahmad Fauzi" in body and NIPS[0] not in body
        post = urllib.request.Request(
            base + "/", data=b"x", method="POST", headers={"Authorization": f"Basic {token}"}
        )
        with pytest.raises(urllib.error.HTTPError) as not_allowed:
            urllib.request.urlopen(post, timeout=10)
        assert not_allowed.value.code == 405


CHROMIUM = shutil.which("chromium")


def _chromium(profile: Path, *args: str) -> list[str]:
    """Debian's Chromium, headless, with its own profile and nothing fetched on its own."""
    return [
        CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", *args,
    ]  # fmt: skip


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_every_page_in_headless_chromium(filled: Path, tmp_path: Path) -> None:
    expected = {
        "/": [PRM, "Pelatihan Revolusi Mental"],
        f"/cohort/{PRM}": ["Wednesday, 29 September 2021", "Schedule"],
        f"/cohort/{PRM}/roster": ["Dr. Ir. H. Ahmad Fauzi, M.Si.", "198309**********19"],
        f"/cohort/{PRM}/attendance": ["<svg", 'data-status="present"', "Attendance per session"],
        f"/cohort/{PRM}/attendance/1": ["Sri Wahyuni", "present"],
        f"/cohort/{PRM}/completion": ["21 passed, 2 deferred, 2 not passed of 25"],
        f"/cohort/{PRM}/certificates?lang=id": [REVOKED, "DICABUT", "SAH", "Sertifikat"],
    }
    with running(filled) as base:
        # Two browsers at a time: each page is a browser start, and starts dominate.
        pending = list(expected)
        doms: dict[str, str] = {}
        while pending:
            batch, pending = pending[:2], pending[2:]
            procs = {
                path: subprocess.Popen(
                    _chromium(tmp_path / f"profile-{i}", "--dump-dom", base + path),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                )
                for i, path in enumerate(batch)
            }
            for path, proc in procs.items():
                out, _err = proc.communicate(timeout=90)
                doms[path] = out
        shot = tmp_path / "attendance.png"
        run = subprocess.run(
            _chromium(
                tmp_path / "profile-shot",
                f"--screenshot={shot}",
                "--window-size=1280,900",
                "--hide-scrollbars",
                base + f"/cohort/{PRM}/attendance",
            ),
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert shot.exists() and shot.stat().st_size > 10_000, run.stderr[-2000:]
    for path, wanted in expected.items():
        dom = doms[path]
        assert dom.strip(), path
        for text in wanted:
            assert text in dom, (path, text)
        for secret in NIPS + EMAILS + PHONES:
            assert secret not in dom, (path, secret)
    # Kept for a person to look at when the test runs with REVMENTAL_KEEP_SCREENSHOT=DIR.
    keep = os.environ.get("REVMENTAL_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, Path(keep) / "serve-attendance.png")
