"""Lists that must cost the same number of queries whatever the number of rows they show."""

import datetime as dt

import pytest
from django.test import Client

from amanah.complaints import services
from tests.query_count import queries

pytestmark = pytest.mark.django_db


def test_open311_lookup_of_many_ids_costs_the_same_as_of_two(org, users, submit, walk):
    def ids(n):
        cases = [walk(submit(title=f"KTP-el {i}"), "dijawab") for i in range(n)]
        return [c.tracking_code for c in cases]

    few, many = ids(2), ids(10)
    cost = [
        queries(
            lambda codes=codes: Client().get(
                "/open311/v2/requests.json", {"service_request_id": ",".join(codes)}
            )
        )
        for codes in (few, many)
    ]
    assert cost[0] == cost[1]
    rows = (
        Client()
        .get(
            "/open311/v2/requests.json",
            {"service_request_id": ",".join([many[3], "ZZZZ-ZZZZ-ZZZZ-ZZZZ", few[0]])},
        )
        .json()
    )
    assert [r["service_request_id"] for r in rows] == [many[3], few[0]]  # in the order asked
    assert all(r["status_notes"] for r in rows)  # the answer, as the tracking page leads with it


def test_inbox_page_and_api_cost_the_same_for_few_and_many_cases(org, users, submit, api_as):
    manager = users[("pengelola", "a")]
    client = Client()
    client.force_login(manager)
    api = api_as(manager)
    for _ in range(3):
        submit()
    client.get("/pengaduan/staf/"), api.get("/api/v1/staff/complaints")  # reference data remembered
    small = (
        queries(lambda: client.get("/pengaduan/staf/")),
        queries(lambda: api.get("/api/v1/staff/complaints")),
    )
    for _ in range(20):
        submit()
    large = (
        queries(lambda: client.get("/pengaduan/staf/")),
        queries(lambda: api.get("/api/v1/staff/complaints")),
    )
    assert small == large


def test_inbox_counts_stop_at_the_cap(org, users, submit, api_as, settings):
    settings.LIST_COUNT_CAP = 3
    manager = users[("pengelola", "a")]
    for _ in range(5):
        submit()
    body = api_as(manager).get("/api/v1/staff/complaints").json()
    assert body["count"] == 3 and body["count_more"] is True and len(body["items"]) == 5
    client = Client()
    client.force_login(manager)
    page = client.get("/pengaduan/staf/").content.decode()
    assert "Lebih dari 3 pengaduan" in page
    settings.LIST_COUNT_CAP = 10
    body = api_as(manager).get("/api/v1/staff/complaints").json()
    assert body["count"] == 5 and body["count_more"] is False


def test_the_inbox_service_filter_lists_the_officers_own_services(org, users):
    client = Client()
    client.force_login(users[("pengelola", "a")])
    page = client.get("/pengaduan/staf/").content.decode()
    assert 'value="kab-a-ktp"' in page and 'value="kab-b-ktp"' not in page


def test_published_list_uses_the_same_condition_as_its_indexes(org, users, submit):
    from amanah.complaints import selectors
    from amanah.complaints.models import PUBLISHED, Complaint

    shown = submit(publish=True)
    services.set_publication(users[("pengelola", "a")], shown, approve=True)
    submit(publish=True)  # not approved
    assert list(selectors.published()) == list(Complaint.objects.filter(PUBLISHED)) == [shown]


@pytest.mark.parametrize(
    "filters",
    [
        {"overdue": True},
        {"due_soon": True},
        {"date_from": dt.date(2026, 3, 1)},
    ],
)
def test_the_inbox_finds_time_zones_and_calendars_without_reading_the_cases(
    org, users, submit, filters
):
    """The overdue, due-soon and date filters need the time zones (and calendars) of the agencies in
    the officer's scope: asked of the complaints (``SELECT DISTINCT … FROM complaints``) that read every
    case of the filter before the page's own query, on every request. Only the agency table is asked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amanah.complaints import selectors

    submit()
    for user in (users[("pengelola", "a")], users[("admin", None)], users[("unit", "a")]):
        with CaptureQueriesContext(connection) as ctx:
            qs = selectors.inbox(user, **filters)  # built, not yet run
        assert not [q for q in ctx.captured_queries if "complaints_complaint" in q["sql"]], filters
        qs.count()
