"""An index for a platform admin's national inbox by "nearest deadline first" (``selectors.inbox(order=
"due")`` with no agency in the scope or the filters): every case by the due date of its current stage
(``models.stage_due_expression``), then received time and id. The ``complaint_{agency,unit}_stage_due``
indexes of 0017 lead with the agency or the unit, so the national list read and sorted every case for each
page; the overdue and due-soon filters of that list are a range on the leading expression of this one.

Built as 0017's are: ``CONCURRENTLY`` on PostgreSQL (intake and the workflow go on while a large table is
indexed), and safe to run again after an interruption (an invalid index left behind is dropped and built
anew, a valid one kept), by ``amanah.core.migration_ops.AddIndexConcurrentlyIfMissing``. SQLite builds it
as usual."""

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
        _stage_due(),
        models.F("received_at"),
        models.F("id"),
        name="complaint_stage_due",
    )
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

    dependencies = [("complaints", "0017_stage_due_indexes")]

    operations = OPERATIONS
