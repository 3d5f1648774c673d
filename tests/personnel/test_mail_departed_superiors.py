"""Personnel mail names an ASN and their NIP, so it must not go to a superior who has left (directory
entry switched off, the unit's ``head`` and the e-mail address still set): the yearly JP reminder goes to
the nearest superior still active, an SKP objection to HR when the official above the rater has left, and
not to a rater who has left. (``Employee.superiors`` itself keeps departed heads, on purpose.)"""

import datetime as dt
import time

import pytest
from django.core.exceptions import ValidationError

from amanah.personnel import services

from . import helpers

pytestmark = pytest.mark.django_db

P = "/api/v1/personnel"


def _leave(employee):
    employee.is_active = False
    employee.save()


def test_jp_reminder_skips_a_head_who_left(org, people, smtp, django_capture_on_commit_callbacks):
    a = org["a"]
    _leave(a["kabid"])  # the head of the Bidang left the agency
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_jp_reminders(None, a["agency"], 2026, today=dt.date(2026, 12, 1))
    # Everyone still active is behind: the reminders of the staff, the Kadis and the Sekda (the others
    # have no address) and one digest to each superior still active: the Kadis (for the staff and
    # the colleague) and the Sekda (for the Kadis and the Inspektur).
    smtp.wait(5)
    time.sleep(0.2)
    assert len(smtp.messages) == 5
    assert smtp.to("staf@a.test")
    leaked = [m for m in smtp.to("kabid@a.test") if a["staff"].nip in m["body"]]
    assert not leaked, "a former head got the JP reminder about a subordinate"
    # The nearest superior still active, the Kadis, is told instead.
    assert [m for m in smtp.to("kadis@a.test") if a["staff"].nip in m["body"]]


def test_objection_goes_to_hr_when_the_official_above_the_rater_left(
    people, api_as, org, smtp, django_capture_on_commit_callbacks
):
    """The official above the rater left: HR must decide and be told; the mail must not go to the
    departed Kadis (whose own address is still in the directory)."""
    a = org["a"]
    _leave(a["kadis"])
    skp = helpers.skp(a["staff"])
    services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    assert services.objection_deciders(skp) == [people["hr"].email]
    with django_capture_on_commit_callbacks(execute=True):
        r = api_as(people["asn"]).post(
            f"{P}/skp/{skp.pk}/objection",
            {"reason": "Realisasi saya 99 persen, bukan 90 persen seperti tercatat."},
        )
    assert r.status_code == 201, r.content
    smtp.wait(2)
    assert not smtp.to("kadis@a.test"), "the objection went to an official who left"
    assert smtp.to(people["hr"].email), "HR, who must now decide, was not told"
    assert smtp.to("kabid@a.test")  # the rater, still here


def test_objection_is_not_mailed_to_a_rater_who_left(
    people, api_as, org, smtp, django_capture_on_commit_callbacks
):
    a = org["a"]
    skp = helpers.skp(a["staff"])
    services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    _leave(a["kabid"])
    with django_capture_on_commit_callbacks(execute=True):
        r = api_as(people["asn"]).post(
            f"{P}/skp/{skp.pk}/objection",
            {"reason": "Realisasi saya 99 persen, bukan 90 persen seperti tercatat."},
        )
    assert r.status_code == 201, r.content
    smtp.wait(1)
    time.sleep(0.2)
    assert not smtp.to("kabid@a.test"), "the objection went to a rater who left"
    assert smtp.to("kadis@a.test")  # the official above the rater decides


def test_an_skp_is_rated_by_the_nearest_superior_still_in_the_directory(people, org):
    """The default rater of a new SKP is the nearest superior who has not left; one who has left is
    refused as rater."""
    from amanah.core.models import Employee

    a = org["a"]
    _leave(a["kabid"])
    period = helpers.period(a["agency"])
    indicators = [{"description": "Dokumen", "target": 10, "unit": "berkas"}]
    skp = services.create_skp(people["hr"], a["staff"], period, indicators=indicators)
    assert skp.rater == a["kadis"]
    other = Employee.objects.create(
        nip="199405052019031001", name="Staf lain", unit=a["bidang"], position="Staf"
    )
    with pytest.raises(ValidationError) as refused:
        services.create_skp(people["hr"], other, period, indicators=indicators, rater=a["kabid"])
    assert "rater" in refused.value.message_dict


def test_an_examination_team_needs_the_supervisor_still_in_the_directory(org):
    """A departed head cannot sit on the examination team: the team lacks the nearest active
    superior, and a team with the departed head is not complete."""
    a = org["a"]
    _leave(a["kabid"])
    team = helpers.exam_team(a)  # with the departed Kabid
    case = helpers.examined_case(a["staff"], team)
    gaps = services.team_gaps(case, case.examinations.get().team.all())
    assert gaps == [f"atasan langsung ({a['kadis'].name})"]
    assert services.team_gaps(case, [a["kadis"], *team[1:]]) == []
