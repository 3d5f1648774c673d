"""``amanah manage complaints_contact_keys``: compute again every complaint's contact keys (the keyed hashes
by which a lost tracking code is sent again) — needed after ``AMANAH_HASH_KEY`` changed, or lost codes of
older complaints are no longer found."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compute again the keyed hashes of every complaint's e-mail address and mobile number (run after "
        "changing AMANAH_HASH_KEY)."
    )

    def handle(self, *args, **options):
        from amanah.complaints.models import Complaint
        from amanah.complaints.services import backfill_contact_keys
        from amanah.core import audit

        changed = backfill_contact_keys(Complaint)
        audit.record("cli", "complaints.contact_keys_rebuilt", None, {"changed": changed})
        self.stdout.write(f"{changed} complaints have new contact keys")
