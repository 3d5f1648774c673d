"""Shared reads of the core app."""

from __future__ import annotations

from django.db.models import Q

from . import memo, permissions
from .models import Agency, Employee, Role, Service, Unit

DIRECTORY_ROLES = [Role.HR, Role.LEADERSHIP, Role.INSPECTORATE, Role.AUDITOR]


def agency_by_ref(ref) -> Agency | None:
    """An agency by id or code (the API accepts both)."""
    ref = str(ref or "").strip()
    if not ref:
        return None
    if ref.isdecimal():
        return Agency.objects.filter(Q(pk=int(ref)) | Q(code=ref)).first()
    return Agency.objects.filter(code=ref).first()


def active_services(q: str = "", agency: Agency | None = None):
    """Active services with their unit and agency, optionally only one agency's and only those whose name,
    code or unit name contains ``q`` (case-insensitive); by agency, then name. Shared by the intake
    pages' service search and ``GET /api/v1/services``."""
    qs = Service.objects.filter(
        is_active=True, unit__is_active=True, unit__agency__is_active=True
    ).select_related("unit__agency")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(unit__name__icontains=q))
    if agency is not None:
        qs = qs.filter(unit__agency=agency)
    return qs.order_by("unit__agency__name", "name", "pk")


#: Active services and agencies by the reference a complaint names, remembered between requests (every
#: intake resolves one; see :mod:`amanah.core.memo`). Values are read-only shared instances.
INTAKE_REFS = memo.Memo("intake-refs", ("core.Service", "core.Unit", "core.Agency"))


def _by_ref(model_or_qs, ref: str, *related: str):
    qs = getattr(model_or_qs, "objects", model_or_qs).filter(is_active=True)
    if len(ref) > qs.model._meta.get_field("code").max_length:
        return None  # longer than any code, and than any id (whose digits are not even converted)
    if related:  # (an empty select_related() would follow every foreign key)
        qs = qs.select_related(*related)
    return qs.filter(Q(code=ref) | Q(pk=int(ref)) if ref.isdecimal() else Q(code=ref)).first()


def active_service(ref):
    """An active service by code or id, with its unit and agency loaded (intake needs the agency's calendar
    and deadline rules right away)."""
    ref = str(ref or "").strip()
    if not ref:
        return None
    return INTAKE_REFS.get(
        ("service", ref),
        lambda: _by_ref(
            Service.objects.filter(unit__is_active=True, unit__agency__is_active=True),
            ref,
            "unit__agency",
        ),
    )


def active_agency(ref):
    """An active agency by code or id."""
    ref = str(ref or "").strip()
    if not ref:
        return None
    return INTAKE_REFS.get(("agency", ref), lambda: _by_ref(Agency, ref))


def employees(user, agency, q: str = ""):
    """The ASN directory of one agency (by name, then NIP), for the roles allowed to read it."""
    permissions.require(user, DIRECTORY_ROLES, agency=agency)
    qs = Employee.objects.filter(unit__agency=agency).select_related("unit", "unit__head")
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(nip__startswith=q.replace(" ", "")) | Q(position__icontains=q)
        )
    return qs.order_by("name", "nip")


def superiors_by_employee(people) -> dict[int, list[Employee]]:
    """:meth:`Employee.superiors` of many employees at once, by employee id. The units of their
    agencies are read once with their heads (one query, plus one per further level for a parent outside
    those agencies, which the model's clean() refuses) and each chain is walked in memory the way
    :meth:`Unit.ancestors` walks it, so a directory costs the same queries however many it lists."""
    people = list(people)
    unit_ids = {e.unit_id for e in people}
    if not unit_ids:
        return {}
    agencies = Unit.objects.filter(pk__in=unit_ids).values("agency_id")
    units = {u.pk: u for u in Unit.objects.filter(agency_id__in=agencies).select_related("head")}
    missing = {u.parent_id for u in units.values()} - {None, *units}
    while missing:
        found = list(Unit.objects.filter(pk__in=missing).select_related("head"))
        units.update((u.pk, u) for u in found)
        missing = {u.parent_id for u in found} - {None, *units}
    out = {}
    for e in people:
        # The own unit, then parent, grandparent … up to the root (stopping where the tree loops).
        own = units[e.unit_id]
        path, node, seen_units = [own], units.get(own.parent_id), set()
        while node is not None and node.pk not in seen_units:
            path.append(node)
            seen_units.add(node.pk)
            node = units.get(node.parent_id)
        chain, seen = [], {e.pk}
        for unit in path:
            head = unit.head
            if head is not None and head.pk not in seen:
                chain.append(head)
                seen.add(head.pk)
        out[e.pk] = chain
    return out
