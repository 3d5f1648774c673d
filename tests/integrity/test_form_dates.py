"""The reporting forms check that a date is not in the future against the easternmost time zone's date
(WIT): at half past midnight in Papua it is still yesterday in Jakarta, and a gift received "today" there
must not be refused as received tomorrow."""

import datetime as dt
import zoneinfo

import pytest

pytestmark = pytest.mark.django_db

WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


@pytest.fixture
def past_midnight_in_papua(monkeypatch):
    """Now is 16 June 2026, 00:30 WIT: still 15 June (22:30) in WIB."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 6, 16, 0, 30, tzinfo=WIT))
    return dt.date(2026, 6, 16)


def _gift(org, received_on):
    from amanah.integrity.forms import GratificationForm

    o = org["a"]
    return GratificationForm(
        {
            "reporter_name": o["staff"].name,
            "reported_nip": o["staff"].nip,
            "reported_agency": o["agency"].code,
            "gift_received_on": received_on.isoformat(),
            "gift_giver": "Rekanan pengadaan",
            "gift_value": "Voucher Rp2.000.000",
            "description": "Voucher diserahkan setelah penandatanganan kontrak.",
        }
    )


def test_a_gift_received_today_in_wit_is_accepted_after_its_midnight(org, past_midnight_in_papua):
    today_in_wit = past_midnight_in_papua
    form = _gift(org, today_in_wit)
    assert form.is_valid(), form.errors
    tomorrow = _gift(org, today_in_wit + dt.timedelta(days=1))
    assert not tomorrow.is_valid()
    assert tomorrow.errors.as_data()["gift_received_on"][0].code == "future_date"


def test_an_incident_of_today_in_wit_is_accepted_after_its_midnight(
    report_data, past_midnight_in_papua
):
    from amanah.integrity.forms import ReportForm

    today_in_wit = past_midnight_in_papua
    form = ReportForm(report_data(incident_date=today_in_wit.isoformat()))
    assert form.is_valid(), form.errors
    later = ReportForm(report_data(incident_date=(today_in_wit + dt.timedelta(days=1)).isoformat()))
    assert not later.is_valid()
    assert later.errors.as_data()["incident_date"][0].code == "future_date"
