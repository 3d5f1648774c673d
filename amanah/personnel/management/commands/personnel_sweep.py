from django.core.management.base import BaseCommand

from amanah.personnel.tasks import delivery_warning_sweep, jp_reminder_sweep


class Command(BaseCommand):
    help = (
        "Send the yearly JP reminders (ASN below the minimum and their supervisors) and the warnings "
        "about sanction decisions whose delivery deadline is near or passed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue for the workers instead of running here"
        )
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        if options["enqueue"]:
            jp_reminder_sweep.enqueue(options["today"])
            delivery_warning_sweep.enqueue(options["today"])
            self.stdout.write("queued")
        else:
            self.stdout.write(f"reminders sent: {jp_reminder_sweep.call(options['today'])}")
            warned = delivery_warning_sweep.call(options["today"])
            self.stdout.write(f"delivery warnings: {warned}")
