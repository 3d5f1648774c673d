"""The open-data API's answers are what the OpenAPI document declares for them (each checked against its
schema, ``tests/core/openapi_check.py``; CSV as ``text/csv``), and declaring them changed none: every table
is what ``opendata.rows`` builds."""

import pytest

from tests.core.openapi_check import answer, as_json

pytestmark = pytest.mark.django_db

BASE = "/api/v1/transparency"

#: (query, level) of a national, an agency's and a unit's scope
SCOPES = [
    ({}, "n"),
    ({"agency": "kab-a"}, "a"),
    ({"agency": "kab-a", "unit": "kab-a-dukcapil"}, "u"),
]


def _expected(name, query, dimension=None):
    """The answer as ``api._answer`` builds it, from the selectors."""
    from amanah.transparency import opendata, selectors

    scope = selectors.resolve_scope(query.get("agency", ""), query.get("unit", ""))
    start, end = selectors.parse_period("", "", scope.agency)
    head = {
        "scope": scope.as_dict(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "licence": opendata.LICENCE,
    }
    data = opendata.rows(name, scope, start, end, dimension)
    if name == "summary":
        return as_json({**head, **data[0], "min_cases": selectors.min_cases()})
    return as_json({**head, "table": name, "rows": data, "min_cases": selectors.min_cases()})


@pytest.mark.parametrize("query,level", SCOPES, ids=["nasional", "instansi", "unit"])
def test_the_tables_of_every_scope(dataset, api, query, level):
    from amanah.transparency import opendata

    tables = [
        t.name
        for t in opendata.TABLES.values()
        if level in t.scopes and t.name not in ("summary", "breakdown")
    ]
    summary = answer(api.get(f"{BASE}/summary", query), "get", f"{BASE}/summary")
    assert summary == _expected("summary", query)
    assert summary["complaints_received"] > 0
    for name in tables:
        body = answer(api.get(f"{BASE}/{name}", query), "get", f"{BASE}/{{table}}")
        assert body == _expected(name, query), name
    csv = answer(api.get(f"{BASE}/summary", {**query, "format": "csv"}), "get", f"{BASE}/summary")
    assert csv.startswith(b"level,agency,unit,start,end,complaints_received")


def test_a_breakdown_and_its_csv(dataset, api):
    query = {"agency": "kab-a", "dimension": "channel"}
    body = answer(api.get(f"{BASE}/breakdown", query), "get", f"{BASE}/{{table}}")
    assert body == _expected("breakdown", {"agency": "kab-a"}, "channel") and body["rows"]
    csv = answer(
        api.get(f"{BASE}/breakdown", {**query, "format": "csv"}), "get", f"{BASE}/{{table}}"
    )
    assert csv.startswith(b"level,agency,unit,start,end,")


def test_the_data_dictionary(api):
    from amanah.transparency import opendata

    body = answer(api.get(f"{BASE}/tables"), "get", f"{BASE}/tables")
    assert [t["name"] for t in body["tables"]] == list(opendata.TABLES)
    assert body["licence"] == opendata.LICENCE
