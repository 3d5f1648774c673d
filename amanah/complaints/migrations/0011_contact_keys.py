"""Keyed hashes of each complaint's e-mail address and mobile number, so that a complainant who lost the
tracking code can have it sent again (``services.resend_codes``); existing complaints get theirs from their
decrypted contact."""

from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    from amanah.complaints.services import backfill_contact_keys

    backfill_contact_keys(apps.get_model("complaints", "Complaint"))


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0010_answer_attachments'),
        ('core', '0004_service_name_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='email_key',
            field=models.CharField(blank=True, default='', editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name='complaint',
            name='phone_key',
            field=models.CharField(blank=True, default='', editable=False, max_length=32),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('email_key', ''), _negated=True), fields=['email_key'], name='complaint_email_key'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('phone_key', ''), _negated=True), fields=['phone_key'], name='complaint_phone_key'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
