"""The audit chains: every change made through a service function appends one entry.

There are two chains, each verified on its own: the main chain (``MAIN_CHAIN``), and the day-only chain
(``DAY_CHAIN``) of the actions whose time is kept only to the day (``record(coarse_time=True)``: an anonymous
whistleblower's report, reply, retaliation report and answer to a disclosure request). In one chain the
entries just before and after a day-only entry, written with exact times, would date it to the minute; in a
chain of its own its neighbours are other day-only entries. Its entries also take a random negative id, so
the table's ids do not place them among the main chain's either. Its head is not published (``head``): a head that
moved would tell when a whistleblower acted.

Each entry's hash is SHA-256 over its own fields (its agency included, from canonical version 2 on: see
:data:`CANONICAL_VERSION`) and the previous entry's hash, so an edited, deleted or reordered row breaks the
chain from that point on. Appending locks the chain's
``AuditHead`` row (an ``UPDATE … RETURNING`` that takes the next sequence number; SQLite serialises
writers with ``BEGIN IMMEDIATE`` anyway), so concurrent writers get consecutive sequence numbers. An
append costs two statements: that update, then the entry's insert together with the head's new hash.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import secrets
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
MAIN_CHAIN, DAY_CHAIN = 1, 2
CHAINS = (MAIN_CHAIN, DAY_CHAIN)
#: Ids of day-only entries are drawn at random below zero: apart from the table's sequence (which SQLite
#: would otherwise carry on from a large id, giving away that one was just written).
_DAY_IDS = 2**53


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


#: The canonical form new entries are hashed with (``AuditEntry.version``). Version 1 (entries written before
#: versions existed) left the entry's agency (``agency_id_ref``) out; version 2 hashes it and the version
#: itself. Each entry is verified with its own version, so the old entries of a chain still verify, and a
#: version never goes down along the chain (an entry moved back to version 1 is refused).
CANONICAL_VERSION = 2
VERSIONS = (1, 2)


def _canonical(
    seq,
    created_at,
    actor,
    action,
    object_type,
    object_id,
    details,
    prev_hash,
    agency_id=None,
    version=1,
) -> bytes:
    payload = {
        "seq": seq,
        # In UTC, as the database gives it back: a time made in another zone hashes the same.
        "at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "type": object_type,
        "id": object_id,
        "details": details,
        "prev": prev_hash,
    }
    if version >= 2:
        payload["v"] = version
        payload["agency"] = agency_id
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode()


def compute_hash(entry: AuditEntry) -> str:
    """The entry's hash in the canonical form of its own version (``entry.version``)."""
    if entry.version not in VERSIONS:
        raise ValueError(f"unknown audit entry version {entry.version!r}")
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
            agency_id=entry.agency_id_ref,
            version=entry.version,
        )
    ).hexdigest()


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _normalise(details):
    # Round-trip through JSON so the stored value and the hashed value are the same. A flat dict of plain
    # values (what most services record) already is its own round trip.
    if details and all(type(k) is str and type(v) in _PLAIN for k, v in details.items()):
        return dict(details)
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
    the day, for actions of an anonymous reporter, and writes the entry to the day-only chain (see the
    module's docstring).
    """
    chain = DAY_CHAIN if coarse_time else MAIN_CHAIN
    # No savepoint: a failed audit entry must abort the caller's whole change anyway.
    with transaction.atomic(savepoint=False):
        conn = transaction.get_connection()
        seq, prev_hash = _advance_head(conn, chain)
        entry = AuditEntry(
            chain=chain,
            seq=seq,
            created_at=start_of_day(timezone.now()) if coarse_time else timezone.now(),
            actor=actor_label(actor),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            agency_id_ref=int(agency_id) if agency_id is not None else None,
            details=_normalise(details),
            prev_hash=prev_hash,
            version=CANONICAL_VERSION,
        )
        if chain == DAY_CHAIN:
            entry.pk = -1 - secrets.randbelow(_DAY_IDS)
        entry.hash = compute_hash(entry)
        _append(conn, entry)
    return entry


def _table(model, conn) -> str:
    return conn.ops.quote_name(model._meta.db_table)


def _advance_head(conn, chain: int = MAIN_CHAIN) -> tuple[int, str]:
    """Take the next sequence number and the current head hash, locking the head row until the caller's
    transaction ends: one ``UPDATE … RETURNING`` (it locks like ``SELECT … FOR UPDATE``, and under
    PostgreSQL's READ COMMITTED it re-reads a row another writer has just committed)."""
    sql = f"UPDATE {_table(AuditHead, conn)} SET seq = seq + 1 WHERE id = %s RETURNING seq, hash"
    with conn.cursor() as cur:
        cur.execute(sql, [chain])
        row = cur.fetchone()
        if (
            row is None
        ):  # the very first entry: create the head (a concurrent creator wins or waits)
            AuditHead.objects.get_or_create(pk=chain)
            cur.execute(sql, [chain])
            row = cur.fetchone()
    return int(row[0]), row[1]


@functools.cache
def _append_statements(alias: str, with_pk: bool) -> tuple[tuple, str, str, str]:
    """The fields written, the ``INSERT`` of an entry, the ``UPDATE`` of the head and the two in one
    statement (PostgreSQL), for the database ``alias`` (built once per process)."""
    conn = connections[alias]
    fields = tuple(f for f in AuditEntry._meta.concrete_fields if with_pk or not f.primary_key)
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    insert = (
        f"INSERT INTO {_table(AuditEntry, conn)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
    )
    move = f"UPDATE {_table(AuditHead, conn)} SET hash = %s WHERE id = %s"
    return fields, insert, move, f"WITH e AS ({insert}) {move} RETURNING (SELECT id FROM e)"


def _append(conn, entry: AuditEntry) -> None:
    """Insert the entry and move the head's hash to it. On PostgreSQL both happen in one statement (one
    round trip on every write of the platform); elsewhere in two."""
    fields, insert, move, both = _append_statements(conn.alias, entry.pk is not None)
    values = [f.get_db_prep_save(getattr(entry, f.attname), conn) for f in fields]
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(both, [*values, entry.hash, entry.chain])
            entry.pk = cur.fetchone()[0]
        else:
            cur.execute(insert, values)
            entry.pk = cur.fetchone()[0]
            cur.execute(move, [entry.hash, entry.chain])
    entry._state.adding = False
    entry._state.db = conn.alias


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    message: str
    bad_seq: int | None = None


def verify(batch: int = 5000) -> VerifyResult:
    """Recompute both chains. Reports the first entry that was edited, deleted or reordered (in the
    day-only chain: its message says so)."""
    main = _verify_chain(MAIN_CHAIN, batch)
    if not main.ok:
        return main
    day = _verify_chain(DAY_CHAIN, batch)
    if not day.ok:
        return VerifyResult(
            False, main.checked + day.checked, f"day-only chain: {day.message}", day.bad_seq
        )
    message = main.message + (
        f"; day-only chain intact: {day.checked} entries" if day.checked else ""
    )
    return VerifyResult(True, main.checked + day.checked, message)


def _verify_chain(chain: int, batch: int) -> VerifyResult:
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    last_seq, version = 0, VERSIONS[0]
    while True:
        rows = list(
            AuditEntry.objects.filter(chain=chain, seq__gt=last_seq).order_by("seq")[:batch]
        )
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
            if entry.version not in VERSIONS or entry.version < version:
                # an entry of an older form after a newer one was moved back to a form that hashes less
                return VerifyResult(
                    False,
                    checked,
                    f"entry #{entry.seq} has canonical version {entry.version} after version {version}",
                    entry.seq,
                )
            if compute_hash(entry) != entry.hash:
                return VerifyResult(False, checked, f"entry #{entry.seq} was edited", entry.seq)
            prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
            version = entry.version
            last_seq = entry.seq
    head = AuditHead.objects.filter(pk=chain).first()
    if head and (head.seq != checked or head.hash != prev_hash):
        return VerifyResult(
            False,
            checked,
            f"the chain ends at #{checked} but the published head is #{head.seq}",
            checked + 1,
        )
    return VerifyResult(True, checked, f"audit chain intact: {checked} entries")


def check_published(seq: int, hash_: str) -> str | None:
    """Whether the main chain holds a head published earlier (``GET /api/v1/audit/head``): None when its
    entry ``#seq`` has that hash (with :func:`verify` passing, every entry up to it is then as it was when
    the head was published), otherwise what is wrong."""
    entry = AuditEntry.objects.filter(chain=MAIN_CHAIN, seq=seq).only("hash").first()
    if entry is None:
        return (
            f"the published head #{seq} is not in the chain, which ends at #{head()['seq']}: the entries "
            "after it are gone (a backup from before it was restored, or they were deleted)"
        )
    if entry.hash != hash_.strip().lower():
        return (
            f"entry #{seq} does not have the published hash {hash_.strip()[:16]}…: the chain was "
            "rewritten at or before it (or, after a backup from before it was restored, new entries "
            "took its number)"
        )
    return None


def head() -> dict:
    """The main chain's head, published (``GET /api/v1/audit/head``); the day-only chain's is not."""
    h = AuditHead.objects.filter(pk=MAIN_CHAIN).first()
    return {"seq": h.seq if h else 0, "hash": h.hash if h else GENESIS}
