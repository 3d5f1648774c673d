"""E-mails after the review of 2026-12-01: a title cannot add lines to a staff mail, a completed file and
the news of a unit without officer accounts reach someone, a departed head gets nothing, a manual
escalation says what it is, and the closing-day wording matches the sweeper."""

import datetime as dt

import pytest

from amanah.complaints import services
from amanah.core.models import RoleAssignment, User

pytestmark = pytest.mark.django_db


def test_a_title_with_line_breaks_is_one_line(
    smtp, api, org, users, django_capture_on_commit_callbacks
):
    users[("unit", "a")].email = "unit-a@test.id"
    users[("unit", "a")].save()
    title = "KTP-el\r\nBuka di https://amanah-login.example.net/\u2028Login ulang"
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(
            "/api/v1/complaints",
            {
                "service": "kab-a-ktp",
                "title": title,
                "description": "Isi.",
                "identity_mode": "anonim",
            },
        )
        code = r.json()["tracking_code"]
        c = services.selectors.by_code(code)
        services.verify(users[("operator", "a")], c, unit=org["a"]["bidang"])
    c.refresh_from_db()
    assert c.title == "KTP-el Buka di https://amanah-login.example.net/ Login ulang"
    body = smtp.to("unit-a@test.id")[0]["body"]
    lines = body.splitlines()
    assert not any(line.startswith("Buka di https://amanah-login") for line in lines)
    assert sum(line.startswith("Buka di ") for line in lines) == 1


def test_a_completed_file_is_told_to_the_verifiers(
    smtp, submit, walk, users, django_capture_on_commit_callbacks
):
    c = walk(submit(), "menunggu_kelengkapan")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(c, text="Nomor tanda terima perekaman: 3404-0012.")
    mails = smtp.to(users[("operator", "a")].email)
    assert any("dilengkapi" in m["subject"] and f"AMN-{c.pk}" in m["subject"] for m in mails)
    assert any("dilengkapi" in m["subject"] for m in smtp.to(users[("pengelola", "a")].email))


def test_news_of_a_unit_without_officer_accounts_reaches_its_head(
    smtp, org, users, submit, walk, clock, django_capture_on_commit_callbacks
):
    RoleAssignment.objects.filter(role="unit").delete()
    org["a"]["kabid"].email = "kabid@test.id"
    org["a"]["kabid"].save()
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diteruskan")
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(today=dt.date(2026, 6, 8))  # the unit's first response is due soon
    assert any("segera" in m["subject"] for m in smtp.to("kabid@test.id"))
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(c, text="Ada kabar?")
    assert any("Tanggapan baru" in m["subject"] for m in smtp.to("kabid@test.id"))


def test_a_head_whose_account_is_off_gets_no_mail(
    smtp, org, users, submit, django_capture_on_commit_callbacks
):
    head = org["a"]["kabid"]
    head.email = "kabid.lama@test.id"
    head.save()
    User.objects.create(
        email="kabid.akun@test.id", full_name="Kabid", employee=head, is_active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.verify(users[("operator", "a")], submit(), unit=org["a"]["bidang"])
    assert not smtp.to("kabid.lama@test.id") and not smtp.to("kabid.akun@test.id")
    head.is_active = False  # left the service: the directory entry is switched off
    head.save()
    User.objects.filter(employee=head).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.verify(users[("operator", "a")], submit(), unit=org["a"]["bidang"])
    assert not smtp.to("kabid.lama@test.id")


def test_manual_escalation_says_so_with_its_reason(
    smtp, org, users, submit, walk, django_capture_on_commit_callbacks
):
    c = walk(submit(), "diproses")
    users[("inspektorat", "a")].email = "insp@test.id"
    users[("inspektorat", "a")].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate(
            users[("pengelola", "a")], c, level=3, reason="Pengadu melapor pungutan liar di loket."
        )
    mail = smtp.to("insp@test.id")[-1]
    assert mail["subject"].startswith("Pengaduan dieskalasi kepada Anda")
    assert "terlambat" not in mail["subject"] and "melewati tenggat" not in mail["body"]
    assert "Alasan: Pengadu melapor pungutan liar di loket." in mail["body"]


def test_answer_mail_names_the_last_day_to_reply(
    smtp, submit, walk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c = walk(submit(), "dijawab")
    body = smtp.to("siti@example.id")[-1]["body"]
    assert f"Jika sampai {services.day(c.auto_close_due)} tidak ada tanggapan" in body.replace(
        "\n", " "
    )


def test_auto_closure_mail_says_why(smtp, submit, walk, django_capture_on_commit_callbacks):
    c = walk(submit(), "dijawab")
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(today=c.auto_close_due + dt.timedelta(days=1))
    c.refresh_from_db()
    assert c.status == "selesai"
    body = smtp.to("siti@example.id")[-1]["body"]
    assert body.startswith("Pengaduan ditutup otomatis karena tidak ada tanggapan atas jawaban.")


def test_every_mail_says_it_was_sent_automatically(
    smtp, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    assert "Auto-Submitted: auto-generated" in smtp.to("siti@example.id")[0]["raw"]


def test_an_assignee_whose_account_is_off_does_not_swallow_the_news(
    smtp, submit, walk, users, django_capture_on_commit_callbacks
):
    c = walk(submit(), "menunggu_kelengkapan")
    gone = users[("operator", "a")]
    services.assign(users[("pengelola", "a")], c, user=gone)
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(c, text="Nomor tanda terima perekaman: 3404-0012.")
    assert not smtp.to(gone.email)
    assert any("dilengkapi" in m["subject"] for m in smtp.to(users[("pengelola", "a")].email))


def test_a_title_stored_with_line_breaks_is_one_line_in_staff_mail(
    smtp, org, users, submit, django_capture_on_commit_callbacks
):
    from amanah.complaints.models import Complaint

    c = submit()
    Complaint.objects.filter(pk=c.pk).update(title="Lama\nBuka di https://palsu.example.net/")
    c.refresh_from_db()
    users[("unit", "a")].email = "unit-a@test.id"
    users[("unit", "a")].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.verify(users[("operator", "a")], c, unit=org["a"]["bidang"])
    lines = smtp.to("unit-a@test.id")[0]["body"].splitlines()
    assert "Judul: Lama Buka di https://palsu.example.net/" in lines
    assert not any(line.startswith("Buka di https://palsu") for line in lines)


def test_the_complainant_hears_when_the_unit_takes_it_up_and_when_it_moves(
    smtp, org, users, submit, walk, django_capture_on_commit_callbacks
):
    c = walk(submit(), "diteruskan")
    with django_capture_on_commit_callbacks(execute=True):
        services.start(users[("unit", "a")], c)
    mail = smtp.to("siti@example.id")[-1]
    assert mail["subject"] == "Pengaduan Anda sedang ditangani"
    assert (
        org["a"]["bidang"].name in mail["body"] and services.day(c.resolution_due) in mail["body"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reassign_unit(users[("pengelola", "a")], c, unit=org["a"]["dinas"])
    mail = smtp.to("siti@example.id")[-1]
    assert mail["subject"] == "Pengaduan Anda dialihkan ke unit lain"
    assert org["a"]["dinas"].name in mail["body"]


def test_moving_a_case_to_the_unit_it_is_in_is_refused(org, users, submit, walk, clock):
    """Otherwise a "move" would restart the unit's clock and wipe its escalation."""
    c = walk(submit(), "diteruskan")
    c.escalation_level = 1
    c.save()
    due = c.response_due
    with pytest.raises(services.ComplaintError) as refused:
        services.reassign_unit(users[("pengelola", "a")], c, unit=org["a"]["bidang"])
    assert refused.value.code == "same_unit"
    c.refresh_from_db()
    assert c.escalation_level == 1 and c.response_due == due
