"""The static verification site of `certificate publish`: HTML pages and certificates.json.

Owns what the public may see of a certificate (number, the name masked, the programme, the
angkatan, the dates, JP, predicate and whether it stands) and the pages that show it: an
index with a search box and one page per verification code, in Indonesian, with inline CSS
and a small inline script, nothing fetched from elsewhere, so that the folder works from
file:// and from any static host. Never sees a NIP, an e-mail or a phone number: the caller
hands over SiteEntry values only. Never touches the store.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from revmental_cli.documents.context import DocumentError

# Front titles stay as written ("Dr.", "H.", "Drs."): they say nothing of who it is.
_FRONT_TITLE = re.compile(r"^(?:prof|drs|dra|drg|drh|dr|ir|hj|h|kh|ns|apt)\.?$", re.IGNORECASE)
SITE_MARK = "certificates.json"  # a folder holding it is a site this command made


def mask_name(name: str) -> str:
    """ "Dr. Ahmad Fauzi, M.Si." -> "Dr. Ah*** Fa*** , M.Si.": two letters of each word of
    the name, the titles kept, so that the holder recognises it and a stranger learns little."""
    head, comma, degrees = name.partition(",")
    words = []
    for word in head.split():
        words.append(word if _FRONT_TITLE.match(word) else word[:2] + "***")
    masked = " ".join(words)
    return f"{masked} ,{degrees}" if comma else masked


@dataclass(frozen=True)
class SiteEntry:
    """One certificate as the public sees it."""

    number: str
    code: str
    name: str  # masked already
    programme: str
    cohort: str
    angkatan: str  # "Angkatan II"
    period: str  # "29 September s.d. 29 Oktober 2021"
    date: str  # the certificate's date, "29 Oktober 2021"
    jp: int | None
    predicate: str | None
    organiser: str
    status: str  # "SAH" or "DICABUT"
    revoked_on: str | None  # "3 Desember 2026"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
background:#f4f5f7;color:#1d2330}
main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.3rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:10rem 1fr;gap:.4rem 1rem;margin:1rem 0}
dt{color:#5a6275}dd{margin:0;font-weight:500}
.status{display:inline-block;padding:.3rem .8rem;border-radius:4px;font-weight:700;
letter-spacing:.05em}
.sah{background:#d9f2e1;color:#14532d}.dicabut{background:#fde2e1;color:#7f1d1d}
.none{background:#eceef2;color:#3d4455}
input{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #b8bfcc;
border-radius:4px}
button{font:inherit;margin-top:.5rem;padding:.5rem 1rem}
footer{color:#5a6275;font-size:.85rem;margin-top:1.5rem}
"""


def _page(title: str, body: str, *, script: str = "") -> str:
    tail = f"<script>{script}</script>" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n{tail}\n</body>\n</html>\n"
    )


def _status(entry: SiteEntry) -> str:
    if entry.status == "SAH":
        return '<span class="status sah" id="status">SAH</span>'
    since = f" sejak {html.escape(entry.revoked_on)}" if entry.revoked_on else ""
    return f'<span class="status dicabut" id="status">DICABUT{since}</span>'


def certificate_page(entry: SiteEntry) -> str:
    """The page at v/{code}.html: the certificate's public facts and its status."""
    e = html.escape
    rows = [
        ("Nomor", entry.number),
        ("Nama", entry.name),
        ("Pelatihan", entry.programme),
        ("Angkatan", entry.angkatan),
        ("Waktu pelaksanaan", entry.period),
        ("Tanggal STTP", entry.date),
        ("Jumlah JP", f"{entry.jp} JP" if entry.jp is not None else "-"),
        ("Predikat", entry.predicate or "-"),
        ("Penyelenggara", entry.organiser),
        ("Kode verifikasi", entry.code),
    ]
    facts = "\n".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows)
    body = (
        "<h1>Verifikasi Surat Tanda Tamat Pelatihan</h1>\n"
        f"<p>Status: {_status(entry)}</p>\n<dl>\n{facts}\n</dl>\n"
        '<p><a href="../index.html">Periksa sertifikat lain</a></p>\n'
        "<footer>Nama ditampilkan sebagian untuk melindungi data pribadi pemegang.</footer>"
    )
    return _page(f"STTP {entry.number}", body)


# The search runs in the page: the data is inlined (a browser reading a file:// page may not
# fetch certificates.json beside it), and #q= or ?q= fills the box, so a link can ask.
_SCRIPT = """
(function(){
var data=JSON.parse(document.getElementById('data').textContent);
var box=document.getElementById('q'),out=document.getElementById('result');
function norm(s){return (s||'').trim().toUpperCase();}
function esc(s){var d=document.createElement('div');d.textContent=s==null?'-':String(s);
return d.innerHTML;}
function find(q){q=norm(q);if(!q)return null;
for(var i=0;i<data.length;i++){var c=data[i];
if(norm(c.code)===q||norm(c.number)===q)return c;}return null;}
function show(q){if(!norm(q)){out.innerHTML='';return;}var c=find(q);
if(!c){out.innerHTML='<p><span class="status none" id="status">TIDAK DITEMUKAN</span></p>'+
'<p>Nomor atau kode <b>'+esc(q)+'</b> tidak terdaftar.</p>';return;}
var st=c.status==='SAH'?'<span class="status sah" id="status">SAH</span>':
'<span class="status dicabut" id="status">DICABUT'+(c.revoked_on?' sejak '+esc(c.revoked_on):'')+
'</span>';
out.innerHTML='<p>Status: '+st+'</p><dl><dt>Nomor</dt><dd>'+esc(c.number)+'</dd>'+
'<dt>Nama</dt><dd>'+esc(c.name)+'</dd><dt>Pelatihan</dt><dd>'+esc(c.programme)+'</dd>'+
'<dt>Angkatan</dt><dd>'+esc(c.angkatan)+'</dd><dt>Predikat</dt><dd>'+esc(c.predicate)+
'</dd></dl><p><a href="v/'+encodeURIComponent(c.code)+'.html">Lihat halaman sertifikat</a></p>';}
document.getElementById('form').addEventListener('submit',function(ev){ev.preventDefault();
show(box.value);});
var m=/[#?&]q=([^&#]*)/.exec(location.hash+'&'+location.search);
if(m){box.value=decodeURIComponent(m[1].replace(/\\+/g,' '));show(box.value);}
})();
"""


def index_page(entries: Sequence[SiteEntry]) -> str:
    """The index: a search box for a number or a verification code."""
    data = json.dumps([asdict(e) for e in entries], ensure_ascii=False, sort_keys=True)
    # Inside <script> only "</" could end the block early.
    data = data.replace("</", "<\\/")
    body = (
        "<h1>Verifikasi Surat Tanda Tamat Pelatihan (STTP)</h1>\n"
        "<p>Masukkan nomor STTP atau kode verifikasi yang tercetak di bawah kode QR.</p>\n"
        '<form id="form" action="index.html" method="get">\n'
        '<label for="q">Nomor atau kode</label>\n'
        '<input id="q" name="q" autocomplete="off" placeholder="mis. 001/STTP/... atau ABCD...">\n'
        '<button type="submit">Periksa</button>\n</form>\n<div id="result"></div>\n'
        f'<script type="application/json" id="data">{data}</script>\n'
        f"<footer>{len(entries)} sertifikat terdaftar. Halaman ini tidak memuat apa pun dari "
        "situs lain.</footer>"
    )
    return _page("Verifikasi STTP", body, script=_SCRIPT)


def site_files(entries: Sequence[SiteEntry]) -> dict[str, bytes]:
    """Every file of the site by its relative path."""
    ordered = sorted(entries, key=lambda e: (e.cohort, e.number))
    files = {
        "index.html": index_page(ordered).encode("utf-8"),
        SITE_MARK: (
            json.dumps([asdict(e) for e in ordered], ensure_ascii=False, indent=1, sort_keys=True)
            + "\n"
        ).encode("utf-8"),
    }
    for entry in ordered:
        files[f"v/{entry.code}.html"] = certificate_page(entry).encode("utf-8")
    return files


def write_site(folder: Path, files: dict[str, bytes]) -> None:
    """Write the site whole: into a new folder beside ``folder``, then swapped in for it.

    A folder that holds other things than a site made here is refused, not replaced.
    """
    folder = folder.absolute()
    if folder.exists():
        if not folder.is_dir():
            raise DocumentError("not a folder", file=str(folder))
        if any(folder.iterdir()) and not (folder / SITE_MARK).is_file():
            raise DocumentError(
                "the folder holds other files; nothing was written",
                file=str(folder),
                hint="publish into an empty or new folder (it is replaced on every publish)",
            )
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.new-"))
    except OSError as exc:
        raise DocumentError(f"cannot write: {exc.strerror or exc}", file=str(folder)) from exc
    old: Path | None = None
    try:
        os.chmod(staging, 0o755)  # a site is public: the web server must read it
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if folder.exists():
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old-"))
            os.rmdir(old)
            os.replace(folder, old)
        os.replace(staging, folder)
    except OSError as exc:
        if old is not None and old.exists() and not folder.exists():
            os.replace(old, folder)
        shutil.rmtree(staging, ignore_errors=True)
        raise DocumentError(f"cannot write: {exc.strerror or exc}", file=str(folder)) from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
