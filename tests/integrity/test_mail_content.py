"""What the whistleblowing mails say, read through a real SMTP server: a mail is seen on a phone's lock
screen, forwarded, and kept by the agency's mail server, so it tells that there is something and where to
open it, never what the case is about (not even its type) nor anything that narrows down who it is
about; and it links to the page where its reader acts."""

import pytest

from amanah.integrity import services

pytestmark = pytest.mark.django_db
SITE = "https://amanah.example.id"


def _all(smtp) -> str:
    return "\n".join(m["subject"] + "\n" + m["body"] for m in smtp.messages)


def test_the_new_report_mail_does_not_say_what_kind_of_violation_it_is(
    users, make_case, smtp, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    with django_capture_on_commit_callbacks(execute=True):
        report = make_case(violation_type="pungutan_liar")
    (mail,) = smtp.wait(1)
    assert mail["to"] == [users[("inspektorat", "a")].email]
    assert report.case_number in mail["subject"]
    assert f"{SITE}/integritas/staf/{report.pk}/" in mail["body"]
    assert f"Batas penilaian: {report.assessment_due:%d-%m-%Y}." in mail["body"]
    text = _all(smtp).lower()
    for telling in ("pungutan", "pungli", "loket", "disdukcapil", report.reported_name.lower()):
        assert telling not in text, telling


def test_a_case_sent_up_is_mailed_without_saying_it_is_about_the_inspectorate(
    org, users, make_case, smtp, settings, django_capture_on_commit_callbacks
):
    """Naming an inspectorate member sends the case up (here to the platform's administrators); the
    mail said why, which tells its readers the case is about the inspectorate or its leadership."""
    settings.SITE_URL = SITE
    report = make_case(reported_name="Bapak di loket 3", reported_nip="", reported_unit="")
    with django_capture_on_commit_callbacks(execute=True):
        services.name_reported_employee(
            users[("inspektorat", "a")], report.pk, org["a"]["inspektur"].nip
        )
    smtp.wait(1)
    (mail,) = smtp.to(users[("admin", None)].email)
    assert report.case_number in mail["subject"]
    assert f"{SITE}/integritas/staf/{report.pk}/" in mail["body"]
    text = _all(smtp).lower()
    for telling in ("inspektorat", "inspektur", "pimpinan"):
        assert telling not in text, telling


def test_the_retaliation_mail_to_leadership_links_to_the_protected_cases(
    users, make_case, smtp, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    report = make_case()
    leader = users[("pimpinan", "a")]
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retaliation(report, "mutasi", "Saya dipindah ke kecamatan terjauh.")
    smtp.wait(2)
    (mail,) = smtp.to(leader.email)
    assert report.case_number in mail["subject"]
    assert f"{SITE}/integritas/staf/" in mail["body"]
    assert "kecamatan" not in mail["body"].lower() and "mutasi" not in mail["body"].lower()
