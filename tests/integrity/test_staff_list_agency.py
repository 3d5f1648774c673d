"""The staff lists of the API (``GET /integrity/cases``, ``/disclosures``, ``/protection``) narrowed by
``agency`` (code or id): only the cases handled by that agency, not every agency the caller covers."""

import pytest
from django.utils import timezone

from amanah.core.models import RoleAssignment
from amanah.integrity.models import DisclosureRequest, Report

pytestmark = pytest.mark.django_db

BASE = "/api/v1/integrity"


@pytest.fixture
def two_cases(make_case, org):
    b = org["b"]
    in_a = make_case()
    in_b = make_case(
        reported_agency=b["agency"].code,
        reported_unit=b["bidang"].code,
        reported_name=b["staff"].name,
        reported_nip=b["staff"].nip,
    )
    return in_a, in_b


def _of_both(make_user, org, role):
    user = make_user(role, org["a"]["agency"])
    RoleAssignment.objects.create(user=user, role=role, agency=org["b"]["agency"])
    return user


@pytest.mark.parametrize("ref", ["code", "pk"])
def test_cases_of_one_agency(api_as, users, make_user, org, two_cases, ref):
    a = org["a"]["agency"]
    agency = a.code if ref == "code" else str(a.pk)
    for user in (users[("admin", None)], _of_both(make_user, org, "inspektorat")):
        r = api_as(user).get(f"{BASE}/cases", {"agency": agency})
        assert r.status_code == 200, r.content
        assert [row["handling_agency"] for row in r.json()["items"]] == ["kab-a"]
    both = api_as(users[("admin", None)]).get(f"{BASE}/cases").json()["items"]
    assert {row["handling_agency"] for row in both} == {"kab-a", "kab-b"}


def test_an_agency_outside_the_callers_scope_is_still_refused(api_as, users, org, two_cases):
    r = api_as(users[("inspektorat", "a")]).get(f"{BASE}/cases", {"agency": org["b"]["agency"].pk})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"


def test_disclosures_of_one_agency(api_as, users, make_user, org, two_cases):
    for report in two_cases:
        DisclosureRequest.objects.create(
            report=report,
            requested_by=users[("admin", None)],
            reason="Perlu klarifikasi.",
            requested_on=timezone.localdate(),
        )
    custodian = api_as(_of_both(make_user, org, "kustodian"))
    assert len(custodian.get(f"{BASE}/disclosures").json()["items"]) == 2
    for ref in ("kab-a", str(org["a"]["agency"].pk)):
        rows = custodian.get(f"{BASE}/disclosures", {"agency": ref}).json()["items"]
        assert [row["case_number"] for row in rows] == [two_cases[0].case_number]


def test_protection_of_one_agency(api_as, users, make_user, org, two_cases):
    Report.objects.filter(pk__in=[r.pk for r in two_cases]).update(
        protection_flag=True, protection_since=timezone.localdate()
    )
    leaders = api_as(_of_both(make_user, org, "pimpinan"))
    assert len(leaders.get(f"{BASE}/protection").json()["items"]) == 2
    for ref in ("kab-b", str(org["b"]["agency"].pk)):
        rows = leaders.get(f"{BASE}/protection", {"agency": ref}).json()["items"]
        assert [row["case_number"] for row in rows] == [two_cases[1].case_number]
