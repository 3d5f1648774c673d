"""Lists of the API answer ``{count, count_more, items}`` a page at a time (``core.paging.page``): none
cuts a long list silently, ``limit`` and ``offset`` walk it, and the count stops at ``LIST_COUNT_CAP``
with ``count_more`` saying so."""

import pytest

from amanah.core.models import Employee

pytestmark = pytest.mark.django_db

#: (url, role holding it in agency A, key naming a row)
LISTS = [
    ("/api/v1/services", None, "code"),
    ("/api/v1/staff/employees", ("kepegawaian", "a"), "nip"),
    ("/api/v1/personnel/employees", ("kepegawaian", "a"), "nip"),
]


@pytest.fixture
def many(org):
    """Enough ASN and services in agency A for several pages."""
    from amanah.core.models import Service

    for i in range(5):
        Service.objects.create(unit=org["a"]["bidang"], code=f"kab-a-s{i}", name=f"Layanan {i}")
    for i in range(12):
        Employee.objects.create(
            nip=f"199001012015011{i + 1:03d}",
            name=f"Pegawai {i:02d}",
            unit=org["a"]["bidang"],
            position="Staf",
        )


@pytest.mark.parametrize("url,role,key", LISTS)
def test_limit_and_offset_walk_the_whole_list(url, role, key, many, users, api, api_as):
    client = api_as(users[role]) if role else api
    get = lambda **params: client.get(url, {"agency": "kab-a", **params}).json()  # noqa: E731
    whole = get(limit=200)
    assert whole["count"] == len(whole["items"]) >= 3 and whole["count_more"] is False
    names = [row[key] for row in whole["items"]]
    walked = []
    for offset in range(0, whole["count"], 2):
        page = get(limit=2, offset=offset)
        assert page["count"] == whole["count"] and len(page["items"]) <= 2
        walked += [row[key] for row in page["items"]]
    assert walked == names  # a stable order: no row twice, none left out
    assert get(offset=whole["count"])["items"] == []
    # out-of-range windows are brought within bounds, not refused
    assert len(get(limit=0)["items"]) == 1
    assert get(limit=-5, offset=-5)["items"][0][key] == names[0]


def test_the_default_page_is_fifty_and_the_longest_two_hundred(org, users, api_as):
    for i in range(210):
        Employee.objects.create(
            nip=f"199001012015012{i + 1:03d}", name=f"P {i:03d}", unit=org["a"]["bidang"]
        )
    client = api_as(users[("kepegawaian", "a")])
    url = "/api/v1/staff/employees"
    assert len(client.get(url, {"agency": "kab-a"}).json()["items"]) == 50
    body = client.get(url, {"agency": "kab-a", "limit": 1000}).json()
    assert len(body["items"]) == 200 and body["count"] > 210


@pytest.mark.parametrize("url,role,key", LISTS)
def test_the_count_stops_at_the_cap_and_says_so(url, role, key, many, users, api, api_as, settings):
    settings.LIST_COUNT_CAP = 3
    client = api_as(users[role]) if role else api
    body = client.get(url, {"agency": "kab-a", "limit": 200}).json()
    assert body["count"] == 3 and body["count_more"] is True
    assert len(body["items"]) > 3  # the page itself is not cut by the count
