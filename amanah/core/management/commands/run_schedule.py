from django.core.management.base import BaseCommand

from amanah.core import schedule


class Command(BaseCommand):
    help = "Run the periodic jobs that are due now (the worker does this every minute by itself)."

    def handle(self, *args, **options):
        ran = schedule.run_due()
        self.stdout.write(", ".join(ran) if ran else "nothing due")
