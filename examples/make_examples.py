"""Regenerate the example data of the README's full journey: ``python examples/make_examples.py``.

Deterministic: the same files every run. The people are the 25 participants of
``examples/peserta-prm-2021-ii.csv``; the cohort is ``cohorts/prm-2021-ii.yaml``.

What it writes:

- ``examples/attendance/zoom-sesi-01.csv`` ... ``zoom-sesi-11.csv``: one Zoom participant
  report for each synchronous session (1, 2, 3, 5, 6, 7, 8, 10, 11), as Zoom exports it
  (meeting block, blank line, participant table, ``MM/DD/YYYY hh:mm:ss AM/PM``). Each
  meeting starts 5-12 minutes before its session, so ``attendance import`` finds the
  session by itself.
- ``examples/attendance/mandiri-sesi-04.csv`` and ``mandiri-sesi-09.csv``: the organiser's
  sheets for the two self-paced sessions (``NIP;Nama;Keterangan``), imported with
  ``--session 4`` / ``--session 9``.
- ``examples/nilai-prm-2021-ii.csv``: the facilitators' score sheet (component names as
  headers, grouped NIPs, decimal commas, one empty cell).

The story (the completion report an administrator will recognise) is written out below
by hand, session by session and score by score; ``EXPECTED`` holds the results worked
out on paper from it. ``tests/test_journey.py`` keeps its own copy of ``EXPECTED`` and
checks the product against it.

JP per session: 1:4 2:3 3:3 4:4 5:3 6:3 7:3 8:3 9:4 10:4 11:2, 36 JP in all. Passing
attendance is 90% = 32.4 JP, so at least 33 JP: a participant may miss one 3 JP session
(33/36 = 91.7%) or the 2 JP session 11 (34/36 = 94.4%), but not a 4 JP one (88.9%).
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROSTER = HERE / "peserta-prm-2021-ii.csv"
OUT = HERE / "attendance"
SCORES = HERE / "nilai-prm-2021-ii.csv"
RNG = random.Random(20211029)  # only picks the unremarkable join/leave seconds


@dataclass(frozen=True)
class Person:
    ndh: int
    name: str  # as on the roster, titles included
    nip: str  # as on the roster: grouped "19830922 201209 1 919"
    email: str

    @property
    def solid_nip(self) -> str:
        return self.nip.replace(" ", "")


def roster() -> dict[int, Person]:
    with ROSTER.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return {
        int(r["No"]): Person(int(r["No"]), r["Nama Lengkap"], r["NIP"], r["Email"]) for r in rows
    }


# The name each participant types into Zoom (no titles), by NDH.
ZOOM_NAME = {
    1: "Ahmad Fauzi",
    2: "Wulan Sari",
    3: "Siti Rahmawati",
    4: "Budi Santoso",
    5: "Ani Rahayu",
    6: "Bambang Sutrisno",
    7: "Dewi Lestari",
    8: "Hendra Gunawan",
    9: "Rina Marlina",
    10: "Rudi Hartono",
    11: "Sri Wahyuni",
    12: "I Made Suardana",
    13: "Nur Aini",
    14: "Muhammad Rizki Pratama",
    15: "Maya Puspitasari",
    16: "Agus Salim",
    17: "Ratna Kusumawati",
    18: "Yohanes Kristianto",
    19: "Fitri Handayani",
    20: "Dedi Kurniawan",
    21: "Intan Permatasari",
    22: "Fajar Nugroho",
    23: "Putu Ayu Wulandari",
    24: "Andi Firmansyah",
    25: "Yuliani",
}

# ----------------------------------------------------------- synchronous sessions
# Copied from cohorts/prm-2021-ii.yaml: number -> (date, start, end, meeting start).
SESSIONS = {
    1: ("2021-09-29", "09:00", "12:00", "08:50:02"),
    2: ("2021-09-30", "09:00", "11:15", "08:52:40"),
    3: ("2021-10-01", "09:00", "11:15", "08:54:11"),
    5: ("2021-10-06", "09:00", "11:15", "08:49:30"),
    6: ("2021-10-08", "09:00", "11:15", "08:51:05"),
    7: ("2021-10-11", "09:00", "11:15", "08:53:58"),
    8: ("2021-10-13", "13:00", "15:15", "12:50:20"),
    10: ("2021-10-27", "09:00", "12:00", "08:48:45"),
    11: ("2021-10-29", "09:00", "10:30", "08:54:30"),
}
MEETING_IDS = {
    1: "812 3456 7890",
    2: "812 3456 7891",
    3: "845 2210 3317",
    5: "845 2210 4402",
    6: "871 0094 5520",
    7: "871 0094 6631",
    8: "893 1175 2208",
    10: "893 1175 9014",
    11: "812 3456 7999",
}
TITLES = {
    1: "Pembukaan dan Orientasi Program",
    2: "Wawasan Kebangsaan dan Nilai-Nilai Bela Negara",
    3: "Konsep Revolusi Mental dalam Birokrasi",
    5: "Birokrasi Bersih",
    6: "Birokrasi Melayani",
    7: "Birokrasi Responsif",
    8: "Coaching Rancangan Transformasi Budaya Birokrasi",
    10: "Seminar Rancangan Transformasi Budaya Birokrasi",
    11: "Evaluasi dan Penutupan",
}
HOST = ("Puslatbang PKASN", "host@lan.example")

# What each participant did in each synchronous session, where it is not simply "on time,
# signed in, stayed to the end". Everyone not named here for a session is present.
#   late M        joins M minutes after the start and stays to the end (late, counted)
#   missing       not in the report at all (absent)
#   early M       joins on time, leaves M minutes after the start (absent: under 75%)
#   reconnect     drops out and comes back (2-3 rows; present)
#   device        a second device at the same time, same email (present, counted once)
#   caps          not signed in, name in capitals (matched by name)
#   ndh           not signed in, "05_Ani Rahayu" (matched by the NDH)
#   nip           not signed in, the NIP typed into the name (matched by the NIP)
#   original      not signed in, "Wulan Sari (Wulan)" (matched by name)
#   upper-email   signed in with the email in capitals (matched by email)
PLAN: dict[int, dict[int, tuple[str, ...]]] = {
    1: {
        2: ("original",),
        3: ("ndh",),
        4: ("caps",),
        9: ("nip",),
        10: ("reconnect",),
        12: ("device",),
        14: ("late 32",),
        16: ("upper-email",),
        22: ("late 17",),
    },
    2: {
        3: ("late 20",),
        4: ("caps",),
        5: ("ndh",),  # only "05_Ani Rahayu" in this report
        14: ("missing",),
    },
    3: {
        6: ("late 22",),
        14: ("early 20",),
        18: ("caps",),
    },
    5: {
        14: ("late 19",),
        17: ("early 55",),
        24: ("late 25",),
        # + "iPhone Pak Hendra" (EXTRA below): Hendra is also signed in by email
    },
    6: {
        4: ("early 60",),
        16: ("reconnect",),
        20: ("late 18",),
    },
    7: {
        12: ("device",),
        14: ("late 16",),
        22: ("missing",),
    },
    8: {
        10: ("missing",),
        18: ("caps",),
        25: ("late 21",),
    },
    10: {
        2: ("reconnect",),
        15: ("device",),
        19: ("late 30",),
        24: ("late 26",),
    },
    11: {
        11: ("missing",),  # excused: `attendance mark ... --session 11 --status izin`
        14: ("late 18",),
        23: ("caps",),
    },
}
# A row that matches nobody: Hendra Gunawan's phone, unsigned, while his laptop is
# signed in by email in the same meeting. Session -> (display name, join, leave) offsets
# in minutes from the session's start.
EXTRA = {5: ("iPhone Pak Hendra", 12, 70)}

# ------------------------------------------------------------ self-paced sessions
# Everyone hands in the work; a few late ("terlambat", still counted).
MANDIRI = {
    4: {14: "Terlambat", 24: "terlambat"},
    9: {14: "Terlambat", 20: "Terlambat"},
}

# ------------------------------------------------------------------- scores
# NDH -> (sikap 30%, akademik 20%, rancangan 50%) as the facilitators write them.
SCORES_BY_NDH: dict[int, tuple[str, str, str]] = {
    1: ("92", "90", "93"),
    2: ("85", "80", "82"),
    3: ("88", "84,5", "86"),
    4: ("78", "75", "76"),
    5: ("90", "90", "90"),
    6: ("80", "76", "78,5"),
    7: ("95", "92", "94"),
    8: ("84", "82", "85"),
    9: ("86", "88", "84"),
    10: ("75", "72", "74"),
    11: ("85,5", "77,5", "80,25"),
    12: ("82", "79", "81"),
    13: ("93", "91", "92"),
    14: ("84", "80", "86"),
    15: ("87", "85", "88"),
    16: ("76", "74", "72"),
    17: ("70", "65", "64"),
    18: ("83", "86", "80"),
    19: ("79", "81", "77"),
    20: ("80", "78", ""),  # the Rancangan has not been assessed: deferred
    21: ("91", "94", "90,5"),
    22: ("81", "83", "79"),
    23: ("70", "70", "70,02"),
    24: ("60", "55", "50"),
    25: ("88", "86", "89"),
}

# ------------------------------------------------------------------ expected
# Worked out by hand from PLAN, MANDIRI and SCORES_BY_NDH:
# final = 0.3 sikap + 0.2 akademik + 0.5 rancangan, rounded half-up to 0.01;
# predicate from the cohort's bands (Sangat Memuaskan from 90.01, Memuaskan from 80.01,
# Cukup Memuaskan from 70.01, Kurang Memuaskan from 60.01), none while a required score
# is missing; attendance = JP of present/late sessions / 36.
# NIP -> (NDH, status, predicate, final score, attendance %)
EXPECTED: dict[str, tuple[int, str, str | None, float, float]] = {
    "198309222012091919": (1, "passed", "Sangat Memuaskan", 92.10, 100.0),  # 27.6+18+46.5
    "198010062002042080": (2, "passed", "Memuaskan", 82.50, 100.0),  # 25.5+16+41
    "199312232016072178": (3, "passed", "Memuaskan", 86.30, 100.0),  # 26.4+16.9+43; late s2
    "199008122011031301": (4, "passed", "Cukup Memuaskan", 76.40, 91.7),  # left s6 early: 33/36
    "199408022017112466": (5, "passed", "Memuaskan", 90.00, 100.0),  # 27+18+45: not > 90
    "197501232019121005": (6, "passed", "Cukup Memuaskan", 78.45, 100.0),  # 24+15.2+39.25
    "199310152019112298": (7, "passed", "Sangat Memuaskan", 93.90, 100.0),  # 28.5+18.4+47
    "198502032021061471": (8, "passed", "Memuaskan", 84.10, 100.0),  # 25.2+16.4+42.5
    "198810232014112857": (9, "passed", "Memuaskan", 85.40, 100.0),  # 25.8+17.6+42
    "199011182016101195": (10, "passed", "Cukup Memuaskan", 73.90, 91.7),  # missed s8: 33/36
    "199611202019062784": (11, "passed", "Memuaskan", 81.28, 94.4),  # 81.275 up; izin s11
    "198502202007111365": (12, "passed", "Memuaskan", 80.90, 100.0),  # 24.6+15.8+40.5
    "198902162011122266": (13, "passed", "Sangat Memuaskan", 92.10, 100.0),  # 27.9+18.2+46
    "199411052020121402": (14, "not_passed", "Memuaskan", 84.20, 83.3),  # missed s2, s3: 30/36
    "197309021996022415": (15, "passed", "Memuaskan", 87.10, 100.0),  # 26.1+17+44
    "197911261999041821": (16, "passed", "Cukup Memuaskan", 73.60, 100.0),  # 22.8+14.8+36
    "197810062002082389": (17, "deferred", "Kurang Memuaskan", 66.00, 91.7),  # 21+13+32
    "199412142016011922": (18, "passed", "Memuaskan", 82.10, 100.0),  # 24.9+17.2+40
    "199407112019032372": (19, "passed", "Cukup Memuaskan", 78.40, 100.0),  # 23.7+16.2+38.5
    "199808062023061230": (20, "deferred", None, 39.60, 100.0),  # 24+15.6+(no rancangan)
    "198304242012092369": (21, "passed", "Sangat Memuaskan", 91.35, 100.0),  # 27.3+18.8+45.25
    "200012242020071651": (22, "passed", "Memuaskan", 80.40, 91.7),  # missed s7: 33/36
    "197804152008032994": (23, "passed", "Cukup Memuaskan", 70.01, 100.0),  # 21+14+35.01
    "197606072018021298": (24, "not_passed", "Tidak Memuaskan", 54.00, 100.0),  # 18+11+25
    "197208022002122886": (25, "passed", "Memuaskan", 88.10, 100.0),  # 26.4+17.2+44.5
}
# Certificates: the passed participants in NDH order, from 001.
EXPECTED_CERTIFICATES = {
    ndh: f"{seq:03d}/STTP/PRM-II/PKASN/2021"
    for seq, ndh in enumerate(
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 18, 19, 21, 22, 23, 25], start=1
    )
}


# --------------------------------------------------------------------- writing


def write(path: Path, rows: list[list[str]], *, delimiter: str = ",") -> None:
    """CSV as Excel/Zoom write it: UTF-8 with a BOM, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def at(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day} {hhmm}")


def us_ampm(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M:%S ") + ("AM" if moment.hour < 12 else "PM")


def zoom_minutes(join: datetime, leave: datetime) -> int:
    return math.ceil((leave - join).total_seconds() / 60)  # Zoom rounds up


def jitter(low_s: int, high_s: int) -> timedelta:
    return timedelta(seconds=RNG.randint(low_s, high_s))


Row = tuple[str, str, datetime, datetime]  # display name, email, join, leave


def session_rows(number: int, people: dict[int, Person]) -> list[Row]:
    day, start_s, end_s, _ = SESSIONS[number]
    start, end = at(day, start_s), at(day, end_s)
    plan = PLAN.get(number, {})
    rows: list[Row] = []
    for ndh, person in people.items():
        how = plan.get(ndh, ())
        if "missing" in how:
            continue
        name, email = ZOOM_NAME[ndh], person.email
        # On time: somewhere between 8 minutes early and 10 minutes late, staying to
        # within 5 minutes of the end or a little after (always >= 75%, never late).
        join = start + jitter(-8 * 60, 10 * 60)
        leave = end + jitter(-5 * 60, 6 * 60)
        for step in how:
            word, _, value = step.partition(" ")
            if word == "late":
                join = start + timedelta(minutes=int(value)) + jitter(0, 50)
                leave = end + jitter(0, 4 * 60)  # stays to the end: enough minutes
            elif word == "early":
                join = start + jitter(-4 * 60, 3 * 60)
                leave = start + timedelta(minutes=int(value))
            elif word == "caps":
                name, email = name.upper(), ""
            elif word == "ndh":
                name, email = f"{ndh:02d}_{name}", ""
            elif word == "nip":
                name, email = f"{person.solid_nip} {name.split()[0]}", ""
            elif word == "original":
                name, email = f"{name} ({name.split()[0]})", ""
            elif word == "upper-email":
                email = email.upper()
        if "reconnect" in how:
            # Drops out twice (bad signal); the gaps are short, still present.
            cut1 = start + timedelta(minutes=47) + jitter(0, 59)
            cut2 = start + timedelta(minutes=101) + jitter(0, 59)
            rows += [
                (name, email, join, cut1),
                (name, email, cut1 + timedelta(minutes=2, seconds=30), cut2),
                (name, email, cut2 + timedelta(minutes=1, seconds=45), leave),
            ]
            continue
        rows.append((name, email, join, leave))
        if "device" in how:
            # The phone joins too, same account: overlapping, counted once.
            rows.append(
                (
                    f"{name.split()[-1]} (HP)",
                    email,
                    join + timedelta(minutes=6) + jitter(0, 59),
                    leave - timedelta(minutes=4) - jitter(0, 59),
                )
            )
    if number in EXTRA:
        label, a, b = EXTRA[number]
        rows.append((label, "", start + timedelta(minutes=a), start + timedelta(minutes=b)))
    return rows


MEETING_HEADER = [
    "Meeting ID",
    "Topic",
    "Start Time",
    "End Time",
    "User Email",
    "Duration (Minutes)",
    "Participants",
]
PARTICIPANT_HEADER = [
    "Name (Original Name)",
    "User Email",
    "Join Time",
    "Leave Time",
    "Duration (Minutes)",
    "Guest",
    "Recording Consent",
]


def make_zoom(number: int, people: dict[int, Person]) -> None:
    day, _, _, meeting_s = SESSIONS[number]
    rows = session_rows(number, people)
    meeting_start = at(day, meeting_s)
    meeting_end = max(leave for *_, leave in rows) + timedelta(minutes=1, seconds=12)
    host: Row = (HOST[0], HOST[1], meeting_start, meeting_end)
    timeline = [host, *sorted(rows, key=lambda r: (r[2], r[0]))]  # Zoom: in join order
    table = [
        MEETING_HEADER,
        [
            MEETING_IDS[number],
            f"Pelatihan Revolusi Mental Angkatan II - Sesi {number}: {TITLES[number]}",
            us_ampm(meeting_start),
            us_ampm(meeting_end),
            HOST[1],
            str(zoom_minutes(meeting_start, meeting_end)),
            str(len(timeline)),
        ],
        [],
        PARTICIPANT_HEADER,
    ]
    for name, email, join, leave in timeline:
        is_host = email == HOST[1]
        table.append(
            [
                name,
                email,
                us_ampm(join),
                us_ampm(leave),
                str(zoom_minutes(join, leave)),
                "No" if is_host else "Yes",
                "" if is_host or RNG.random() < 0.2 else "Y",
            ]
        )
    write(OUT / f"zoom-sesi-{number:02d}.csv", table)


def make_mandiri(number: int, people: dict[int, Person]) -> None:
    table = [["NIP", "Nama", "Keterangan"]]
    for ndh, person in people.items():
        table.append([person.nip, person.name, MANDIRI[number].get(ndh, "Hadir")])
    write(OUT / f"mandiri-sesi-{number:02d}.csv", table, delimiter=";")


def make_scores(people: dict[int, Person]) -> None:
    table = [
        [
            "No",
            "Nama",
            "NIP",
            "Sikap dan Perilaku",
            "Pemahaman Materi",
            "Rancangan Transformasi Budaya Birokrasi",
        ]
    ]
    for ndh, person in people.items():
        table.append([str(ndh), person.name, person.nip, *SCORES_BY_NDH[ndh]])
    write(SCORES, table, delimiter=";")


def main() -> None:
    people = roster()
    assert sorted(people) == list(range(1, 26))
    OUT.mkdir(exist_ok=True)
    for number in SESSIONS:
        make_zoom(number, people)
    for number in MANDIRI:
        make_mandiri(number, people)
    make_scores(people)


if __name__ == "__main__":
    main()
