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
