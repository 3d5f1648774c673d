"""``amanah keys rehash``: after ``AMANAH_HASH_KEY`` changed (the old key kept in
``AMANAH_OLD_HASH_KEYS``), take every keyed hash that can be computed again under the new key: the
whistleblowing exclusions, the summons keys and the complaints' contact keys. Receipts cannot be (only
their reporters know them): keep the old key for as long as a report filed under it may be opened."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compute again under AMANAH_HASH_KEY every keyed hash stored under a key of AMANAH_OLD_HASH_KEYS "
        "(whistleblowing exclusions, summons keys, complaint contact keys). Safe to run again."
    )

    def handle(self, *args, **options):
        from amanah.complaints.models import Complaint
        from amanah.complaints.services import backfill_contact_keys
        from amanah.core import audit
        from amanah.integrity.services import rehash

        done = rehash()
        contacts = backfill_contact_keys(Complaint)
        unmatched = done.pop("unmatched_cases")
        audit.record(
            "cli",
            "core.hash_keys_rehashed",
            None,
            {**done, "contacts": contacts, "unmatched_cases": len(unmatched)},
        )
        self.stdout.write(
            f"exclusions: {done['exclusions_moved']} taken under the new key, "
            f"{done['exclusions_relabelled']} relabelled; {done['summons']} summons keys; "
            f"{contacts} complaints with new contact keys"
        )
        if unmatched:
            self.stderr.write(
                f"{len(unmatched)} case(s) have exclusions that match no employee or account under any "
                "configured hash key: "
                + ", ".join(unmatched)
                + ". Either the person was deleted, or "
                "the exclusion was made under a key that is not configured: put every earlier hash key "
                "(or the secret key it defaulted to) in AMANAH_OLD_HASH_KEYS and run this again."
            )
