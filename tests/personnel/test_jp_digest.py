"""The yearly JP reminder tells a supervisor about their subordinates below the minimum in one digest
per run, read through a real SMTP server: one mail naming every one of them (not one mail per
subordinate), in Indonesian, with the year's last day written as the pages write dates; and a second
run in the same year mails nobody again."""

import datetime as dt
import time

import pytest

from amanah.core.models import Employee
from amanah.personnel import services
from amanah.personnel.models import Reminder

from . import helpers

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def test_a_supervisor_of_three_subordinates_below_target_gets_one_mail_naming_all_three(
    org, people, smtp, django_capture_on_commit_callbacks
):
    a = org["a"]
    third = Employee.objects.create(
        nip="199507072019032001",
        name="Pranata Ketiga",
        unit=a["bidang"],
        position="Pranata Komputer",
        email="ketiga@a.test",
    )
    # The Kabid has done the year's 20 JP: every mail to them is about their subordinates.
    helpers.training(a["kabid"], jp=20, completed_on=dt.date(2026, 11, 2))
    helpers.training(third, jp=6, completed_on=dt.date(2026, 3, 9))
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.send_jp_reminders(None, a["agency"], 2026, today=TODAY)
    assert reminded >= 3
    smtp.wait(1)
    time.sleep(0.3)  # let every mail of the run arrive
    to_kabid = smtp.to("kabid@a.test")
    assert len(to_kabid) == 1, [m["subject"] for m in to_kabid]
    (digest,) = to_kabid
    assert digest["subject"] == "Pengingat JP untuk bawahan Anda: 3 orang belum 20 JP tahun 2026"
    body = digest["body"]
    assert body.startswith(f"Yth. {a['kabid'].name},")
    for emp, total in ((a["staff"], "0"), (people["colleague_emp"], "0"), (third, "6")):
        assert f"- {emp.name} (NIP {emp.nip}): {total}" in body
    assert "sebelum 31 Desember 2026." in body
    # Each subordinate with an address still gets their own reminder.
    assert len(smtp.to("staf@a.test")) == 1 and len(smtp.to("ketiga@a.test")) == 1
    # No address gets two digests in one run.
    digests = [m for m in smtp.messages if m["subject"].startswith("Pengingat JP untuk bawahan")]
    addressees = [m["to"][0].casefold() for m in digests]
    assert len(addressees) == len(set(addressees))

    before = len(smtp.messages)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_jp_reminders(None, a["agency"], 2026, today=TODAY) == 0
    time.sleep(0.3)
    assert len(smtp.messages) == before, "a second run in the same year mailed again"
    assert Reminder.objects.filter(employee=third, year=2026).count() == 1
