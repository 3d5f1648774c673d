from django.core.management.base import BaseCommand

from amanah.core.cache import remove_expired
from amanah.integrity import services


class Command(BaseCommand):
    help = (
        "Send deadline reminders for whistleblowing cases, apply the retention period and remove "
        "expired entries (reporter sessions) of a file-based cache (the workers run it hourly; safe "
        "to run again)."
    )

    def handle(self, *args, **options):
        reminded = services.send_reminders()
        purged = services.purge_expired()
        expired = remove_expired()
        self.stdout.write(
            f"reminders: {reminded} cases; retention applied to {purged} cases; "
            f"{expired} expired cache entries removed"
        )
