"""Keberatan appeals filed before ``Appeal.ruling_due`` existed get their last day for the ruling from
migration 0010, counted as a new filing counts it, so an undecided one is marked late after an upgrade
(docs/personnel.md)."""

import datetime as dt

import pytest

from amanah.core.calendar import Calendar
from amanah.personnel import models as m
from amanah.personnel import rules

from . import helpers

BEFORE = [("personnel", "0009_discipline_delivered_on")]
AFTER = [("personnel", "0010_keberatan_ruling_due_backfill")]


@pytest.mark.django_db(transaction=True)
def test_older_keberatan_gets_its_ruling_deadline_and_a_banding_none(org):
    filed = helpers.today() - dt.timedelta(days=60)
    keberatan_case = helpers.decided_case(org["a"], filed - dt.timedelta(days=3))
    banding_case = helpers.decided_case(
        org["a"], filed - dt.timedelta(days=3), level="berat", sanction="penurunan_jabatan"
    )
    keberatan = m.Appeal.objects.create(
        case=keberatan_case, kind="keberatan", filed_on=filed, grounds="Berat"
    )
    banding = m.Appeal.objects.create(
        case=banding_case, kind="banding", filed_on=filed, grounds="Berat"
    )
    assert keberatan.ruling_due is None  # as filed before the upgrade
    with helpers.upgraded(BEFORE, AFTER):
        keberatan.refresh_from_db()
        banding.refresh_from_db()
    assert keberatan.ruling_due == Calendar(org["a"]["agency"]).add(
        filed, rules.KEBERATAN_RULING_WORKING_DAYS
    )
    assert keberatan.ruling_overdue(helpers.today())
    assert banding.ruling_due is None
