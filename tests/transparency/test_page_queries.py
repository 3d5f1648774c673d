"""The dashboard pages read each figure once: the summary, the breakdowns, the ratings and the table's
row of what no unit holds share one read of the scope's rollups (one query with a sum per figure), the
national summary and table one read of the agencies' totals, so that a page costs a small number of
statements, none of them sent twice, however many agencies there are."""

from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amanah.core.models import Agency
from amanah.transparency import selectors

pytestmark = pytest.mark.django_db

#: The most statements each page may send, besides the national figures' two per date that the
#: agencies have now (``selectors.agency_days``: one date most of the day, up to three when WIB, WITA
#: and WIT are on different dates). Before the shared reads: national 43, agency 80, unit 80.
PAGE_BOUND = {"national": 8, "agency": 14, "unit": 16}


def _statements(client: Client, url: str) -> list[str]:
    client.get(url)  # the language and anything read once per process
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in ctx.captured_queries]


def _urls(org) -> dict[str, str]:
    code = org["a"]["agency"].code
    return {
        "national": "/transparansi/",
        "agency": f"/transparansi/i/{code}/",
        "unit": f"/transparansi/i/{code}/u/{org['a']['dinas'].code}/",
    }


def test_each_page_sends_few_statements_and_none_twice(dataset, org):
    client = Client()
    dates = len(selectors.agency_days())
    for page, url in _urls(org).items():
        sqls = _statements(client, url)
        bound = PAGE_BOUND[page] + (2 * dates if page == "national" else 0)
        assert len(sqls) <= bound, (page, len(sqls))
        repeated = [sql for sql, n in Counter(sqls).items() if n > 1]
        assert repeated == [], (page, repeated)


def test_the_national_page_costs_the_same_for_more_agencies(dataset, org):
    client = Client()
    before = len(_statements(client, "/transparansi/"))
    zone = org["a"]["agency"].time_zone
    for i in range(6):
        Agency.objects.create(code=f"kota-{i}", name=f"Pemerintah Kota {i}", time_zone=zone)
    after = _statements(client, "/transparansi/")
    assert len(after) == before


def test_a_long_list_of_units_is_read_in_parts_with_the_same_figures(dataset, org, monkeypatch):
    """Each index range of the read names the scope ids again, so a very long list of units is read in
    several queries (``selectors.READ_PARAMETERS``): the table's figures do not change."""
    scope = selectors.resolve_scope(org["a"]["agency"].code)
    start, end = selectors.parse_period(None, None, scope.agency)
    whole = selectors.children(scope, start, end, all_units=True)
    assert sum(r["received"] for r in whole["rows"] if r["depth"] == 0)
    monkeypatch.setattr(selectors, "READ_PARAMETERS", 20)  # one unit per query
    with CaptureQueriesContext(connection) as ctx:
        parts = selectors.children(selectors.resolve_scope(scope.agency.code), start, end, True)
    assert parts == whole
    assert len(ctx.captured_queries) > len(whole["rows"])
