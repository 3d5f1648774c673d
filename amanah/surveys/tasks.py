"""SKM background work."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone


@task()
def purge_device_marks() -> int:
    """Delete the per-device daily marks of past days (they only matter on the day itself)."""
    from .models import DeviceMark

    deleted, _ = DeviceMark.objects.filter(
        day__lt=timezone.localdate() - dt.timedelta(days=1)
    ).delete()
    return deleted


@task()
def sweep() -> dict:
    """Daily: close periods whose end date has passed and purge old device marks."""
    from . import services

    return {"closed": services.close_ended_periods(), "purged": purge_device_marks.call()}
