"""Periodic jobs run by ``amanah worker``: deadline sweeps, the nightly rollup rebuild and the pruning of old
background-task results and expired sessions.

Deadlines only move if the sweeps run, so the worker runs them itself instead of relying on the
operator's cron. Every worker runs the scheduler loop; a job is claimed with one conditional
``UPDATE`` on :class:`~amanah.core.models.ScheduledJob`, so several workers never run the same job
twice in one interval. Every job is idempotent, so running one late (or by hand) is harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from dataclasses import dataclass

from django.core.management import call_command
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger("amanah.schedule")


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    every: dt.timedelta | None = None  # run at this interval …
    daily_at: dt.time | None = None  # … or once a day at this local time


JOBS = (
    Job("complaints_sweep", "complaints_sweep", every=dt.timedelta(minutes=15)),
    Job("integrity_sweep", "integrity_sweep", every=dt.timedelta(hours=1)),
    Job("skm_sweep", "skm_sweep", every=dt.timedelta(hours=1)),
    Job("forum_sweep", "forum_sweep", every=dt.timedelta(hours=1)),
    Job("personnel_sweep", "personnel_sweep", daily_at=dt.time(6, 0)),
    Job("transparency_rebuild", "transparency_rebuild", daily_at=dt.time(1, 30)),
    Job("tasks_prune", "tasks_prune", daily_at=dt.time(2, 30)),
    # Django's own command: deletes the expired rows of the session table, which nothing else removes.
    Job("clearsessions", "clearsessions", daily_at=dt.time(3, 0)),
)


def _threshold(job: Job, now: dt.datetime) -> dt.datetime | None:
    """A job is due when it last started before the returned moment (None: not due now)."""
    if job.every is not None:
        return now - job.every
    local = timezone.localtime(now)
    today_at = local.replace(
        hour=job.daily_at.hour, minute=job.daily_at.minute, second=0, microsecond=0
    )
    return today_at if local >= today_at else None


def claim(job: Job, now: dt.datetime | None = None) -> bool:
    """Atomically mark the job started if it is due; True when this caller won it."""
    from .models import ScheduledJob

    now = now or timezone.now()
    threshold = _threshold(job, now)
    if threshold is None:
        return False
    ScheduledJob.objects.get_or_create(name=job.name)
    won = (
        ScheduledJob.objects.filter(name=job.name)
        .filter(Q(last_started_at__isnull=True) | Q(last_started_at__lt=threshold))
        .update(last_started_at=now)
    )
    return won == 1


def run_due(now: dt.datetime | None = None, jobs=JOBS) -> list[str]:
    """Run every job that is due and that this process claims; returns their names."""
    from .models import ScheduledJob

    ran = []
    for job in jobs:
        if not claim(job, now):
            continue
        error = ""
        try:
            call_command(job.command, verbosity=0)
        except Exception:  # one failing job must not stop the others
            error = traceback.format_exc(limit=5)
            log.exception("scheduled job %s failed", job.name)
        ScheduledJob.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_error=error
        )
        ran.append(job.name)
    return ran


def loop(stop: threading.Event, poll_seconds: float = 60.0) -> None:
    """The worker's scheduler thread: check for due jobs every ``poll_seconds`` until stopped."""
    while not stop.is_set():
        close_old_connections()
        try:
            run_due()
        except Exception:  # a database hiccup: try again next time
            log.exception("scheduler pass failed")
        finally:
            close_old_connections()
        stop.wait(poll_seconds)
