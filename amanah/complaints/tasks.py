"""Background work of the complaint desk.

``sweep_deadlines`` is the periodic deadline sweep (auto-closure, withdrawal of files never
completed, due-soon warnings, escalation). Run it on a schedule, e.g. every hour from cron or a
systemd timer with ``amanah manage complaints_sweep --enqueue`` (queued for the workers) or without
``--enqueue`` (runs in place). ``recount_deadlines`` follows a change of the calendar (a closure saved or
deleted). E-mails themselves are tasks queued by ``amanah.core.notify``.
"""

from __future__ import annotations

from django.tasks import task


@task
def sweep_deadlines() -> dict:
    from . import services

    return services.sweep()


@task
def recount_deadlines(agency_id: int | None = None) -> int:
    """Due dates of open cases counted again after the calendar changed (a closure saved or deleted)."""
    from . import services

    return services.recount_deadlines(agency_id)


@task
def send_lost_codes(sealed: str) -> int:
    """Send the tracking codes a person asked for (``services.resend_codes``) to their contact. The
    contact travels sealed (encrypted) in the task row, like a queued e-mail; the result is a count."""
    import json

    from amanah.core import crypto

    from . import services

    asked = json.loads(crypto.decrypt_text(sealed))
    return services.send_codes_now(asked["kind"], asked["contact"])
