"""The inbox sorted by the nearest due date of each case's current stage: what an officer works through
first (the most overdue at the top), on the page, in the export and in the API."""

import datetime as dt

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(submit, walk, clock):
    """Four cases: a forwarded one due first, a received one due next, one paused (no clock), and a
    newer received one due last."""
    clock.set(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))
    received_early = submit(title="diterima awal")
    clock.set(dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC))
    paused = walk(submit(title="menunggu kelengkapan"), "menunggu_kelengkapan")
    clock.set(dt.datetime(2026, 2, 23, 2, 0, tzinfo=dt.UTC))
    forwarded = walk(submit(title="diteruskan"), "diteruskan")
    clock.set(dt.datetime(2026, 3, 9, 2, 0, tzinfo=dt.UTC))
    received_late = submit(title="diterima akhir")
    assert forwarded.stage_due < received_early.stage_due < received_late.stage_due
    assert paused.stage_due is None
    return [forwarded, received_early, received_late, paused]


def order_on(page, codes) -> list[str]:
    """``codes`` (case numbers) in the order the page shows them."""
    html = page.content.decode()
    assert all(code in html for code in codes)
    return sorted(codes, key=html.index)


def test_page_orders_by_nearest_due_date(cases, users):
    codes = [f"AMN-{c.pk}<" for c in cases]
    client = Client()
    client.force_login(users[("pengelola", "a")])
    by_due = client.get("/pengaduan/staf/?urut=tenggat")
    assert order_on(by_due, codes) == codes
    assert 'value="tenggat" selected' in by_due.content.decode()
    newest = client.get("/pengaduan/staf/")
    received = {f"AMN-{c.pk}<": c.received_at for c in cases}
    assert order_on(newest, codes) == sorted(codes, key=received.get, reverse=True)


def test_export_keeps_the_order(cases, users):
    import csv
    import io

    client = Client()
    client.force_login(users[("pengelola", "a")])
    body = b"".join(client.get("/pengaduan/staf/ekspor.csv?urut=tenggat").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode()[1:])))
    assert [r[0] for r in rows[1:]] == [f"AMN-{c.pk}" for c in cases]


def test_api_order_due(cases, api_as, users):
    client = api_as(users[("pengelola", "a")])
    r = client.get("/api/v1/staff/complaints", {"order": "due"})
    assert r.status_code == 200
    assert [i["tracking_code"] for i in r.json()["items"]] == [c.tracking_code for c in cases]
    r = client.get("/api/v1/staff/complaints", {"order": "judul"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_order"
