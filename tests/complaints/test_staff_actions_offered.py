"""The case page and the staff API offer only the actions the services would carry out."""

import datetime as dt
import re

import pytest
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import Complaint
from tests.complaints.conftest import WIB

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


def _unit_choices(html: str) -> list[str]:
    form = html.split('name="action" value="reassign_unit"', 1)[1].split("</form>", 1)[0]
    select = form.split('name="unit"', 1)[1].split("</select>", 1)[0]
    return [v for v in re.findall(r'<option value="([^"]*)"', select) if v]


def test_the_move_to_another_unit_does_not_offer_the_unit_the_case_is_at(org, users, submit, walk):
    """Offered, the case's own unit was only refused ("already at that unit") on submit."""
    a = org["a"]
    manager = users[("pengelola", "a")]
    c = walk(submit(), "diteruskan")
    assert c.unit == a["bidang"]
    client = Client()
    client.force_login(manager)
    choices = _unit_choices(client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode())
    assert str(a["bidang"].pk) not in choices
    assert str(a["dinas"].pk) in choices and str(a["insp"].pk) in choices
    # A page left open (the case moved there meanwhile) still sends it: refused at the field, saying why.
    r = client.post(
        f"/pengaduan/staf/AMN-{c.pk}/",
        {"action": "reassign_unit", "unit": a["bidang"].pk, "note": "Pindah."},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Pengaduan sudah berada di unit itu; pilih unit lain." in html
    assert 'id="reassign_unit_unit_error"' in html
    assert Complaint.objects.get(pk=c.pk).unit == a["bidang"]
    # The move itself still works.
    r = client.post(
        f"/pengaduan/staf/AMN-{c.pk}/", {"action": "reassign_unit", "unit": a["dinas"].pk}
    )
    assert r.status_code == 302 and Complaint.objects.get(pk=c.pk).unit == a["dinas"]
    choices = _unit_choices(client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode())
    assert str(a["dinas"].pk) not in choices and str(a["bidang"].pk) in choices


def test_recording_the_completion_is_not_offered_once_its_days_are_over(
    users, submit, walk, clock, api_as
):
    """After the 30 days to complete a file it counts as withdrawn: the service withdraws it rather than
    record the completion, so the page no longer offers it (even before the sweep) and says why."""
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "menunggu_kelengkapan")
    operator = users[("operator", "a")]

    def page_on(day):
        clock.set(dt.datetime.combine(day, dt.time(10), tzinfo=WIB))
        client = Client()
        client.force_login(operator)  # a session of that day
        return client.get(f"/pengaduan/staf/AMN-{c.pk}/").content.decode()

    for day in (dt.date(2026, 6, 2), c.completion_due):
        page = page_on(day)
        assert 'name="action" value="complete"' in page and 'id="completion-lapsed"' not in page
    page = page_on(c.completion_due + dt.timedelta(days=1))
    assert 'name="action" value="complete"' not in page
    assert 'id="completion-lapsed"' in page and "dianggap dicabut" in page
    assert 'name="action" value="note"' in page  # the other actions stay
    detail = api_as(operator).get(f"/api/v1/staff/complaints/AMN-{c.pk}").json()
    assert "complete" not in detail["allowed_actions"]
    assert (
        Complaint.objects.get(pk=c.pk).status == "menunggu_kelengkapan"
    )  # reading changes nothing
