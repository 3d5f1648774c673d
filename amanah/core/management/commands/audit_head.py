import json

from django.core.management.base import BaseCommand

from amanah.core import audit


class Command(BaseCommand):
    help = "Print the audit chain's head (sequence and hash) for publication."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(audit.head()))
