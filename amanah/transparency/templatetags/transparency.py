"""Number formatting for the dashboard: Indonesian separators, a dash for "no figure"."""

from django import template
from django.utils.formats import number_format

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
