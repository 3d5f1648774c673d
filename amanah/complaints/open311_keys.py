"""Open311 ``api_key`` values: ``o311_<random>``, one per integration, issued by a platform admin.

A key is not a staff API token: it files service requests through ``POST /open311/v2/requests`` and
nothing else (``/api/v1`` knows only :class:`amanah.core.models.ApiToken`). Only a SHA-256 of it is
stored; with an agency it files only for that agency's services; a revoked key files nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from amanah.core import audit, permissions, tokens

from .models import Open311Key

PREFIX = "o311_"


def _require_admin(actor) -> None:
    # "cli" is the operator at the server's console (``amanah open311-key``), as for API tokens.
    if actor != "cli" and not permissions.is_platform_admin(actor):
        raise PermissionDenied("Only a platform admin issues or revokes Open311 keys.")


@transaction.atomic
def issue(actor, name: str, agency=None) -> tuple[Open311Key, str]:
    """A new key for the integration ``name`` (limited to ``agency`` when given): the row and the key,
    which is shown this once."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValueError("An Open311 key names its integration.")
    raw = tokens.new_secret(PREFIX)
    key = Open311Key.objects.create(
        name=name[:100], agency=agency, prefix=raw[:12], key_hash=tokens.digest(raw)
    )
    audit.record(
        actor,
        "complaints.open311_key_issued",
        key,
        {"name": key.name, "agency": agency.code if agency else ""},
        agency_id=agency.pk if agency else None,
    )
    return key, raw


@transaction.atomic
def revoke(actor, key: Open311Key) -> bool:
    """Revoke ``key`` (False when it was revoked already)."""
    _require_admin(actor)
    done = Open311Key.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if done:
        audit.record(
            actor,
            "complaints.open311_key_revoked",
            key,
            {"name": key.name},
            agency_id=key.agency_id,
        )
    return bool(done)


def authenticate(raw: str) -> Open311Key | None:
    """The live key ``raw`` is, or None (unknown, revoked, or its agency switched off)."""
    if not raw or len(raw) > 200 or not raw.startswith(PREFIX):
        return None
    key = (
        Open311Key.objects.select_related("agency")
        .filter(key_hash=tokens.digest(raw), revoked_at__isnull=True)
        .first()
    )
    if key is None or (key.agency is not None and not key.agency.is_active):
        return None
    now = timezone.now()
    if not key.last_used_at or (now - key.last_used_at).total_seconds() > 300:
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
