"""``amanah demo`` starts its worker on an empty queue: loading the demo plays months of cases through the
real services, which queue the mails and short messages of every past step and a dashboard sync per
change. The worker printed all of them (some 800 mails) at start-up, scrolling the demo logins out of
sight; ``demo.drop_story_backlog`` removes them after loading, and the dashboard, rebuilt by the demo
itself, needs none of the syncs."""

from collections import Counter

import pytest
from django.forms.models import model_to_dict
from django.tasks import TaskResultStatus

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SYNCS = {
    "amanah.transparency.tasks.sync_complaint": "complaint",
    "amanah.transparency.tasks.sync_report": "report",
    "amanah.transparency.tasks.sync_period": "period",
}


def _dashboard():
    from amanah.transparency.models import (
        AgencyTotal,
        ComplaintFact,
        ReportFact,
        Rollup,
        SurveyFact,
    )

    return {
        model._meta.label: sorted(
            repr(sorted((k, v) for k, v in model_to_dict(row).items() if k != "id"))
            for row in model.objects.all()
        )
        for model in (Rollup, AgencyTotal, ComplaintFact, ReportFact, SurveyFact)
    }


class _Process:
    """Stands in for the demo's worker and server: notes what the worker would find queued."""

    seen: dict = {}

    def __init__(self, argv, env=None):
        from django_tasks_db.models import DBTaskResult

        from amanah.core.models import HeldMail

        if "worker" in argv:
            ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            _Process.seen = {
                "queued": Counter(ready.values_list("task_path", flat=True)),
                "held": HeldMail.objects.count(),
            }

    def wait(self, timeout=None):
        return 0

    def poll(self):
        return 0


@pytest.mark.django_db
def test_the_demo_worker_starts_without_the_stories_mails_and_syncs(settings, monkeypatch):
    import signal
    import subprocess
    from argparse import Namespace
    from types import SimpleNamespace

    import django.core.management

    from amanah import cli
    from amanah.core import demo
    from amanah.transparency import rollups

    settings.TASKS = DB_BACKEND  # as under `amanah demo`: tasks wait in the table for the worker
    settings.SMS_URL = "console"
    for name, value in (
        ("DEBUG", "0"),
        ("SITE_URL", "http://127.0.0.1:8765"),
        ("SMS_URL", "console"),
    ):
        monkeypatch.setenv(f"AMANAH_{name}", value)
    monkeypatch.setattr(signal, "signal", lambda *a: None)
    monkeypatch.setattr(cli, "_port_taken", lambda port: False)
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(
        cli, "subprocess", SimpleNamespace(Popen=_Process, TimeoutExpired=subprocess.TimeoutExpired)
    )
    # What loading alone queues: the story's mails and messages, held mails, a sync per change.
    loaded = []
    real_load = demo.load_all

    def load_all():
        ctx = real_load()
        from django_tasks_db.models import DBTaskResult

        from amanah.core.models import HeldMail

        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        loaded.append(
            (
                Counter(ready.values_list("task_path", flat=True)),
                HeldMail.objects.count(),
                [(r.task_path, r.args_kwargs["args"]) for r in ready if r.task_path in SYNCS],
            )
        )
        return ctx

    monkeypatch.setattr(demo, "load_all", load_all)

    assert cli.cmd_demo(Namespace(port=8765, data_dir=None)) == 0

    queued, held, syncs = loaded[0]
    assert queued["amanah.core.tasks.send_sealed_email"] > 100, queued
    assert queued["amanah.transparency.tasks.sync_complaint"] > 100, queued
    assert held  # the whistleblowers' mails, held to the next day
    assert _Process.seen == {"queued": Counter(), "held": 0}  # the worker starts on an empty queue
    # The syncs were redundant: the demo rebuilt the dashboard from every case after loading them.
    before = _dashboard()
    for path, args in syncs:
        getattr(rollups, f"sync_{SYNCS[path]}")(*args)
    assert _dashboard() == before


@pytest.mark.django_db
def test_only_the_stories_tasks_are_dropped(settings):
    from django_tasks_db.models import DBTaskResult

    from amanah.core import demo, notify
    from amanah.transparency.tasks import rebuild_rollups

    settings.TASKS = DB_BACKEND
    notify.email(["warga@contoh.id"], "Subjek", "Isi")
    other = rebuild_rollups.enqueue()  # a task of another kind stays queued

    assert demo.drop_story_backlog() == 1
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert [str(pk) for pk in ready.values_list("id", flat=True)] == [str(other.id)]
