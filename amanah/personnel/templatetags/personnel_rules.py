"""Template access to the personnel rule tables of an agency, so a page states the numbers the
services apply (``{{ agency|personnel_rule:"jp_minimum" }}``), overrides included."""

from django import template

from amanah.personnel import services

register = template.Library()


@register.filter
def personnel_rule(agency, key: str):
    """The value of ``key`` in the agency's personnel rule tables (``services.rule_tables``)."""
    return services.rule_tables(agency)[key]
