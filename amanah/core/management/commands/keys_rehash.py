"""``amanah keys rehash``: after ``AMANAH_HASH_KEY`` changed (the old key kept in
``AMANAH_OLD_HASH_KEYS``), take every keyed hash that can be computed again under the new key: the
whistleblowing exclusions, the summons keys, the evidence files' content hashes and the complaints' contact
keys.

What is not computed again, and why (docs/deploy.md, "Changing the hash key"): receipts (only their
reporters know them; each is hashed again when its reporter next uses it), the SKM's once-a-day device
marks (the device's identifier is not stored; they hold for one day), the rate-limit counters (in the cache,
for minutes). API tokens and Open311 keys are stored as plain SHA-256 of a random secret, not under the hash
key: a change of the hash key does not touch them."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compute again under AMANAH_HASH_KEY every keyed hash stored under a key of AMANAH_OLD_HASH_KEYS "
        "(whistleblowing exclusions, summons keys, evidence content hashes, complaint contact keys). Safe "
        "to run again."
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
            f"{done['evidence']} evidence content hashes; "
            f"{contacts} complaints with new contact keys"
        )
        if done["evidence_unreadable"]:
            self.stderr.write(
                f"{done['evidence_unreadable']} evidence file(s) could not be read (missing from the file "
                "storage, or encrypted under a key not in AMANAH_ENCRYPTION_KEYS) and keep their hash "
                "under the old key; the log names their ids. Restore them and run this again."
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
