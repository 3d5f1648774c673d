"""The demo data loads through the real services and covers the workflow."""

import pytest

from amanah.complaints import demo
from amanah.complaints.models import Complaint
from amanah.core import audit
from amanah.core import demo as core_demo

pytestmark = pytest.mark.django_db


def test_demo_complaints_in_many_states():
    ctx = core_demo.load_organisation()
    demo.load(ctx, count=36)
    states = set(Complaint.objects.values_list("status", flat=True))
    assert {"diterima", "diteruskan", "diproses", "selesai", "ditolak", "dialihkan"} <= states
    assert Complaint.objects.filter(escalation_level__gt=0).exists()
    assert (
        Complaint.objects.filter(channel="web").exists()
        and Complaint.objects.exclude(channel="web").exists()
    )
    assert audit.verify().ok
