"""Periods at their edges: the national agencies table counts the missed deadlines of this month's days when
the period holds this month whole, and an agency's default period ends on the agency's own date."""

import datetime as dt

import pytest

from amanah.complaints import rules as crules
from tests.complaints.conftest import BASE, WIB, Clock
from tests.transparency import expected
from tests.transparency.conftest import make_complaints

pytestmark = pytest.mark.django_db


def _get(api, path, **params):
    r = api.get(f"/api/v1/transparency/{path}", params)
    assert r.status_code == 200, r.content
    return r.json()


def _missed_this_month_before(cases, today):
    return [
        c
        for c in cases
        if c.response_due
        and today.replace(day=1) <= c.response_due < today
        and c.first_response_at is None
        and c.status in crules.OPEN_STATUSES
    ]


DEADLINE_FIELDS = (
    "answered_on_time",
    "deadline_cases",
    "answered_within_deadline_pct",
    "received",
    "closed",
)


@pytest.mark.parametrize(
    "today,period",
    [
        # the period ends on the last day of this month: this month is one of its whole months
        (dt.date(2026, 6, 20), (dt.date(2026, 1, 1), dt.date(2026, 6, 30))),
        # the default period on the last day of a month: twelve whole months
        (dt.date(2026, 6, 30), None),
        # this month cut by the period's end: its days are read as days (worked already)
        (dt.date(2026, 6, 20), (dt.date(2026, 1, 1), dt.date(2026, 6, 25))),
    ],
)
def test_agencies_table_counts_the_missed_deadlines_like_the_agency_summary(
    org, monkeypatch, api, django_capture_on_commit_callbacks, today, period
):
    Clock(monkeypatch).set(dt.datetime.combine(today, dt.time(10, 0), tzinfo=WIB))
    with django_capture_on_commit_callbacks(execute=True):
        cases = make_complaints(org, 80, seed=7, key="a")
    assert _missed_this_month_before(cases, today), "the data must have what the table used to miss"
    if period is None:
        params = {}
        start, end = today.replace(year=today.year - 1) + dt.timedelta(days=1), today
    else:
        start, end = period
        params = {"start": start.isoformat(), "end": end.isoformat()}
    want = expected.summary(cases, start, end)
    own = _get(api, "summary", agency="kab-a", **params)
    assert (own["start"], own["end"]) == (start.isoformat(), end.isoformat())
    assert own["not_answered_past_deadline"] == want["not_answered_past_deadline"]
    row = next(r for r in _get(api, "agencies", **params)["rows"] if r["code"] == "kab-a")
    assert (
        row["deadline_cases"]
        == own["deadline_cases"]
        == (want["answered_on_time"] + want["answered_late"] + want["not_answered_past_deadline"])
    )
    assert row["answered_within_deadline_pct"] == own["answered_within_deadline_pct"]
    assert row["answered_on_time"] == own["answered_on_time"]
    assert (row["received"], row["closed"]) == (
        own["complaints_received"],
        own["complaints_closed"],
    )


def test_an_agencys_default_period_ends_on_its_own_date(
    org, monkeypatch, api, django_capture_on_commit_callbacks
):
    from amanah.complaints import services

    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"  # WIT, two hours ahead of WIB
    agency.save()
    # 23:30 WIB on 2 March is 01:30 WIT on 3 March in the agency
    Clock(monkeypatch).set(dt.datetime(2026, 3, 2, 23, 30, tzinfo=WIB))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(
            None, dict(BASE, service=org["a"]["service"], agency=None), [], channel="web"
        )
    got = _get(api, "summary", agency="kab-a")
    assert (got["start"], got["end"]) == ("2025-03-04", "2026-03-03")
    assert got["complaints_received"] == 1
    unit = _get(api, "summary", unit=org["a"]["bidang"].code)
    assert unit["end"] == "2026-03-03"
    # the other agency (WIB) and the whole country still end on the server's date
    assert _get(api, "summary", agency="kab-b")["end"] == "2026-03-02"
    assert _get(api, "summary")["end"] == "2026-03-02"
    rows = _get(api, "units", agency="kab-a")
    assert rows["end"] == "2026-03-03"
    # the pages too: the agency's dashboard and its indicators end on the agency's date
    from django.test import Client

    page = Client().get("/transparansi/i/kab-a/").content.decode()
    assert 'value="2026-03-03"' in page
    assert 'value="2026-03-03"' in Client().get("/transparansi/i/kab-a/indikator/").content.decode()
