"""Indexes for the inbox's "nearest deadline first" (``selectors.inbox(order="due")``): an agency's and a
unit's cases by the due date of their current stage (``models.stage_due_expression``), then received time
and id, as the inbox sorts them. Without them every matching case was read and sorted for each page.

On PostgreSQL they are built ``CONCURRENTLY``, so that intake and the workflow go on while a large table is
indexed, and the migration may run again after an interruption: an invalid index left by an interrupted
build is dropped and built anew, a valid one is kept. SQLite builds them as usual. All of this is
``amanah.core.migration_ops.AddIndexConcurrentlyIfMissing``."""

from django.db import migrations, models

import amanah.complaints.models
from amanah.core.migration_ops import AddIndexConcurrentlyIfMissing, index_validity, runner


def _stage_due():
    # As ``models.stage_due_expression()`` wrote it when this migration was made (frozen here).
    return models.Case(
        models.When(
            status=amanah.complaints.models.StatusLiteral("diterima"),
            then=models.F("verification_due"),
        ),
        models.When(
            status=amanah.complaints.models.StatusLiteral("diteruskan"),
            then=models.F("response_due"),
        ),
        models.When(
            status=amanah.complaints.models.StatusLiteral("diproses"),
            then=models.F("resolution_due"),
        ),
        default=None,
        output_field=models.DateField(),
    )


INDEXES = [
    models.Index(
        models.F(scope),
        _stage_due(),
        models.F("received_at"),
        models.F("id"),
        name=f"complaint_{scope}_stage_due",
    )
    for scope in ("agency", "unit")
]


OPERATIONS = [
    AddIndexConcurrentlyIfMissing(model_name="complaint", index=index) for index in INDEXES
]

# For the tests that break an index and run the build again by hand.
_valid = index_validity
forwards = runner("complaints", OPERATIONS)
backwards = runner("complaints", OPERATIONS, backwards=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0016_indonesian_search")]

    operations = OPERATIONS
