"""E-mail notifications through a real SMTP server (aiosmtpd): the complainant hears of each step,
staff of assignment, due-soon and overdue cases — and no staff e-mail carries a hidden identity."""

import datetime as dt

import pytest

from amanah.complaints import services

pytestmark = pytest.mark.django_db


def test_complainant_gets_code_and_answer(smtp, submit, walk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit()
    with django_capture_on_commit_callbacks(execute=True):
        walk(c, "dijawab")
    mails = smtp.to("siti@example.id")
    assert c.tracking_code in mails[0]["body"] and "diterima" in mails[0]["subject"]
    assert any("KTP-el Anda sudah dicetak" in m["body"] for m in mails)
    assert all("Pengaduan" in m["subject"] for m in mails)


def test_anonymous_complainant_gets_nothing_and_staff_mail_has_no_identity(
    smtp, org, users, submit, django_capture_on_commit_callbacks
):
    users[("unit", "a")].email = "unit-a@test.id"
    users[("unit", "a")].save()
    with django_capture_on_commit_callbacks(execute=True):
        secret = submit(
            identity_mode="rahasia",
            name="Rahmat Hidayat",
            email="rahmat@example.id",
            phone="081299990000",
        )
        services.verify(users[("operator", "a")], secret, unit=org["a"]["bidang"])
        anon = submit(identity_mode="anonim", name="Tidak Disimpan", email="anon@example.id")
        services.verify(users[("operator", "a")], anon, unit=org["a"]["bidang"])
    assert not smtp.to("anon@example.id")
    staff = smtp.to("unit-a@test.id")
    assert len(staff) == 2
    for m in staff:
        assert (
            "Rahmat" not in m["body"]
            and "rahmat@example.id" not in m["body"]
            and "0812" not in m["body"]
        )
        assert "Tidak Disimpan" not in m["body"]
    assert smtp.to("rahmat@example.id")  # the complainant still hears about their own case


def test_assignment_due_soon_and_escalation_mail_staff(
    smtp, org, users, submit, walk, clock, django_capture_on_commit_callbacks
):
    manager, unit_user = users[("pengelola", "a")], users[("unit", "a")]
    org["a"]["kabid"].email = "kabid@test.id"
    org["a"]["kabid"].save()
    clock.set(dt.date(2026, 6, 2))
    with django_capture_on_commit_callbacks(execute=True):
        c = walk(submit(), "diteruskan")
        services.assign(manager, c, user=unit_user)
    assert any("ditugaskan" in m["subject"].lower() for m in smtp.to(unit_user.email))
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(today=dt.date(2026, 6, 8))
    assert any("segera" in m["subject"].lower() for m in smtp.to(unit_user.email))
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(today=dt.date(2026, 6, 10))
    assert any("Eskalasi" in m["subject"] for m in smtp.to("kabid@test.id"))
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(today=dt.date(2026, 6, 15))
    assert any("Eskalasi" in m["subject"] for m in smtp.to(manager.email))


def test_a_late_verification_goes_to_the_complaint_manager_not_the_services_unit_head(
    smtp, org, users, submit, clock, django_capture_on_commit_callbacks
):
    org["a"]["kabid"].email = "kabid@test.id"  # head of the service's unit
    org["a"]["kabid"].save()
    clock.set(dt.date(2026, 6, 2))
    c = submit()
    assert c.verification_due == dt.date(2026, 6, 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(today=dt.date(2026, 6, 8))["escalated"] == 1
    c.refresh_from_db()
    assert c.escalation_level == 2
    assert any("Eskalasi" in m["subject"] for m in smtp.to(users[("pengelola", "a")].email))
    assert not smtp.to("kabid@test.id")


def test_dates_in_mails_are_written_as_people_read_them(
    smtp, submit, walk, clock, django_capture_on_commit_callbacks
):
    clock.set(dt.date(2026, 12, 1))  # a Tuesday: verification due Friday 4 December
    with django_capture_on_commit_callbacks(execute=True):
        c = submit()
    with django_capture_on_commit_callbacks(execute=True):
        walk(c, "dijawab")
    bodies = [m["body"] for m in smtp.to("siti@example.id")]
    assert "paling lambat Jumat, 4 Desember 2026" in bodies[0]
    assert "2026-12-04" not in bodies[0]
    assert not any("2026-12-" in b for b in bodies)
