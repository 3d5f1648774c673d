"""The personnel lists take ``agency`` by code or by id, like the rest of the API."""

import pytest

pytestmark = pytest.mark.django_db

P = "/api/v1/personnel"


def test_employees_of_the_agency_by_id(api_as, users, org):
    a = org["a"]["agency"]
    hr = api_as(users[("kepegawaian", "a")])
    by_code = hr.get(f"{P}/employees", {"agency": a.code})
    by_id = hr.get(f"{P}/employees", {"agency": str(a.pk)})
    assert by_code.status_code == 200 and by_id.status_code == 200, by_id.content
    assert by_id.json() == by_code.json() != []


def test_an_unknown_agency_names_the_field(api_as, users, org):
    r = api_as(users[("kepegawaian", "a")]).get(f"{P}/employees", {"agency": "tidak-ada"})
    assert r.status_code == 404 and r.json()["error"] == "unknown_agency"
    assert set(r.json()["fields"]) == {"agency"}
