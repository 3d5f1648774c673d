"""Background work keeping the rollups current.

The post_save/post_delete receivers (``signals.py``) enqueue one ``sync_*`` task per changed case after the
transaction commits; each task moves that case's contribution from its old fact to its new one and is
idempotent, so running it twice, late or concurrently gives the same rollups. ``rebuild_rollups`` recomputes
everything (scheduled nightly, or after bulk imports that bypass ``save()``)."""

from __future__ import annotations

from django.tasks import task

from . import rollups


@task
def sync_complaint(complaint_id: int) -> None:
    rollups.sync_complaint(complaint_id)


@task
def sync_report(report_id: int) -> None:
    rollups.sync_report(report_id)


@task
def sync_period(period_id: int) -> None:
    rollups.sync_period(period_id)


@task
def rebuild_rollups(sources: list[str] | None = None) -> dict:
    return rollups.rebuild(sources or list(rollups.SOURCES))
