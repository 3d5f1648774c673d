"""The ids of a case's rows (messages, evidence, summonses, examination records, identity disclosure
requests) that staff see in links, forms, the API and the case file say nothing about the cases hidden
from them: they are drawn at random, and the order within a case is kept without them."""

import itertools

import pytest
from django.apps import apps

from amanah.core.calendar import Calendar
from amanah.integrity import services
from amanah.integrity.models import DisclosureRequest, Evidence, Message, Summons

from .conftest import upload

pytestmark = pytest.mark.django_db

KINDS = ("messages", "evidence", "summons", "records", "disclosures")


def _activity(insp, report):
    """One row of each kind on ``report``."""
    cal = Calendar(report.agency)
    hearing = cal.add(cal.local_date(), 10)
    services.send_message(insp, report.pk, "Mohon keterangan tambahan.")
    services.add_staff_evidence(insp, report.pk, [upload("c.txt", b"catatan", "text/plain")])
    services.issue_summons(
        insp, report.pk, person="Saksi", hearing_on=hearing, issued_on=cal.add(hearing, -8)
    )
    services.record_bap(
        insp, report.pk, held_on=cal.local_date(), examined="Saksi", content="Keterangan saksi."
    )
    services.request_disclosure(insp, report.pk, "Keterangan pelapor diperlukan untuk pemeriksaan.")


def test_a_hidden_case_s_activity_leaves_no_gap_in_the_ids_an_excluded_officer_sees(
    org, make_user, users, examined, make_case, api_as
):
    insp = users[("inspektorat", "a")]
    conflicted = make_user("inspektorat", org["a"]["agency"])
    hidden, other = make_case(), make_case()
    for report in (hidden, other):
        services.assess(
            insp,
            report.pk,
            credibility="tinggi",
            seriousness="tinggi",
            retaliation_risk="rendah",
            decision="periksa",
        )
    services.declare_conflict(conflicted, hidden.pk)
    # Rows written one after the other: the first case, the case hidden from the officer, the other.
    for report in (examined, hidden, other):
        _activity(insp, report)
    client = api_as(conflicted)
    assert client.get(f"/api/v1/integrity/cases/{hidden.pk}").status_code == 404
    seen = {kind: [] for kind in KINDS}
    for report in (examined, other):
        for path in ("", "/export"):
            r = client.get(f"/api/v1/integrity/cases/{report.pk}{path}")
            assert r.status_code == 200, r.content
            for kind in KINDS:
                seen[kind].extend(row["id"] for row in r.json().get(kind, []))
    for kind, ids in seen.items():
        ids = sorted(set(ids))
        assert len(ids) >= 2, (kind, ids)
        # Counted up, the hidden case's row would sit between the two cases' rows (a gap of one).
        assert all(b - a > 10**6 for a, b in itertools.pairwise(ids)), (kind, ids)


def test_rows_keep_the_order_they_were_written_in(examined, users, api_as):
    insp = users[("inspektorat", "a")]
    texts = [f"Pesan ke-{n}." for n in range(1, 13)]
    for text in texts:
        services.send_message(insp, examined.pk, text)
    detail = api_as(insp).get(f"/api/v1/integrity/cases/{examined.pk}").json()
    sent = [m["body"] for m in detail["messages"] if m["body"] in texts]
    assert sent == texts
    assert list(examined.messages.values_list("position", flat=True)) == list(
        range(1, examined.messages.count() + 1)
    )


def test_rows_stored_before_keep_their_ids_and_are_numbered_in_their_order(examined, users):
    """Migration integrity.0006 numbers the rows already stored, per case, in the order of their
    (then counted) ids, and leaves the ids alone."""
    from importlib import import_module

    migration = import_module("amanah.integrity.migrations.0006_row_ids_random")
    insp = users[("inspektorat", "a")]
    for n in range(3):
        services.send_message(insp, examined.pk, f"Pesan {n}.")
    services.request_disclosure(
        insp, examined.pk, "Keterangan pelapor diperlukan untuk pemeriksaan."
    )
    # As stored before: counted ids, no position.
    for model in (Message, DisclosureRequest, Evidence, Summons):
        rows = list(model.objects.order_by("position"))
        model.objects.all().delete()
        for new_id, row in enumerate(rows, start=1):
            row.pk, row.position = new_id * 10, 0
            row.save(force_insert=True)
    before = sorted(Message.objects.values_list("pk", flat=True))
    migration.number_rows(apps, None)
    assert sorted(Message.objects.values_list("pk", flat=True)) == before
    assert [m.pk for m in examined.messages.all()] == before
    count = len(before)
    assert count >= 3
    assert list(examined.messages.values_list("position", flat=True)) == list(range(1, count + 1))
    assert list(DisclosureRequest.objects.values_list("position", flat=True)) == [1]
