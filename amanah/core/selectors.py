"""Shared reads of the core app."""

from __future__ import annotations

from django.db.models import Q

from . import permissions
from .models import Agency, Employee, Role

DIRECTORY_ROLES = [Role.HR, Role.LEADERSHIP, Role.INSPECTORATE, Role.AUDITOR]


def agency_by_ref(ref) -> Agency | None:
    """An agency by id or code (the API accepts both)."""
    ref = str(ref or "").strip()
    if not ref:
        return None
    if ref.isdecimal():
        return Agency.objects.filter(Q(pk=int(ref)) | Q(code=ref)).first()
    return Agency.objects.filter(code=ref).first()


def employees(user, agency, q: str = "", limit: int = 200):
    """The ASN directory of one agency, for the roles allowed to read it."""
    permissions.require(user, DIRECTORY_ROLES, agency=agency)
    qs = Employee.objects.filter(unit__agency=agency).select_related("unit", "unit__head")
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(nip__startswith=q.replace(" ", "")) | Q(position__icontains=q)
        )
    return qs.order_by("name")[:limit]
