"""SKM background work."""

from __future__ import annotations

from django.tasks import task


@task()
def purge_device_marks() -> int:
    """Delete the per-device daily marks of past days (they only matter on the day itself)."""
    from . import services

    return services.purge_device_marks()


@task()
def sweep() -> dict:
    """Hourly (``core.schedule``): close periods whose end date has passed and purge old device marks,
    each by its agency's date; freeze the breakdowns of published periods that have none under the
    current minimum group, a batch at a time (``services.freeze_batch``; ``frozen_left``: how many wait
    for the next sweeps); delete kept public answers files that are no longer handed out."""
    from . import reports, selectors, services

    return {
        "closed": services.close_ended_periods(),
        "purged": purge_device_marks.call(),
        "frozen": services.freeze_published_breakdowns(),
        "frozen_left": selectors.unfrozen_published().count(),
        "files": reports.remove_stale_answers_files(),
    }
