"""The audit chain: every change made through a service function appends one entry.

Each entry's hash is SHA-256 over its own fields and the previous entry's hash, so an edited,
deleted or reordered row breaks the chain from that point on. Appending locks the single
``AuditHead`` row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with
``BEGIN IMMEDIATE``), so concurrent writers get consecutive sequence numbers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def actor_label(actor) -> str:
    """How an actor is written into the chain: ``user:<id>``, or a fixed label for the public,
    the system and anonymous reporters (never an IP address or anything identifying)."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if getattr(actor, "is_authenticated", False):
        return f"user:{actor.pk}"
    return "public"


def _canonical(seq, created_at, actor, action, object_type, object_id, details, prev_hash) -> bytes:
    payload = {
        "seq": seq,
        "at": created_at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "type": object_type,
        "id": object_id,
        "details": details,
        "prev": prev_hash,
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(
        _canonical(
            entry.seq,
            entry.created_at,
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.details,
            entry.prev_hash,
        )
    ).hexdigest()


def _normalise(details):
    # Round-trip through JSON so the stored value and the hashed value are the same.
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder, sort_keys=True))


def start_of_day(moment):
    """Midnight (UTC) of the moment's day: the time kept for a whistleblower's own actions."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def record(
    actor,
    action: str,
    obj=None,
    details: dict | None = None,
    *,
    agency_id=None,
    coarse_time: bool = False,
) -> AuditEntry:
    """Append an audit entry inside the caller's transaction (opens one if there is none).

    ``details`` must never hold a reporter's identity or a complaint's confidential text: name the
    fields that changed, not their values, when they are confidential. ``coarse_time`` keeps only
    the day, for actions of an anonymous reporter (the order stays in the sequence numbers).
    """
    # No savepoint: a failed audit entry must abort the caller's whole change anyway.
    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=start_of_day(timezone.now()) if coarse_time else timezone.now(),
            actor=actor_label(actor),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            agency_id_ref=agency_id,
            details=_normalise(details),
            prev_hash=head.hash,
        )
        entry.hash = compute_hash(entry)
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    message: str
    bad_seq: int | None = None


def verify(batch: int = 5000) -> VerifyResult:
    """Recompute the whole chain. Reports the first entry that was edited, deleted or reordered."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return VerifyResult(
                    False,
                    checked,
                    f"entry #{expected_seq} is missing (deleted): next entry is #{entry.seq}",
                    expected_seq,
                )
            if entry.prev_hash != prev_hash:
                return VerifyResult(
                    False,
                    checked,
                    f"entry #{entry.seq} does not follow #{entry.seq - 1} (reordered or replaced)",
                    entry.seq,
                )
            if compute_hash(entry) != entry.hash:
                return VerifyResult(False, checked, f"entry #{entry.seq} was edited", entry.seq)
            prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
            last_seq = entry.seq
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.seq != checked or head.hash != prev_hash):
        return VerifyResult(
            False,
            checked,
            f"the chain ends at #{checked} but the published head is #{head.seq}",
            checked + 1,
        )
    return VerifyResult(True, checked, f"audit chain intact: {checked} entries")


def head() -> dict:
    h = AuditHead.objects.filter(pk=1).first()
    return {"seq": h.seq if h else 0, "hash": h.hash if h else GENESIS}
