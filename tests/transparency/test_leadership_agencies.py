"""The leadership page lists only the agencies where the user's leadership role is held agency-wide (the
page is about the agency as a whole): a unit-level role elsewhere neither lists that agency nor, listed
first, turns the user's own page into a 403."""

import pytest
from django.test import Client

from amanah.core.models import RoleAssignment
from amanah.transparency import selectors

pytestmark = pytest.mark.django_db


def _page(user, **query):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client.get("/transparansi/pimpinan/", query)


def test_a_unit_role_elsewhere_does_not_list_that_agency(org, make_user):
    a, b = org["a"]["agency"], org["b"]["agency"]
    assert a.name < b.name  # the unit-level agency would be listed, and opened, first
    user = make_user("pimpinan", b)
    RoleAssignment.objects.create(user=user, role="pengelola", agency=a, unit=org["a"]["bidang"])
    assert list(selectors.leadership_agencies(user)) == [b]
    r = _page(user)
    assert r.status_code == 200
    assert r.context["agency"] == b and r.context["agencies"] == [b]
    # asking for the unit-level agency by name opens the user's own one instead of a 403
    r = _page(user, agency=a.code)
    assert r.status_code == 200 and r.context["agency"] == b


def test_only_unit_level_leadership_roles_get_the_403(org, make_user):
    user = make_user("pimpinan", org["a"]["agency"], unit=org["a"]["dinas"])
    RoleAssignment.objects.create(
        user=user, role="auditor", agency=org["b"]["agency"], unit=org["b"]["bidang"]
    )
    assert list(selectors.leadership_agencies(user)) == []
    assert _page(user).status_code == 403


def test_agency_wide_roles_and_the_platform_admin(org, make_user, users):
    a, b = org["a"]["agency"], org["b"]["agency"]
    user = make_user("auditor", a)
    RoleAssignment.objects.create(user=user, role="inspektorat", agency=b)
    RoleAssignment.objects.create(user=user, role="pimpinan", agency=b, unit=org["b"]["bidang"])
    assert list(selectors.leadership_agencies(user)) == [a, b]
    assert set(selectors.leadership_agencies(users[("admin", None)])) >= {a, b}
