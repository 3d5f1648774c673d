"""The case page and the staff API offer only the actions the services would carry out."""

import pytest
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def test_a_case_at_the_top_of_the_ladder_is_offered_no_further_escalation(
    users, submit, walk, api_as
):
    manager = users[("pengelola", "a")]
    c = walk(submit(), "diproses")
    client = Client()
    client.force_login(manager)
    assert (
        'name="action" value="escalate"'
        in client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    )
    services.escalate(manager, c, level=3, reason="Sudah dua kali lewat tenggat.")
    assert Complaint.objects.get(pk=c.pk).escalation_level == 3
    # Offered, the form would only be refused ("already escalated") with the reason typed in it.
    page = client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()
    assert 'name="action" value="escalate"' not in page
    assert 'name="action" value="note"' in page  # the other actions stay
    detail = api_as(manager).get(f"/api/v1/staff/complaints/{c.tracking_code}").json()
    assert "escalate" not in detail["allowed_actions"] and "note" in detail["allowed_actions"]
