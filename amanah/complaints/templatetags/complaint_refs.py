"""``{{ c|case_number }}``: the number staff pages name a case by (``AMN-<n>``), never its tracking code."""

from django import template

from amanah.complaints import selectors

register = template.Library()


@register.filter
def case_number(complaint) -> str:
    return selectors.case_number(complaint)
