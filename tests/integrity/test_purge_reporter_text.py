"""Retention removes what the reporter wrote and what was written to them, not only who they are."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_purge_removes_the_report_text_the_dialogue_and_the_disclosure_reasons(
    users, make_case, dismiss, settings
):
    from amanah.integrity import selectors, services
    from amanah.integrity.models import DisclosureRequest, Message, Report

    settings.INTEGRITY_RETENTION_DAYS = 30
    insp = users[("inspektorat", "a")]
    report = make_case()
    services.reporter_reply(report, "Saya bendahara pengeluaran di bidang itu, masuk 2015.")
    services.send_message(
        insp, report.pk, "Apakah Anda yang duduk di meja bendahara?", question=True
    )
    services.report_retaliation(report, "mutasi", "Saya dipindah dari bendahara ke Kecamatan Turi.")
    services.request_disclosure(
        insp,
        report.pk,
        "Pelapor perlu dimintai keterangan sebagai saksi di bagian keuangan lantai 2.",
    )
    report = dismiss(report)
    assert services.purge_expired(on=report.closed_on + dt.timedelta(days=29)) == 0
    assert Message.objects.filter(report=report).exists()
    assert services.purge_expired(on=report.closed_on + dt.timedelta(days=30)) == 1
    report = Report.objects.get(pk=report.pk)
    assert not Message.objects.filter(report=report).exists()
    assert [d.reason for d in DisclosureRequest.objects.filter(report=report)] == [""]
    assert (report.description, report.incident_date, report.incident_place, report.witnesses) == (
        "",
        "",
        "",
        "",
    )
    # What the counts need stays.
    assert report.violation_type == "pungutan_liar" and report.status == "ditutup"
    assert report.protection_flag and report.purged_on
    assert selectors.case_detail(report)["messages"] == []
