from django.core.management.base import BaseCommand

from amanah.integrity import services


class Command(BaseCommand):
    help = "Send deadline reminders for whistleblowing cases and apply the retention period (run daily)."

    def handle(self, *args, **options):
        reminded = services.send_reminders()
        purged = services.purge_expired()
        self.stdout.write(f"reminders: {reminded} cases; retention applied to {purged} cases")
