"""Template helpers for the forms every app renders through ``core/_fields.html``."""

from django import template

register = template.Library()


@register.filter
def has_required(form) -> bool:
    """Whether ``form`` shows a required field: one that ``core/_field.html`` marks with "*"."""
    visible = getattr(form, "visible_fields", None)  # no form at all: nothing to explain
    return visible is not None and any(field.field.required for field in visible())


@register.filter
def marked_required(field):
    """``field`` rendered, saying it is required when ``core/_field.html`` marks it with "*" but its
    widget leaves out ``required``: Django omits it from a select whose first choice is not an empty
    one (the HTML rules allow ``required`` there only with an empty placeholder), so such a select
    carries ``aria-required`` instead, for screen readers."""
    if not needs_aria_required(field):
        return field
    return field.as_widget(attrs={"aria-required": "true"})


def needs_aria_required(field) -> bool:
    """Whether ``field`` is required but its widget leaves ``required`` out (see ``marked_required``)."""
    if not field.field.required or field.field.widget.is_hidden:
        return False
    return not (
        field.field.widget.use_required_attribute(field.initial)
        and field.form.use_required_attribute
    )
