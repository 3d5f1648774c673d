"""The staff side's corners: filters by code, who a case can be assigned to, an escalation that must
reach someone."""

import datetime as dt

import pytest
from django.test import Client

from amanah.complaints import selectors, services
from amanah.core.models import RoleAssignment, Unit

pytestmark = pytest.mark.django_db


def test_filtering_by_a_service_or_unit_code_does_not_add_the_cases_without_one(
    org, users, submit, walk, api_as
):
    with_service = walk(submit(), "diteruskan")
    agency_only = submit(service=None, agency=org["a"]["agency"])
    manager = users[("pengelola", "a")]
    assert list(selectors.inbox(manager, service="kab-a-ktp")) == [with_service]
    assert list(selectors.inbox(manager, service=str(org["a"]["service"].pk))) == [with_service]
    assert list(selectors.inbox(manager, unit="kab-a-dafduk")) == [with_service]
    r = api_as(manager).get("/api/v1/staff/complaints", {"unit": "kab-a-dafduk"}).json()
    assert [i["tracking_code"] for i in r["items"]] == [with_service.tracking_code]
    assert agency_only in selectors.inbox(manager, agency="kab-a")


def test_only_officers_who_may_take_the_case_are_offered_for_assignment(
    org, users, submit, walk, make_user
):
    c = walk(submit(), "diteruskan")  # in Bidang Pendaftaran Penduduk
    elsewhere = make_user("unit", org["a"]["agency"], org["a"]["insp"])
    offered = selectors.assignable(c)
    assert users[("unit", "a")] in offered and elsewhere not in offered
    page = Client()
    page.force_login(users[("pengelola", "a")])
    html = page.get(f"/pengaduan/staf/{c.tracking_code}/").content.decode()
    assert f'value="{users[("unit", "a")].pk}"' in html and f'value="{elsewhere.pk}"' not in html


def test_a_first_escalation_reaches_someone_when_the_unit_has_no_head(
    smtp, org, users, submit, walk, clock, django_capture_on_commit_callbacks
):
    unit_officer = users[("unit", "a")]
    unit_officer.email = "unit-a@test.id"
    unit_officer.save()
    Unit.objects.filter(pk=org["a"]["bidang"].pk).update(head=None)
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diteruskan")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(today=dt.date(2026, 6, 10))["escalated"] == 1
    c.refresh_from_db()
    assert c.escalation_level == 1
    assert any("Eskalasi" in m["subject"] for m in smtp.to("unit-a@test.id"))
    assert RoleAssignment.objects.filter(user=unit_officer, role="unit").exists()


def test_due_soon_in_the_inbox_is_what_the_sweeper_warns_about(org, users, submit, clock):
    """The agency's own calendar (its closures) and its ``due_soon_days``, in both places."""
    from amanah.core.models import Closure

    manager = users[("pengelola", "a")]
    agency = org["a"]["agency"]
    for day in (3, 4):
        Closure.objects.create(agency=agency, date=dt.date(2026, 6, day), name="Banjir")
    clock.set(dt.date(2026, 6, 2))  # Tuesday; 3 and 4 June closed
    c = submit()
    assert c.verification_due == dt.date(2026, 6, 9)
    from amanah.complaints.models import Complaint

    Complaint.objects.filter(pk=c.pk).update(verification_due=dt.date(2026, 6, 5))
    assert list(selectors.inbox(manager, due_soon=True)) == [c]  # one working day away
    assert services.sweep(today=dt.date(2026, 6, 2))["due_soon"] == 1
    Complaint.objects.filter(pk=c.pk).update(verification_due=dt.date(2026, 6, 8))
    assert list(selectors.inbox(manager, due_soon=True)) == []  # two working days: not yet
    agency.options = {"complaints": {"due_soon_days": 2}}
    agency.save()
    assert list(selectors.inbox(manager, due_soon=True)) == [c]


def test_an_overdue_case_is_also_mailed_to_the_officer_it_is_assigned_to(
    smtp, org, users, submit, walk, clock, django_capture_on_commit_callbacks
):
    org["a"]["kabid"].email = "kabid@test.id"
    org["a"]["kabid"].save()
    officer = users[("unit", "a")]
    officer.email = "petugas@test.id"
    officer.save()
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diteruskan")
    services.assign(users[("pengelola", "a")], c, user=officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(today=dt.date(2026, 6, 10))
    mails = [m for m in smtp.messages if "Eskalasi" in m["subject"]]
    assert {to for m in mails for to in m["to"]} >= {"kabid@test.id", "petugas@test.id"}
    assert all(
        len(m["to"]) == 1 for m in mails
    )  # each reads it alone: no colleague's address in it


def test_the_case_page_says_which_texts_the_complainant_will_read(org, users, submit, walk):
    c = walk(submit(), "diteruskan")
    page = Client()
    page.force_login(users[("pengelola", "a")])
    html = page.get(f"/pengaduan/staf/{c.tracking_code}/").content.decode()
    assert '<label for="start_text">Pesan untuk pengadu' in html
    assert '<label for="note_text">Catatan internal' in html
    assert '<label for="escalate_text">Catatan internal' in html


def test_the_case_shows_the_legal_limits_and_warns_when_a_tier_goes_past_them(
    org, users, submit, clock, api_as
):
    clock.set(dt.date(2026, 6, 1))
    operator = users[("operator", "a")]
    c = services.verify(operator, submit(), tier="pemeriksaan", unit=org["a"]["bidang"])
    # 60 working days reach far beyond the 60 calendar days UU 25/2009 gives for a decision.
    assert c.resolution_due > dt.date(2026, 7, 31)
    detail = api_as(operator).get(f"/api/v1/staff/complaints/{c.tracking_code}").json()
    assert detail["statutory_answer_due"] == "2026-06-15"
    assert detail["statutory_decision_due"] == "2026-07-31"
    assert detail["statutory_warnings"] == ["decision_late"]
    client = Client()
    client.force_login(operator)
    page = client.get(f"/pengaduan/staf/{c.tracking_code}/").content.decode()
    assert "Batas keputusan menurut UU 25/2009 (60 hari kalender)" in page
    assert "target penyelesaian melewati batas ini" in page

    normal = services.verify(operator, submit(), tier="normatif", unit=org["a"]["bidang"])
    detail = api_as(operator).get(f"/api/v1/staff/complaints/{normal.tracking_code}").json()
    assert detail["statutory_warnings"] == []
