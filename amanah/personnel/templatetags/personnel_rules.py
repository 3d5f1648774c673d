"""Template access to the personnel rule tables of an agency, so a page states the numbers the
services apply (``{{ agency|personnel_rule:"jp_minimum" }}``), overrides included."""

from django import template

from amanah.personnel import services

register = template.Library()


@register.filter
def personnel_rule(agency, key: str):
    """The value of ``key`` in the agency's personnel rule tables (``services.rule_tables``)."""
    return services.rule_tables(agency)[key]


@register.simple_tag(takes_context=True)
def personnel_links(context, agency):
    """Which staff pages about ``agency`` open for the reader (``views.links``, from the table the
    pages themselves are opened by), so a page links only to those: ``{% personnel_links agency as
    links %}{% if links.imports %}…``."""
    from amanah.personnel import views

    return views.links(context["request"].user, agency)


@register.filter
def delivery_late_on(case, today):
    """Whether the sanction decision of ``case`` was (or still is) not delivered by its deadline on
    ``today`` (``DisciplineCase.delivery_late``): ``{% if c|delivery_late_on:today %}``."""
    return case.delivery_late(today)
