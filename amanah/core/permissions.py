"""The one permission helper that every service function uses.

A role is held in an agency and optionally a unit. A role held without a unit covers the whole
agency; a role held in a unit covers that unit and every unit below it. The platform admin role
(and Django superusers) cover everything. Which roles may do what is decided by each app's
``rules.py`` tables; this module only answers "does this user hold one of these roles here?".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Role, RoleAssignment, Unit


def _assignments(user) -> list[RoleAssignment]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_amanah_roles", None)
    if cache is None:
        cache = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
        user._amanah_roles = cache
    return cache


def is_platform_admin(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or any(a.role == Role.ADMIN for a in _assignments(user))


def _unit_covers(assignment_unit_id: int, unit) -> bool:
    if unit is None:
        return False
    if isinstance(unit, int):
        unit = Unit.objects.get(pk=unit)
    if unit.pk == assignment_unit_id:
        return True
    return any(a.pk == assignment_unit_id for a in unit.ancestors())


def has_role(user, roles: Iterable[str], agency=None, unit=None) -> bool:
    """True when the user holds one of ``roles`` covering ``agency`` (and ``unit``, if given).

    With ``unit`` given and no ``agency``, the unit's agency is used. A unit-scoped role does not
    answer an agency-wide question (``unit=None``).
    """
    if is_platform_admin(user):
        return True
    roles = set(roles)
    if unit is not None and agency is None:
        agency = unit.agency if not isinstance(unit, int) else Unit.objects.get(pk=unit).agency
    agency_id = agency if isinstance(agency, int) or agency is None else agency.pk
    for a in _assignments(user):
        if a.role not in roles or a.agency_id != agency_id:
            continue
        if a.unit_id is None:
            return True
        if _unit_covers(a.unit_id, unit):
            return True
    return False


def require(user, roles: Iterable[str], agency=None, unit=None) -> None:
    """Raise ``PermissionDenied`` unless :func:`has_role`."""
    if not has_role(user, roles, agency=agency, unit=unit):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def scopes(user, roles: Iterable[str]) -> list[tuple[int | None, int | None]]:
    """(agency_id, unit_id) pairs where the user holds one of ``roles``; ``(None, None)`` means
    everywhere (platform admin). Selectors use this to filter lists."""
    if is_platform_admin(user):
        return [(None, None)]
    roles = set(roles)
    return [(a.agency_id, a.unit_id) for a in _assignments(user) if a.role in roles]


def coverage(user, roles: Iterable[str]) -> tuple[set[int] | None, set[int]]:
    """``(agencies, units)``: the agencies where the user holds one of ``roles`` agency-wide (None: every
    agency, for a platform admin), and the units a unit-scoped role covers in the other agencies, with
    all their sub-units. A list of what the user may act on is ``unit's agency in agencies or unit in
    units``."""
    s = scopes(user, roles)
    if (None, None) in s:
        return None, set()
    agencies = {agency for agency, unit in s if unit is None}
    roots = {unit for agency, unit in s if unit is not None and agency not in agencies}
    if not roots:
        return agencies, set()
    return agencies, _subtrees(
        Unit.objects.filter(agency_id__in={a for a, u in s if u in roots}), roots
    )


def _subtrees(tree, roots: set[int]) -> set[int]:
    """The ``roots`` that are units of ``tree`` (a Unit queryset) with every unit below them."""
    children: dict[int | None, list[int]] = {}
    known: set[int] = set()
    for pk, parent in tree.values_list("pk", "parent_id"):
        known.add(pk)
        children.setdefault(parent, []).append(pk)
    covered: set[int] = set()
    stack = [pk for pk in roots if pk in known]
    while stack:  # each unit once, even in a tree with a loop
        pk = stack.pop()
        if pk not in covered:
            covered.add(pk)
            stack.extend(children.get(pk, []))
    return covered


def agency_scope(user, roles: Iterable[str], agency) -> set[int] | None:
    """What of ``agency`` the user covers with one of ``roles``: ``None`` for the whole agency (a role
    held agency-wide, or the platform admin), else the ids of the units its unit-scoped roles there
    cover, with all their sub-units (an empty set: nothing). A list limited to a unit-scoped reader
    filters on these units; a page about the agency as a whole refuses anything but ``None``."""
    if is_platform_admin(user):
        return None
    roles = set(roles)
    agency_id = agency if isinstance(agency, int) else agency.pk
    roots: set[int] = set()
    for a in _assignments(user):
        if a.role not in roles or a.agency_id != agency_id:
            continue
        if a.unit_id is None:
            return None
        roots.add(a.unit_id)
    if not roots:
        return set()
    return _subtrees(Unit.objects.filter(agency_id=agency_id), roots)


def agency_ids(user, roles: Iterable[str]) -> set[int] | None:
    """Agencies where the user holds one of ``roles`` at any level; ``None`` means all."""
    s = scopes(user, roles)
    if (None, None) in s:
        return None
    return {agency for agency, _unit in s}


def user_roles(user) -> set[str]:
    return {a.role for a in _assignments(user)} | (
        {Role.ADMIN} if is_platform_admin(user) else set()
    )


def staff_agencies(user):
    """Agencies in which the user holds any role (for the staff home)."""
    from .models import Agency

    ids = agency_ids(user, [r.value for r in Role])
    qs = Agency.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)
