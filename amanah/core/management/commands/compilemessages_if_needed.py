from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

ROOT = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = "Compile .po translations whose .mo is missing or older."

    def handle(self, *args, **options):
        stale = []
        for po in ROOT.rglob("locale/*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                stale.append(po)
        if stale:
            call_command("compilemessages", verbosity=0, ignore_patterns=[".venv/*"])
