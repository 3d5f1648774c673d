"""``agency`` is "code or id" across the API: the calendar answers the same agency by either, and an
unknown one is refused with 404 ``unknown_agency`` naming the field."""

import pytest

pytestmark = pytest.mark.django_db

CALLS = [
    ("/api/v1/calendar/holidays", {"year": "2026"}),
    ("/api/v1/calendar/working-days", {"start": "2026-03-02", "add": "3"}),
    ("/api/v1/services", {}),
]


@pytest.mark.parametrize("path,query", CALLS)
def test_the_agency_by_code_or_by_id_is_the_same(api, org, path, query):
    a = org["a"]["agency"]
    by_code = api.get(path, {**query, "agency": a.code})
    by_id = api.get(path, {**query, "agency": str(a.pk)})
    assert by_code.status_code == 200 and by_id.status_code == 200, by_id.content
    assert by_id.json() == by_code.json()


@pytest.mark.parametrize("path,query", CALLS)
def test_an_unknown_agency_is_refused_naming_the_field(api, org, path, query):
    r = api.get(path, {**query, "agency": "tidak-ada"})
    assert r.status_code == 404
    assert r.json()["error"] == "unknown_agency"
    assert set(r.json()["fields"]) == {"agency"}
