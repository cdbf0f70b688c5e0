"""Erasing a person (UU PDP): the one operation that rewrites every aggregate at once.

It moves the person's rows to a pseudonym and scrubs what could still name them, across
people, enrollments, attendance, scores, certificates and the history, in their own rows and
in others' (a note, a reason, a history line or a file name that names them). Nothing else
here.

No VACUUM afterwards: ``secure_delete`` (set on every connection) already zeroes the deleted
cells and freed pages, which tests/test_forget.py checks on the file's bytes; VACUUM would
need the whole store's size again in free space and an exclusive lock, and could not be part
of the erasure's transaction anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from revmental_cli.store.connection import Store, now

FORGOTTEN = "(data dihapus)"


def person_name(store: Store, nip: str) -> str | None:
    row = store.conn.execute("SELECT name FROM people WHERE nip = ?", (nip,)).fetchone()
    return row[0] if row else None


def forget_person(store: Store, nip: str) -> str:
    """Erase a person: personal fields, and the NIP itself (it encodes birth date and sex).

    The person's rows move to a random pseudonym, so attendance counts, scores, reports and
    certificate numbers stay consistent, while nothing left can name them. Returns the
    pseudonym. Runs inside the caller's transaction.
    """
    import secrets

    c = store.conn
    # What the person's free texts and the history may repeat: their name, contacts, and the
    # notes and reasons written about them (copied into history lines and revocations).
    person = c.execute("SELECT name, email, phone FROM people WHERE nip = ?", (nip,)).fetchone()
    said = [
        text
        for (text,) in c.execute(
            "SELECT note FROM attendance WHERE nip = ? UNION ALL "
            "SELECT withdrawn_reason FROM enrollments WHERE nip = ? UNION ALL "
            "SELECT revoked_reason FROM certificates WHERE nip = ?",
            (nip, nip, nip),
        )
        if text
    ]
    # Enrollments and the rows that point at them change key together: check at COMMIT.
    c.execute("PRAGMA defer_foreign_keys = ON")
    pseudonym = "X" + secrets.token_hex(9)[:17].upper()
    stamp = now()
    c.execute(
        "INSERT INTO people (nip, name, created_at, updated_at, forgotten_at) "
        "SELECT ?, ?, created_at, ?, ? FROM people WHERE nip = ?",
        (pseudonym, FORGOTTEN, stamp, stamp, nip),
    )
    for table in ("enrollments", "attendance", "scores", "certificates"):
        c.execute(f"UPDATE {table} SET nip = ? WHERE nip = ?", (pseudonym, nip))
    c.execute("UPDATE attendance SET note = NULL, source_file = NULL WHERE nip = ?", (pseudonym,))
    c.execute(
        "UPDATE certificates SET name = ?, golongan = NULL, pangkat = NULL, position = NULL, "
        "agency = NULL WHERE nip = ?",
        (FORGOTTEN, pseudonym),
    )
    c.execute("UPDATE enrollments SET withdrawn_reason = NULL WHERE nip = ?", (pseudonym,))
    # A revocation stays (the certificate is void), its reason may name the person.
    c.execute(
        "UPDATE certificates SET revoked_reason = ? WHERE nip = ? AND revoked_reason IS NOT NULL",
        (FORGOTTEN, pseudonym),
    )
    # What names the person: their name (also without titles, as people write it in a
    # note), contacts, and the notes and reasons that mention their name or NIP. A note that
    # names nobody ("dinas luar kota") may be another participant's record too: it stays.
    from revmental_cli.domain.person import strip_titles

    name, email, phone = person or (None, None, None)
    plain = strip_titles(name) if name else ""  # case-folded, titles gone: for finding only
    naming = [t for t in said if nip in t or (plain and plain in t.casefold())]
    # Longest first, so that a note containing the name goes whole (and before the NIP is
    # replaced, which such a note may contain). Short strings (a name of two letters) are
    # left: they would cut into other people's lines.
    texts = {*naming, name, email, phone} - {None, ""}
    for text in sorted(texts, key=len, reverse=True):
        if len(text) >= 4:
            c.execute(
                "UPDATE history SET summary = replace(summary, ?, ?) WHERE instr(summary, ?) > 0",
                (text, FORGOTTEN, text),
            )
    c.execute("UPDATE history SET summary = replace(summary, ?, ?)", (nip, pseudonym))
    # What others' rows say about them: a note on another participant ("menggantikan Ahmad
    # Fauzi"), a reason, a history line or a file named after them (surat-ahmad-fauzi.pdf).
    scrub = scrubber(nip, pseudonym, name=name, plain=plain, email=email, phone=phone)
    for table, column in NAMING_COLUMNS:
        changed = [
            (scrub(text), rowid)
            for rowid, text in c.execute(
                f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL"
            )
            if scrub(text) != text
        ]
        c.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", changed)
    c.execute("DELETE FROM people WHERE nip = ?", (nip,))
    return pseudonym


def purge_old_versions(store: Store) -> None:
    """On a PostgreSQL register, VACUUM the tables the erasure rewrote, after COMMIT.

    An UPDATE or DELETE leaves the old row version in the table's pages until VACUUM: no
    query can read it, but the bytes stay on the server's disk. VACUUM frees them at once
    instead of whenever autovacuum comes by. (It cannot run inside a transaction, hence after
    the erasure's; the server's WAL and its backups still hold the old rows until they are
    recycled: README, "Shared register".) SQLite's file needs nothing: secure_delete."""
    if store.dialect != "postgres":
        return
    import contextlib

    tables = sorted({t for t, _c in NAMING_COLUMNS} | {"people", "enrollments", "scores"})
    # Only the owner of a table may vacuum it; a register shared by several accounts still
    # erased the person: the old versions then go at the next autovacuum.
    with contextlib.suppress(Exception):
        store.conn.execute("VACUUM " + ", ".join(tables))


# Free texts and file names that may name anyone, the person's own rows and others'.
NAMING_COLUMNS = (
    ("history", "summary"),
    ("history", "file"),
    ("attendance", "note"),
    ("attendance", "source_file"),
    ("enrollments", "withdrawn_reason"),
    ("certificates", "revoked_reason"),
    ("certificate_files", "file_name"),
    ("scores", "source_file"),
    ("remedials", "source_file"),
    ("cohorts", "source_file"),
)


def scrubber(
    nip: str,
    pseudonym: str,
    *,
    name: str | None,
    plain: str,
    email: str | None,
    phone: str | None,
) -> Callable[[str], str]:
    """A function that replaces, in any text, what names the person: the NIP (also written
    in groups, "19830922 201209 1 919") by the pseudonym; the name (as stored, or without
    titles in any case and with any separators, as in "AHMAD_FAUZI" or "surat-ahmad-fauzi.pdf"),
    the e-mail address and the phone number by FORGOTTEN. Strings under 4 characters are not
    looked for: they would cut into other people's words."""
    import re

    apart = r"[\s.\-_/]?"
    patterns: list[tuple[re.Pattern[str], str]] = [
        (
            re.compile(r"(?<![0-9A-Za-z])" + apart.join(map(re.escape, nip)) + r"(?![0-9A-Za-z])"),
            pseudonym,
        )
    ]
    words = plain.split()
    texts = [t for t in (name, email, phone) if t and len(t) >= 4]
    for text in sorted(texts, key=len, reverse=True):
        patterns.append((re.compile(re.escape(text), re.IGNORECASE), FORGOTTEN))
    if words and len(" ".join(words)) >= 4:
        joined = r"[\W_]+".join(re.escape(w) for w in words)
        patterns.append((re.compile(rf"(?<![^\W_]){joined}(?![^\W_])", re.IGNORECASE), FORGOTTEN))

    def scrub(text: str) -> str:
        for pattern, replacement in patterns:
            text = pattern.sub(replacement, text)
        return text

    return scrub
