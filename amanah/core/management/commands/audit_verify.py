from django.core.management.base import BaseCommand, CommandError

from amanah.core import audit


class Command(BaseCommand):
    help = "Recompute the audit chain; exit non-zero naming the first entry that was tampered with."

    def handle(self, *args, **options):
        result = audit.verify()
        if not result.ok:
            raise CommandError(f"AUDIT CHAIN BROKEN: {result.message}")
        self.stdout.write(result.message)
