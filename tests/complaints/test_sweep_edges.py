"""The deadline sweep against changes made while it runs, late replies to an answer, and agencies whose
options are mistyped."""

import datetime as dt

import pytest

from amanah.complaints import rules, services
from amanah.complaints.models import Complaint
from amanah.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _actions(action):
    return AuditEntry.objects.filter(action=action).count()


def _before_each_case(monkeypatch, meanwhile):
    """Run ``meanwhile(pk)`` once, after the sweep has read its list and before it reaches the case, as
    another worker or a staff request would."""
    real, done = services._sweep_one, []

    def interleaved(pk, today, calendars):
        if not done:
            done.append(pk)
            meanwhile(pk)
        return real(pk, today, calendars)

    monkeypatch.setattr(services, "_sweep_one", interleaved)


def test_an_overlapping_sweep_does_not_warn_twice(clock, submit, walk, monkeypatch):
    clock.set(dt.date(2026, 6, 2))
    walk(submit(), "diteruskan")  # first response due 9 June
    clock.set(dt.date(2026, 6, 8))
    _before_each_case(monkeypatch, lambda pk: services.sweep())  # a second worker runs to the end
    assert services.sweep()["due_soon"] == 0
    assert _actions("complaints.due_soon") == 1


def test_an_overlapping_sweep_does_not_escalate_twice(clock, submit, walk, monkeypatch):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diteruskan")
    clock.set(dt.date(2026, 6, 10))  # one working day late: the unit head
    _before_each_case(monkeypatch, lambda pk: services.sweep())
    assert services.sweep()["escalated"] == 0
    c.refresh_from_db()
    assert c.escalation_level == 1
    assert _actions("complaints.escalate") == 1


def test_a_case_taken_up_meanwhile_is_judged_by_its_new_stage(
    clock, submit, users, org, monkeypatch
):
    clock.set(dt.date(2026, 6, 2))
    c = services.verify(
        users[("operator", "a")], submit(), tier="pemeriksaan", unit=org["a"]["bidang"]
    )
    assert c.response_due == dt.date(2026, 6, 9)
    clock.set(dt.date(2026, 6, 10))  # the first response is late ...
    _before_each_case(  # ... but the unit takes the case up before the sweep reaches it
        monkeypatch, lambda pk: services.start(users[("unit", "a")], Complaint.objects.get(pk=pk))
    )
    assert services.sweep()["escalated"] == 0
    c.refresh_from_db()
    assert c.status == "diproses" and c.escalation_level == 0


def test_a_mistyped_option_of_one_agency_does_not_stop_the_sweep(clock, submit, walk, org, caplog):
    clock.set(dt.date(2026, 6, 2))
    a_case = walk(submit(), "diteruskan")  # agency A, first response due 9 June
    b = org["b"]["agency"]
    b.options = {"complaints": {"due_soon_days": "1", "escalation_ladder": [5, 2, 0], "tiers": []}}
    b.save()
    b_case = services.submit(
        None,
        {"service": org["b"]["service"], "title": "B", "description": "Kasus B.", "name": "Bu B"},
        channel="web",
    )
    clock.set(dt.date(2026, 6, 10))
    counts = services.sweep()
    a_case.refresh_from_db()
    assert a_case.escalation_level == 1 and counts["failed"] == 0
    b_case.refresh_from_db()
    assert b_case.verification_due == dt.date(2026, 6, 5)  # B's deadlines on the defaults
    assert b_case.escalation_level == 2  # three working days late on verification
    assert (
        "kab-b ignored (wrong kind of value): tiers, due_soon_days, escalation_ladder"
        in caplog.text
    )


def test_one_failing_case_is_logged_and_the_others_are_swept(
    clock, submit, walk, monkeypatch, caplog
):
    clock.set(dt.date(2026, 6, 2))
    first, second = walk(submit(), "diteruskan"), walk(submit(), "diteruskan")
    clock.set(dt.date(2026, 6, 10))
    real = services.escalate

    def broken_for_first(actor, complaint, **kw):
        if complaint.pk == first.pk:
            raise RuntimeError("mail server address list broken")
        return real(actor, complaint, **kw)

    monkeypatch.setattr(services, "escalate", broken_for_first)
    counts = services.sweep()
    assert counts["failed"] == 1 and counts["escalated"] == 1
    second.refresh_from_db()
    assert second.escalation_level == 1
    assert f"Deadline sweep failed for complaint {first.pk}" in caplog.text


def test_a_dispute_after_the_automatic_closure_date_is_refused_and_the_case_closed(
    clock, submit, walk
):
    clock.set(dt.date(2026, 6, 1))
    c = walk(submit(), "dijawab")
    assert c.auto_close_due == dt.date(2026, 6, 15)
    clock.set(dt.date(2026, 6, 15))  # the last day: still open to dispute
    assert rules.auto_close_lapsed(c.status, c.auto_close_due, dt.date(2026, 6, 15)) is False
    clock.set(dt.date(2026, 6, 16))  # the sweeper has not come round yet
    with pytest.raises(services.ComplaintError) as refused:
        services.dispute(c, reason="Masih belum selesai.")
    assert refused.value.code == "auto_closed"
    assert "ditutup otomatis" in refused.value.text
    c.refresh_from_db()
    assert c.status == "selesai" and c.close_reason == "otomatis"


def test_a_late_confirmation_closes_as_automatic_and_keeps_the_rating(clock, submit, walk):
    clock.set(dt.date(2026, 6, 1))
    c = walk(submit(), "dijawab")
    clock.set(dt.date(2026, 6, 20))
    services.confirm(c, rating=4, comment="Cukup baik.")
    c.refresh_from_db()
    assert c.status == "selesai" and c.close_reason == "otomatis"
    assert c.rating == 4 and c.rating_comment == "Cukup baik."


def test_the_tracking_api_refuses_a_late_dispute_with_its_code(clock, submit, walk, api):
    clock.set(dt.date(2026, 6, 1))
    c = walk(submit(), "dijawab")
    clock.set(dt.date(2026, 6, 16))
    r = api.post(f"/api/v1/complaints/{c.tracking_code}/dispute", {"reason": "Belum beres."})
    assert r.status_code == 409 and r.json()["error"] == "auto_closed"


@pytest.mark.parametrize(
    "override, ignored",
    [
        ({"response_days": "5"}, ["response_days"]),
        ({"response_days": True}, ["response_days"]),
        ({"response_days": -1}, ["response_days"]),
        ({"escalation_ladder": [0, 2]}, ["escalation_ladder"]),
        ({"default_tier": {"pengaduan": "kilat"}}, ["default_tier"]),
        ({"tiers": {"kilat": 1}, "default_tier": {"pengaduan": "kilat"}}, []),
        ({"tiers": {"ringan": 0}}, ["tiers"]),
        ("3", ["*"]),
    ],
)
def test_options_of_the_wrong_kind_fall_back_to_the_defaults(override, ignored):
    invalid = []
    cfg = rules.merged_config(override, invalid=invalid)
    assert invalid == ignored
    for key in ignored:
        if key != "*":
            assert cfg[key] == rules.DEFAULTS[key]
    if not ignored:
        assert cfg["default_tier"]["pengaduan"] == "kilat" and cfg["tiers"]["kilat"] == 1


# --- Who hears of a forwarded, late or escalated case --------------------------------------------------


def test_forwarding_to_another_unit_drops_an_assignee_who_cannot_open_the_case(
    org, users, submit, make_user, clock, smtp, django_capture_on_commit_callbacks
):
    """Assigned at receipt to the Dinas's operator, then forwarded to the Inspektorat, outside the
    Dinas: the operator can no longer open the case, so the assignment goes, and the complainant's reply
    and the deadline warning reach the new unit instead of vanishing into the operator's mailbox."""
    from amanah.complaints import selectors

    a = org["a"]
    operator = users[("operator", "a")]  # placed at the Dinas
    operator.email = "operator.dinas@test.id"
    operator.save()
    make_user("unit", a["agency"], a["insp"], email="petugas.insp@test.id")
    clock.set(dt.date(2026, 6, 2))
    c = submit()
    services.assign(users[("pengelola", "a")], c, user=operator)
    c = services.verify(users[("pengelola", "a")], c, unit=a["insp"])
    assert not selectors.can_view(operator, c)
    assert c.assignee_id is None
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(c, text="Tambahan informasi: nomor antrean 17.")
    clock.set(dt.date(2026, 6, 8))  # first response due 9 June
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep()
    new_unit = [m["subject"] for m in smtp.to("petugas.insp@test.id")]
    assert any("Tanggapan baru" in s for s in new_unit), new_unit
    assert any("segera tiba" in s for s in new_unit), new_unit
    assert smtp.to("operator.dinas@test.id") == []


def test_before_forwarding_a_case_is_assigned_to_the_front_office_only(
    org, users, submit, smtp, django_capture_on_commit_callbacks
):
    """A unit's officer cannot verify: before forwarding they are not offered, nor taken, as assignee,
    and the verification warnings and the completed file reach those who can verify."""
    from amanah.complaints import selectors

    operator, unit_officer = users[("operator", "a")], users[("unit", "a")]
    operator.email, unit_officer.email = "operator@test.id", "unit@test.id"
    operator.save()
    unit_officer.save()
    c = submit()
    assert unit_officer not in selectors.assignable(c) and operator in selectors.assignable(c)
    with pytest.raises(services.ComplaintError):
        services.assign(users[("pengelola", "a")], c, user=unit_officer)
    c = services.request_completion(operator, c, message="Mohon lampirkan nomor antrean.")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(c, text="Nomor antrean 17.")
    c.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(today=c.verification_due)
    assert smtp.to("unit@test.id") == []
    subjects = [m["subject"] for m in smtp.to("operator@test.id")]
    assert any("segera tiba" in s for s in subjects), subjects
    # Once forwarded, the unit's officer may take it.
    c = services.verify(operator, c)
    assert unit_officer in selectors.assignable(c)
    services.assign(users[("pengelola", "a")], c, user=unit_officer)


def test_an_assignee_moved_out_of_the_unit_no_longer_swallows_the_news(
    org, users, submit, walk, clock, smtp, django_capture_on_commit_callbacks
):
    """The assignee's role moved to another unit after the assignment: warnings go to the case's unit."""
    from amanah.core.models import RoleAssignment

    a = org["a"]
    officer = users[("unit", "a")]
    officer.email = "pindah@test.id"
    officer.save()
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diteruskan")
    services.assign(users[("pengelola", "a")], c, user=officer)
    RoleAssignment.objects.filter(user=officer, role="unit").update(unit=a["insp"])
    a["kabid"].email = "kabid@test.id"
    a["kabid"].save()
    clock.set(dt.date(2026, 6, 8))
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep()
    assert smtp.to("pindah@test.id") == []
    assert any("segera tiba" in m["subject"] for m in smtp.to("kabid@test.id"))


def test_a_late_case_taken_up_is_not_escalated_again_for_the_same_lateness(
    org, users, submit, walk, clock, smtp, django_capture_on_commit_callbacks
):
    """With the default tier the resolution date falls on the first-response date. The sweep told the
    unit head, then the complaint manager, that the case is late; when the unit finally takes it up, the
    resolution date has passed too, and the next sweep tells them nothing new."""
    org["a"]["kabid"].email = "kabid@test.id"
    org["a"]["kabid"].save()
    users[("pengelola", "a")].email = "pengelola@test.id"
    users[("pengelola", "a")].save()
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diteruskan")
    assert c.response_due == c.resolution_due == dt.date(2026, 6, 9)
    clock.set(dt.date(2026, 6, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep()
    c.refresh_from_db()
    assert c.escalation_level == 2
    told = len(smtp.to("pengelola@test.id")), len(smtp.to("kabid@test.id"))
    escalations = _actions("complaints.escalate")
    c = services.start(users[("unit", "a")], c)
    assert c.escalation_level == 2  # still late, for the same date
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep()
    assert _actions("complaints.escalate") == escalations
    assert (len(smtp.to("pengelola@test.id")), len(smtp.to("kabid@test.id"))) == told
    # Later lateness still climbs on: past the ladder's last step, the inspectorate is told.
    clock.set(dt.date(2026, 7, 31))
    services.sweep()
    c.refresh_from_db()
    assert c.escalation_level == 3
    assert _actions("complaints.escalate") == escalations + 1


def test_taking_up_a_case_whose_resolution_date_is_ahead_starts_the_ladder_again(
    org, users, submit, walk, clock
):
    """A late first response, a resolution date still ahead: that new clock is watched from the bottom."""
    clock.set(dt.date(2026, 6, 2))
    c = services.verify(users[("operator", "a")], submit(), tier="tanpa_pemeriksaan")
    assert c.resolution_due > c.response_due
    clock.set(dt.date(2026, 6, 12))
    services.sweep()
    c.refresh_from_db()
    assert c.escalation_level >= 1
    c = services.start(users[("unit", "a")], c)
    assert c.escalation_level == 0 and c.resolution_due >= dt.date(2026, 6, 12)


def test_a_late_case_moved_to_another_unit_starts_the_ladder_again_for_that_unit(
    org, users, submit, walk, clock, smtp, django_capture_on_commit_callbacks
):
    """A late case in progress, escalated to the complaint manager, is moved to another unit: it is
    forwarded on that unit's fresh response date, so when the new unit is late in turn its own head is
    told first (it used to keep the old level, and the sweep skipped the new unit's head)."""
    from amanah.core.calendar import Calendar

    org["a"]["kadis"].email = "kadis@test.id"  # head of the unit the case moves to
    org["a"]["kadis"].save()
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diproses")
    clock.set(dt.date(2026, 6, 12))
    services.sweep()
    c.refresh_from_db()
    assert c.escalation_level == 2
    c = services.reassign_unit(users[("pengelola", "a")], c, unit=org["a"]["dinas"])
    c.refresh_from_db()
    assert c.status == "diteruskan" and c.response_due >= dt.date(2026, 6, 12)
    assert c.escalation_level == 0
    # The resolution is counted again by the case's tier from the move, as after verification.
    tiers = services.config(c.agency)["tiers"]
    assert c.resolution_due == Calendar(c.agency).add(dt.date(2026, 6, 12), tiers[c.tier])
    clock.set(Calendar(c.agency).add(c.response_due, 1))  # one working day late
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep()
    c.refresh_from_db()
    assert c.escalation_level == 1
    assert any(f"AMN-{c.pk}" in m["body"] for m in smtp.to("kadis@test.id"))


def test_the_new_unit_takes_up_a_moved_late_case_without_being_escalated_at_once(
    org, users, submit, walk, clock, make_user
):
    """The case was late at the first unit; the unit it moves to and takes it up the same day is on
    time: its resolution date is counted from the move, not left in the past."""
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diproses")
    clock.set(dt.date(2026, 6, 22))
    assert c.resolution_due < dt.date(2026, 6, 22)
    c = services.reassign_unit(users[("pengelola", "a")], c, unit=org["a"]["dinas"])
    officer = make_user("unit", org["a"]["agency"], org["a"]["dinas"])
    c = services.start(officer, c)
    services.sweep()
    c.refresh_from_db()
    assert c.status == "diproses" and c.stage_due > dt.date(2026, 6, 22)
    assert not c.is_overdue and c.escalation_level == 0


def test_the_manager_level_reaches_a_complaint_manager_placed_at_the_top_unit(
    org, users, submit, make_user, clock, smtp, django_capture_on_commit_callbacks
):
    """A complaint manager placed at the Sekretariat Daerah covers every unit below it: the second step
    of the ladder reaches them (it used to look for agency-wide managers only and told nobody)."""
    from amanah.core.models import RoleAssignment

    a = org["a"]
    a["kabid"].email = "kabid@test.id"  # the first step goes to the unit head, not to the manager
    a["kabid"].save()
    RoleAssignment.objects.filter(role="pengelola", agency=a["agency"]).delete()
    make_user("pengelola", a["agency"], a["top"], email="pengelola.setda@test.id")
    clock.set(dt.date(2026, 6, 2))
    c = services.verify(users[("operator", "a")], submit(), unit=a["bidang"])
    clock.set(dt.date(2026, 6, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep()
    c.refresh_from_db()
    assert c.escalation_level == 2
    assert len(smtp.to("kabid@test.id")) == 1
    assert [m["subject"] for m in smtp.to("pengelola.setda@test.id")] == [
        f"Eskalasi pengaduan terlambat: AMN-{c.pk}"
    ]
