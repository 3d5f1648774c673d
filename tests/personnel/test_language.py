"""Personnel in English: refusals (API and pages) are in the reader's language, counts agree with one,
and the e-mails to staff are in the site language whoever triggered them (docs/architecture.md, "The
record's language")."""

import datetime as dt
import re

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from amanah.core.calendar import Calendar
from amanah.core.models import Employee
from amanah.personnel import services
from amanah.personnel.models import Competency
from tests.complaints.conftest import WIB, Clock
from tests.i18n import client_in

from . import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/personnel"


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def english(api_as, user):
    client = api_as(user)
    client.client = client_in("en")
    return client


def test_the_apis_refusals_are_in_english(people, api_as, org):
    a = org["a"]
    hr = english(api_as, people["hr"])
    r = hr.post(
        f"{P}/employees/{a['staff'].nip}/trainings",
        {"title": "Arsip", "jp": "0", "completed_on": helpers.today().isoformat()},
    )
    assert r.status_code == 422, r.content
    assert r.json()["fields"]["jp"] == "JP must be more than 0."
    r = hr.post(
        f"{P}/employees/{a['staff'].nip}/trainings",
        {"title": "Arsip", "jp": "900", "completed_on": helpers.today().isoformat()},
    )
    assert r.json()["fields"]["jp"].startswith("JP 900 does not make sense: at most ")
    r = hr.post(
        f"{P}/employees",
        {"nip": "12345", "name": "Baru", "unit": a["bidang"].code, "position": "Staf"},
    )
    assert r.status_code == 422 and r.json()["fields"]["nip"] == "A NIP has 18 digits."
    r = hr.post(
        f"{P}/employees", {"nip": "1", "name": "Baru", "unit": "tidak-ada", "position": "Staf"}
    )
    assert r.json()["message"] == "Unknown unit." and r.json()["fields"] == {
        "unit": "Unknown unit code."
    }
    r = hr.get(f"{P}/development/behind", {"agency": "tidak-ada"})
    assert r.status_code == 404 and r.json()["message"] == "Unknown agency."
    r = hr.get(f"{P}/development/behind", {"agency": a["agency"].code, "year": 1990})
    assert r.status_code == 400
    assert r.json()["fields"] == {"year": "The year must be a number from 2000 to 2100."}
    r = hr.get(f"{P}/exports/diklat", {"agency": a["agency"].code, "format": "pdf"})
    assert r.json()["message"] == "The format must be csv or xlsx."
    # Indonesian stays Indonesian.
    r = api_as(people["hr"]).post(
        f"{P}/employees/{a['staff'].nip}/trainings",
        {"title": "Arsip", "jp": "0", "completed_on": helpers.today().isoformat()},
    )
    assert r.json()["fields"]["jp"] == "JP harus lebih dari 0."


def test_a_sanction_refusal_names_its_values_in_english(people, api_as, org):
    a = org["a"]
    case = helpers.examined_case(a["staff"], team=[a["kabid"], a["inspektur"], a["kadis"]])
    r = english(api_as, people["hr"]).post(
        f"{P}/discipline/cases/{case.number}/decision",
        {
            "proven": True,
            "official": a["kadis"].nip,
            "decision_number": "800/12",
            "decided_on": helpers.today().isoformat(),
            "level": "sedang",
            "sanction": "teguran_lisan",
        },
    )
    assert r.status_code == 422, r.content
    assert r.json()["fields"]["sanction"].startswith(
        "There is no sanction 'teguran_lisan' at level sedang. Choices: tukin_25_6"
    )


@pytest.mark.parametrize("count", [1, 2])
def test_recorded_absences_are_counted_in_english(people, org, count):
    client = client_in("en")
    client.force_login(people["hr"])
    cal = Calendar(org["a"]["agency"])
    first = cal.add(dt.date(helpers.today().year - 1, 3, 1), 1)
    dates = [first, cal.add(first, 1)][:count]
    r = client.post(
        f"/kepegawaian/pegawai/{org['a']['staff'].nip}/ketidakhadiran/",
        {"dates": "\n".join(d.isoformat() for d in dates)},
        follow=True,
    )
    page = visible(r.content.decode())
    expected = "1 day of absence recorded." if count == 1 else "2 days of absence recorded."
    assert expected in page


def test_a_gap_of_one_level_is_said_in_the_singular(people, org):
    a = org["a"]
    comm = Competency.objects.get(code="komunikasi", agency=None)
    services.set_requirement(
        people["hr"], agency=a["agency"], position="Pengadministrasi", competency=comm, level=3
    )
    services.record_assessment(
        people["hr"], a["staff"], competency=comm, level=2, assessed_on=helpers.today()
    )
    a["staff"].position = "Pengadministrasi"
    a["staff"].save()
    client = client_in("en")
    client.force_login(people["asn"])
    page = visible(client.get("/kepegawaian/saya/").content.decode())
    assert "1 level short" in page and "level(s)" not in page


def test_sent_reminders_are_counted_in_english(
    people, org, clock, django_capture_on_commit_callbacks
):
    clock.set(dt.datetime(2026, 12, 1, 10, 0, tzinfo=WIB))
    Employee.objects.exclude(pk=org["a"]["staff"].pk).update(is_active=False)
    hr = client_in("en")
    hr.force_login(people["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        r = hr.post(f"/kepegawaian/jp/?instansi={org['a']['agency'].code}&tahun=2026", follow=True)
    assert "1 reminder sent." in visible(r.content.decode())


def test_jp_reminders_are_mailed_in_indonesian_when_hr_reads_english(
    people, org, clock, smtp, django_capture_on_commit_callbacks
):
    clock.set(dt.datetime(2026, 12, 1, 10, 0, tzinfo=WIB))
    # Only the staff is behind; their supervisor, the Kabid, stays active (a supervisor who left is not
    # mailed) with the year's 20 JP done.
    Employee.objects.exclude(pk__in=[org["a"]["staff"].pk, org["a"]["kabid"].pk]).update(
        is_active=False
    )
    helpers.training(org["a"]["kabid"], jp=20, completed_on=dt.date(2026, 11, 2))
    hr = client_in("en")
    hr.force_login(people["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        r = hr.post(f"/kepegawaian/jp/?instansi={org['a']['agency'].code}&tahun=2026", follow=True)
    assert "1 reminder sent." in visible(r.content.decode())
    messages = smtp.wait(2)
    assert sorted(to for m in messages for to in m["to"]) == ["kabid@a.test", "staf@a.test"]
    (to_asn,) = smtp.to("staf@a.test")
    (to_superior,) = smtp.to("kabid@a.test")
    assert to_asn["subject"] == "Pengingat: JP pengembangan kompetensi 2026 belum 20 JP"
    assert "Setiap PNS wajib paling sedikit 20 JP per tahun" in to_asn["body"]
    assert to_superior["subject"].startswith("Pengingat JP untuk bawahan Anda")
    assert "Mohon dukung yang bersangkutan" in to_superior["body"]
    # The refusal to someone who may not send them is still in their language.
    with translation.override("en"):
        with pytest.raises(Exception) as exc:
            services.send_jp_reminders(people["asn"], org["a"]["agency"], 2026)
    assert str(exc.value) == "You are not allowed to do this."


def test_a_rating_is_mailed_in_indonesian_when_the_rater_reads_english(
    people, api_as, org, smtp, django_capture_on_commit_callbacks
):
    skp = helpers.skp(org["a"]["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        r = english(api_as, people["kabid"]).post(
            f"{P}/skp/{skp.pk}/rating", {"hasil_kerja": "sesuai", "perilaku": "sesuai"}
        )
    assert r.status_code == 200, r.content
    (rated,) = smtp.wait(1)
    assert rated["subject"] == f"SKP Anda untuk {skp.period.name} sudah dinilai"
    assert "Predikat kinerja Anda" in rated["body"] and "Baik" in rated["body"]


def test_a_decision_is_mailed_in_indonesian_when_hr_reads_english(
    people, api_as, org, smtp, django_capture_on_commit_callbacks
):
    a = org["a"]
    case = helpers.examined_case(a["staff"], team=[a["kabid"], a["inspektur"], a["kadis"]])
    with django_capture_on_commit_callbacks(execute=True):
        r = english(api_as, people["hr"]).post(
            f"{P}/discipline/cases/{case.number}/decision",
            {
                "proven": True,
                "official": a["kabid"].nip,
                "decision_number": "800/12",
                "decided_on": helpers.today().isoformat(),
                "level": "ringan",
                "sanction": "teguran_lisan",
            },
        )
    assert r.status_code == 200, r.content
    (decided,) = smtp.wait(1)
    assert decided["subject"] == f"Keputusan hukuman disiplin {case.number}"
    # A light sanction: no upaya administratif (tests/personnel/test_mail_content.py).
    assert "tidak dapat diajukan upaya administratif" in decided["body"]
    assert "Teguran lisan" in decided["body"]


@pytest.mark.parametrize(
    "msgid,one",
    [
        ("Ketidakhadiran tanpa alasan sah tahun ini: %(n)s hari kerja.", "1 working day."),
        (
            "Tidak masuk kerja tanpa alasan sah tahun ini: %(n)s hari kerja (berturut-turut "
            "paling lama %(c)s).",
            "1 working day (longest run",
        ),
        ("Rata-rata penilaian pengadu %(avg).1f dari %(n)d penilaian", "over 1 rating"),
        (
            "Pemeriksaan paling cepat %(n)d hari kerja sesudah surat panggilan dikirim "
            "(paling cepat %(d)s).",
            "at least 1 working day after",
        ),
    ],
)
def test_counted_sentences_have_a_singular_in_english(msgid, one):
    """Sentences whose number comes from the data or the configuration (the case page, the profile,
    award candidates, the summons notice) are counted."""
    with translation.override("en"):
        text = ngettext(msgid, msgid, 1) % {"n": 1, "c": 1, "avg": 4.5, "d": "1 Dec 2026"}
    assert one in text, text
