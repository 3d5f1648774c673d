"""Number and date formatting for the dashboard: Indonesian separators and month names, a dash for "no
figure". The selectors keep ISO text (``2026-01``, ``2026-11-03``) because the open data shares them; the
pages show them in the reader's language."""

import datetime as dt

from django import template
from django.utils.formats import date_format, number_format

register = template.Library()


@register.filter
def num(value, places=None):
    """``1234`` → ``1.234``; ``87.5`` → ``87,5`` (in Indonesian); None → ``–``."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        places = 1 if places is None else int(places)
        return number_format(value, places, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, 0, use_l10n=True, force_grouping=True)
    return value


@register.filter
def pct(value):
    # A no-break space: "16,0 %" never splits over two lines in a narrow column.
    return "–" if value is None else f"{num(float(value))}\u00a0%"


def month_of(value: str) -> dt.date | None:
    """``"2026-01"`` (a row of :func:`selectors.monthly`) → its first day; None when it is not one."""
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return None


@register.filter
def month(value):
    """``"2026-01"`` → ``Januari 2026`` (``January 2026`` in English); anything else as it is."""
    first = month_of(value)
    return value if first is None else date_format(first, "F Y")


@register.filter
def day(value):
    """An ISO date (``"2026-11-03"``, or a date) → ``3 November 2026``; empty → ``–``."""
    if not value:
        return "–"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "j F Y")
