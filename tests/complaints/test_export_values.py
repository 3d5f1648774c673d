"""Every cell of an export says what the case's own page says (its model's labels, dates and overdue state),
in the language the export was asked in, for cases of every stage, in agencies in different time zones, with
and without a unit and a service. The export reads plain values and works its labels out once per export;
these are the values it must arrive at."""

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone, translation

from amanah.complaints.models import Complaint
from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def as_the_case_says(c: Complaint, today: dt.date) -> list:
    """The export's row of ``c`` made from the model instance, one column at a time."""

    def local(value):
        return timezone.localtime(value, c.agency_zone).replace(tzinfo=None) if value else None

    def date(value):  # an XLSX date cell reads back as a datetime at midnight
        return dt.datetime.combine(value, dt.time()) if value else None

    yes_no = {True: translation.gettext("ya"), False: translation.gettext("tidak")}
    return [
        f"AMN-{c.pk}",
        local(c.received_at),
        c.agency.get_time_zone_display(),
        c.get_channel_display(),
        c.get_kind_display(),
        c.agency.name,
        c.unit.name if c.unit_id else None,
        c.service.name if c.service_id else None,
        c.title,
        c.get_status_display(),
        c.get_tier_display() or None,
        date(c.verification_due_now),
        date(c.response_due),
        date(c.resolution_due),
        yes_no[c.is_overdue_on(today)],
        c.escalation_level,
        local(c.answered_at),
        local(c.closed_at),
        c.rating,
        c.get_identity_mode_display(),
        yes_no[c.late_filing],
    ]


@pytest.fixture
def cases(submit, walk, org, clock):
    import zoneinfo

    from amanah.complaints import services

    b = org["b"]["agency"]
    b.time_zone = "Asia/Jayapura"  # WIT: two hours ahead of A's WIB
    b.save()
    # 23:30 WIB, already 01:30 WIT the 3rd.
    clock.set(dt.datetime(2026, 3, 2, 16, 30, tzinfo=dt.UTC))
    made = [
        walk(submit(title="diterima"), "diterima"),
        walk(submit(title="menunggu", identity_mode="anonim"), "menunggu_kelengkapan"),
        walk(submit(title="diteruskan", identity_mode="rahasia"), "diteruskan"),
        walk(submit(title="diproses"), "diproses"),
        walk(submit(title="dijawab"), "dijawab"),
        walk(submit(title="selesai"), "selesai"),
        services.submit(
            None,
            {
                "agency": b,
                "title": "Tanpa layanan",
                "description": "Antrean panjang di loket.",
                "identity_mode": "anonim",
            },
            [],
            channel="web",
        ),
    ]
    Complaint.objects.filter(pk=made[0].pk).update(late_filing=True, escalation_level=2)
    clock.set(dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC))  # the open stages are overdue by now
    out = []
    for c in Complaint.objects.select_related("agency", "unit", "service").order_by("pk"):
        c.agency_zone = zoneinfo.ZoneInfo(c.agency.time_zone)
        out.append(c)
    assert {c.agency.time_zone for c in out} == {"Asia/Jakarta", "Asia/Jayapura"}
    assert any(c.unit_id is None for c in out) and any(c.tier for c in out)
    assert {c.is_overdue_on(dt.date(2026, 4, 1)) for c in out} == {True, False}
    return out


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_cell_says_what_the_case_says(cases, users, language):
    client = client_in(language) if language != "id" else Client()
    client.force_login(users[("admin", None)])
    r = client.get("/pengaduan/staf/ekspor.xlsx?status=semua")
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    got = {row[0]: list(row) for row in sheet.iter_rows(min_row=2, values_only=True)}
    with translation.override(language):
        for c in cases:
            assert got[f"AMN-{c.pk}"] == as_the_case_says(c, dt.date(2026, 4, 1)), c.title
    if language == "en":
        assert got[f"AMN-{cases[0].pk}"][9] != cases[0].status  # a translated label, not the code
