"""PP 94/2021 steps of a discipline case as the regulation has them (docs/personnel.md): the
examination with its attendance saved whole or not at all, on or after the summoned date; the
examination team for sedang and berat; the appeal deadline against the day it is received; the
appeal decided on the case page and through the API; and the ASN never handling their own case."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amanah.core.calendar import Calendar
from amanah.core.models import AuditEntry, Employee
from amanah.personnel import services
from amanah.personnel.models import Appeal, CaseStatus, DisciplineCase, Summons

from . import helpers

P = "/api/v1/personnel"


def _summoned(org):
    c = helpers.case(org["a"]["staff"], status=CaseStatus.SUMMONED)
    sent = helpers.today() - dt.timedelta(days=30)
    s = Summons.objects.create(
        case=c, sequence=1, sent_on=sent, examination_on=sent + dt.timedelta(days=14)
    )
    return c, s


def _exam_post(**overrides):
    return {
        "action": "examination",
        "attended": "0",
        "held_on": helpers.today().isoformat(),
        "bap_number": "BAP/1",
        "summary": "Ringkasan",
        "team": "",
    } | overrides


@pytest.mark.parametrize(
    "overrides", [{"bap_number": ""}, {"team": "199999999999999999"}], ids=["no-bap", "unknown-nip"]
)
def test_refused_examination_on_the_page_saves_no_attendance(people, org, client, overrides):
    c, s = _summoned(org)
    client.force_login(people["hr"])
    r = client.post(f"/kepegawaian/disiplin/{c.number}/", _exam_post(**overrides))
    assert r.status_code == 400
    s.refresh_from_db()
    assert s.attended is None
    assert not AuditEntry.objects.filter(action="personnel.discipline_attendance").exists()


def test_refused_examination_in_the_api_saves_no_attendance(people, org, api_as):
    c, s = _summoned(org)
    client = api_as(people["hr"])
    body = {"held_on": helpers.today().isoformat(), "summary": "x", "attended": False}
    for payload in (body | {"bap_number": ""}, body | {"bap_number": "B/1", "team": ["1" * 18]}):
        r = client.post(f"{P}/discipline/cases/{c.number}/examinations", payload)
        assert r.status_code == 422
        s.refresh_from_db()
        assert s.attended is None


def test_examination_and_attendance_are_saved_together(people, org, api_as):
    c, s = _summoned(org)
    r = api_as(people["hr"]).post(
        f"{P}/discipline/cases/{c.number}/examinations",
        {
            "held_on": helpers.today().isoformat(),
            "bap_number": "B/1",
            "summary": "x",
            "attended": True,
        },
    )
    assert r.status_code == 201
    s.refresh_from_db()
    assert s.attended is True and r.json()["status"] == "pemeriksaan"


def test_examination_not_before_the_date_in_the_summons(people, org):
    a = org["a"]
    case = helpers.case(a["staff"])
    cal = Calendar(a["agency"])
    sent = helpers.today() - dt.timedelta(days=60)
    s = services.summon(people["hr"], case, sent_on=sent, examination_on=cal.add(sent, 7))
    with pytest.raises(ValidationError) as exc:
        services.record_examination(
            people["hr"],
            case,
            held_on=cal.add(sent, 1),
            bap_number="BAP/1",
            summary="Diperiksa",
            attended=True,
        )
    assert "held_on" in exc.value.message_dict
    s.refresh_from_db()
    assert s.attended is None
    exam = services.record_examination(
        people["hr"], case, held_on=s.examination_on, bap_number="BAP/1", summary="Diperiksa"
    )
    assert exam.held_on == s.examination_on


def _decided(org, days_ago, level="sedang", sanction="tukin_25_6"):
    a = org["a"]
    day = helpers.today() - dt.timedelta(days=days_ago)
    c = helpers.decided_case(a, day, level=level, sanction=sanction)
    c.appeal_due = Calendar(a["agency"]).add(day, 14)
    c.save()
    return c


def test_appeal_past_the_deadline_is_refused_whatever_date_is_typed(people, org):
    c = _decided(org, days_ago=60)
    with pytest.raises(ValidationError) as exc:
        services.file_appeal(people["asn"], c, filed_on=c.decided_on, grounds="Tidak adil")
    assert "filed_on" in exc.value.message_dict
    assert DisciplineCase.objects.get(pk=c.pk).status == CaseStatus.DECIDED


def test_appeal_dated_in_the_future_is_refused(people, org):
    c = _decided(org, days_ago=1)
    with pytest.raises(ValidationError) as exc:
        services.file_appeal(
            people["asn"], c, filed_on=helpers.today() + dt.timedelta(days=5), grounds="Tidak adil"
        )
    assert "filed_on" in exc.value.message_dict
    appeal = services.file_appeal(people["asn"], c, filed_on=helpers.today(), grounds="Tidak adil")
    assert appeal.kind == "keberatan"


def _decide_sedang(people, org, team):
    a = org["a"]
    case = helpers.examined_case(a["staff"], team=team)
    services.decide_case(
        people["hr"],
        case,
        proven=True,
        official=a["kadis"],
        decision_number="800/2",
        decided_on=helpers.today(),
        level="sedang",
        sanction="tukin_25_6",
    )
    return case


def test_sedang_team_needs_supervisor_oversight_and_hr(people, org):
    a = org["a"]
    mates = [
        Employee.objects.create(
            nip=f"19930101201902100{i}", name=f"Rekan {i}", unit=a["bidang"], position="Staf"
        )
        for i in (2, 3, 4)
    ]
    with pytest.raises(ValidationError) as exc:
        _decide_sedang(people, org, mates)
    message = " ".join(exc.value.message_dict["level"])
    assert "Kabid a" in message and "inspektorat" in message and "kepegawaian" in message
    supervisor, inspektur, hr = helpers.exam_team(a)
    with pytest.raises(ValidationError) as exc:  # only the HR official is missing
        _decide_sedang(people, org, [supervisor, inspektur, a["kadis"]])
    message = " ".join(exc.value.message_dict["level"])
    assert "kepegawaian" in message and "Kabid a" not in message and "inspektorat)" not in message
    case = _decide_sedang(people, org, [supervisor, inspektur, hr])
    assert case.status == CaseStatus.DECIDED and case.sanction == "tukin_25_6"


@pytest.fixture
def hr_asn(org, make_user):
    """The ASN of the case holds the kepegawaian role of their agency."""
    return make_user("kepegawaian", org["a"]["agency"], employee=org["a"]["staff"])


def test_the_asn_handles_no_step_of_their_own_case(hr_asn, org, client):
    a = org["a"]
    c, s = _summoned(org)
    sent = helpers.today() - dt.timedelta(days=20)
    with pytest.raises(PermissionDenied):
        services.summon(hr_asn, c, sent_on=sent, examination_on=sent + dt.timedelta(days=14))
    with pytest.raises(PermissionDenied):
        services.record_attendance(hr_asn, s, True)
    with pytest.raises(PermissionDenied):
        services.record_examination(
            hr_asn, c, held_on=helpers.today(), bap_number="B/1", summary="x", attended=True
        )
    client.force_login(hr_asn)
    page = client.get(f"/kepegawaian/disiplin/{c.number}/").content.decode()
    assert 'value="examination"' not in page and 'value="summons"' not in page
    r = client.post(f"/kepegawaian/disiplin/{c.number}/", _exam_post())
    assert r.status_code == 403
    s.refresh_from_db()
    assert s.attended is None and not c.examinations.exists()
    appealed = _appealed(org)
    with pytest.raises(PermissionDenied):
        services.decide_appeal(hr_asn, appealed, outcome="dikabulkan", decided_on=helpers.today())
    assert a["staff"].pk == appealed.employee_id


def _appealed(org):
    c = _decided(org, days_ago=3)
    c.status = CaseStatus.APPEALED
    c.save()
    Appeal.objects.create(case=c, kind="keberatan", filed_on=c.decided_on, grounds="Berat")
    return c


def test_appeal_is_decided_on_the_case_page_without_javascript(people, org, client):
    c = _appealed(org)
    client.force_login(people["hr"])
    page = client.get(f"/kepegawaian/disiplin/{c.number}/").content.decode()
    assert 'value="appeal_decision"' in page and "<script" not in page.split("<main")[-1]
    r = client.post(
        f"/kepegawaian/disiplin/{c.number}/",
        {
            "action": "appeal_decision",
            "outcome": "diubah",
            "decided_on": helpers.today(),
            "level": "sedang",
            "sanction": "",
        },
    )
    assert r.status_code == 400  # a changed sanction needs one
    assert DisciplineCase.objects.get(pk=c.pk).status == CaseStatus.APPEALED
    r = client.post(
        f"/kepegawaian/disiplin/{c.number}/",
        {"action": "appeal_decision", "outcome": "dikabulkan", "decided_on": helpers.today()},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == CaseStatus.CLOSED and c.sanction == "" and c.appeal.outcome == "dikabulkan"
    page = client.get(f"/kepegawaian/disiplin/{c.number}/").content.decode()
    assert "Dikabulkan" in page and 'value="appeal_decision"' not in page


def test_appeal_is_decided_through_the_api(people, org, api_as):
    c = _appealed(org)
    url = f"{P}/discipline/cases/{c.number}/appeal/decision"
    r = api_as(people["asn"]).post(
        url, {"outcome": "dikabulkan", "decided_on": str(helpers.today())}
    )
    assert r.status_code == 403  # the ASN does not decide their own appeal
    client = api_as(people["pimpinan"])
    r = client.post(url, {"outcome": "batal", "decided_on": str(helpers.today())})
    assert r.status_code == 422 and "outcome" in r.json()["fields"]
    r = client.post(
        url,
        {
            "outcome": "diubah",
            "decided_on": str(helpers.today()),
            "level": "sedang",
            "sanction": "tukin_25_12",
            # The Kadis imposed the sanction: his superior, the Sekda, rules on the keberatan.
            "official": org["a"]["sekda"].nip,
        },
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "ditutup" and body["sanction"] == "tukin_25_12"
    assert body["appeal"]["outcome"] == "diubah"
    assert body["appeal"]["decided_by"] == org["a"]["sekda"].nip
    assert body["appeal"]["decided_on"] == helpers.today().isoformat()
    r = client.post(url, {"outcome": "ditolak", "decided_on": str(helpers.today())})
    assert (r.status_code, r.json()["error"]) == (409, "appeal_decided"), r.json()
