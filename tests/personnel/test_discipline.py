"""PP 94/2021 discipline cases: summons deadlines, examination, authority of the deciding official,
sanction ladder, appeal, absence suggestion, privacy, and the contract used by integrity."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amanah.core.calendar import Calendar
from amanah.core.models import AuditEntry
from amanah.personnel import selectors, services
from amanah.personnel.models import DisciplineCase

from . import helpers

P = "/api/v1/personnel"


def test_open_discipline_case_contract(people, org):
    case = services.open_discipline_case(
        people["inspektorat"],
        employee=org["a"]["staff"],
        allegation="Terbukti menerima imbalan",
        source="integritas",
        source_reference="WBS-2026-0042",
    )
    assert case.source == "integritas" and case.source_reference == "WBS-2026-0042"
    assert case.status == "dibuka" and case.agency == org["a"]["agency"]
    assert AuditEntry.objects.filter(
        action="personnel.discipline_opened", object_id=str(case.pk)
    ).exists()
    for actor in (people["hr_b"], people["pimpinan"], people["kabid"]):
        with pytest.raises(PermissionDenied):
            services.open_discipline_case(actor, employee=org["a"]["staff"], allegation="x")


def test_full_case_through_the_api(people, api_as, org):
    a = org["a"]
    client = api_as(people["hr"])
    r = client.post(
        f"{P}/discipline/cases", {"nip": a["staff"].nip, "allegation": "Pungutan liar KTP-el"}
    )
    assert r.status_code == 201
    number = r.json()["number"]
    cal = Calendar(a["agency"])
    sent = helpers.today() - dt.timedelta(days=40)
    too_soon = cal.add(sent, 6)
    r = client.post(
        f"{P}/discipline/cases/{number}/summons",
        {"sent_on": sent.isoformat(), "examination_on": too_soon.isoformat()},
    )
    assert r.status_code == 422 and "examination_on" in r.json()["fields"]
    exam_day = cal.add(sent, 7)
    r = client.post(
        f"{P}/discipline/cases/{number}/summons",
        {"sent_on": sent.isoformat(), "examination_on": exam_day.isoformat()},
    )
    assert r.status_code == 201 and r.json()["status"] == "pemanggilan"
    r = client.post(
        f"{P}/discipline/cases/{number}/examinations",
        {
            "held_on": exam_day.isoformat(),
            "bap_number": "BAP/01/2026",
            "summary": "Mengakui",
            "attended": True,
            "team": [m.nip for m in helpers.exam_team(a)],
        },
    )
    assert r.status_code == 201 and r.json()["examinations"][0]["team"]
    decision = {
        "proven": True,
        "official": a["kabid"].nip,
        "decision_number": "800/12/2026",
        "decided_on": helpers.today().isoformat(),
        "level": "sedang",
        "sanction": "tukin_25_9",
        "delivered_on": helpers.today().isoformat(),  # handed over the same day
    }
    r = client.post(f"{P}/discipline/cases/{number}/decision", decision)
    assert r.status_code == 422 and "tidak berwenang" in r.json()["fields"]["official"]
    r = client.post(
        f"{P}/discipline/cases/{number}/decision", decision | {"sanction": "teguran_lisan"}
    )
    assert r.status_code == 422 and "sanction" in r.json()["fields"]
    assert DisciplineCase.objects.get(number=number).status == "pemeriksaan"  # nothing half-saved
    r = client.post(
        f"{P}/discipline/cases/{number}/decision", decision | {"official": a["kadis"].nip}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "diputus" and body["sanction_label"].endswith("9 bulan")
    start = helpers.today()
    assert dt.date.fromisoformat(body["sanction_end"]) > start + dt.timedelta(days=260)
    assert dt.date.fromisoformat(body["appeal_due"]) == cal.add(start, 14)
    r = client.post(
        f"{P}/discipline/cases/{number}/appeal",
        {"filed_on": helpers.today().isoformat(), "grounds": "Pemeriksaan tanpa saksi"},
    )
    assert r.status_code == 201 and r.json()["appeal"]["kind"] == "keberatan"
    case = DisciplineCase.objects.get(number=number)
    services.decide_appeal(
        people["pimpinan"],
        case,
        outcome="diubah",
        decided_on=helpers.today(),
        level="sedang",
        sanction="tukin_25_6",
        official=a["sekda"],
    )
    case.refresh_from_db()
    assert case.status == "ditutup" and case.sanction == "tukin_25_6"
    assert case.appeal.outcome == "diubah" and case.appeal.decided_by == a["sekda"]


@pytest.mark.parametrize(
    "official,level,allowed",
    [
        ("kabid", "ringan", True),
        ("kabid", "sedang", False),
        ("kabid", "berat", False),
        ("kadis", "sedang", True),
        ("kadis", "berat", False),
        ("sekda", "berat", True),
        ("colleague_emp", "ringan", False),
        ("staff", "ringan", False),
    ],
)
def test_authority_check_for_decisions(people, org, official, level, allowed):
    a = org["a"]
    official = a[official] if official in a else people[official]
    case = helpers.examined_case(a["staff"], team=helpers.exam_team(a))
    sanction = {
        "ringan": "teguran_tertulis",
        "sedang": "tukin_25_12",
        "berat": "penurunan_jabatan",
    }[level]
    kwargs = dict(
        proven=True,
        official=official,
        decision_number="800/1",
        decided_on=helpers.today(),
        level=level,
        sanction=sanction,
    )
    if allowed:
        services.decide_case(people["hr"], case, **kwargs)
        case.refresh_from_db()
        assert case.sanction == sanction and case.decided_by == official
    else:
        with pytest.raises(ValidationError) as exc:
            services.decide_case(people["hr"], case, **kwargs)
        assert "official" in exc.value.message_dict
        case.refresh_from_db()
        assert case.sanction == "" and case.status == "pemeriksaan"


def test_leadership_role_gives_ppk_authority_and_outsiders_cannot_record(people, org, make_user):
    a = org["a"]
    bupati = make_user("pimpinan", a["agency"], employee=a["inspektur"])
    case = helpers.examined_case(a["staff"], team=helpers.exam_team(a))
    with pytest.raises(PermissionDenied):
        services.decide_case(
            people["inspektorat"],
            case,
            proven=True,
            official=a["sekda"],
            decision_number="1",
            decided_on=helpers.today(),
            level="ringan",
            sanction="teguran_lisan",
        )
    services.decide_case(
        bupati,
        case,
        proven=True,
        official=a["inspektur"],
        decision_number="800/9",
        decided_on=helpers.today(),
        level="berat",
        sanction="pemberhentian",
        delivered_on=helpers.today(),
    )
    case.refresh_from_db()
    assert case.sanction_end is None and case.appeal_due is not None


def test_sedang_needs_an_examination_team(people, org):
    a = org["a"]
    case = helpers.examined_case(a["staff"])
    with pytest.raises(ValidationError) as exc:
        services.decide_case(
            people["hr"],
            case,
            proven=True,
            official=a["kadis"],
            decision_number="1",
            decided_on=helpers.today(),
            level="sedang",
            sanction="tukin_25_6",
        )
    assert "tim" in str(exc.value.message_dict["level"])


def test_second_summons_and_in_absentia(people, org):
    a = org["a"]
    case = helpers.case(a["staff"])
    cal = Calendar(a["agency"])
    sent = helpers.today() - dt.timedelta(days=80)
    first = services.summon(people["hr"], case, sent_on=sent, examination_on=cal.add(sent, 7))
    with pytest.raises(ValidationError):  # first summons not yet known to be missed
        services.summon(
            people["hr"], case, sent_on=cal.add(sent, 8), examination_on=cal.add(sent, 20)
        )
    services.record_attendance(people["hr"], first, False)
    deadlines = selectors.case_deadlines(case, helpers.today())
    assert deadlines["second_summons_by"] == cal.add(first.examination_on, 7)
    assert deadlines["earliest_examination"] == cal.add(helpers.today(), 7)
    with pytest.raises(ValidationError) as exc:  # later than 7 working days after the missed date
        services.summon(
            people["hr"],
            case,
            sent_on=cal.add(first.examination_on, 8),
            examination_on=cal.add(first.examination_on, 20),
        )
    assert "sent_on" in exc.value.message_dict
    second = services.summon(
        people["hr"],
        case,
        sent_on=cal.add(first.examination_on, 7),
        examination_on=cal.add(first.examination_on, 14),
    )
    services.record_attendance(people["hr"], second, False)
    exam = services.record_examination(
        people["hr"],
        case,
        held_on=second.examination_on,
        bap_number="BAP/2",
        summary="Diputus berdasarkan bukti",
    )
    assert exam.in_absentia


def test_second_summons_window_is_the_configured_one_and_said_so(people, org):
    a = org["a"]
    a["agency"].options = {"personnel": {"second_summons_within_working_days": 3}}
    a["agency"].save()
    case = helpers.case(a["staff"])
    cal = Calendar(a["agency"])
    sent = helpers.today() - dt.timedelta(days=80)
    first = services.summon(people["hr"], case, sent_on=sent, examination_on=cal.add(sent, 7))
    services.record_attendance(people["hr"], first, False)
    assert selectors.case_deadlines(case, helpers.today())["second_summons_by"] == cal.add(
        first.examination_on, 3
    )
    with pytest.raises(ValidationError) as exc:
        services.summon(
            people["hr"],
            case,
            sent_on=cal.add(first.examination_on, 4),
            examination_on=cal.add(first.examination_on, 14),
        )
    assert "paling lambat 3 hari kerja" in exc.value.message_dict["sent_on"][0]
    services.summon(
        people["hr"],
        case,
        sent_on=cal.add(first.examination_on, 3),
        examination_on=cal.add(first.examination_on, 12),
    )


def test_a_reprimand_counts_for_the_configured_months(people, org):
    from amanah.personnel import rules

    a = org["a"]
    case = helpers.examined_case(a["staff"])
    start = dt.date(helpers.today().year - 2, 3, 1)
    DisciplineCase.objects.filter(pk=case.pk).update(
        status="diputus",
        proven=True,
        level="ringan",
        sanction="teguran_tertulis",
        decided_on=start,
        sanction_start=start,
        sanction_end=None,
    )
    last = rules.add_months(start, rules.REPRIMAND_COUNTS_MONTHS) - dt.timedelta(days=1)
    assert selectors.active_sanctions(a["staff"], last)
    assert not selectors.active_sanctions(a["staff"], last + dt.timedelta(days=1))
    a["agency"].options = {"personnel": {"reprimand_counts_months": 6}}
    a["agency"].save()
    a["staff"].unit.agency.refresh_from_db()
    assert selectors.active_sanctions(a["staff"], dt.date(start.year, 8, 31))
    assert not selectors.active_sanctions(a["staff"], dt.date(start.year, 9, 1))


def test_no_sanction_when_not_proven_and_no_appeal_against_ringan(people, org):
    a = org["a"]
    case = helpers.examined_case(a["staff"])
    with pytest.raises(ValidationError):
        services.decide_case(
            people["hr"],
            case,
            proven=False,
            official=a["kabid"],
            decision_number="1",
            decided_on=helpers.today(),
            level="ringan",
            sanction="teguran_lisan",
        )
    case2 = helpers.examined_case(people["colleague_emp"])
    services.decide_case(
        people["hr"],
        case2,
        proven=True,
        official=a["kabid"],
        decision_number="2",
        decided_on=helpers.today(),
        level="ringan",
        sanction="teguran_lisan",
    )
    with pytest.raises(ValidationError):
        services.file_appeal(
            people["colleague"], case2, filed_on=helpers.today(), grounds="Tidak adil"
        )


def test_absence_suggestion_from_table(people, api_as, org):
    a = org["a"]
    cal = Calendar(a["agency"])
    year = helpers.today().year - 1
    days, d = [], dt.date(year, 3, 1)
    while len(days) < 11:
        if cal.is_working_day(d):
            days.append(d)
        d += dt.timedelta(days=3)
    client = api_as(people["hr"])
    r = client.post(
        f"{P}/employees/{a['staff'].nip}/absences", {"dates": [x.isoformat() for x in days]}
    )
    assert r.status_code == 201 and r.json() == {"added": 11}
    body = client.get(f"{P}/employees/{a['staff'].nip}/absences", {"year": year}).json()
    assert (
        body["cumulative"] == 11 and body["suggested"] == "tukin_25_6" and body["level"] == "sedang"
    )
    saturday = next(dt.date(year, 6, x) for x in range(1, 8) if dt.date(year, 6, x).weekday() == 5)
    r = client.post(f"{P}/employees/{a['staff'].nip}/absences", {"dates": [saturday.isoformat()]})
    assert r.status_code == 422 and "bukan hari kerja" in r.json()["fields"]["dates"]


def test_ten_consecutive_working_days_suggest_dismissal(people, org):
    a = org["a"]
    cal = Calendar(a["agency"])
    year = helpers.today().year - 1
    start = dt.date(year, 2, 2)
    days = [cal.add(start, i) for i in range(1, 11)]
    services.record_absences(people["hr"], a["staff"], days)
    s = selectors.absence_summary(a["staff"], year)
    assert s["consecutive"] == 10 and s["suggested"] == "pemberhentian"


def test_consecutive_run_across_new_year_suggests_dismissal_in_the_year_it_ends(
    people, api_as, org, client
):
    # PP 94/2021 Pasal 11(2)d: 10 working days in a row, whatever year they fall in. The run belongs to
    # the year it ends in; the cumulative count stays per year (only 4 of the days are in January).
    a = org["a"]
    cal = Calendar(a["agency"])
    year = helpers.today().year - 1
    days, d = [], dt.date(year, 1, 1)
    while len([x for x in days if x.year == year]) < 4:
        if cal.is_working_day(d):
            days.append(d)
        d += dt.timedelta(days=1)
    d = dt.date(year - 1, 12, 31)
    while len(days) < 10:
        if cal.is_working_day(d):
            days.insert(0, d)
        d -= dt.timedelta(days=1)
    services.record_absences(people["hr"], a["staff"], days)
    s = selectors.absence_summary(a["staff"], year)
    assert s["cumulative"] == 4 and s["consecutive"] == 10
    assert (s["consecutive_from"], s["consecutive_to"]) == (days[0], days[-1])
    assert s["suggested"] == "pemberhentian"
    # The year the run began shows it as it stood on 31 December: 6 days, not yet dismissal.
    before = selectors.absence_summary(a["staff"], year - 1)
    assert before["cumulative"] == 6 and before["consecutive"] == 6
    assert before["suggested"] == "teguran_tertulis"
    body = api_as(people["hr"]).get(f"{P}/employees/{a['staff'].nip}/absences", {"year": year})
    assert body.json()["consecutive_from"] == days[0].isoformat()
    assert body.json()["suggested"] == "pemberhentian"
    client.force_login(people["hr"])
    page = client.get(f"/kepegawaian/pegawai/{a['staff'].nip}/", {"tahun": year}).content.decode()
    assert "melewati pergantian tahun: 10 hari kerja" in page


def test_a_working_day_present_at_new_year_breaks_the_run(people, org):
    a = org["a"]
    cal = Calendar(a["agency"])
    year = helpers.today().year - 1
    december = [cal.add(dt.date(year - 1, 12, 31), -i) for i in range(1, 7)]
    first = cal.add(dt.date(year - 1, 12, 31), 1)  # the first working day of the year: present
    january = [cal.add(first, i) for i in range(1, 5)]
    services.record_absences(people["hr"], a["staff"], december + january)
    s = selectors.absence_summary(a["staff"], year)
    assert s["consecutive"] == 4 and s["consecutive_from"] == january[0]
    assert s["suggested"] == "teguran_tertulis"


def test_colleague_cannot_see_discipline_record(people, api_as, org, client):
    a = org["a"]
    case = helpers.case(a["staff"])
    assert not services.can_view(people["colleague"], a["staff"], "discipline")
    assert services.can_view(people["asn"], a["staff"], "discipline")
    assert services.can_view(people["kabid"], a["staff"], "discipline")
    assert services.can_view(people["inspektorat"], a["staff"], "discipline")
    assert not services.can_view(people["hr_b"], a["staff"], "discipline")
    for user in (people["colleague"], people["hr_b"]):
        assert api_as(user).get(f"{P}/discipline/cases/{case.number}").status_code == 404
    assert (
        api_as(people["inspektorat"]).get(f"{P}/discipline/cases/{case.number}").status_code == 200
    )
    # The page: the colleague gets 404, the ASN sees their own case.
    client.force_login(people["colleague"])
    assert client.get(f"/kepegawaian/pegawai/{a['staff'].nip}/").status_code == 404
    assert client.get(f"/kepegawaian/disiplin/{case.number}/").status_code == 404
    client.force_login(people["asn"])
    page = client.get("/kepegawaian/saya/")
    assert page.status_code == 200 and case.number in page.content.decode()


def _not_proven(_who, official):
    return dict(
        proven=False, official=official, decision_number="800/9", decided_on=helpers.today()
    )


def test_the_employee_under_examination_cannot_close_their_own_case(people, org):
    from django.core.exceptions import PermissionDenied

    a = org["a"]
    case = helpers.examined_case(a["staff"])
    with pytest.raises(PermissionDenied):
        services.decide_case(people["asn"], case, **_not_proven("asn", a["staff"]))
    with pytest.raises(ValidationError) as exc:  # nor be named as the official by HR
        services.decide_case(people["hr"], case, **_not_proven("hr", a["staff"]))
    assert "official" in exc.value.message_dict
    case.refresh_from_db()
    assert case.status != "ditutup"


def test_not_proven_needs_an_official_who_may_punish_the_employee(people, org):
    a = org["a"]
    case = helpers.examined_case(a["staff"])
    colleague = people["colleague_emp"]
    with pytest.raises(ValidationError) as exc:  # a colleague recording "not proven" on their own
        services.decide_case(people["colleague"], case, **_not_proven("colleague", colleague))
    assert "official" in exc.value.message_dict
    with pytest.raises(ValidationError):  # nor HR naming a colleague as the official
        services.decide_case(people["hr"], case, **_not_proven("hr", colleague))
    services.decide_case(
        people["kabid"], case, **_not_proven("kabid", a["kabid"])
    )  # the superior may
    case.refresh_from_db()
    assert case.status == "ditutup" and case.proven is False


def test_the_page_refuses_the_accused_closing_their_case(people, org):
    from django.test import Client

    a = org["a"]
    case = helpers.examined_case(a["staff"])
    client = Client()
    client.force_login(people["asn"])
    r = client.post(
        f"/kepegawaian/disiplin/{case.number}/",
        {
            "action": "decision",
            "proven": "0",
            "official": a["staff"].nip,
            "decision_number": "X/1",
            "decided_on": helpers.today().isoformat(),
        },
    )
    assert r.status_code in (400, 403)
    case.refresh_from_db()
    assert case.status != "ditutup"
