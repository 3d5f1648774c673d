"""Cases decided before the delivery of a decision was recorded keep the deadline they were given:
migration 0009 records their decision date as the day they were received (docs/personnel.md)."""

import datetime as dt

import pytest

from amanah.personnel import models as m

from . import helpers

BEFORE = [("personnel", "0008_appeal_ruling_due")]
AFTER = [("personnel", "0009_discipline_delivered_on")]


@pytest.mark.django_db(transaction=True)
def test_old_decided_cases_count_their_deadline_from_the_decision_date(org):
    decided = helpers.decided_case(org["a"], dt.date(2026, 10, 1), appeal_due=dt.date(2026, 10, 21))
    open_case = helpers.case(org["a"]["staff"])
    with helpers.upgraded(BEFORE, AFTER):
        # Read as the table is at 0009 (the model has columns of later migrations).
        rows = m.DisciplineCase.objects.values("pk", "delivered_on", "appeal_due")
        by_pk = {r["pk"]: r for r in rows}
    assert by_pk[decided.pk]["delivered_on"] == dt.date(2026, 10, 1)
    assert by_pk[decided.pk]["appeal_due"] == dt.date(2026, 10, 21)  # as it was
    assert by_pk[open_case.pk]["delivered_on"] is None
