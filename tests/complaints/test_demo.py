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
