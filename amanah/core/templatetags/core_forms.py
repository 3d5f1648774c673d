"""Template helpers for the forms every app renders through ``core/_fields.html``."""

from django import template

register = template.Library()


@register.filter
def has_required(form) -> bool:
    """Whether ``form`` shows a required field: one that ``core/_field.html`` marks with "*"."""
    visible = getattr(form, "visible_fields", None)  # no form at all: nothing to explain
    return visible is not None and any(field.field.required for field in visible())
