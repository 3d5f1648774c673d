from django.core.management.base import BaseCommand

from amanah.forum import services


class Command(BaseCommand):
    help = (
        "Erase the e-mail addresses forum askers left for news of their questions once "
        "AMANAH_FORUM_CONTACT_DAYS have passed (the workers run it hourly; safe to run again)."
    )

    def handle(self, *args, **options):
        erased = services.erase_expired_contacts()
        self.stdout.write(f"forum: {erased} askers' e-mail addresses erased")
