"""A refused form on the personnel pages is summed up at the top of the page (core/_error_summary.html):
one focused alert whose links lead to the fields of the form that was sent, also on the pages that
hold several forms, and a title that begins with "Kesalahan: "."""

import datetime as dt

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


@pytest.mark.parametrize(
    "held_on, field, message",
    [
        ("2099-01-01", "held_on", "Tanggal sesi tidak boleh di masa depan."),
        ("kemarin", "held_on", None),  # not a date: the form's own message
    ],
)
def test_a_refused_mentoring_session_keeps_what_was_typed(people, org, held_on, field, message):
    """A session the service refuses (a date in the future) or the form refuses (no date) comes back on
    the page at the pair's form, with the topic and outcome as typed and the error at its field; nothing
    is recorded. Before, the page redirected with a message and the typed text was lost."""
    from amanah.personnel import services
    from amanah.personnel.models import MentoringSession

    a = org["a"]
    pair = services.start_mentoring(
        people["hr"],
        mentor=a["kabid"],
        mentee=a["staff"],
        goals="Menguasai SIAK",
        start=helpers.today() - dt.timedelta(days=10),
    )
    client = Client()
    client.force_login(people["kabid"])
    typed = {"topic": "Verifikasi dokumen KK", "outcome": "Perlu latihan lagi"}
    r = client.post(
        "/kepegawaian/mentoring/",
        {"action": "session", "pair": pair.pk, "held_on": held_on, **typed},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == [f"s{pair.pk}-{field}"]
    assert 'value="Verifikasi dokumen KK"' in page and "Perlu latihan lagi</textarea>" in page
    assert f'aria-describedby="s{pair.pk}-{field}_error"' in page
    if message:
        assert message in page
    assert not MentoringSession.objects.exists()
    # the same form with a good date is recorded and the page goes back to the list
    ok = client.post(
        "/kepegawaian/mentoring/",
        {"action": "session", "pair": pair.pk, "held_on": helpers.today().isoformat(), **typed},
    )
    assert ok.status_code == 302
    assert MentoringSession.objects.get().topic == "Verifikasi dokumen KK"
