"""Background work of the forum: the retention of the askers' e-mail addresses. The workers run it hourly
as the ``forum_sweep`` command (``amanah/core/schedule.py``); the mails to askers go through
``core.notify.email`` (sealed, sent by the worker)."""

from __future__ import annotations

from django.tasks import task


@task
def sweep() -> dict:
    from . import services

    return {"contacts_erased": services.erase_expired_contacts()}
