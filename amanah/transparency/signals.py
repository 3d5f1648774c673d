"""Receivers that keep the rollups current: every saved or deleted complaint, integrity report, SKM
period or SKM answer queues the matching ``sync_*`` task, which runs once the surrounding transaction commits
(:mod:`amanah.core.queue`)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def _later(task_name: str, pk: int) -> None:
    from amanah.core.queue import after_commit

    from . import tasks

    after_commit(getattr(tasks, task_name), pk)


def on_complaint(sender, instance, **kwargs):
    _later("sync_complaint", instance.pk)


def on_report(sender, instance, **kwargs):
    _later("sync_report", instance.pk)


def on_period(sender, instance, **kwargs):
    _later("sync_period", instance.pk)


def on_response(sender, instance, **kwargs):
    if instance.period_id:
        _later("sync_period", instance.period_id)


RECEIVERS = (
    ("complaints.Complaint", on_complaint),
    ("integrity.Report", on_report),
    ("surveys.SurveyPeriod", on_period),
    ("surveys.Response", on_response),
)


def connect() -> None:
    from django.apps import apps

    for label, receiver in RECEIVERS:
        app_label, _model = label.split(".")
        if not apps.is_installed(f"amanah.{app_label}"):
            continue
        uid = f"transparency:{label}"
        post_save.connect(receiver, sender=label, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(receiver, sender=label, dispatch_uid=uid + ":delete", weak=False)
