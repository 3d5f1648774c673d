"""Give the keberatan appeals filed before ``Appeal.ruling_due`` existed (migration 0008 added it empty)
their last day for the ruling, counted as a new filing counts it (``services.file_appeal``): the
agency's ``keberatan_ruling_working_days`` working days from the filing date. Without it an undecided
keberatan of the upgrade's time was never marked late. A banding keeps none (BPASN rules on it)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from amanah.core.calendar import Calendar
    from amanah.personnel import rules
    from amanah.personnel.services import rule_tables

    Appeal = apps.get_model("personnel", "Appeal")
    calendars = {}
    qs = Appeal.objects.filter(ruling_due__isnull=True).select_related("case__agency")
    for appeal in qs.iterator(chunk_size=500):
        agency = appeal.case.agency
        days = rules.appeal_ruling_days(
            appeal.kind, rule_tables(agency)["keberatan_ruling_working_days"]
        )
        if not days:
            continue
        if agency.pk not in calendars:
            calendars[agency.pk] = Calendar(agency)
        appeal.ruling_due = calendars[agency.pk].add(appeal.filed_on, days)
        appeal.save(update_fields=["ruling_due"])


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0009_discipline_delivered_on"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
