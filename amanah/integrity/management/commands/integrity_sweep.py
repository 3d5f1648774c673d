from django.core.management.base import BaseCommand

from amanah.core import notify
from amanah.core.cache import remove_expired
from amanah.integrity import services


class Command(BaseCommand):
    help = (
        "Send deadline reminders for whistleblowing cases, apply the retention period, remove "
        "reporter sessions and sent forms whose day is over and the expired entries of a file-based "
        "cache, and queue the mails held back "
        "from a reporter's action once their day has come (the workers run it hourly; safe to run "
        "again)."
    )

    def handle(self, *args, **options):
        reminded = services.send_reminders()
        purged = services.purge_expired()
        expired = remove_expired()
        ended = services.remove_expired_entries()
        released = notify.release_held()
        self.stdout.write(
            f"reminders: {reminded} cases; retention applied to {purged} cases; "
            f"{expired} expired cache entries and {ended} ended reporter sessions or sent forms "
            f"removed; {released} held mails queued"
        )
