"""certificate: number the STTP of every passed participant, list, verify and revoke them;
print them (render), check a printed file, and publish the verification site."""

from __future__ import annotations

from pathlib import Path

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store, require_open
from revmental_cli.errors import InputError
from revmental_cli.i18n import _

app = noun_app("certificate")


def _record(c: object) -> dict[str, object]:
    from revmental_cli.store import Certificate

    assert isinstance(c, Certificate)
    return {
        "number": c.number,
        "nip": c.nip,
        "name": c.name,
        "predicate": c.predicate,
        "issued": c.issued_at,
        "revoked": c.revoked_at is not None,
    }


@app.command("issue")
def issue(cohort_id: str | None = options.COHORT) -> None:
    """Number a certificate for every passed participant, in NDH order (safe to run again).

    Numbers come from the cohort's number_format and are never reused, even after a revoke.

    Example:

        revmental certificate issue --cohort PRM-2021-II
    """
    from revmental_cli import render
    from revmental_cli.services import certificates

    with open_store("certificate issue") as store:
        row = cohort_for(store, cohort_id)
        require_open(row)
        done = certificates.issue(store, row.cohort.id)
    for number, a in done.numbered:
        render.info(
            _("{number}  NDH {ndh}  {name}  ({predicate})").format(
                number=number, ndh=a.ndh, name=a.name, predicate=a.outcome.predicate
            )
        )
    for message in done.stale:
        render.warning(message)
    render.success(
        _(
            "{cohort}: {issued} certificate(s) issued, {already} already had one; no certificate "
            "for {deferred} deferred and {failed} not passed (see `revmental report completion`)"
        ).format(
            cohort=done.cohort.id,
            issued=len(done.numbered),
            already=done.already,
            deferred=done.deferred,
            failed=done.not_passed,
        )
    )


@app.command("list")
def list_(cohort_id: str | None = options.COHORT, json_: bool = options.JSON) -> None:
    """List the cohort's certificates, revoked ones included.

    Example:

        revmental certificate list --json
    """
    from revmental_cli import render
    from revmental_cli.store import certificates

    with open_store("certificate list") as store:
        cohort = cohort_for(store, cohort_id).cohort
        items = certificates(store, cohort.id)
    if json_:
        render.emit_json([_record(c) for c in items])
        return
    render.certificates(cohort, items)


@app.command("verify")
def verify(
    number: str = typer.Argument(..., metavar="NUMBER", help="The certificate number."),
    json_: bool = options.JSON,
) -> None:
    """Check a certificate number: who holds it, from which cohort, and whether it stands.

    Example:

        revmental certificate verify 001/STTP/PRM-II/PKASN/2021
    """
    from revmental_cli import render
    from revmental_cli.services import certificates

    with open_store("certificate verify") as store:
        found, cohort = certificates.find(store, number)
    data = {
        **_record(found),
        "cohort": cohort.id,
        "programme": cohort.programme_name,
        "angkatan": cohort.angkatan,
        "year": cohort.year,
        "final_score": found.final_score,
        "golongan": found.golongan,
        "pangkat": found.pangkat,
        "position": found.position,
        "agency": found.agency,
        "revoked_at": found.revoked_at,
        "revoked_reason": found.revoked_reason,
        "valid": found.revoked_at is None,
    }
    if json_:
        render.emit_json(data)
        return
    render.certificate_detail(cohort, found)


@app.command("revoke")
def revoke(
    number: str = typer.Argument(..., metavar="NUMBER", help="The certificate number."),
    reason: str = typer.Option(..., "--reason", metavar="TEXT", help="Why, for the record."),
) -> None:
    """Revoke a certificate; its number is never given to anyone else.

    Example:

        revmental certificate revoke 001/STTP/PRM-II/PKASN/2021 --reason "salah nama"
    """
    from revmental_cli import render
    from revmental_cli.services import certificates

    if not reason.strip():
        raise InputError(_("a revoke needs a reason"), hint='--reason "salah penulisan nama"')
    with open_store("certificate revoke") as store:
        done = certificates.revoke(store, number, reason.strip())
    found = done.certificate
    if done.already:
        render.info(
            _("{cohort}: {number} was already revoked on {date}").format(
                cohort=found.cohort_id, number=found.number, date=found.revoked_at
            )
        )
        return
    render.success(
        _("{cohort}: {number} ({name}) revoked").format(
            cohort=found.cohort_id, number=found.number, name=found.name
        )
    )


FORMATS = ("pdf", "docx")


def _choice(value: str | None, allowed: tuple[str, ...], default: str, option: str) -> str:
    from revmental_cli.errors import UsageError

    chosen = (value or default).strip().lower()
    if chosen not in allowed:
        raise UsageError(
            _("{option} must be one of {allowed}, not {value}").format(
                option=option, allowed=", ".join(allowed), value=repr(value)
            ),
            hint=f"{option} {allowed[0]}",
        )
    return chosen


@app.command("render")
def render_(
    cohort_id: str | None = options.COHORT,
    format_: str | None = typer.Option(
        None, "--format", metavar="pdf|docx", help="PDF (default) or Word files."
    ),
    template: Path | None = typer.Option(
        None, "--template", metavar="FILE", help="A .typ (PDF) or .docx (Word) template."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="DIR", help="The folder (default ./sttp-COHORT/)."
    ),
    one_file: Path | None = typer.Option(
        None, "--one-file", metavar="PATH", help="All certificates in one PDF, in NDH order."
    ),
    zip_: Path | None = typer.Option(
        None, "--zip", metavar="PATH", help="A ZIP of the files plus kirim.csv for a mail merge."
    ),
    json_: bool = options.JSON,
) -> None:
    """Print the STTP of every certificate that stands, one file each, named NDH_NIP.

    Every file is made before any is written: a template error writes nothing.

    Example:

        revmental certificate render --zip sttp.zip
    """
    from revmental_cli import render
    from revmental_cli.documents.pdf import write_files
    from revmental_cli.errors import UsageError
    from revmental_cli.services import documents

    fmt = _choice(format_, FORMATS, "pdf", "--format")
    if one_file is not None and fmt != "pdf":
        raise UsageError(_("--one-file makes a PDF"), hint=_("leave out --format docx"))
    fmt_: documents.Format = "pdf" if fmt == "pdf" else "docx"
    with open_store("certificate render") as store:
        row = cohort_for(store, cohort_id)
        plan = documents.plan_render(store, row, fmt_, template)
    cohort = plan.cohort
    folder = output
    if output is None and one_file is None and zip_ is None:
        folder = Path(f"sttp-{cohort.id}")
    files: list[tuple[documents.Printed, str, bytes]] = []
    if folder is not None or zip_ is not None:
        with render.progress(_("Rendering certificates"), after=1000) as tick:
            files = documents.render_files(plan, fmt_, tick)
    targets = [(folder / name, data) for _p, name, data in files] if folder else []
    if one_file is not None:
        targets.append((one_file, documents.render_bundle(plan)))
    if zip_ is not None:
        targets.append((zip_, documents.mail_merge_zip(files, cohort.certificate_date)))
    where = [str(p) for p in (folder, one_file, zip_) if p is not None]
    # Personal data leaves the store: the files and their record go together (UU PDP).
    with open_store("certificate render") as store, store.write():
        documents.record_files(store, fmt_, files)
        stale = documents.revoked_in(store, plan, fmt_, folder) if folder else []
        write_files(targets)
        for path in stale:
            path.unlink(missing_ok=True)
        store.record(
            f"export: {len(plan.items)} certificates of {cohort.id} as {fmt}",
            cohort_id=cohort.id,
            file=", ".join(where),
        )
    if json_:
        render.emit_json(
            {
                "cohort": cohort.id,
                "format": fmt,
                "count": len(plan.items),
                "folder": str(folder) if folder else None,
                "one_file": str(one_file) if one_file else None,
                "zip": str(zip_) if zip_ else None,
                "files": [
                    {"number": p.certificate.number, "file": name, "sha256": documents.sha256(d)}
                    for p, name, d in files
                ],
                "removed": [str(p) for p in stale],
            }
        )
        return
    for path in stale:
        render.info(_("removed {path}: its certificate was revoked").format(path=path))
    render.success(
        _("{cohort}: {count} certificate(s) rendered to {where}").format(
            cohort=cohort.id, count=len(plan.items), where=", ".join(where)
        )
    )


@app.command("template")
def template_(
    format_: str | None = typer.Option(
        None, "--format", metavar="typ|docx", help="Typst (for PDF, default) or Word."
    ),
    output: Path = typer.Option(..., "--output", "-o", metavar="PATH", help="Where to write it."),
) -> None:
    """Write the built-in certificate template, to start your own from.

    Example:

        revmental certificate template --format docx --output sttp-saya.docx
    """
    from revmental_cli import documents, render
    from revmental_cli.documents.pdf import write_files

    fmt = _choice(format_, ("typ", "docx"), "typ", "--format")
    if output.exists():
        raise InputError(
            _("{path} exists; nothing was written").format(path=output),
            hint=_("name a new file, or delete the old one first"),
        )
    write_files([(output, documents.template_bytes("typ" if fmt == "typ" else "docx"))])
    render.success(_("the built-in template is in {path}").format(path=output))


@app.command("check")
def check(
    file: Path = typer.Argument(..., metavar="FILE.pdf", help="A certificate as a PDF."),
    json_: bool = options.JSON,
) -> None:
    """Tell whether a PDF is a certificate this store issued, and whether it stands.

    Exit 0 when it stands; 1 when it is revoked, unknown or not a revmental PDF.

    Example:

        revmental certificate check sttp-PRM-2021-II/01_198309222012091919.pdf
    """
    from revmental_cli import render
    from revmental_cli.services import documents

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read it ({reason})").format(path=file, reason=exc.strerror or exc)
        ) from None
    with open_store("certificate check") as store:
        found = documents.check_file(store, data)
    c = found.certificate
    if json_:
        render.emit_json(
            {
                "number": found.number,
                "code": found.code,
                "status": found.status,
                "revoked_at": c.revoked_at if c else None,
                "reason": c.revoked_reason if c else None,
                "file_matches": found.file_matches,
            }
        )
    elif c is None:
        render.error(
            _("{path}: not a certificate issued here").format(path=file)
            if found.number is None
            else _("{path}: number {number} with code {code} is not in the register").format(
                path=file, number=found.number, code=found.code
            ),
            hint=_("it may come from another store, or have been made by someone else"),
        )
    else:
        holder = _("{number}: {name}, {cohort}").format(
            number=c.number, name=c.name, cohort=c.cohort_id
        )
        if c.revoked_at:
            render.error(
                _("{holder}: REVOKED on {date} ({reason})").format(
                    holder=holder, date=c.revoked_at, reason=c.revoked_reason
                )
            )
        else:
            render.success(_("{holder}: stands").format(holder=holder))
        if found.rendered:
            render.info(
                _("the file is byte for byte the one rendered on {date} ({name})").format(
                    date=found.rendered[1], name=found.rendered[0]
                )
            )
        else:
            render.warning(
                _(
                    "the file was changed after rendering (e.g. signed with a TTE); "
                    "the certificate is still identified by its number and code"
                )
            )
    if found.status != "valid":
        raise typer.Exit(1)


@app.command("publish")
def publish(
    output: Path = typer.Option(..., "--output", "-o", metavar="DIR", help="The site's folder."),
    cohort_id: str | None = options.COHORT,
    all_: bool = typer.Option(False, "--all", help="Every cohort's certificates."),
) -> None:
    """Write a static verification site: a search page and one page per certificate.

    Names are masked; no NIP, e-mail or phone is published. Copy the folder to any web host.

    Example:

        revmental certificate publish --output situs-sttp
    """
    from revmental_cli import render
    from revmental_cli.documents.site import site_files, write_site
    from revmental_cli.errors import UsageError
    from revmental_cli.services import documents
    from revmental_cli.store.cohorts import cohort_rows

    if all_ and cohort_id:
        raise UsageError(_("--all and --cohort exclude each other"), hint="--all")
    with open_store("certificate publish") as store, store.write():
        rows = cohort_rows(store) if all_ else [cohort_for(store, cohort_id)]
        if not rows:
            raise InputError(_("no cohort in the store"), hint=_("revmental cohort open FILE"))
        entries = documents.site_entries(store, rows)
        write_site(output, site_files(entries))
        ids = ", ".join(r.cohort.id for r in rows)
        store.record(
            f"publish: verification site of {ids} ({len(entries)} certificates)",
            cohort_id=rows[0].cohort.id if len(rows) == 1 else None,
            file=str(output),
        )
    render.success(
        _("{count} certificate(s) published in {path} (open {index})").format(
            count=len(entries), path=output, index=output / "index.html"
        )
    )
