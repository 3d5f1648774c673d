"""The demo data loads through the real services and covers the workflow."""

import pytest

from amanah.complaints import demo
from amanah.complaints.models import Complaint
from amanah.core import audit
from amanah.core import demo as core_demo

pytestmark = pytest.mark.django_db


def test_demo_complaints_in_every_state_on_working_day_deadlines():
    from amanah.complaints import rules
    from amanah.core.calendar import Calendar

    ctx = core_demo.load_organisation()
    demo.load(ctx, count=36)
    states = set(Complaint.objects.values_list("status", flat=True))
    assert states == set(rules.STATUSES)
    assert Complaint.objects.values("agency").distinct().count() == len(ctx["agencies"])
    assert Complaint.objects.filter(assignee__isnull=False).exists()
    for c in Complaint.objects.select_related("agency"):
        cal = Calendar(c.agency)
        received_on = cal.local_date(c.received_at)
        assert c.incident_date is None or c.incident_date <= received_on
        for field in ("verification_due", "response_due", "resolution_due", "auto_close_due"):
            due = getattr(c, field)
            assert due is None or cal.is_working_day(due), (c.status, field, due)
        if c.verification_due:
            assert c.verification_due == rules.verification_due(received_on, cal.add)
    assert Complaint.objects.filter(escalation_level__gt=0).exists()
    assert (
        Complaint.objects.filter(channel="web").exists()
        and Complaint.objects.exclude(channel="web").exists()
    )
    assert audit.verify().ok


def test_demo_histories_unfold_over_working_days_as_a_desk_would_have_worked_them():
    """Each demo case is played at the moments its steps would have happened: received weeks or hours
    ago, then verified, taken up, answered and confirmed on later days, never in the future; the sweeper's
    rounds over those weeks escalate late cases a step at a time."""
    import datetime as dt

    from django.utils import timezone

    from amanah.core.calendar import Calendar

    ctx = core_demo.load_organisation()
    demo.load(ctx, count=54)
    now = timezone.now()
    spans = []
    for c in Complaint.objects.select_related("agency"):
        events = list(c.events.order_by("at", "pk").values_list("action", "at"))
        assert events[0][0] == "submit" and events[-1][1] <= now
        assert c.received_at <= events[0][1]  # entered by an officer after it came in
        spans.append(events[-1][1] - events[0][1])
        if c.answered_at:
            assert c.received_at < c.forwarded_at < c.answered_at
            cal = Calendar(c.agency)
            assert cal.is_working_day(cal.local_date(c.answered_at))
    assert sum(span > dt.timedelta(days=1) for span in spans) > len(spans) / 3
    # A case late long enough reached the inspectorate on a later round than the unit head.
    laddered = [
        sorted(c.events.filter(action="escalate").values_list("at", flat=True))
        for c in Complaint.objects.filter(escalation_level=3)
    ]
    assert laddered and any(times[-1].date() > times[0].date() for times in laddered)
