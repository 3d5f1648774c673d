"""Retention: in a gratification self-report the reporter is the person named (GratificationForm copies
the reporter's name into reported_name and asks for "NIP Anda"), so the purge removes the named person
and the giver along with the reporter's identity."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def _self_report(o):
    from amanah.integrity import services
    from amanah.integrity.forms import GratificationForm

    form = GratificationForm(
        {
            "reporter_name": o["staff"].name,
            "reported_nip": o["staff"].nip,
            "reported_agency": o["agency"].code,
            "gift_received_on": "2026-12-01",
            "gift_giver": "Warga pengguna layanan",
            "gift_value": "Parsel sekitar Rp300.000",
            "description": "Parsel diantar ke rumah setelah layanan selesai.",
        }
    )
    assert form.is_valid(), form.errors
    report, _receipt = services.submit_report(form.cleaned_data)
    return report


def _close_long_ago(report):
    from amanah.integrity.models import Report

    Report.objects.filter(pk=report.pk).update(status="ditutup", closed_on=dt.date(2015, 1, 1))


def test_purge_removes_the_self_reporters_name_nip_and_the_giver(org):
    from amanah.integrity import services

    o = org["a"]
    report = _self_report(o)
    assert o["staff"].name in report.reported_name and report.reported_nip == o["staff"].nip
    _close_long_ago(report)
    assert services.purge_expired() == 1
    report.refresh_from_db()
    assert report.purged_on and report.reporter_name == "" and report.reporter_contact == ""
    assert (report.reported_name, report.reported_nip, report.reported_position) == ("", "", "")
    assert report.gift_giver == ""
    # What the statistics need stays.
    assert report.kind == "gratifikasi_diri" and report.gift_received_on == dt.date(2026, 12, 1)


def test_purge_keeps_the_person_reported_in_a_violation_report(org, make_case):
    """In a violation report the person reported is not the reporter: the case row keeps them."""
    from amanah.integrity import services

    report = make_case()
    _close_long_ago(report)
    assert services.purge_expired() == 1
    report.refresh_from_db()
    assert report.reporter_name == "" and report.reported_name == org["a"]["staff"].name
