"""A head who has left (directory entry switched off, ``Employee.is_active`` False) while their account
stays active keeps the unit's ``head`` until the directory is updated, but none of a superior's powers:
reading a former subordinate's SKP and discipline records, setting and rating SKP, answering an
objection, deciding a case as the official. Those pass to the superiors above who are still active, as
the rater and the mail already do (``services.active_superior``)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amanah.personnel import selectors, services
from amanah.personnel.models import CaseStatus, SkpStatus

from . import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/personnel"


def _leave(employee):
    employee.is_active = False
    employee.save()


def test_departed_head_neither_reads_nor_rates_a_former_subordinates_skp(org, people, api_as):
    a = org["a"]
    skp = helpers.skp(a["staff"], rater=a["kadis"])
    _leave(a["kabid"])
    api = api_as(people["kabid"])
    assert api.get(f"{P}/employees/{a['staff'].nip}/skp").status_code == 404
    r = api.post(f"{P}/skp/{skp.pk}/rating", {"hasil_kerja": "di_bawah", "perilaku": "di_bawah"})
    assert r.status_code == 404
    skp.refresh_from_db()
    assert skp.status == SkpStatus.DRAFT and skp.rater_id == a["kadis"].pk
    with pytest.raises(PermissionDenied):
        services.rate_skp(people["kabid"], skp, hasil_kerja="di_bawah", perilaku="di_bawah")
    assert not services.is_superior(people["kabid"], a["staff"])
    # The nearest superior still active, the Kadis, keeps the powers and rates.
    r = api_as(people["kadis"]).post(
        f"{P}/skp/{skp.pk}/rating", {"hasil_kerja": "sesuai", "perilaku": "sesuai"}
    )
    assert r.status_code == 200, r.content
    skp.refresh_from_db()
    assert skp.status == SkpStatus.RATED and skp.rater_id == a["kadis"].pk


def test_departed_head_has_no_subordinates_and_sets_no_skp(org, people):
    a = org["a"]
    assert a["staff"] in selectors.subordinates(people["kabid"])
    _leave(a["kabid"])
    assert not selectors.subordinates(people["kabid"]).exists()
    with pytest.raises(PermissionDenied):
        services.create_skp(
            people["kabid"],
            a["staff"],
            helpers.period(a["agency"]),
            indicators=[{"description": "Layanan tepat waktu", "target": 90, "unit": "persen"}],
        )


def test_departed_official_above_the_rater_does_not_answer_the_objection(org, people):
    a = org["a"]
    skp = helpers.skp(a["staff"], rater=a["kabid"])
    services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    services.object_skp(people["asn"], skp, text="Realisasi saya 99 persen, bukan 90.")
    _leave(a["kadis"])
    with pytest.raises(PermissionDenied):
        services.resolve_objection(people["kadis"], skp, response="Ditolak", hasil_kerja="di_bawah")
    skp.refresh_from_db()
    assert skp.status == SkpStatus.OBJECTED
    # The Sekda, above the rater and still active, answers it.
    services.resolve_objection(people["sekda"], skp, response="Keberatan diterima")
    skp.refresh_from_db()
    assert skp.status == SkpStatus.FINAL


def test_departed_head_neither_opens_nor_closes_a_discipline_case(org, people, client):
    a = org["a"]
    case = helpers.examined_case(a["staff"])
    _leave(a["kabid"])
    client.force_login(people["kabid"])
    assert client.get(f"/kepegawaian/disiplin/{case.number}/").status_code == 404
    r = client.post(
        f"/kepegawaian/disiplin/{case.number}/",
        {
            "action": "decision",
            "proven": "0",
            "official": a["kabid"].nip,
            "decision_number": "800/99",
            "decided_on": helpers.today().isoformat(),
        },
    )
    assert r.status_code == 404
    # Called directly, the service refuses a departed official recording their own decision: without
    # the standing of a superior the actor needs a recorder's role.
    with pytest.raises(PermissionDenied):
        services.decide_case(
            people["kabid"],
            case,
            proven=False,
            official=a["kabid"],
            decision_number="800/99",
            decided_on=helpers.today(),
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.EXAMINED and case.decided_by_id is None


def test_hr_cannot_record_a_decision_naming_a_departed_official(org, people, api_as):
    a = org["a"]
    case = helpers.examined_case(a["staff"])
    _leave(a["kabid"])
    assert services.official_standings(a["kabid"], a["staff"]) == set()
    with pytest.raises(ValidationError) as exc:
        services.decide_case(
            people["hr"],
            case,
            proven=True,
            official=a["kabid"],
            decision_number="800/1",
            decided_on=helpers.today(),
            level="ringan",
            sanction="teguran_lisan",
        )
    assert "tidak aktif" in exc.value.message_dict["official"][0]
    decision = {
        "proven": False,
        "official": a["kabid"].nip,
        "decision_number": "800/1",
        "decided_on": helpers.today().isoformat(),
    }
    url = f"{P}/discipline/cases/{case.number}/decision"
    r = api_as(people["hr"]).post(url, decision)
    assert r.status_code == 422 and "tidak aktif" in r.json()["fields"]["official"], r.content
    case.refresh_from_db()
    assert case.status == CaseStatus.EXAMINED
    # The Kadis, the nearest superior still active, may decide it.
    r = api_as(people["hr"]).post(url, decision | {"official": a["kadis"].nip})
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.decided_by_id == a["kadis"].pk
