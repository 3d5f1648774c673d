import contextlib
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

ROOT = Path(__file__).resolve().parents[3]


def stale_catalogues(root: Path | None = None) -> list[Path]:
    """The .po files under ``root`` (the package) whose .mo is missing or older than the .po."""
    root = root or ROOT
    stale = []
    for po in sorted(root.rglob("locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


class Command(BaseCommand):
    help = "Compile .po translations whose .mo is missing or older."

    def handle(self, *args, **options):
        stale = stale_catalogues(ROOT)
        if not stale:
            return
        if options["verbosity"] >= 1:
            for po in stale:
                self.stdout.write(f"Compiling {po.relative_to(ROOT.parent)}")
        # compilemessages looks for locale folders under the current directory, so run it from the
        # package folder: started from anywhere else (``amanah demo`` in a home directory, a service
        # whose working directory is /) it would find no catalogue, or walk the whole tree. It skips
        # the .mo files that are already up to date.
        with contextlib.chdir(ROOT):
            call_command("compilemessages", verbosity=0)
