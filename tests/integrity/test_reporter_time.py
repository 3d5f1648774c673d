"""A whistleblower's actions are kept to the day: nothing written at the same moment with an exact time
(a neighbouring audit entry, a queued mail) dates them more closely."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_reporters_audit_entry_cannot_be_dated_by_its_neighbours(users, make_case):
    from amanah.core import audit
    from amanah.core.models import AuditEntry
    from amanah.integrity import services

    other = make_case()
    insp = users[("inspektorat", "a")]
    services.acknowledge(insp, other.pk)  # a staff action: exact time
    report = make_case(reported_name="Kabid a", reported_nip="")  # the whistleblower files now
    services.reporter_reply(report, "Tambahan: kejadian berulang setiap Senin.")
    services.send_message(insp, other.pk, "Terima kasih, mohon ditunggu.")  # next staff action
    mine = AuditEntry.objects.get(action="integrity.report_received", object_id=str(report.pk))
    same_chain = AuditEntry.objects.filter(chain=mine.chain)
    for neighbour in (
        same_chain.filter(seq__lt=mine.seq).order_by("-seq").first(),
        same_chain.filter(seq__gt=mine.seq).order_by("seq").first(),
    ):
        if neighbour is not None:
            t = neighbour.created_at
            assert (t.hour, t.minute, t.second, t.microsecond) == (0, 0, 0, 0), neighbour.action
    # Nor do the table's ids put it between the staff entries written just before and after it.
    before = AuditEntry.objects.get(action="integrity.acknowledged")
    after = AuditEntry.objects.get(action="integrity.message_sent")
    assert not before.pk < mine.pk < after.pk
    assert audit.verify().ok


def test_mails_a_reporter_causes_go_out_the_next_day_and_staff_mails_at_once(
    org, make_user, make_case, users, smtp, settings, django_capture_on_commit_callbacks
):
    """Queued at the reporter's moment, the task row and the mail's Date would give that moment away."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from amanah.core import notify
    from amanah.core.models import HeldMail
    from amanah.integrity import services

    settings.INTEGRITY_HOLD_REPORTER_NOTICES = True
    make_user("inspektorat", org["a"]["agency"], email="apip@test.id")
    with django_capture_on_commit_callbacks(execute=True):
        report = make_case()
        services.reporter_reply(report, "Ada tambahan keterangan.")
    assert smtp.messages == []
    held = list(HeldMail.objects.all())
    today = timezone.now().date()
    assert [h.release_on for h in held] == [today + dt.timedelta(days=1)] * 2
    with (
        connection.cursor() as cur
    ):  # what a copy of the database holds: encrypted, like a queued mail
        cur.execute(f"SELECT message FROM {HeldMail._meta.db_table}")
        stored = " ".join(row[0] for row in cur.fetchall())
    assert report.case_number not in stored and "apip@test.id" not in stored
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.release_held(today) == 0
    assert smtp.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.release_held(today + dt.timedelta(days=1)) == 2
    subjects = {m["subject"] for m in smtp.wait(2) if "apip@test.id" in m["to"]}
    assert subjects == {
        f"Laporan pelanggaran baru {report.case_number}",
        f"Balasan pelapor pada {report.case_number}",
    }
    assert not HeldMail.objects.exists()
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):  # a staff action: mailed at once
        services.assign(users[("inspektorat", "a")], report.pk, users[("inspektorat", "a")])
    assert not HeldMail.objects.exists()


def test_a_held_mail_skips_who_may_no_longer_open_the_case_on_its_day(
    org, make_user, make_case, smtp, settings, django_capture_on_commit_callbacks
):
    """The recipients are written at the reporter's moment; whoever declares a conflict (or is switched
    off) before the mail goes out the next day is not told of a case they can no longer open."""
    import datetime as dt

    from django.utils import timezone

    from amanah.core import notify
    from amanah.integrity import services

    settings.INTEGRITY_HOLD_REPORTER_NOTICES = True
    agency = org["a"]["agency"]
    stays = make_user("inspektorat", agency, email="tetap@test.id")
    leaves = make_user("inspektorat", agency, email="konflik@test.id")
    off = make_user("inspektorat", agency, email="nonaktif@test.id")
    with django_capture_on_commit_callbacks(execute=True):
        report = make_case()
        services.reporter_reply(report, "Ada tambahan keterangan.")
        services.declare_conflict(leaves, report.pk, "Saudara terlapor.")
    off.is_active = False
    off.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.release_held(timezone.now().date() + dt.timedelta(days=1)) == 2
    told = {to for m in smtp.wait(2) for to in m["to"]}
    assert "tetap@test.id" in told and stays.email == "tetap@test.id"
    assert not told & {"konflik@test.id", "nonaktif@test.id"}


def test_a_reporters_mail_that_reaches_nobody_is_logged_on_its_day_not_at_the_reporters_moment(
    org, users, make_case, settings, caplog, django_capture_on_commit_callbacks
):
    """A log line carries its time: "nobody to notify" about a case, written as the reporter files or
    replies, would say when they did. It is written when the held mail would have gone out."""
    import datetime as dt
    import logging

    from django.utils import timezone

    from amanah.core import notify
    from amanah.core.models import User
    from amanah.integrity import services

    settings.INTEGRITY_HOLD_REPORTER_NOTICES = True
    # Agency A's inspectorate has no account with an address: nobody handles its cases by mail.
    User.objects.filter(roles__role="inspektorat", roles__agency=org["a"]["agency"]).update(
        email=""
    )
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        report = make_case()
        services.reporter_reply(report, "Ada tambahan keterangan.")
    assert str(report.pk) not in caplog.text and "nobody" not in caplog.text
    today = timezone.now().date()
    with django_capture_on_commit_callbacks(execute=True):
        notify.release_held(today)
    assert "nobody" not in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        notify.release_held(today + dt.timedelta(days=1))
    warned = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and "nobody to notify" in r.getMessage()
    ]
    assert len(warned) == 2 and all(str(report.pk) in r.getMessage() for r in warned)
    # A staff action's mail that reaches nobody is still logged at once.
    caplog.clear()
    services.acknowledge(users[("inspektorat", "a")], report.pk)
    services.send_reminders(today + dt.timedelta(days=400))
    assert "nobody to notify" in caplog.text


def test_a_reporters_evidence_file_has_only_the_day_as_its_times(
    make_case, users, settings, tmp_path
):
    """On a local folder the file's modification and access times would give the upload's moment."""
    import datetime as dt
    import os

    from django.utils import timezone

    from amanah.integrity import services
    from amanah.integrity.models import Evidence

    from .conftest import upload

    settings.MEDIA_ROOT = str(tmp_path)
    report = make_case()
    services.reporter_reply(report, "", [upload("a.txt", b"catatan pelapor", "text/plain")])
    services.add_staff_evidence(
        users[("inspektorat", "a")], report.pk, [upload("b.txt", b"catatan tim", "text/plain")]
    )
    mine = Evidence.objects.get(report=report, from_reporter=True).file
    day = dt.datetime.combine(timezone.now().date(), dt.time(), dt.UTC).timestamp()
    stat = os.stat(mine.file.path)
    assert stat.st_mtime == day and stat.st_atime == day
    assert mine.created_at.timestamp() == day
    staff = Evidence.objects.get(report=report, from_reporter=False).file
    assert os.stat(staff.file.path).st_mtime != day  # a staff upload keeps its moment


def test_a_reporters_evidence_leaves_its_folders_only_the_day(make_case, settings, tmp_path):
    """Writing the file into its month's folder (made with the folders above it for the first file)
    would set their modification times to the upload's moment, which a copy (``rsync -a``, ``tar``)
    keeps: each gets the newer of its time before and the day's start instead."""
    import datetime as dt
    import os
    from pathlib import Path

    from django.utils import timezone

    from amanah.integrity import services
    from amanah.integrity.models import Evidence

    from .conftest import upload

    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    report = make_case()

    def reply(text):
        services.reporter_reply(report, "", [upload("a.txt", text, "text/plain")])
        return Path(Evidence.objects.filter(report=report).latest("position").file.file.path)

    day = dt.datetime.combine(timezone.now().date(), dt.time(), dt.UTC).timestamp()
    folder = reply(b"catatan pertama").parent  # files/YYYY/MM, made now with the folders above
    made = [folder, folder.parent, folder.parent.parent, media]
    assert [(os.stat(f).st_mtime, os.stat(f).st_atime) for f in made] == [(day, day)] * 4

    # A folder changed earlier today (a staff upload) keeps that time; one changed on an earlier day
    # gets the day's start; a folder above, in which nothing new was made, is left as it was.
    long_ago = day - 10 * 86400
    os.utime(folder, (day + 1, day + 1))
    os.utime(folder.parent, (long_ago, long_ago))
    assert reply(b"catatan kedua").parent == folder
    assert os.stat(folder).st_mtime == day + 1
    assert os.stat(folder.parent).st_mtime == long_ago
    os.utime(folder, (long_ago, long_ago))
    reply(b"catatan ketiga")
    assert os.stat(folder).st_mtime == day and os.stat(folder).st_atime == day
