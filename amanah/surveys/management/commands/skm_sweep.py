"""``amanah manage skm_sweep``: close SKM periods whose end date has passed, purge old device marks,
freeze the breakdowns of published periods that lack them and delete stale public answers files (hourly)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Close survey periods that have ended, delete past days' device marks, freeze missing "
        "breakdowns of published periods and delete stale public answers files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the sweep for the background workers"
        )

    def handle(self, *args, **options):
        from amanah.surveys.tasks import sweep

        if options["enqueue"]:
            self.stdout.write(f"queued {sweep.enqueue().id}")
            return
        result = sweep.call()
        self.stdout.write(
            f"closed {result['closed']} period(s), purged {result['purged']} device mark(s), "
            f"froze {result['frozen']} period(s)' breakdowns ({result['frozen_left']} left for the "
            f"next sweeps), deleted {result['files']} stale answers file(s)"
        )
