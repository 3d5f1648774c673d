"""The rows of a case whose ids staff see (messages, evidence, summonses, examination records, identity
disclosure requests) get random ids from now on (``models.CaseRow``), so their order within a case is
kept in ``position``: the rows already stored are numbered 1, 2, 3... per case in the order of their
ids, which was the order they were saved in. Their ids stay as they are."""

from django.db import migrations, models

MODELS = ("Message", "Evidence", "Summons", "ExaminationRecord", "DisclosureRequest")


def number_rows(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("integrity", name)
        rows = model.objects.order_by("report_id", "id").values_list("pk", "report_id")
        changed, report, n = [], None, 0
        for pk, report_id in rows.iterator(chunk_size=2000):
            n = n + 1 if report_id == report else 1
            report = report_id
            changed.append(model(pk=pk, position=n))
            if len(changed) >= 500:
                model.objects.bulk_update(changed, ["position"])
                changed = []
        model.objects.bulk_update(changed, ["position"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0005_disclosure_reason_typed"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="disclosurerequest",
            options={"ordering": ["-position", "-id"]},
        ),
        migrations.AlterModelOptions(
            name="evidence",
            options={"ordering": ["position", "id"]},
        ),
        migrations.AlterModelOptions(
            name="examinationrecord",
            options={"ordering": ["held_on", "position", "id"]},
        ),
        migrations.AlterModelOptions(
            name="message",
            options={"ordering": ["position", "id"]},
        ),
        migrations.AlterModelOptions(
            name="summons",
            options={"ordering": ["hearing_on", "position", "id"]},
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="position",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="evidence",
            name="position",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="examinationrecord",
            name="position",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="message",
            name="position",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="summons",
            name="position",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(number_rows, migrations.RunPython.noop),
    ]
