import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_held_mail"),
        ("personnel", "0005_mentoring_kind_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Transfer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("from_position", models.CharField(max_length=200)),
                (
                    "position",
                    models.CharField(max_length=200, verbose_name="jabatan di instansi tujuan"),
                ),
                ("sk_number", models.CharField(max_length=100, verbose_name="nomor SK mutasi")),
                ("sk_date", models.DateField(verbose_name="tanggal SK mutasi")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("diajukan", "Diajukan"),
                            ("disetujui", "Disetujui"),
                            ("ditolak", "Ditolak"),
                        ],
                        default="diajukan",
                        max_length=10,
                    ),
                ),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("moved_on", models.DateField(blank=True, null=True)),
                ("refusal_reason", models.TextField(blank=True, verbose_name="alasan penolakan")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "employee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transfers",
                        to="core.employee",
                    ),
                ),
                (
                    "from_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.agency",
                    ),
                ),
                (
                    "from_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.unit",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "to_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.agency",
                    ),
                ),
                (
                    "to_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.unit",
                        verbose_name="unit kerja tujuan",
                    ),
                ),
            ],
            options={
                "ordering": ["-requested_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "diajukan")),
                        fields=("employee",),
                        name="uniq_pending_transfer",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("from_agency", models.F("to_agency")), _negated=True),
                        name="transfer_between_agencies",
                    ),
                ],
            },
        ),
    ]
