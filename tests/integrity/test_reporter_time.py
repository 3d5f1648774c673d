"""A whistleblower's actions are kept to the day: nothing written at the same moment with an exact time
(a neighbouring audit entry, a queued mail) dates them more closely."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_reporters_audit_entry_cannot_be_dated_by_its_neighbours(users, make_case):
    from amanah.core import audit
    from amanah.core.models import AuditEntry
    from amanah.integrity import services

    other = make_case()
    insp = users[("inspektorat", "a")]
    services.acknowledge(insp, other.pk)  # a staff action: exact time
    report = make_case(reported_name="Kabid a", reported_nip="")  # the whistleblower files now
    services.reporter_reply(report, "Tambahan: kejadian berulang setiap Senin.")
    services.send_message(insp, other.pk, "Terima kasih, mohon ditunggu.")  # next staff action
    mine = AuditEntry.objects.get(action="integrity.report_received", object_id=str(report.pk))
    same_chain = AuditEntry.objects.filter(chain=mine.chain)
    for neighbour in (
        same_chain.filter(seq__lt=mine.seq).order_by("-seq").first(),
        same_chain.filter(seq__gt=mine.seq).order_by("seq").first(),
    ):
        if neighbour is not None:
            t = neighbour.created_at
            assert (t.hour, t.minute, t.second, t.microsecond) == (0, 0, 0, 0), neighbour.action
    # Nor do the table's ids put it between the staff entries written just before and after it.
    before = AuditEntry.objects.get(action="integrity.acknowledged")
    after = AuditEntry.objects.get(action="integrity.message_sent")
    assert not before.pk < mine.pk < after.pk
    assert audit.verify().ok
