"""The audit chain's canonical form is versioned: new entries (version 2) hash their agency, so moving an entry
to another agency breaks the chain, while the entries written before (version 1, agency not hashed) still
verify, each in its own form."""

import datetime as dt
import hashlib
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from amanah.core import audit
from amanah.core.models import AuditEntry, AuditHead


def _legacy_hash(entry) -> str:
    """The hash as Amanah took it before versions existed (written out here, so that a change of
    ``audit._canonical`` cannot change it too)."""
    payload = {
        "seq": entry.seq,
        "at": entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "type": entry.object_type,
        "id": entry.object_id,
        "details": entry.details,
        "prev": entry.prev_hash,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def _legacy_chain(agency_id, n=3):
    """``n`` entries as an installation made them before the upgrade (the migration marks them version 1)."""
    prev = audit.GENESIS
    for seq in range(1, n + 1):
        entry = AuditEntry(
            seq=seq,
            created_at=dt.datetime(2026, 1, seq, 8, 0, tzinfo=dt.UTC),
            actor="system",
            action="core.legacy",
            agency_id_ref=agency_id,
            details={"n": seq},
            prev_hash=prev,
            version=1,
        )
        entry.hash = _legacy_hash(entry)
        entry.save()
        prev = entry.hash
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": n, "hash": prev})


@pytest.mark.django_db
def test_a_new_entrys_agency_is_hashed(org):
    a, b = org["a"]["agency"].pk, org["b"]["agency"].pk
    audit.record("system", "core.test", org["a"]["agency"], {"x": 1}, agency_id=a)
    audit.record("system", "core.test", org["a"]["agency"], {"x": 2}, agency_id=a)
    assert AuditEntry.objects.get(seq=1).version == audit.CANONICAL_VERSION == 2
    assert audit.verify().ok
    AuditEntry.objects.filter(seq=1).update(agency_id_ref=b)
    result = audit.verify()
    assert not result.ok and result.bad_seq == 1 and "edited" in result.message
    AuditEntry.objects.filter(seq=1).update(agency_id_ref=None)
    assert audit.verify().bad_seq == 1


@pytest.mark.django_db
def test_entries_written_before_the_version_still_verify_and_new_ones_follow_them(org):
    a = org["a"]["agency"].pk
    _legacy_chain(a)
    assert audit.verify().ok
    new = audit.record("system", "core.test", None, {"x": 4}, agency_id=a)
    assert new.seq == 4 and new.version == 2 and new.prev_hash == AuditEntry.objects.get(seq=3).hash
    result = audit.verify()
    assert result.ok and result.checked == 4, result
    # a version-1 entry is still checked over the fields it hashed
    AuditEntry.objects.filter(seq=2).update(details={"n": 20})
    assert audit.verify().bad_seq == 2


@pytest.mark.django_db
def test_a_new_entry_turned_back_into_the_old_form_is_refused(org):
    """Marking a version-2 entry as version 1 would leave its agency unhashed: its hash no longer matches,
    and a version lower than the entry's before it is refused even with a hash made to match."""
    a, b = org["a"]["agency"].pk, org["b"]["agency"].pk
    audit.record("system", "core.test", None, {"x": 1}, agency_id=a)
    audit.record("system", "core.test", None, {"x": 2}, agency_id=a)
    AuditEntry.objects.filter(seq=2).update(version=1)
    assert audit.verify().bad_seq == 2
    # rewritten in the old form, with a matching hash (the last entry, so no later link breaks) …
    entry = AuditEntry.objects.get(seq=2)
    entry.agency_id_ref = b
    entry.hash = _legacy_hash(entry)
    entry.save()
    AuditHead.objects.filter(pk=1).update(hash=entry.hash)
    result = audit.verify()
    assert not result.ok and result.bad_seq == 2 and "version" in result.message, result
