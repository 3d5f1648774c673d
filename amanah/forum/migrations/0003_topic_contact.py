"""The asker's optional e-mail for news of their question (encrypted at rest, erased by forum_sweep after
FORUM_CONTACT_DAYS, on lock or by the mail's unsubscribe link) and the language of its mails; a partial index
on the day of the topics that still hold one, for the sweep."""

import amanah.core.crypto
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_held_mail"),
        ("forum", "0002_topic_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="contact_email",
            field=amanah.core.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AddField(
            model_name="topic",
            name="contact_language",
            field=models.CharField(blank=True, max_length=8),
        ),
        migrations.AddIndex(
            model_name="topic",
            index=models.Index(
                condition=models.Q(("contact_email", ""), _negated=True),
                fields=["created_on"],
                name="forum_topic_contact",
            ),
        ),
    ]
