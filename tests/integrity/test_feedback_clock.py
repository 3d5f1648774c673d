"""The three-month feedback deadline (EU Directive 2019/1937 Art. 9(1)(f), REGULATIONS §4) runs from the
acknowledgment and then from the last real feedback: a question to the reporter or an automatic notice
(someone asked to see their identity, the custodian decided) tells them nothing about the follow-up and
must not push the deadline, or its reminder, back."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db

REASON = "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."


@pytest.fixture
def acknowledged_long_ago(make_case, users):
    """A case acknowledged 80 days ago, with no feedback since: ``(report, its feedback due date)``."""
    from amanah.integrity import services
    from amanah.integrity.models import Report

    report = make_case()
    services.acknowledge(users[("inspektorat", "a")], report.pk)
    ack = services.today(report.agency) - dt.timedelta(days=80)
    Report.objects.filter(pk=report.pk).update(acknowledged_on=ack, last_feedback_on=None)
    report.refresh_from_db()
    return report, report.feedback_due


def test_the_deadline_runs_from_the_acknowledgment(acknowledged_long_ago):
    from amanah.integrity import rules

    report, due = acknowledged_long_ago
    assert due == rules.add_months(report.acknowledged_on, 3)


def test_question_to_reporter_does_not_restart_feedback_deadline(acknowledged_long_ago, users):
    from amanah.integrity import services

    report, due = acknowledged_long_ago
    services.send_message(
        users[("inspektorat", "a")], report.pk, "Apakah Anda punya foto kuitansinya?", question=True
    )
    report.refresh_from_db()
    assert report.feedback_due == due and report.last_feedback_on is None


def test_disclosure_notices_do_not_restart_feedback_deadline(acknowledged_long_ago, users):
    from amanah.integrity import services

    report, due = acknowledged_long_ago
    req = services.request_disclosure(users[("inspektorat", "a")], report.pk, REASON)
    services.decide_disclosure(users[("kustodian", "a")], req.pk, approve=False)
    report.refresh_from_db()
    assert report.messages.filter(kind="pemberitahuan").count() == 3  # acknowledgment too
    assert report.feedback_due == due and report.last_feedback_on is None


def test_feedback_on_the_follow_up_restarts_the_clock(acknowledged_long_ago, users):
    from amanah.integrity import rules, services

    report, due = acknowledged_long_ago
    services.send_message(
        users[("inspektorat", "a")], report.pk, "Tim sudah memeriksa dokumen pengadaan terkait."
    )
    report.refresh_from_db()
    on = services.today(report.handling_agency)
    assert report.last_feedback_on == on
    assert report.feedback_due == rules.add_months(on, 3) > due


def test_reminder_keeps_coming_although_questions_were_asked(
    acknowledged_long_ago, users, mailoutbox
):
    """The sweep still reminds the investigators of the feedback deadline a question did not meet."""
    from amanah.integrity import services

    report, due = acknowledged_long_ago
    services.send_message(
        users[("inspektorat", "a")], report.pk, "Kapan kejadiannya tepatnya?", question=True
    )
    mailoutbox.clear()
    assert services.send_reminders(on=due - dt.timedelta(days=1)) == 1
    report.refresh_from_db()
    assert f"feedback:{due}" in report.reminders_sent
