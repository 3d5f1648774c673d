"""The gratification deadlines (UU 20/2001 Pasal 12C: KPK within 30 working days of receipt; through the
UPG within 10) are reminded to the handlers like every other deadline of an open case, and the new-report
mail to staff states them. A self-report filed late in the 30 days would otherwise get no reminder
before the KPK deadline passes (the assessment deadline falls after it)."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def self_report(org):
    from amanah.core.calendar import Calendar
    from amanah.integrity import services
    from amanah.integrity.forms import GratificationForm

    o = org["a"]
    cal = Calendar(o["agency"])

    def make(received_working_days_ago: int):
        form = GratificationForm(
            {
                "reporter_name": o["staff"].name,
                "reported_nip": o["staff"].nip,
                "reported_agency": o["agency"].code,
                "gift_received_on": cal.add(
                    cal.local_date(), -received_working_days_ago
                ).isoformat(),
                "gift_giver": "Rekanan pengadaan",
                "gift_value": "Voucher Rp2.000.000",
                "description": "Voucher diserahkan setelah penandatanganan kontrak.",
            }
        )
        assert form.is_valid(), form.errors
        report, _receipt = services.submit_report(form.cleaned_data)
        return report

    return make


def test_the_kpk_deadline_is_reminded_once_before_it_passes(
    self_report, users, smtp, django_capture_on_commit_callbacks
):
    from amanah.integrity import services
    from amanah.integrity.models import Report

    report = self_report(28)  # the KPK deadline is two working days away
    services.acknowledge(users[("inspektorat", "a")], report.pk)
    report = Report.objects.get(pk=report.pk)
    assert report.upg_due < report.created_on < report.kpk_due < report.assessment_due
    smtp.messages.clear()
    day = report.kpk_due - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(on=day) == 1
    report.refresh_from_db()
    assert {"upg", "kpk"} <= set(report.reminders_sent)
    smtp.wait(1)
    body = smtp.to(users[("inspektorat", "a")].email)[0]["body"]
    assert f"pelaporan gratifikasi kepada KPK: {report.kpk_due:%d-%m-%Y}" in body
    assert f"pelaporan gratifikasi melalui UPG: {report.upg_due:%d-%m-%Y}" in body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(on=day) == 0  # reminded once


def test_a_violation_report_and_a_closed_self_report_have_no_gratification_deadline(
    self_report, make_case, dismiss
):
    from amanah.integrity import services

    assert not {k for k, _d in services._deadline_items(make_case())} & {"upg", "kpk"}
    report = self_report(3)
    assert {"upg", "kpk"} <= {k for k, _d in services._deadline_items(report)}
    closed = dismiss(report, "Sudah dilaporkan ke KPK.")
    assert not {k for k, _d in services._deadline_items(closed)} & {"upg", "kpk"}


def test_the_new_report_mail_states_the_gratification_deadlines(
    self_report, users, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = self_report(3)
    smtp.wait(1)
    mail = smtp.to(users[("inspektorat", "a")].email)[-1]
    # Dates written the Indonesian way, as the reminders write them (not 2026-12-31).
    upg, kpk = report.upg_due.strftime("%d-%m-%Y"), report.kpk_due.strftime("%d-%m-%Y")
    received = report.gift_received_on.strftime("%d-%m-%Y")
    assessment = report.assessment_due.strftime("%d-%m-%Y")
    assert f"UPG {upg}" in mail["body"] and f"KPK {kpk}" in mail["body"]
    assert f"Gratifikasi diterima {received}" in mail["body"]
    assert f"Batas penilaian: {assessment}." in mail["body"]
    assert report.kpk_due.isoformat() not in mail["body"]
    assert "Voucher" not in mail["body"] and "Rekanan" not in mail["body"]
