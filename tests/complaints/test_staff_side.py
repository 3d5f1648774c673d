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
    html = page.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
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
    html = page.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
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
    page = client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert "Batas keputusan menurut UU 25/2009 (60 hari kalender)" in page
    assert "target penyelesaian melewati batas ini" in page

    normal = services.verify(operator, submit(), tier="normatif", unit=org["a"]["bidang"])
    detail = api_as(operator).get(f"/api/v1/staff/complaints/{normal.tracking_code}").json()
    assert detail["statutory_warnings"] == []


def test_the_legal_decision_limit_runs_from_the_day_the_file_was_complete(
    org, users, submit, clock, api_as
):
    """UU 25/2009: a decision within 60 days of the file being complete - from receipt for a complete
    file, from the day it was completed for one that was not; not from the day staff verified it."""
    operator = users[("operator", "a")]
    clock.set(dt.date(2026, 1, 5))
    complete = submit()
    assert selectors.statutory(complete)["decision_due"] is None  # not yet known to be complete
    clock.set(dt.date(2026, 1, 8))  # verified on the third working day
    complete = services.verify(operator, complete, unit=org["a"]["bidang"])
    detail = api_as(operator).get(f"/api/v1/staff/complaints/{complete.tracking_code}").json()
    assert detail["statutory_decision_due"] == "2026-03-06"  # 5 January + 60 days

    clock.set(dt.date(2026, 1, 5))
    paused = services.request_completion(operator, submit(), message="Mohon lampirkan bukti.")
    clock.set(dt.date(2026, 1, 12))
    paused = services.complete_for(operator, paused, note="Dilengkapi lewat telepon.")
    clock.set(dt.date(2026, 1, 14))
    paused = services.verify(operator, paused, unit=org["a"]["bidang"])
    assert selectors.statutory(paused)["decision_due"] == dt.date(2026, 3, 13)  # 12 January + 60


def _page(user):
    client = Client()
    client.force_login(user)
    return client


def test_assigning_from_a_page_left_open_on_a_case_that_closed_meanwhile_says_why(
    users, submit, walk
):
    c = walk(submit(), "dijawab")
    page = _page(users[("pengelola", "a")])
    assert 'value="assign"' in page.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    services.confirm(c, rating=5)  # the complainant confirms while the page is open
    r = page.post(
        f"/pengaduan/staf/AMN-{c.pk}/",
        {"action": "assign", "user": str(users[("unit", "a")].pk)},
        follow=True,
    )
    assert r.status_code == 200
    assert "tidak dapat dilakukan" in r.content.decode()
    c.refresh_from_db()
    assert c.assignee_id is None


def test_a_case_rejected_as_spam_leaves_the_public_list_and_cannot_be_approved_again(
    users, submit, api
):
    c = submit(publish=True, identity_mode="anonim", title="Judul terbit unik")
    manager = users[("pengelola", "a")]
    services.set_publication(manager, c, approve=True)
    assert "Judul terbit unik" in Client().get("/pengaduan/publik/").content.decode()
    services.reject(users[("operator", "a")], c, reason="spam")
    assert "Judul terbit unik" not in Client().get("/pengaduan/publik/").content.decode()
    assert api.get("/api/v1/complaints/published").json()["items"] == []
    with pytest.raises(services.ComplaintError) as refused:
        services.set_publication(manager, c, approve=True)
    assert refused.value.code == "rejected_as_spam"
    page = _page(manager).get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert "Setujui publikasi" not in page
    # Rejected for another reason (unclear), an approved complaint stays listed with its status.
    other = submit(publish=True, identity_mode="anonim", title="Judul kedua")
    services.set_publication(manager, other, approve=True)
    services.reject(users[("operator", "a")], other, reason="tidak_jelas", note="Tidak jelas.")
    assert "Judul kedua" in Client().get("/pengaduan/publik/").content.decode()


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("بطاقة الهوية لم تصدر", "قدمت طلب بطاقة الهوية منذ ثلاثة أشهر ولم تصدر حتى الآن"),
        ("身份证三个月还没有办好", "我三个月前申请了身份证，到现在还没有拿到"),
        ("Pelayanan réseau très lente", "Écran d'accueil bloqué à l'étape numéro deux"),
    ],
    ids=["arabic", "chinese", "latin-accents"],
)
def test_the_same_complaint_in_any_script_is_suggested_as_a_possible_duplicate(
    users, submit, title, description
):
    first = submit(title=title, description=description)
    second = submit(title=title, description=description)
    unrelated = submit(title="Jalan rusak", description="Jalan di depan kantor berlubang besar.")
    found = [o for o, _score in selectors.similar(users[("operator", "a")], second)]
    assert found == [first] and unrelated not in found


def test_possible_duplicates_look_back_the_agencys_own_number_of_days(org, users, submit, clock):
    """``similar_days`` is one of the agency's complaint options, as the deadlines are: an agency that
    looks back 60 days is shown a case from 45 days ago, one on the default 30 days is not."""
    clock.set(dt.date(2026, 4, 17))
    old = submit(title="Antrean KTP-el sangat panjang", description="Antrean di loket KTP-el lama.")
    clock.set(dt.date(2026, 6, 1))  # 45 days later
    new = submit(title="Antrean KTP-el sangat panjang", description="Antrean di loket KTP-el lama.")
    operator = users[("operator", "a")]
    assert [o for o, _score in selectors.similar(operator, new)] == []
    agency = org["a"]["agency"]
    agency.options = {**(agency.options or {}), "complaints": {"similar_days": 60}}
    agency.save()
    new.refresh_from_db()
    assert [o for o, _score in selectors.similar(operator, new)] == [old]


def test_an_officer_who_forwards_a_case_beyond_their_unit_lands_on_the_inbox(org, users, submit):
    """The Dinas's operator forwards to the Inspektorat, outside the Dinas: done, and the case is no
    longer theirs to open, so they see the inbox and a note saying so instead of "not found"."""
    c = submit()
    r = _page(users[("operator", "a")]).post(
        f"/pengaduan/staf/AMN-{c.pk}/",
        {"action": "verify", "unit": org["a"]["insp"].pk, "tier": "normatif"},
        follow=True,
    )
    c.refresh_from_db()
    assert c.status == "diteruskan" and c.unit == org["a"]["insp"]
    assert r.status_code == 200 and r.redirect_chain[-1][0] == "/pengaduan/staf/"
    assert f"Pengaduan AMN-{c.pk} kini di luar lingkup Anda." in r.content.decode()


def test_no_role_is_offered_an_action_that_nothing_carries_out(users, submit, walk, api_as):
    """Withdrawal of a file never completed is the sweeper's: no page or API carries it out for staff,
    so the table offers it to nobody else."""
    c = walk(submit(), "menunggu_kelengkapan")
    for role in ("pengelola", "operator", "inspektorat"):
        body = api_as(users[(role, "a")]).get(f"/api/v1/staff/complaints/{c.tracking_code}").json()
        assert "withdraw_incomplete" not in body["allowed_actions"]
