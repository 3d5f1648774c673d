from django.db import migrations, models


def assume_delivered_on_decision_day(apps, schema_editor):
    """Cases decided before the delivery was recorded: their appeal deadline was counted from the
    decision date (and mailed to the ASN so). Recording that day as the delivery keeps every such
    deadline as it was, instead of leaving it unknown, which would reopen appeals against decisions
    whose window closed long ago and keep their ASN from moving (a transfer waits for a case still
    open to an appeal). HR corrects the day of a case still open to an appeal on its page; the
    deadline then moves with it. See docs/personnel.md."""
    DisciplineCase = apps.get_model("personnel", "DisciplineCase")
    DisciplineCase.objects.filter(decided_on__isnull=False, delivered_on__isnull=True).update(
        delivered_on=models.F("decided_on")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0008_appeal_ruling_due"),
    ]

    operations = [
        migrations.AddField(
            model_name="disciplinecase",
            name="delivered_on",
            field=models.DateField(blank=True, null=True, verbose_name="tanggal SK diterima"),
        ),
        migrations.RunPython(assume_delivered_on_decision_day, migrations.RunPython.noop),
    ]
