"""``amanah manage transparency_rebuild [--source complaints|integrity|surveys ...]``: recompute the
dashboard's facts and rollups from the raw tables."""

import time

from django.core.management.base import BaseCommand

from amanah.transparency import rollups


class Command(BaseCommand):
    help = "Rebuild the transparency rollups from scratch."

    def add_arguments(self, parser):
        parser.add_argument("--source", action="append", choices=sorted(rollups.SOURCES))

    def handle(self, *args, source=None, **options):
        started = time.monotonic()
        counts = rollups.rebuild(source or list(rollups.SOURCES), stdout=self.stdout)
        summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
        self.stdout.write(f"rollups rebuilt ({summary}) in {time.monotonic() - started:.1f}s")
