"""Background work of the personnel app.

``jp_reminder_sweep`` e-mails every ASN below the yearly JP minimum, and their direct supervisor,
once a year from the last quarter on (``rules.reminder_due``). ``delivery_warning_sweep`` warns HR
and leadership once about each sanction decision not yet handed to the ASN whose delivery deadline is
near or passed (``services.send_delivery_warnings``). Run both daily, e.g. from cron with
``amanah manage personnel_sweep --enqueue`` (queued for the workers) or without ``--enqueue``.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task


@task
def jp_reminder_sweep(today: str | None = None) -> int:
    """Send the reminders that are due. ``today`` (ISO date) fixes the date for every agency; without
    it each agency's own local date counts (WIT is two hours ahead of WIB)."""
    from amanah.core.calendar import Calendar
    from amanah.core.models import Agency

    from . import rules, services

    fixed = dt.date.fromisoformat(today) if today else None
    sent = 0
    for agency in Agency.objects.filter(is_active=True):
        day = fixed or Calendar(agency).local_date()
        tables = services.rule_tables(agency)
        if rules.reminder_due(day, tables["jp_reminder_days_before_year_end"]):
            sent += services.send_jp_reminders(None, agency, day.year, today=day)
    return sent


@task
def delivery_warning_sweep(today: str | None = None) -> int:
    """Warn about the decisions whose delivery deadline is near or passed, in every active agency.
    ``today`` (ISO date) fixes the date for every agency; without it each agency's own local date
    counts."""
    from amanah.core.models import Agency

    from . import services

    fixed = dt.date.fromisoformat(today) if today else None
    warned = 0
    for agency in Agency.objects.filter(is_active=True):
        warned += services.send_delivery_warnings(agency, today=fixed)
    return warned
