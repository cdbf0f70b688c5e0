"""Erasing a person (UU PDP): the one operation that rewrites every aggregate at once.

It moves the person's rows to a pseudonym and scrubs what could still name them, across
people, enrollments, attendance, scores, certificates and the history. Nothing else here.
"""

from __future__ import annotations

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
    c.execute("DELETE FROM people WHERE nip = ?", (nip,))
    return pseudonym
