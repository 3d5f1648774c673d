"""The Django admin shows no case, and no audit entry about a case, that is hidden from the user."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_register_and_audit_list_apply_the_exclusions(org, make_case, client):
    from amanah.core.models import User
    from amanah.integrity import selectors

    o = org["a"]
    # The installation's administrator is an employee of the agency (its IT officer) and is reported.
    admin = User.objects.create_superuser("it@test.id", "sandi-rahasia-123", employee=o["staff"])
    about_him = make_case()  # about o["staff"]
    other = make_case(reported_name="Kabid a", reported_nip="")
    visible = selectors.visible_cases(admin)
    assert about_him not in visible and other in visible
    client.force_login(admin)
    listing = client.get("/admin/integrity/report/").content.decode()
    assert other.case_number in listing and about_him.case_number not in listing
    found = client.get("/admin/integrity/report/", {"q": about_him.case_number}).content.decode()
    assert f"/{other.pk}/change/" in listing and f"/{about_him.pk}/change/" not in found
    assert client.get(f"/admin/integrity/report/{about_him.pk}/change/").status_code == 404
    assert client.get(f"/admin/integrity/report/{other.pk}/change/").status_code == 200
    audit = client.get("/admin/core/auditentry/").content.decode()
    assert f">{other.pk}<" in audit and str(about_him.pk) not in audit
