"""Seal the e-mails that versions before sealed e-mails left in the task table in clear (see
``amanah.core.tasks.seal_clear_emails``)."""

from django.db import migrations


def seal(apps, schema_editor):
    from amanah.core.tasks import seal_clear_emails

    seal_clear_emails(apps.get_model("django_tasks_database", "DBTaskResult"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_scheduled_job"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
