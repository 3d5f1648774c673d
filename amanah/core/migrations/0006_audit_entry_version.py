from django.db import migrations, models


class Migration(migrations.Migration):
    """The audit entries' canonical version: the entries already written are version 1 (their hash leaves
    the agency out, and they are verified that way); ``audit.record`` writes new entries as version 2."""

    dependencies = [
        ("core", "0005_clock_read_when_made"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
    ]
