"""Reporter sessions and sent report forms move from the cache to rows that keep only a day (see
models.ReporterSession). Sessions open in the cache at the upgrade end: the reporter enters the receipt
again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0006_row_ids_random"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReporterSession",
            fields=[
                ("key", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("sealed", models.BinaryField()),
                ("until", models.DateField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name="SentForm",
            fields=[
                ("key", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("until", models.DateField(db_index=True)),
            ],
        ),
    ]
