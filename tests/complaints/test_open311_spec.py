"""Open311 GeoReport v2 read against the specification (http://wiki.open311.org/GeoReport_v2): the
parameters it lets a client repeat or comma-separate, the body a POST is sent as, ``jurisdiction_id`` on the
single-request methods, and errors that name the parameters the client sent."""

import pytest
from django.test import Client

from amanah.complaints import services

from .test_open311_edges import spec_error

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def publish(submit, users, org, key):
    c = submit(publish=True, service=org[key]["service"])
    services.set_publication(users[("pengelola", key)], c, approve=True)
    return c


def ids(r) -> list[str]:
    assert r.status_code == 200, r.content[:300]
    return sorted(row["service_request_id"] for row in r.json())


# --- GET requests: repeated and comma-separated parameters -------------------------------------------


def test_service_code_and_status_may_be_repeated_as_well_as_comma_separated(org, users, submit):
    """The specification: service_code and status "can be declared multiple times, comma delimited".
    ``?service_code=a&service_code=b`` asks for both, not only the last one."""
    a, b = publish(submit, users, org, "a"), publish(submit, users, org, "b")
    both = sorted([f"AMN-{a.pk}", f"AMN-{b.pk}"])
    url = f"{BASE}/requests.json"
    assert ids(Client().get(url, {"service_code": "kab-a-ktp,kab-b-ktp"})) == both
    assert ids(Client().get(url, {"service_code": ["kab-a-ktp", "kab-b-ktp"]})) == both
    assert ids(Client().get(url, {"status": ["open", "closed"]})) == both
    assert ids(Client().get(url, {"status": "open,"})) == both  # an empty item is no status
    assert ids(Client().get(url, {"status": ["closed", "closed"]})) == []
    assert "status must be open, closed" in spec_error(
        Client().get(url, {"status": ["open", "pending"]}), 400
    )
