"""A refused form on the personnel pages is summed up at the top of the page (core/_error_summary.html):
one focused alert whose links lead to the fields of the form that was sent, also on the pages that
hold several forms, and a title that begins with "Kesalahan: "."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.error_summary import checked_summary

from . import helpers

pytestmark = pytest.mark.django_db

NIP = "199101252015031001"  # the staff member of agency A (tests/conftest.py)


def skp_page(org):
    return f"/kepegawaian/skp/{helpers.skp(org['a']['staff']).pk}/"


def case_page(org):
    return f"/kepegawaian/disiplin/{helpers.case(org['a']['staff']).number}/"


def objection(org):
    s = helpers.skp(org["a"]["staff"])
    s.status, s.hasil_kerja, s.perilaku, s.predicate = "dinilai", "sesuai", "sesuai", "baik"
    s.save()
    return f"/kepegawaian/saya/skp/{s.pk}/keberatan/"


# (who, the page, what is sent, the field the summary leads to)
CASES = [
    ("hr", "/kepegawaian/staf/", {"name": ""}, "id_name"),
    ("hr", "/kepegawaian/pegawai/baru/", {}, "id_nip"),
    ("hr", "/kepegawaian/program/", {}, "id_title"),
    ("hr", "/kepegawaian/disiplin/", {"allegation": "Pungli"}, "id_nip"),
    ("hr", "/kepegawaian/penghargaan/", {"action": "propose"}, "id_nip"),
    ("hr", "/kepegawaian/mentoring/", {"action": "start"}, "id_mentor"),
    ("hr", "/kepegawaian/impor/", {}, "id_file"),
    ("hr", "/kepegawaian/kompetensi/", {}, "id_position"),
    ("hr", "/kepegawaian/kompetensi/baru/", {}, "id_kompetensi-name"),
    ("hr", f"/kepegawaian/pegawai/{NIP}/pelatihan/", {}, "id_category"),
    ("hr", f"/kepegawaian/pegawai/{NIP}/ketidakhadiran/", {}, "id_dates"),
    ("hr", f"/kepegawaian/pegawai/{NIP}/pendaftaran/", {}, "id_daftar-program"),
    ("hr", f"/kepegawaian/pegawai/{NIP}/asesmen/", {}, "id_asesmen-competency"),
    ("hr", f"/kepegawaian/pegawai/{NIP}/skp/", {}, "id_period"),
    ("hr", case_page, {"action": "summons"}, "id_sent_on"),
    ("hr", case_page, {"action": "decision"}, "id_official"),
    ("kabid", skp_page, {"action": "rate"}, "id_hasil_kerja"),
    ("asn", "/kepegawaian/saya/pendaftaran/", {}, "id_ikut-program"),
    ("asn", objection, {"text": "kurang"}, lambda url: f"keberatan-{url.split('/')[-3]}-text"),
]


@pytest.mark.parametrize("who, page, data, target", CASES)
def test_a_refused_form_is_summed_up_at_the_top_of_its_page(
    people, org, client, who, page, data, target
):
    url = page(org) if callable(page) else page
    client.force_login(people[who])
    r = client.post(url, {"instansi": "kab-a", **data})
    assert r.status_code == 400, r.status_code
    targets = checked_summary(r.content.decode())
    assert (target(url) if callable(target) else target) in targets


def test_a_refused_import_leads_to_its_rows(people, org):
    client = Client()
    client.force_login(people["hr"])
    data = f"nip,nama_kegiatan,jp,tanggal_selesai\n{org['a']['staff'].nip},Kursus,abc,2025-01-01\n"
    r = client.post(
        "/kepegawaian/impor/",
        {"kind": "diklat", "file": SimpleUploadedFile("d.csv", data.encode())},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == ["import-errors"]
    assert page.count("Berkas tidak diimpor") == 1  # said in the summary, not again as a message
