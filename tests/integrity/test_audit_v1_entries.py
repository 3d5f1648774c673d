"""Whistleblowing audit entries written before the canonical version 2 (``AuditEntry.version`` 1) do not
hash their agency (``agency_id_ref``, the handling agency). That column decides nothing about who sees an
entry: the audit register hides an entry about a case by the case (the user's visible cases), so an old
entry — or one whose agency column was changed, which version 1 would not detect — shows no more, and
hides no more, than a new one."""

import datetime as dt

import pytest

from amanah.core import audit
from amanah.core.models import AuditEntry, User

pytestmark = pytest.mark.django_db


def _old_entry(report, seq, agency_id):
    """An entry as Amanah wrote it before versions existed: hash over the fields without the agency."""
    entry = AuditEntry(
        chain=audit.MAIN_CHAIN,
        seq=seq,
        created_at=dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC),
        actor="pelapor",
        action="integrity.reporter_replied",
        object_type=report._meta.label_lower,
        object_id=str(report.pk),
        agency_id_ref=agency_id,
        details={"message": True, "evidence": 0},
        prev_hash=audit.GENESIS,
        version=1,
    )
    entry.hash = audit.compute_hash(entry)
    entry.save()
    return entry


@pytest.mark.parametrize("agency", ["own", "other", "none"])
def test_an_old_entrys_agency_column_neither_shows_nor_hides_it(org, make_case, client, agency):
    o = org["a"]
    admin = User.objects.create_superuser("it@test.id", "sandi-rahasia-123", employee=o["staff"])
    about_him = make_case()  # about o["staff"]: hidden from him
    other = make_case(reported_name="Kabid a", reported_nip="")
    ref = {"own": o["agency"].pk, "other": org["b"]["agency"].pk, "none": None}[agency]
    hidden = _old_entry(about_him, 900001, about_him.handling_agency_id)
    shown = _old_entry(other, 900002, other.handling_agency_id)
    # The agency of a version-1 entry is not in its hash: changed, the entry still verifies alone.
    AuditEntry.objects.filter(pk__in=[hidden.pk, shown.pk]).update(agency_id_ref=ref)
    for entry in AuditEntry.objects.filter(pk__in=[hidden.pk, shown.pk]):
        assert audit.compute_hash(entry) == entry.hash
    client.force_login(admin)
    listing = client.get("/admin/core/auditentry/", {"action": "integrity.reporter_replied"})
    page = listing.content.decode()
    assert f"/{shown.pk}/change/" in page and f"/{hidden.pk}/change/" not in page
    assert client.get(f"/admin/core/auditentry/{hidden.pk}/change/").status_code == 404
    assert client.get(f"/admin/core/auditentry/{shown.pk}/change/").status_code == 200
