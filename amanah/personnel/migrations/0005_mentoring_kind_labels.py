from django.db import migrations, models


class Migration(migrations.Migration):
    """Indonesian labels for the kinds of a mentoring pair (the English terms in the catalogue)."""

    dependencies = [
        ("personnel", "0004_appeal_decided_by"),
    ]

    operations = [
        migrations.AlterField(
            model_name="mentoring",
            name="kind",
            field=models.CharField(
                choices=[
                    ("mentoring", "Pendampingan (mentoring)"),
                    ("coaching", "Pembimbingan (coaching)"),
                ],
                default="mentoring",
                max_length=12,
                verbose_name="jenis",
            ),
        ),
    ]
