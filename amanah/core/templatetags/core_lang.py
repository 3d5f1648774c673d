"""Marking the Indonesian parts of a page in another language (WCAG 2.1 SC 3.1.2, Language of Parts).

Names that come from data (an agency, a unit, a service, a category, an indicator) and what people typed
stay Indonesian when a visitor reads the English page. A screen reader pronounces them rightly only when
an element around them says ``lang="id"``. On an Indonesian page ``<html lang="id">`` says so already,
so nothing is added there.

- ``{{ unit.name|id_text }}``: the text, escaped, inside ``<span lang="id">`` on a page in another
  language; just the escaped text on an Indonesian page; nothing for an empty value.
- ``<td{% id_lang %}>``: the attribute ``lang="id"`` (with its leading space) on a page in another
  language, for an element that holds only Indonesian data, such as an ``<option>`` (which cannot hold a
  ``<span>``) or a table cell.
- ``{{ field|id_options }}``: a select field rendered with ``lang="id"`` on each of its options that has
  a value (the names from data), the empty choice left in the page's language. ``core/_field.html``
  renders a field so when included ``with data_options=True``, or when the field's name is one of
  ``data_fields`` (names separated by spaces), which ``core/_fields.html`` passes on to every field.
"""

import copy

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .core_forms import marked_required, needs_aria_required

register = template.Library()

#: The language of the data: every name and text people enter is Indonesian.
DATA_LANGUAGE = "id"


def page_is_indonesian() -> bool:
    """Whether the page being rendered is in the data's language (no language active counts as the
    site's default, Indonesian)."""
    language = get_language() or DATA_LANGUAGE
    return language.split("-")[0].lower() == DATA_LANGUAGE


@register.filter(is_safe=True)
def id_text(value):
    """``value`` escaped (a string already marked safe, such as the output of ``linebreaksbr``, is kept
    as it is) and, on a page not in Indonesian, inside ``<span lang="id">``."""
    if value is None or value == "":
        return ""
    if page_is_indonesian():
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', DATA_LANGUAGE, value)


@register.simple_tag
def id_lang():
    """`` lang="id"`` on a page not in Indonesian, else nothing: for an element holding only data."""
    return "" if page_is_indonesian() else mark_safe(f' lang="{DATA_LANGUAGE}"')


@register.filter
def id_options(field, names=""):
    """Select ``field`` rendered as ``core/_field.html`` renders it (``marked_required``), each option
    with a value marked ``lang="id"`` on a page not in Indonesian; with ``names`` (field names separated
    by spaces) only when ``field`` is one of them. The field's own widget is not changed: the marking
    is done on a copy, for this rendering only."""
    if (
        page_is_indonesian()
        or not hasattr(field.field.widget, "create_option")
        or (names and field.name not in str(names).split())
    ):
        return marked_required(field)
    widget = copy.deepcopy(field.field.widget)
    make_option = widget.create_option

    def create_option(name, value, label, selected, index, subindex=None, attrs=None):
        option = make_option(name, value, label, selected, index, subindex, attrs)
        if value is not None and str(value) != "":
            option["attrs"]["lang"] = DATA_LANGUAGE
        return option

    widget.create_option = create_option
    attrs = {"aria-required": "true"} if needs_aria_required(field) else None
    return field.as_widget(widget=widget, attrs=attrs)
