"""ASN data, trainings, the 20 JP rule across years, reminders over real SMTP, competency profile."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amanah.core.models import AuditEntry, Employee
from amanah.personnel import selectors, services
from amanah.personnel.models import Competency, Program, Reminder, Training

from . import helpers

P = "/api/v1/personnel"


def test_create_employee_and_bad_nip_refused_on_the_field(people, api_as, org):
    client = api_as(people["hr"])
    r = client.post(
        f"{P}/employees",
        {
            "nip": "19900101 201501 1 099",
            "name": "Budi",
            "unit": "kab-a-dafduk",
            "position": "Analis Kependudukan",
            "education": "s1",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["nip"] == "199001012015011099" and r.json()["education"] == "s1"
    assert Employee.objects.get(nip="199001012015011099").unit == org["a"]["bidang"]
    r = client.post(
        f"{P}/employees",
        {"nip": "19901301201501109", "name": "X", "unit": "kab-a-dafduk", "position": "Analis"},
    )
    assert r.status_code == 422 and "nip" in r.json()["fields"]
    r = client.post(
        f"{P}/employees",
        {"nip": "199001012015011099", "name": "Lagi", "unit": "kab-a-dafduk", "position": "Analis"},
    )
    assert r.status_code == 422 and "sudah terdaftar" in r.json()["fields"]["nip"]
    r = client.post(
        f"{P}/employees",
        {"nip": "199001012015013099", "name": "X", "unit": "kab-a-dafduk", "position": "Analis"},
    )
    assert r.status_code == 422 and "jenis kelamin" in r.json()["fields"]["nip"]
    assert Employee.objects.filter(name="X").count() == 0


def test_jp_total_per_year_via_api(people, api_as, org):
    client = api_as(people["hr"])
    nip = org["a"]["staff"].nip
    year = helpers.today().year
    helpers.training(org["a"]["staff"], jp=15, completed_on=dt.date(year - 1, 12, 30))
    r = client.post(
        f"{P}/employees/{nip}/trainings",
        {
            "title": "Pelatihan pelayanan publik",
            "jp": 12,
            "completed_on": dt.date(year, 1, 2).isoformat(),
        },
    )
    assert r.status_code == 201, r.content
    body = client.get(f"{P}/employees/{nip}/development", {"year": year}).json()
    assert (body["year"], Decimal(body["jp_total"]), body["minimum"], body["meets_minimum"]) == (
        year,
        12,
        20,
        False,
    )
    program = Program.objects.create(
        code="e-learning-integritas",
        title="E-learning integritas",
        category="teknis",
        method="e_learning",
        competency_type="manajerial",
        jp=8,
    )
    r = client.post(
        f"{P}/employees/{nip}/trainings",
        {"program": program.code, "completed_on": dt.date(year, 1, 3).isoformat()},
    )
    assert r.status_code == 201 and r.json()["jp"] == "8.0" and r.json()["program"] == program.code
    body = client.get(f"{P}/employees/{nip}/development", {"year": year}).json()
    assert Decimal(body["jp_total"]) == 20 and body["meets_minimum"] is True
    last = client.get(f"{P}/employees/{nip}/development", {"year": year - 1}).json()
    assert Decimal(last["jp_total"]) == 15 and last["meets_minimum"] is False


@pytest.mark.parametrize(
    "jp,message", [(-4, "lebih dari 0"), (0, "lebih dari 0"), (2000, "tidak masuk akal")]
)
def test_negative_or_absurd_jp_refused_and_nothing_saved(people, api_as, org, jp, message):
    r = api_as(people["hr"]).post(
        f"{P}/employees/{org['a']['staff'].nip}/trainings",
        {"title": "Kursus", "jp": jp, "completed_on": helpers.today().isoformat()},
    )
    assert r.status_code == 422 and message in r.json()["fields"]["jp"]
    assert not Training.objects.exists()


def test_training_needs_program_or_title_and_past_date(people, api_as, org):
    client = api_as(people["hr"])
    nip = org["a"]["staff"].nip
    r = client.post(
        f"{P}/employees/{nip}/trainings", {"jp": 4, "completed_on": helpers.today().isoformat()}
    )
    assert r.status_code == 422 and "title" in r.json()["fields"]
    future = (helpers.today() + dt.timedelta(days=3)).isoformat()
    r = client.post(
        f"{P}/employees/{nip}/trainings", {"title": "X", "jp": 4, "completed_on": future}
    )
    assert r.status_code == 422 and "completed_on" in r.json()["fields"]


def test_enrol_complete_with_certificate(people, org, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amanah.core import files

    program = Program.objects.create(
        agency=org["a"]["agency"],
        code="konflik",
        title="Manajemen konflik",
        category="soft_skill",
        method="workshop",
        competency_type="manajerial",
        jp=6,
    )
    t = services.enrol(people["asn"], org["a"]["staff"], program)
    assert (
        t.status == "terdaftar"
        and selectors.development(org["a"]["staff"], helpers.today().year)["jp_total"] == 0
    )
    bad = SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(Exception) as exc:
        services.complete_training(people["hr"], t, completed_on=helpers.today(), certificate=bad)
    assert "certificate" in exc.value.message_dict
    t.refresh_from_db()
    assert t.status == "terdaftar"
    cert = SimpleUploadedFile("sertifikat.txt", b"Sertifikat No. 12/2026", "text/plain")
    services.complete_training(
        people["hr"],
        t,
        completed_on=helpers.today(),
        certificate=cert,
        certificate_number="12/2026",
    )
    t.refresh_from_db()
    assert t.status == "selesai" and files.read(t.certificate) == b"Sertifikat No. 12/2026"
    assert selectors.development(org["a"]["staff"], helpers.today().year)["jp_total"] == 6


def test_behind_list_and_reminders_to_asn_and_supervisor(
    people, api_as, org, smtp, django_capture_on_commit_callbacks
):
    year = helpers.today().year
    for key in ("sekda", "kadis", "kabid", "inspektur"):
        helpers.training(org["a"][key], jp=20)
    helpers.training(org["a"]["staff"], jp=6)
    client = api_as(people["hr"])
    rows = client.get(f"{P}/development/behind", {"year": year}).json()["items"]
    assert {r["nip"] for r in rows} == {org["a"]["staff"].nip, people["colleague_emp"].nip}
    assert {r["nip"]: r["shortfall"] for r in rows}[org["a"]["staff"].nip] == "14.0"
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"{P}/development/reminders?year={year}")
    assert r.json() == {"sent": 2}
    messages = smtp.wait(2)
    time.sleep(0.2)  # nothing else arrives
    assert len(smtp.messages) == 2  # the ASN, and one digest to the supervisor of both behind
    assert {to for m in messages for to in m["to"]} == {"staf@a.test", "kabid@a.test"}
    assert "14.0 JP" in smtp.to("staf@a.test")[0]["body"]
    (digest,) = smtp.to("kabid@a.test")
    assert org["a"]["staff"].nip in digest["body"]
    assert people["colleague_emp"].nip in digest["body"]
    assert client.post(f"{P}/development/reminders?year={year}").json() == {"sent": 0}
    assert Reminder.objects.count() == 2
    assert AuditEntry.objects.filter(action="personnel.jp_reminders_sent").count() == 2


def test_competency_profile_gaps_and_suggestions(people, api_as, org):
    a = org["a"]
    comm = Competency.objects.get(code="komunikasi", agency=None)
    integ = Competency.objects.get(code="integritas", agency=None)
    services.set_requirement(
        people["hr"], agency=a["agency"], position="Pengadministrasi", competency=comm, level=3
    )
    services.set_requirement(
        people["hr"], agency=a["agency"], position="Pengadministrasi", competency=integ, level=3
    )
    services.record_assessment(
        people["hr"], a["staff"], competency=comm, level=1, assessed_on=helpers.today()
    )
    services.record_assessment(
        people["hr"], a["staff"], competency=integ, level=3, assessed_on=helpers.today()
    )
    p = Program.objects.create(
        code="kom-efektif",
        title="Komunikasi efektif",
        category="soft_skill",
        method="workshop",
        competency_type="manajerial",
        jp=16,
    )
    p.competencies.add(comm)
    body = api_as(people["hr"]).get(f"{P}/employees/{a['staff'].nip}/competency").json()
    assert body["gaps"] == [
        {
            "competency": "komunikasi",
            "required": 3,
            "assessed": 1,
            "gap": 2,
            "programs": ["kom-efektif"],
        }
    ]
    assert len(body["requirements"]) == 2
    with pytest.raises(Exception) as exc:
        services.set_requirement(
            people["hr"], agency=a["agency"], position="X", competency=comm, level=7
        )
    assert "level" in exc.value.message_dict


def test_mentoring_for_mentor_and_hr(people, org):
    a = org["a"]
    m = services.start_mentoring(
        people["hr"],
        mentor=a["kabid"],
        mentee=a["staff"],
        goals="Menguasai SIAK",
        start=helpers.today() - dt.timedelta(days=10),
    )
    services.add_session(
        people["kabid"],
        m,
        held_on=helpers.today(),
        topic="Verifikasi dokumen",
        outcome="Mampu memverifikasi KK",
    )
    with pytest.raises(PermissionDenied):
        services.add_session(people["colleague"], m, held_on=helpers.today(), topic="X")
    with pytest.raises(ValidationError) as exc:
        services.start_mentoring(
            people["hr"], mentor=a["staff"], mentee=a["staff"], goals="x", start=helpers.today()
        )
    assert "mentor" in exc.value.message_dict
    assert list(selectors.mentoring_for(people["kabid"])) == [m]
    assert list(selectors.mentoring_for(people["hr"])) == [m]
    assert list(selectors.mentoring_for(people["colleague"])) == []
    services.close_mentoring(people["kabid"], m, outcome="Mandiri")
    m.refresh_from_db()
    assert m.status == "selesai" and m.sessions.count() == 1


def test_api_enrol_complete_competency_and_mentoring(people, api_as, org):
    a = org["a"]
    client = api_as(people["hr"])
    nip = a["staff"].nip
    Program.objects.create(
        code="pp",
        title="Pelayanan prima",
        category="teknis",
        method="pelatihan",
        competency_type="manajerial",
        jp=24,
    )
    r = client.post(f"{P}/employees/{nip}/enrolments", {"program": "pp"})
    assert r.status_code == 201 and r.json()["status"] == "terdaftar"
    assert client.post(f"{P}/employees/{nip}/enrolments", {"program": "pp"}).status_code == 422
    r = client.post(
        f"{P}/trainings/{r.json()['id']}/complete", {"completed_on": helpers.today().isoformat()}
    )
    assert r.json()["status"] == "selesai"
    assert client.get(f"{P}/employees/{nip}/development").json()["meets_minimum"] is True
    r = client.post(
        f"{P}/competency/requirements",
        {"position": a["staff"].position, "competency": "integritas", "level": 4},
    )
    assert r.status_code == 201
    r = client.post(
        f"{P}/employees/{nip}/assessments",
        {"competency": "integritas", "level": 9, "assessed_on": helpers.today().isoformat()},
    )
    assert r.status_code == 422 and "level" in r.json()["fields"]
    client.post(
        f"{P}/employees/{nip}/assessments",
        {"competency": "integritas", "level": 2, "assessed_on": helpers.today().isoformat()},
    )
    gaps = client.get(f"{P}/employees/{nip}/competency").json()["gaps"]
    assert gaps == [
        {"competency": "integritas", "required": 4, "assessed": 2, "gap": 2, "programs": []}
    ]
    r = client.post(
        f"{P}/mentoring",
        {
            "mentor": a["kabid"].nip,
            "mentee": nip,
            "goals": "SIAK",
            "start": helpers.today().isoformat(),
        },
    )
    assert r.status_code == 201
    r = api_as(people["kabid"]).post(
        f"{P}/mentoring/{r.json()['id']}/sessions",
        {"held_on": helpers.today().isoformat(), "topic": "Arsip"},
    )
    assert r.status_code == 201 and r.json()["sessions"][0]["topic"] == "Arsip"
    assert len(client.get(f"{P}/mentoring").json()["items"]) == 1
