"""The public list of published complaints: dates in each agency's own time zone, stable paging."""

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from amanah.complaints import selectors, services

pytestmark = pytest.mark.django_db
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


def test_published_list_dates_in_the_agencys_zone(org, users, submit, clock):
    agency = org["a"]["agency"]
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    clock.set(
        dt.datetime(2026, 6, 2, 0, 30, tzinfo=WIT)
    )  # 2 June in Jayapura, still 1 June in Jakarta
    c = submit(publish=True)
    services.set_publication(users[("pengelola", "a")], c, approve=True)
    body = Client().get("/pengaduan/publik/", {"instansi": agency.code}).content.decode()
    assert "2 Jun 2026" in body and "1 Jun 2026" not in body


def test_published_order_breaks_ties_by_id(org, users, submit, clock):
    clock.set(dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC))
    cases = [submit(publish=True) for _ in range(3)]
    for c in cases:
        services.set_publication(users[("pengelola", "a")], c, approve=True)
    Complaint = type(cases[0])
    Complaint.objects.filter(pk__in=[c.pk for c in cases]).update(received_at=cases[0].received_at)
    got = list(selectors.published().values_list("pk", flat=True))
    assert got == sorted((c.pk for c in cases), reverse=True)


def test_published_page_has_no_query_per_row(org, users, submit, django_assert_max_num_queries):
    for _ in range(3):
        services.set_publication(users[("pengelola", "a")], submit(publish=True), approve=True)
    with django_assert_max_num_queries(8):
        assert Client().get("/pengaduan/publik/").status_code == 200
