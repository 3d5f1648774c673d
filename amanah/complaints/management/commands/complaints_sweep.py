"""``amanah manage complaints_sweep``: run the complaint deadline sweep now (or queue it)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Close answered complaints with no reply, withdraw files never completed, warn and escalate overdue ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the sweep for the background workers"
        )
        parser.add_argument(
            "--today", help="pretend today is YYYY-MM-DD (for catching up or testing)"
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from amanah.complaints.tasks import sweep_deadlines

            result = sweep_deadlines.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be YYYY-MM-DD") from None
        from amanah.complaints import services

        counts = services.sweep(today=today)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
