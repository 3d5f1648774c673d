"""Open311 date filters: the W3C date-time forms GeoReport v2 clients send.

A ``+07:00`` written into a URL unencoded arrives as a space (every Indonesian offset is positive), and
W3C-DTF's "complete date" (``2026-03-01``) names a day: its start for ``start_date``, its end for
``end_date``, in the zone of the agency asked about (``jurisdiction_id``), else the installation's (WIB).
"""

import datetime as dt
import zoneinfo

import pytest

from amanah.complaints import services
from amanah.core.models import Agency

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


@pytest.fixture
def march_case(org, users, submit, clock):
    clock.set(dt.date(2026, 3, 10))
    c = submit(publish=True, title="Antrean panjang")
    services.set_publication(users[("pengelola", "a")], c, approve=True)
    return f"AMN-{c.pk}"


def listed(client, query: str | dict):
    if isinstance(query, str):
        r = client.get(f"{BASE}/requests.json?{query}")
    else:
        r = client.get(f"{BASE}/requests.json", query)
    assert r.status_code == 200, r.content
    return [row["service_request_id"] for row in r.json()]


@pytest.mark.parametrize(
    "start",
    ["2026-03-01T00:00:00+07:00", "2026-03-01T00:00+07:00", "2026-03-01T00:00:00.5+0700"],
)
def test_unencoded_positive_offset_is_understood(client, march_case, start):
    # Written into the URL as is: the '+' arrives as a space.
    assert listed(client, f"start_date={start}") == [march_case]
    # The same offset decides: a start after the case leaves it out.
    assert listed(client, f"start_date={start.replace('03-01', '03-11')}") == []


def test_w3c_complete_date_is_accepted(client, march_case):
    # W3C-DTF (https://www.w3.org/TR/NOTE-datetime) allows "Complete date: YYYY-MM-DD".
    assert listed(client, {"start_date": "2026-03-01", "end_date": "2026-03-31"}) == [march_case]
    # end_date is the end of its day, not its start: the case received on 10 March at 10:00 counts.
    assert listed(client, {"start_date": "2026-03-10", "end_date": "2026-03-10"}) == [march_case]
    assert listed(client, {"end_date": "2026-03-09"}) == []
    assert listed(client, {"start_date": "2026-03-11"}) == []


def test_a_plain_date_is_a_day_of_the_agency_asked_about(client, org, users, submit, clock):
    """At 01:00 WIT on 1 March it is still 28 February in WIB: the jurisdiction's day counts."""
    Agency.objects.filter(pk=org["a"]["agency"].pk).update(time_zone="Asia/Jayapura")
    clock.set(dt.datetime(2026, 3, 1, 1, 0, tzinfo=WIT))
    c = submit(publish=True, title="Antrean malam")
    services.set_publication(users[("pengelola", "a")], c, approve=True)
    code, ident = org["a"]["agency"].code, f"AMN-{c.pk}"
    clock.set(dt.date(2026, 3, 10))
    assert listed(client, {"jurisdiction_id": code, "start_date": "2026-03-01"}) == [ident]
    assert listed(client, {"jurisdiction_id": code, "end_date": "2026-02-28"}) == []
    # Without a jurisdiction the installation's zone (WIB) names the day.
    assert listed(client, {"start_date": "2026-03-01"}) == []
    assert listed(client, {"end_date": "2026-02-28"}) == [ident]


@pytest.mark.parametrize(
    "value",
    [
        "kemarin",
        "2026-02-30",  # no such day
        "2026-03-01T00:00:00",  # a time without its zone
        "2026-03-01 07:00",  # a time after a space, no zone
        "2026-03-01T00:00:00  07:00",
        "2026-03",
        "0001-01-01",  # the start of year 1 in WIB is year 0 in UTC
    ],
)
def test_truly_bad_values_keep_the_georeport_error(client, org, value):
    r = client.get(f"{BASE}/requests.json", {"start_date": value})
    assert r.status_code == 400
    [error] = r.json()
    assert error["code"] == 400 and error["description"].startswith("start_date must be a W3C")
    r = client.get(f"{BASE}/requests.xml", {"end_date": value})
    assert r.status_code == 400 and b"<errors><error><code>400</code>" in r.content
