"""The certificates aggregate: STTP numbers, issued once, revoked but never deleted.

The only SQL on the certificates table, but for erasing a holder (privacy.py) and the checks
of `db check` (checks.py). Which participant earns one, and the number's format, are the
domain's.
"""

from __future__ import annotations

from revmental_cli.records import Certificate
from revmental_cli.store.connection import Store, now

# Verification codes: no letters a person misreads from paper (0/O, 1/I/L), 12 characters:
# 31^12 codes, far beyond guessing one of a centre's few thousand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_code() -> str:
    """A random verification code for a certificate (the QR code and `certificate check`)."""
    # Imported here: secrets loads OpenSSL's hashlib, a few milliseconds of every command's
    # start-up, and only issuing a certificate needs it.
    import secrets

    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# The holder as the certificate was issued (a later roster may change the person's record).
_CERT_SELECT = (
    "SELECT c.number, c.cohort_id, c.seq, c.nip, coalesce(c.name, p.name), c.predicate, "
    "c.final_score, c.issued_at, c.revoked_at, c.revoked_reason, c.golongan, c.pangkat, "
    "c.position, c.agency, c.code FROM certificates c JOIN people p ON p.nip = c.nip"
)


def certificates(store: Store, cohort_id: str) -> list[Certificate]:
    rows = store.conn.execute(_CERT_SELECT + " WHERE c.cohort_id = ? ORDER BY c.seq", (cohort_id,))
    return [Certificate(*r) for r in rows]


def certificate(store: Store, number: str) -> Certificate | None:
    row = store.conn.execute(_CERT_SELECT + " WHERE c.number = ?", (number,)).fetchone()
    return Certificate(*row) if row else None


def next_certificate_seq(store: Store, cohort_id: str) -> int:
    """Numbers are never reused: the sequence continues past revoked certificates."""
    row = store.conn.execute(
        "SELECT coalesce(max(seq), 0) FROM certificates WHERE cohort_id = ?", (cohort_id,)
    ).fetchone()
    return int(row[0]) + 1


def number_taken(store: Store, number: str) -> bool:
    return (
        store.conn.execute("SELECT 1 FROM certificates WHERE number = ?", (number,)).fetchone()
        is not None
    )


def add_certificate(
    store: Store,
    number: str,
    cohort_id: str,
    seq: int,
    nip: str,
    predicate: str | None,
    final_score: float | None,
) -> None:
    store.conn.execute(
        "INSERT INTO certificates (number, cohort_id, seq, nip, predicate, final_score, "
        "issued_at, name, golongan, pangkat, position, agency, code) "
        "SELECT ?, ?, ?, ?, ?, ?, ?, name, golongan, pangkat, position, agency, ? "
        "FROM people WHERE nip = ?",
        (number, cohort_id, seq, nip, predicate, final_score, now(), new_code(), nip),
    )


def revoke_certificate(store: Store, number: str, reason: str) -> None:
    store.conn.execute(
        "UPDATE certificates SET revoked_at = ?, revoked_reason = ? WHERE number = ?",
        (now(), reason, number),
    )


def standing_duplicates(store: Store) -> list[tuple[str, list[str]]]:
    """(cohort, numbers by seq) of every participant with more than one valid certificate in
    a cohort: schema 5 forbids it, older or tampered stores may hold them (`db check`)."""
    found: dict[tuple[str, str], list[str]] = {}
    for cohort_id, nip, number in store.conn.execute(
        "SELECT cohort_id, nip, number FROM certificates c WHERE revoked_at IS NULL AND EXISTS "
        "(SELECT 1 FROM certificates o WHERE o.cohort_id = c.cohort_id AND o.nip = c.nip "
        "AND o.revoked_at IS NULL AND o.number != c.number) ORDER BY cohort_id, seq"
    ):
        found.setdefault((cohort_id, nip), []).append(number)
    return [(cohort_id, numbers) for (cohort_id, _nip), numbers in found.items()]


# --- printed certificates: the holder's other facts, rendered files, look-ups by code --------


def holder_facts(
    store: Store, cohort_id: str
) -> dict[str, tuple[int | None, str | None, str | None, str | None, str | None]]:
    """number -> (NDH, birth place, birth date, work unit, e-mail) of the cohort's holders.

    These print on an STTP (or address its e-mail) but are not kept on the certificate row:
    they come from the person's record as it is now.
    """
    rows = store.conn.execute(
        "SELECT c.number, e.ndh, p.birth_place, p.birth_date, p.work_unit, p.email "
        "FROM certificates c JOIN people p ON p.nip = c.nip "
        "LEFT JOIN enrollments e ON e.cohort_id = c.cohort_id AND e.nip = c.nip "
        "WHERE c.cohort_id = ?",
        (cohort_id,),
    )
    return {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}


def certificate_by_code(store: Store, code: str) -> Certificate | None:
    row = store.conn.execute(_CERT_SELECT + " WHERE c.code = ?", (code,)).fetchone()
    return Certificate(*row) if row else None


def save_certificate_files(store: Store, files: list[tuple[str, str, str, str]]) -> None:
    """Keep (number, format, file name, SHA-256) of rendered files; the same bytes once."""
    stamp = now()
    store.conn.executemany(
        "INSERT INTO certificate_files (number, format, file_name, sha256, rendered_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (number, sha256) DO UPDATE SET "
        "file_name = excluded.file_name, rendered_at = excluded.rendered_at",
        [(n, f, name, sha, stamp) for n, f, name, sha in files],
    )


def rendered_file(store: Store, number: str, sha256: str) -> tuple[str, str] | None:
    """(file name, rendered at) of a file of this certificate with these bytes, if any."""
    row = store.conn.execute(
        "SELECT file_name, rendered_at FROM certificate_files WHERE number = ? AND sha256 = ?",
        (number, sha256),
    ).fetchone()
    return (row[0], row[1]) if row else None


def revoked_files(store: Store, cohort_id: str, fmt: str) -> list[tuple[str, str]]:
    """(file name, SHA-256) of every file rendered for a revoked certificate of the cohort."""
    rows = store.conn.execute(
        "SELECT f.file_name, f.sha256 FROM certificate_files f "
        "JOIN certificates c ON c.number = f.number "
        "WHERE c.cohort_id = ? AND c.revoked_at IS NOT NULL AND f.format = ?",
        (cohort_id, fmt),
    )
    return [(r[0], r[1]) for r in rows]
