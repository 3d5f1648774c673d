"""Dates of discipline steps and SKP periods lie where the calendar can count (core.calendar.out_of_years):
a summons, a sanction start or a period in year 1 or 9999 is refused at its field (422 in the API, the
form again on the page), never a 500 from counting working days or a term past 9999-12-31."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from amanah.core import rules as core_rules
from amanah.core.calendar import Calendar
from amanah.core.records import translated
from amanah.personnel import rules, services
from amanah.personnel.models import Appeal, CaseStatus, Summons

from . import helpers

P = "/api/v1/personnel"


@pytest.mark.parametrize(
    "sent_on, examination_on, field",
    [
        ("9999-12-30", "9999-12-31", "sent_on"),
        ("0001-01-01", "0001-02-01", "sent_on"),
        (None, "9999-12-31", "examination_on"),
    ],
)
def test_summons_dates_outside_the_calendar_are_422_on_the_field(
    people, api_as, org, sent_on, examination_on, field
):
    case = helpers.case(org["a"]["staff"])
    sent_on = sent_on or (helpers.today() - dt.timedelta(days=20)).isoformat()
    r = api_as(people["hr"]).post(
        f"{P}/discipline/cases/{case.number}/summons",
        {"sent_on": sent_on, "examination_on": examination_on},
    )
    assert r.status_code == 422, r.status_code
    assert "2100" in r.json()["fields"][field]
    assert not Summons.objects.exists()


def test_a_summons_is_not_sent_in_the_future(people, org):
    a = org["a"]
    case = helpers.case(a["staff"])
    tomorrow = Calendar(a["agency"]).local_date() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.summon(
            people["hr"], case, sent_on=tomorrow, examination_on=tomorrow + dt.timedelta(days=30)
        )
    assert "masa depan" in exc.value.message_dict["sent_on"][0]


def test_summons_page_shows_the_error_at_the_field(people, org, client):
    case = helpers.case(org["a"]["staff"])
    client.force_login(people["hr"])
    r = client.post(
        f"/kepegawaian/disiplin/{case.number}/",
        {"action": "summons", "sent_on": "9999-12-30", "examination_on": "9999-12-31"},
    )
    assert r.status_code == 400
    assert "2100" in helpers.field_error(r.content.decode(), "id_sent_on")


def _decision(org, start):
    return {
        "proven": True,
        "official": org["a"]["sekda"].nip,
        "decision_number": "N1",
        "decided_on": str(helpers.today()),
        "level": "sedang",
        "sanction": "tukin_25_12",
        "sanction_start": start,
    }


@pytest.mark.parametrize("start", ["9999-06-30", "late"])
def test_sanction_start_more_than_a_year_after_the_decision_is_422(people, api_as, org, start):
    case = helpers.examined_case(org["a"]["staff"])
    case.examinations.update(in_absentia=True)
    latest = rules.add_months(helpers.today(), 12)
    if start == "late":
        start = str(latest + dt.timedelta(days=1))
    r = api_as(people["hr"]).post(
        f"{P}/discipline/cases/{case.number}/decision", _decision(org, start)
    )
    assert r.status_code == 422, r.status_code
    assert str(latest) in r.json()["fields"]["sanction_start"]
    case.refresh_from_db()
    assert case.status == CaseStatus.EXAMINED


def test_sanction_start_a_year_after_the_decision_is_kept(people, api_as, org):
    case = helpers.examined_case(org["a"]["staff"])
    case.examinations.update(in_absentia=True)
    latest = rules.add_months(helpers.today(), 12)
    r = api_as(people["hr"]).post(
        f"{P}/discipline/cases/{case.number}/decision", _decision(org, str(latest))
    )
    assert r.status_code == 200, r.json()
    assert r.json()["sanction_end"] == str(rules.term_end(latest, 12))


def test_appeal_changing_a_sanction_started_at_the_end_of_time_is_refused_not_500(people, org):
    """A sanction start kept from before the bound (9999-06-30): changing the sanction on appeal says
    its term cannot end, at the field, and changes nothing."""
    case = helpers.examined_case(org["a"]["staff"])
    case.proven, case.level, case.sanction = True, "ringan", "teguran_tertulis"
    case.decided_on, case.sanction_start = helpers.today(), dt.date(9999, 6, 30)
    case.status = CaseStatus.APPEALED
    case.save()
    Appeal.objects.create(
        case=case, kind="keberatan", filed_on=helpers.today(), grounds="Tidak adil"
    )
    with pytest.raises(ValidationError) as exc:
        services.decide_appeal(
            people["hr"],
            case,
            outcome="diubah",
            decided_on=helpers.today(),
            level="sedang",
            sanction="tukin_25_12",
        )
    assert "rentang tanggal" in exc.value.message_dict["sanction"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.APPEALED


@pytest.mark.parametrize(
    "start, end, field",
    [("0001-01-01", "0001-12-31", "start"), ("9999-01-01", "9999-12-31", "start")],
)
def test_skp_period_outside_the_calendar_is_422(people, api_as, org, start, end, field):
    r = api_as(people["hr"]).post(
        f"{P}/skp-periods", {"name": "Tahun jauh", "start": start, "end": end}
    )
    assert r.status_code == 422, r.status_code
    assert {"start", "end"} <= set(r.json()["fields"])


def test_skp_period_page_shows_the_error_at_the_field(people, org, client):
    client.force_login(people["hr"])
    r = client.post(
        "/kepegawaian/staf/",
        {"instansi": "kab-a", "name": "Tahun jauh", "start": "9999-01-01", "end": "9999-12-31"},
    )
    assert r.status_code == 400
    assert "2100" in helpers.field_error(r.content.decode(), "id_start")


def test_term_and_working_days_past_the_last_date_raise_a_clear_error():
    for call in (
        lambda: rules.term_end(dt.date(9999, 7, 2), 6),
        lambda: rules.add_months(dt.date(9999, 6, 30), 12),
        lambda: rules.sanction_end("tukin_25_12", dt.date(9999, 6, 30)),
    ):
        with pytest.raises(ValueError) as exc:
            call()
        assert "di luar rentang tanggal" in translated(exc.value)
    with pytest.raises(ValueError) as exc:
        core_rules.add_working_days(dt.date(9999, 12, 30), 7, frozenset())
    assert "9999-12-30" in translated(exc.value)
    assert rules.term_end(dt.date(9998, 12, 31), 12) == dt.date(9999, 12, 30)
    assert rules.term_end(dt.date(9999, 7, 1), 6) == dt.date.max


@pytest.mark.django_db
def test_calendar_add_at_the_end_of_the_dates_raises_a_clear_error():
    with pytest.raises(ValueError) as exc:
        Calendar().add(dt.date(9999, 12, 30), 7)
    assert "rentang tanggal" in translated(exc.value)
    with pytest.raises(ValueError):
        Calendar().add(dt.date(1, 1, 3), -7)
