"""The worker's scheduler: each periodic job runs once per interval even with several workers,
daily jobs wait for their hour, a failing job does not stop the others, and a real worker runs them."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
import zoneinfo

import pytest

from amanah.core import schedule
from amanah.core.models import ScheduledJob

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(*args):
    return dt.datetime(*args, tzinfo=WIB)


def test_interval_job_is_claimed_once_per_interval():
    job = schedule.Job("x", "check", every=dt.timedelta(minutes=15))
    now = at(2026, 11, 29, 9, 0)
    assert schedule.claim(job, now) is True
    assert schedule.claim(job, now) is False  # a second worker at the same moment loses
    assert schedule.claim(job, now + dt.timedelta(minutes=14)) is False
    assert schedule.claim(job, now + dt.timedelta(minutes=16)) is True


def test_daily_job_waits_for_its_local_hour_and_runs_once_a_day(settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    job = schedule.Job("nightly", "check", daily_at=dt.time(1, 30))
    assert schedule.claim(job, at(2026, 11, 29, 1, 0)) is False
    assert schedule.claim(job, at(2026, 11, 29, 1, 31)) is True
    assert schedule.claim(job, at(2026, 11, 29, 23, 0)) is False
    assert schedule.claim(job, at(2026, 11, 30, 1, 29)) is False
    assert schedule.claim(job, at(2026, 11, 30, 1, 35)) is True


def test_run_due_runs_every_real_sweep_and_records_failures(org):
    jobs = (
        schedule.Job("broken", "no_such_command", every=dt.timedelta(minutes=1)),
        *schedule.JOBS,
    )
    now = at(2026, 11, 29, 7, 0)  # after both daily hours
    ran = schedule.run_due(now=now, jobs=jobs)
    assert ran == [job.name for job in jobs]
    rows = {j.name: j for j in ScheduledJob.objects.all()}
    assert "no_such_command" in rows["broken"].last_error
    for job in schedule.JOBS:
        assert rows[job.name].last_error == "", rows[job.name].last_error
        assert rows[job.name].last_finished_at is not None
    assert schedule.run_due(now=now + dt.timedelta(minutes=5), jobs=jobs) == ["broken"]


@pytest.mark.skipif(
    os.environ.get("AMANAH_DATABASE_URL", "").startswith("postgres"),
    reason="the worker is started on its own SQLite data folder (once is enough)",
)
def test_a_real_worker_runs_the_sweeps(tmp_path):
    env = dict(os.environ, AMANAH_DATA_DIR=str(tmp_path), AMANAH_DATABASE_URL="")
    env["AMANAH_SCHEDULE_POLL_SECONDS"] = "1"
    cli = [sys.executable, "-m", "amanah.cli"]
    subprocess.run([*cli, "migrate", "--verbosity", "0"], env=env, check=True, timeout=120)
    worker = subprocess.Popen([*cli, "worker"], env=env)
    try:
        names = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not {"complaints_sweep", "skm_sweep"} <= names:
            time.sleep(0.5)
            with sqlite3.connect(tmp_path / "amanah.sqlite3") as db:
                names = {
                    row[0]
                    for row in db.execute(
                        "SELECT name FROM core_scheduledjob WHERE last_finished_at IS NOT NULL"
                    )
                }
        assert {"complaints_sweep", "integrity_sweep", "skm_sweep"} <= names
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_tasks_prune_deletes_only_old_finished_results(settings):
    """Nightly ``tasks_prune``: successful results older than TASK_RESULT_DAYS and failed ones older than
    TASK_FAILED_RESULT_DAYS go; recent, failed-but-recent and still-queued tasks stay."""
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RESULT_DAYS, settings.TASK_FAILED_RESULT_DAYS = 14, 90
    now = timezone.now()

    def row(status, days_ago, queue="default"):
        finished = now - dt.timedelta(days=days_ago) if status != "READY" else None
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="amanah.core.tasks.send_email",
            queue_name=queue,
            backend_name="default",
            enqueued_at=now - dt.timedelta(days=days_ago),
            finished_at=finished,
        ).pk

    old_ok, old_ok_other_queue = row("SUCCESSFUL", 20), row("SUCCESSFUL", 20, "laporan")
    recent_ok, failed, old_failed = row("SUCCESSFUL", 3), row("FAILED", 20), row("FAILED", 100)
    waiting = row("READY", 200)
    call_command("tasks_prune", verbosity=0)
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent_ok, failed, waiting}
    assert not {old_ok, old_ok_other_queue, old_failed} & left


def test_expired_sessions_are_cleared_nightly(settings):
    """Expired sessions stay in the session table until ``clearsessions`` deletes them: the workers run it
    daily at 03:00 local time; a session that has not expired stays."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    settings.TIME_ZONE = "Asia/Jakarta"
    job = next(job for job in schedule.JOBS if job.name == "clearsessions")
    assert job.daily_at == dt.time(3, 0)
    now = timezone.now()
    Session.objects.create(
        session_key="e" * 32, session_data="", expire_date=now - dt.timedelta(days=1)
    )
    Session.objects.create(
        session_key="l" * 32, session_data="", expire_date=now + dt.timedelta(hours=1)
    )
    assert schedule.run_due(now=at(2026, 11, 29, 2, 0), jobs=(job,)) == []  # not before its hour
    assert schedule.run_due(now=at(2026, 11, 29, 3, 5), jobs=(job,)) == ["clearsessions"]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["l" * 32]
    assert ScheduledJob.objects.get(name="clearsessions").last_error == ""
