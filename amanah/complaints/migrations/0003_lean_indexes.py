"""Fewer indexes to update on every intake (see the comment on ``Complaint``): no single-column index for the
foreign keys that lead a composite index, partial indexes for the rarely-set foreign keys, and the tracking
code's uniqueness and the status index without their ``varchar_pattern_ops`` twins. On PostgreSQL the
tracking-code and status indexes are rebuilt under a new name (a few seconds per million complaints)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0002_fulltext_index'),
        ('core', '0002_scheduled_job'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='complaint',
            name='agency',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='core.agency'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='assignee',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='complaints.complaint'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='entered_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='service',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='core.service'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='status',
            field=models.CharField(choices=[('diterima', 'Diterima, menunggu verifikasi'), ('menunggu_kelengkapan', 'Menunggu kelengkapan dari pengadu'), ('diteruskan', 'Diverifikasi dan diteruskan ke unit'), ('diproses', 'Sedang ditangani'), ('dijawab', 'Sudah dijawab'), ('selesai', 'Selesai'), ('dialihkan', 'Dialihkan ke instansi lain (bukan wewenang)'), ('ditolak', 'Ditolak'), ('dicabut', 'Dianggap dicabut'), ('dirujuk', 'Dirujuk ke Ombudsman RI')], default='diterima', max_length=24),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='tracking_code',
            field=models.CharField(max_length=24),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='transferred_from',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='transfers', to='complaints.complaint'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='unit',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='core.unit'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['status'], name='complaint_status'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('entered_by__isnull', False)), fields=['entered_by'], name='complaint_entered_by'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('assignee__isnull', False)), fields=['assignee'], name='complaint_assignee'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('duplicate_of__isnull', False)), fields=['duplicate_of'], name='complaint_duplicate_of'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('transferred_from__isnull', False)), fields=['transferred_from'], name='complaint_transferred_from'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.UniqueConstraint(fields=('tracking_code',), name='complaint_tracking_code_unique'),
        ),
    ]
