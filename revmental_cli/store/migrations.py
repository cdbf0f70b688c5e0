"""Append-only schema migrations. Never change what one that has shipped does, nor reorder
them: add a new one.

Before adding one, save a store of the current version in tests/fixtures/stores/ (its
README says how): the upgrade of every earlier version is tested on a real file.

Tables are created with explicit SQL and STRICT typing so that a NIP, a phone number or an NDH
can never be stored as a number (sqlite-utils guesses a column's type from the first values it
is given, and a column of INTEGER affinity keeps "0812..." as the number 812...): SQLite
refuses the wrong type instead of silently converting it.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from revmental_cli.schema import APPLICATION_ID

DUPLICATE_REVOKED = "duplicate issued by concurrent runs; revoked by the upgrade to schema 5"

migrations = Migrations("revmental")


def _run(db: Database, statements: str) -> None:
    # Not executescript(): it COMMITs first, which would break the migration's transaction.
    for statement in statements.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_initial_schema(db: Database) -> None:
    _run(
        db,
        f"""
PRAGMA application_id = {APPLICATION_ID};
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE programmes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;
CREATE TABLE cohorts (
    id TEXT PRIMARY KEY,
    programme_code TEXT NOT NULL REFERENCES programmes(code),
    angkatan INTEGER NOT NULL,
    year INTEGER NOT NULL,
    organiser TEXT NOT NULL,
    mode TEXT NOT NULL,
    capacity INTEGER,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    jp_minutes INTEGER NOT NULL,
    definition TEXT NOT NULL,          -- the validated definition as JSON, defaults filled in
    source_file TEXT,
    source_sha256 TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
) STRICT;
CREATE TABLE facilitators (
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (cohort_id, id)
) STRICT;
CREATE TABLE sessions (
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    title TEXT NOT NULL,
    jp INTEGER NOT NULL CHECK (jp > 0),
    facilitator_id TEXT,
    kind TEXT NOT NULL,
    PRIMARY KEY (cohort_id, number)
) STRICT;
CREATE INDEX sessions_by_date ON sessions (date, start_time);
CREATE TABLE people (
    nip TEXT PRIMARY KEY CHECK (length(nip) = 18),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,             -- the name without titles, for matching video-call names
    birth_place TEXT,
    birth_date TEXT,
    sex TEXT,
    golongan TEXT,
    pangkat TEXT,
    position TEXT,
    agency TEXT,
    work_unit TEXT,
    email TEXT,
    phone TEXT,
    employment TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    forgotten_at TEXT
) STRICT;
CREATE INDEX people_by_email ON people (email COLLATE NOCASE);
CREATE INDEX people_by_name_key ON people (name_key);
CREATE TABLE enrollments (
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    nip TEXT NOT NULL REFERENCES people(nip),
    ndh INTEGER NOT NULL CHECK (ndh > 0),
    status TEXT NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'withdrawn')),
    withdrawn_reason TEXT,
    enrolled_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, nip),
    UNIQUE (cohort_id, ndh)
) STRICT;
CREATE INDEX enrollments_by_nip ON enrollments (nip);
CREATE TABLE attendance (
    cohort_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    nip TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'excused', 'sick', 'absent')),
    minutes REAL,
    first_join TEXT,
    source TEXT NOT NULL CHECK (source IN ('import', 'manual')),
    source_file TEXT,
    note TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, session, nip),
    FOREIGN KEY (cohort_id, session) REFERENCES sessions(cohort_id, number) ON DELETE CASCADE,
    FOREIGN KEY (cohort_id, nip) REFERENCES enrollments(cohort_id, nip) ON DELETE CASCADE
) STRICT;
CREATE INDEX attendance_by_person ON attendance (cohort_id, nip);
CREATE TABLE scores (
    cohort_id TEXT NOT NULL,
    nip TEXT NOT NULL,
    component TEXT NOT NULL,
    value REAL NOT NULL CHECK (value >= 0 AND value <= 100),
    source_file TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, nip, component),
    FOREIGN KEY (cohort_id, nip) REFERENCES enrollments(cohort_id, nip) ON DELETE CASCADE
) STRICT;
CREATE TABLE certificates (
    number TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    seq INTEGER NOT NULL,
    nip TEXT NOT NULL REFERENCES people(nip),
    predicate TEXT,
    final_score REAL,
    issued_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT,
    UNIQUE (cohort_id, seq)
) STRICT;
CREATE INDEX certificates_by_person ON certificates (cohort_id, nip);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    command TEXT NOT NULL,
    cohort_id TEXT,
    summary TEXT NOT NULL,
    file TEXT,
    sha256 TEXT
) STRICT
""",
    )


@migrations()
def m002_drop_unused_people_indexes(db: Database) -> None:
    # Reports are matched in Python against the cohort's roster, never looked up by e-mail or
    # name in SQL: the two indexes only slowed every roster import.
    _run(db, "DROP INDEX IF EXISTS people_by_email;\nDROP INDEX IF EXISTS people_by_name_key")


@migrations()
def m003_drop_people_name_key(db: Database) -> None:
    # Never read: attendance matching strips titles in Python from the name itself.
    _run(db, "ALTER TABLE people DROP COLUMN name_key")


@migrations()
def m004_certificate_holder_as_issued(db: Database) -> None:
    # People are shared by every cohort: a later cohort's roster may correct a name or a
    # promotion. A certificate must keep what it was issued with.
    _run(
        db,
        "ALTER TABLE certificates ADD COLUMN name TEXT;\n"
        "ALTER TABLE certificates ADD COLUMN golongan TEXT;\n"
        "ALTER TABLE certificates ADD COLUMN pangkat TEXT;\n"
        "ALTER TABLE certificates ADD COLUMN position TEXT;\n"
        "ALTER TABLE certificates ADD COLUMN agency TEXT;\n"
        "UPDATE certificates SET (name, golongan, pangkat, position, agency) = "
        "(SELECT p.name, p.golongan, p.pangkat, p.position, p.agency FROM people p "
        "WHERE p.nip = certificates.nip)",
    )


@migrations()
def m005_one_standing_certificate(db: Database) -> None:
    # Two `certificate issue` run at the same time could give a participant two valid
    # certificates: each chose whom to certify before it took the write lock. From now on an
    # index refuses the second one. Stores that already hold such pairs keep the first number
    # and revoke the later ones, each with a line in the history: never fail the upgrade, and
    # never delete a number (it may be printed on a certificate already).
    from revmental_cli.store.connection import now, os_user

    later = db.execute(
        "SELECT c.number, c.cohort_id, (SELECT o.number FROM certificates o "
        "WHERE o.cohort_id = c.cohort_id AND o.nip = c.nip AND o.revoked_at IS NULL "
        "ORDER BY o.seq LIMIT 1) FROM certificates c WHERE c.revoked_at IS NULL AND EXISTS "
        "(SELECT 1 FROM certificates o WHERE o.cohort_id = c.cohort_id AND o.nip = c.nip "
        "AND o.revoked_at IS NULL AND o.seq < c.seq) ORDER BY c.cohort_id, c.seq"
    ).fetchall()
    stamp, user = now(), os_user()
    for number, cohort_id, first in later:
        db.execute(
            "UPDATE certificates SET revoked_at = ?, revoked_reason = ? WHERE number = ?",
            (stamp, DUPLICATE_REVOKED, number),
        )
        db.execute(
            "INSERT INTO history (at, user, command, cohort_id, summary) VALUES (?, ?, ?, ?, ?)",
            (
                stamp,
                user,
                "revmental (upgrade to schema 5)",
                cohort_id,
                f"certificate {number} revoked: a duplicate of {first}, issued to the same "
                "participant by concurrent runs; revoked by the upgrade to schema 5",
            ),
        )
    db.execute(
        "CREATE UNIQUE INDEX certificates_one_standing ON certificates (cohort_id, nip) "
        "WHERE revoked_at IS NULL"
    )
    # Nothing in revmental deletes a certificate or takes a revocation back: make that a rule
    # of the file, so a hand-made edit cannot reuse or revive a number either.
    db.execute(
        "CREATE TRIGGER certificates_never_deleted BEFORE DELETE ON certificates BEGIN "
        "SELECT RAISE(ABORT, 'a certificate is never deleted: revoke it instead'); END"
    )
    db.execute(
        "CREATE TRIGGER certificates_stay_revoked BEFORE UPDATE OF revoked_at ON certificates "
        "WHEN OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NULL BEGIN "
        "SELECT RAISE(ABORT, 'a revoked certificate stays revoked: issue a new one'); END"
    )


@migrations()
def m006_documents_and_more_people(db: Database) -> None:
    # Printable STTPs: each certificate gets a random verification code (the QR code carries
    # it; a number alone is guessable), and every rendered file's SHA-256 is kept, so that
    # `certificate check` can tell an issued file from a changed one.
    from revmental_cli.store.certificates import new_code

    db.execute("ALTER TABLE certificates ADD COLUMN code TEXT")
    for (number,) in db.execute("SELECT number FROM certificates ORDER BY number").fetchall():
        db.execute("UPDATE certificates SET code = ? WHERE number = ?", (new_code(), number))
    db.execute("CREATE UNIQUE INDEX certificates_by_code ON certificates (code)")
    _run(
        db,
        """
CREATE TABLE certificate_files (
    number TEXT NOT NULL REFERENCES certificates(number),
    format TEXT NOT NULL CHECK (format IN ('pdf', 'docx')),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rendered_at TEXT NOT NULL,
    PRIMARY KEY (number, sha256)
) STRICT;
CREATE INDEX certificate_files_by_sha256 ON certificate_files (sha256);
CREATE TABLE remedials (
    cohort_id TEXT NOT NULL,
    nip TEXT NOT NULL,
    component TEXT NOT NULL,
    value REAL NOT NULL CHECK (value >= 0 AND value <= 100),
    date TEXT NOT NULL,
    source_file TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, nip, component),
    FOREIGN KEY (cohort_id, nip) REFERENCES enrollments(cohort_id, nip) ON DELETE CASCADE
) STRICT
""",
    )
    # Non-ASN participants come with a 16-digit NIK or a shorter NRP in the NIP column: the
    # people table keyed only 18-digit numbers. SQLite cannot change a CHECK in place, so the
    # table is rebuilt from its own CREATE statement with that one constraint changed; the
    # foreign keys that name it are checked at COMMIT (deferred). The rows go in after the
    # rename, into "people" itself, so that SQLite counts each child row's parent back (rows
    # copied into people_new before the rename would not be).
    (people,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'people'"
    ).fetchone()
    rebuilt = people.replace("CREATE TABLE people (", "CREATE TABLE people_new (", 1).replace(
        "CHECK (length(nip) = 18)", "CHECK (length(nip) BETWEEN 5 AND 20)", 1
    )
    if "people_new" not in rebuilt or "BETWEEN 5 AND 20" not in rebuilt:
        # Changed by hand since revmental made it: stop before anything is lost.
        raise sqlite3.DatabaseError("malformed schema: the people table is not revmental's")
    db.execute("PRAGMA defer_foreign_keys = ON")
    _run(
        db,
        f"""{rebuilt};
CREATE TEMP TABLE people_copy AS SELECT * FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
INSERT INTO people SELECT * FROM temp.people_copy;
DROP TABLE temp.people_copy
""",
    )
