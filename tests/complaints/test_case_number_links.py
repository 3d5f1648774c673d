"""Staff surfaces name another case by its case number (``AMN-<n>``), not by its tracking code (the
complainant's key): the staff API's links, a transfer's timeline steps as staff read them, and the login
redirect of a signed-out visit to a staff address."""

import pytest
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import ComplaintEvent, EventKind

pytestmark = pytest.mark.django_db


def _staff(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_staff_api_names_linked_cases_by_number_beside_their_codes(org, users, submit, api_as):
    admin = api_as(users[("admin", None)])
    original = submit()
    dup = submit(description="Pungli di loket tiga, lagi.")
    services.reject(users[("operator", "a")], dup, reason="duplikat", duplicate_of=original)
    body = admin.get(f"/api/v1/staff/complaints/AMN-{dup.pk}").json()
    assert body["duplicate_of"] == original.tracking_code  # kept for the integrations
    assert body["duplicate_of_number"] == f"AMN-{original.pk}"

    c = submit()
    r = admin.post(
        f"/api/v1/staff/complaints/AMN-{c.pk}/transfer",
        {"agency": "kab-b"},
    )
    assert r.status_code == 200, r.content
    out = r.json()
    c.refresh_from_db()
    new = c.transfers.get()
    assert out["new_case"] == new.tracking_code
    assert out["new_case_number"] == f"AMN-{new.pk}"
    assert out["transferred_to"] == [new.tracking_code]
    assert out["transferred_to_numbers"] == [f"AMN-{new.pk}"]
    body = admin.get(f"/api/v1/staff/complaints/AMN-{new.pk}").json()
    assert body["transferred_from"] == c.tracking_code
    assert body["transferred_from_number"] == f"AMN-{c.pk}"


def test_the_links_by_number_are_withheld_like_the_codes(org, users, submit, api_as):
    """Who may not open the other case gets neither its code nor its number in the link fields."""
    c = submit()
    new = services.transfer(users[("operator", "a")], c, agency=org["b"]["agency"]).transferred_to
    body = api_as(users[("auditor", "a")]).get(f"/api/v1/staff/complaints/AMN-{c.pk}").json()
    assert body["transferred_to"] == [] and body["transferred_to_numbers"] == []
    body = api_as(users[("pengelola", "b")]).get(f"/api/v1/staff/complaints/AMN-{new.pk}").json()
    assert body["transferred_from"] is None and body["transferred_from_number"] is None


def test_staff_read_a_transfers_steps_naming_the_cases_by_number(org, users, submit, api_as):
    """Also staff who may open both cases: the step is shown from its sentence and parameters, so the
    number replaces the code at read time. The complainant's pages keep the codes: the first case's page
    gives the new case's code (their key to follow it), the new case's page the old one (theirs)."""
    c = submit()
    new = services.transfer(users[("operator", "a")], c, agency=org["b"]["agency"]).transferred_to
    admin = users[("admin", None)]
    for case, other in ((c, new), (new, c)):
        body = api_as(admin).get(f"/api/v1/staff/complaints/AMN-{case.pk}").json()
        texts = " ".join(e["text"] for e in body["events"])
        assert other.tracking_code not in texts and f"AMN-{other.pk}" in texts
        page = _staff(admin).get(f"/pengaduan/staf/AMN-{case.pk}/").content.decode()
        assert other.tracking_code not in page and f"AMN-{other.pk}" in page
        public = Client().get(f"/pengaduan/lacak/{case.tracking_code}/").content.decode()
        assert other.tracking_code in public
    # the stored step keeps its text
    step = c.events.get(action="transfer")
    assert new.tracking_code in step.text


def test_a_step_recorded_without_parts_is_read_by_staff_with_the_number(org, users, submit, api_as):
    c = submit()
    new = services.transfer(users[("operator", "a")], c, agency=org["b"]["agency"]).transferred_to
    ComplaintEvent.objects.create(
        complaint=c, kind=EventKind.NOTE, public=False, text=f"Lihat {new.tracking_code}."
    )
    body = api_as(users[("admin", None)]).get(f"/api/v1/staff/complaints/AMN-{c.pk}").json()
    assert f"Lihat AMN-{new.pk}." in [e["text"] for e in body["events"]]


@pytest.mark.parametrize("suffix", ["", "tanda-terima.pdf", "bukti/1/"])
def test_signed_out_a_staff_address_by_code_sends_to_login_without_the_code(submit, suffix):
    """The same answer for a known and an unknown code: the code is not looked up, and ``next`` points
    at the inbox. An address by the case number comes back to itself after the login."""
    c = submit()
    known = Client().get(f"/pengaduan/staf/{c.tracking_code}/{suffix}")
    unknown = Client().get(f"/pengaduan/staf/{c.tracking_code[:-2]}XY/{suffix}")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert c.tracking_code not in known["Location"]
    assert "next=/pengaduan/staf/" in known["Location"]
    by_number = Client().get(f"/pengaduan/staf/AMN-{c.pk}/{suffix}")
    assert by_number.status_code == 302
    assert f"AMN-{c.pk}" in by_number["Location"]
