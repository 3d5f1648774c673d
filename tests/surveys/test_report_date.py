"""The SKM report is dated by the agency's own day: made at 00:30 WIT on 11 January (22:30 on the 10th
in WIB), a WIT agency's report says 11 January."""

import datetime as dt

import pytest
from django.utils import timezone

from amanah.surveys import reports, services

pytestmark = pytest.mark.django_db

WIT = dt.timezone(dt.timedelta(hours=9))
MOMENT = dt.datetime(2030, 1, 11, 0, 30, tzinfo=WIT)  # 22:30 on 10 January in WIB


def test_report_is_dated_by_the_agencys_day(org, users, monkeypatch):
    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    period = services.create_period(
        users[("admin", None)],
        unit=org["a"]["bidang"],
        population=100,
        start=dt.date(2030, 1, 1),
        end=dt.date(2030, 1, 20),
    )
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    captured = {}
    monkeypatch.setattr(reports, "pdf", lambda html: captured.setdefault("html", html) and b"")
    ctx = reports.report_context(period, staff=True)
    assert ctx["generated"] == dt.date(2030, 1, 11)
    reports.report_pdf(period, staff=True)
    html = captured["html"]
    assert "11 Januari 2030" in html, [x for x in html.splitlines() if "Amanah pada" in x]
