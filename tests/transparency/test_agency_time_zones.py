"""The national page counts each agency's missed deadlines and overdue cases by the agency's own date
(WIB, WITA or WIT), so an agency's row there agrees with its own page at any hour, and the national
summary adds up the same way."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from amanah.complaints import rules as crules
from amanah.complaints.models import Complaint
from tests.complaints.conftest import WIB, Clock
from tests.transparency import expected
from tests.transparency.conftest import make_complaints
from tests.transparency.fixed_period import PERIOD
from tests.transparency.fixed_period import api_json as _get

pytestmark = pytest.mark.django_db

ROW_FIELDS = {
    "received": "complaints_received",
    "closed": "complaints_closed",
    "answered_on_time": "answered_on_time",
    "deadline_cases": "deadline_cases",
    "answered_within_deadline_pct": "answered_within_deadline_pct",
    "open": "open",
    "overdue": "overdue",
}


def _edge_cases(org, key, now):
    """Complaints of agency ``key`` whose response was due on 2 March and is not answered: one still
    waiting for the answer (missed and overdue once it is 3 March in the agency) and one transferred
    to the agency with the authority twenty minutes ago (a miss of this agency, not of the country)."""
    agency = org[key]["agency"]
    common = dict(
        agency=agency,
        unit=org[key]["bidang"],
        kind="pengaduan",
        channel="web",
        description="Uraian",
        received_at=dt.datetime(2026, 2, 20, 9, 0, tzinfo=WIB),
        verification_due=dt.date(2026, 2, 23),
        response_due=dt.date(2026, 3, 2),
        resolution_due=dt.date(2026, 3, 20),
    )
    waiting = Complaint(
        tracking_code=f"EDGE{key}1", title="Menunggu", status=crules.FORWARDED, **common
    )
    waiting.save()
    moved = Complaint(
        tracking_code=f"EDGE{key}2",
        title="Dialihkan",
        status=crules.TRANSFERRED,
        closed_at=now - dt.timedelta(minutes=20),
        **common,
    )
    moved.save()
    return [waiting, moved]


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(
            2026, 3, 2, 21, 30, tzinfo=WIB
        ),  # WITA 22:30, WIT 23:30: still 2 March everywhere
        dt.datetime(2026, 3, 2, 22, 30, tzinfo=WIB),  # WIT already 3 March
        dt.datetime(2026, 3, 2, 23, 30, tzinfo=WIB),  # WITA and WIT 3 March, WIB still 2 March
        dt.datetime(2026, 3, 3, 0, 30, tzinfo=WIB),  # 3 March everywhere
    ],
)
def test_an_agencys_row_on_the_national_page_agrees_with_its_own_page_at_any_hour(
    org, monkeypatch, api, django_capture_on_commit_callbacks, moment
):
    from amanah.core.models import Agency

    Agency.objects.filter(pk=org["a"]["agency"].pk).update(time_zone="Asia/Jayapura")  # WIT
    Agency.objects.filter(pk=org["b"]["agency"].pk).update(time_zone="Asia/Makassar")  # WITA
    for key in ("a", "b"):
        org[key]["agency"].refresh_from_db()
    Clock(monkeypatch).set(moment)
    with django_capture_on_commit_callbacks(execute=True):
        cases = {
            "a": make_complaints(org, 60, seed=7, key="a") + _edge_cases(org, "a", moment),
            "b": make_complaints(org, 30, seed=9, key="b") + _edge_cases(org, "b", moment),
        }
    start, end = (dt.date.fromisoformat(PERIOD[k]) for k in ("start", "end"))
    rows = {r["code"]: r for r in _get(api, "agencies")["rows"]}
    page = Client().get("/transparansi/", PERIOD)
    page_rows = {r["code"]: r for r in page.context["children"]["rows"]}
    for key, code in (("a", "kab-a"), ("b", "kab-b")):
        own = _get(api, "summary", agency=code)
        want = expected.summary(cases[key], start, end)
        assert own["not_answered_past_deadline"] == want["not_answered_past_deadline"]
        assert own["overdue"] == want["overdue"]
        for row_field, summary_field in ROW_FIELDS.items():
            assert rows[code][row_field] == own[summary_field], (code, row_field)
            assert page_rows[code][row_field] == own[summary_field], (code, row_field)
        # the agency's page (the national row's link, same period) shows the same summary
        agency_page = Client().get(f"/transparansi/i/{code}/", PERIOD)
        assert {k: agency_page.context["s"][k] for k in ROW_FIELDS.values()} == {
            k: own[k] for k in ROW_FIELDS.values()
        }
    # The national summary counts each case by its agency's date too: open and overdue are the sums
    # of the rows, and the missed deadlines those of the complaints the country counts (a transferred
    # case is counted where it is handled, not as the first agency's miss).
    nat = _get(api, "summary")
    assert nat["open"] == sum(r["open"] for r in rows.values())
    assert nat["overdue"] == sum(r["overdue"] for r in rows.values())
    national = expected.summary(
        [c for c in cases["a"] + cases["b"] if expected.national(c)], start, end
    )
    for field in ("not_answered_past_deadline", "overdue", "open", "answered_on_time"):
        assert nat[field] == national[field], field
    assert nat["answered_within_deadline_pct"] == national["answered_within_deadline_pct"]
    assert page.context["s"]["overdue"] == nat["overdue"]
    # the open data say the same as the pages
    r = api.get("/api/v1/transparency/agencies", {**PERIOD, "format": "csv"})
    for line in csv.DictReader(io.StringIO(r.content.decode())):
        for row_field in ROW_FIELDS:
            want = rows[line["code"]][row_field]
            assert line[row_field] == ("" if want is None else str(want)), row_field
    r = api.get("/api/v1/transparency/summary", {**PERIOD, "format": "csv"})
    (line,) = csv.DictReader(io.StringIO(r.content.decode()))
    for field in ("not_answered_past_deadline", "open", "overdue", "deadline_cases"):
        assert line[field] == str(nat[field]), field
    assert page.context["s"]["not_answered_past_deadline"] == nat["not_answered_past_deadline"]
