from django.core.management.base import BaseCommand

from amanah.integrity import services


class Command(BaseCommand):
    help = (
        "Send deadline reminders for whistleblowing cases and apply the retention period (the "
        "workers run it hourly; safe to run again)."
    )

    def handle(self, *args, **options):
        reminded = services.send_reminders()
        purged = services.purge_expired()
        self.stdout.write(f"reminders: {reminded} cases; retention applied to {purged} cases")
