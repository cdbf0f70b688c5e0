"""The cohort file's sections for documents and hand-over: certificate (signatory, template,
logo, QR address, TTE anchor), siasn, closing, and the facilitators' rates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from revmental_cli.cohort_file import read_definition
from revmental_cli.domain.cohort import (
    DEFAULT_LEGAL_BASIS,
    certificate_number,
    cohort_from_dict,
    cohort_to_dict,
)
from revmental_cli.errors import ValidationFailed
from tests.conftest import EXAMPLES, RunCli
from tests.test_cohort_file import VALID

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def problems(folder: Path, text: str) -> list[tuple[int | None, str | None, str]]:
    path = folder / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_definition(path)
    return [(p.line, p.field, p.message) for p in info.value.problems]


def test_the_example_cohort_carries_what_its_documents_need() -> None:
    c = read_definition(EXAMPLES / "prm-2021-ii.yaml").cohort
    cert = c.certificate
    assert cert.signatory is not None
    assert cert.signatory.nip == "197001011995031001"
    assert (cert.place, cert.date, cert.tte_anchor) == ("Jatinangor", dt.date(2021, 10, 29), "#")
    assert cert.verify_url == "https://sttp.example.go.id/v/"
    assert cert.legal_basis == DEFAULT_LEGAL_BASIS and cert.back_page is True
    assert (c.siasn.jenis_diklat_id, c.siasn.jenis_kursus_sertipikat) == (
        6,
        "Pelatihan Revolusi Mental",
    )
    assert c.closing.committee is not None and c.closing.committee.title == "Ketua Panitia"
    rates = {f.id: (f.rate_per_jp, f.internal) for f in c.facilitators}
    assert rates["F02"] == (900000, True) and rates["F04"] == (1400000, False)


def test_the_definition_survives_the_store_round_trip() -> None:
    c = read_definition(EXAMPLES / "prm-2021-ii.yaml").cohort
    assert cohort_from_dict(cohort_to_dict(c)) == c


def test_a_definition_stored_by_an_earlier_version_still_loads() -> None:
    # Stores opened before these sections existed hold only number_format and bare facilitators.
    d = cohort_to_dict(read_definition(EXAMPLES / "latsar-2022-xiv.yaml").cohort)
    d["certificate"] = {"number_format": "{seq:03d}/X/{year}"}
    del d["siasn"], d["closing"]
    d["facilitators"] = [
        {"id": f["id"], "name": f["name"], "role": f["role"]} for f in d["facilitators"]
    ]
    c = cohort_from_dict(d)
    assert c.certificate.signatory is None and c.certificate.back_page is True
    assert c.siasn.jenis_diklat_id is None and c.closing.signatory is None
    assert all(f.rate_per_jp is None and not f.internal for f in c.facilitators)


def test_number_placeholders_for_roman_angkatan_and_month(tmp_path: Path) -> None:
    text = VALID + (
        "certificate:\n"
        '  number_format: "{seq:03d}/STTP/{angkatan_roman}/{month_roman}/{year}"\n'
        "  date: 2021-10-29\n"
    )
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    c = read_definition(path).cohort
    assert certificate_number(c.certificate, c, 7) == "007/STTP/I/X/2021"


def test_every_mistake_in_the_new_sections_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "not-a-logo.png").write_text("this is text, not an image", encoding="utf-8")
    text = VALID + (
        "certificate:\n"  # line 14
        "  template: templates/missing.typ\n"
        "  logo: not-a-logo.png\n"
        "  verify_url: sttp dot example\n"
        '  tte_anchor: "##"\n'
        "  signatory: {title: Kepala, name: Dr. Nama, nip: '1970'}\n"
        "  colour: red\n"
        "siasn: {jenis_diklat_id: enam}\n"  # line 21
        "closing:\n"
        "  signatory: {name: Tanpa Jabatan}\n"
    )
    text = text.replace(
        '  - {id: F01, name: "Dra. Ani Rahayu, M.Si."}',
        '  - {id: F01, name: "Dra. Ani Rahayu, M.Si.", rate_per_jp: -5, internal: maybe}',
    )
    found = problems(tmp_path, text)
    fields = {f for _line, f, _m in found}
    assert {
        "facilitators[0].rate_per_jp",
        "facilitators[0].internal",
        "certificate.template",
        "certificate.logo",
        "certificate.verify_url",
        "certificate.tte_anchor",
        "certificate.signatory.nip",
        "siasn.jenis_diklat_id",
        "closing.signatory.title",
    } <= fields, found
    assert any(f == "certificate.colour" or "colour" in m for _l, f, m in found), found
    lines = {f: line for line, f, _m in found}
    assert lines["certificate.template"] == 15
    assert lines["certificate.logo"] == 16
    assert lines["siasn.jenis_diklat_id"] == 21
    message = dict((f, m) for _l, f, m in found)
    assert "does not exist" in message["certificate.template"]
    assert "not a PNG or SVG image" in message["certificate.logo"]


def test_a_real_logo_and_template_next_to_the_file_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG_1X1)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "sttp.typ").write_text("= STTP\n", encoding="utf-8")
    path = tmp_path / "c.yaml"
    path.write_text(
        VALID + "certificate:\n  template: templates/sttp.typ\n  logo: logo.png\n",
        encoding="utf-8",
    )
    cert = read_definition(path).cohort.certificate
    assert (cert.template, cert.logo) == ("templates/sttp.typ", "logo.png")


def test_cohort_show_json_shows_the_new_sections(cli: RunCli, prm: Path) -> None:
    data = cli("cohort", "show", "--json").json()
    assert data["certificate"]["signatory"]["name"] == "Dr. Nama Pejabat, M.Si."
    assert data["certificate"]["legal_basis"] == DEFAULT_LEGAL_BASIS
    assert data["siasn"] == {
        "jenis_diklat_id": 6,
        "jenis_kursus_sertipikat": "Pelatihan Revolusi Mental",
    }
    assert data["closing"]["number"] == "B.589/PKASN/X/2021"
    assert data["facilitators"][0]["rate_per_jp"] == 900000
