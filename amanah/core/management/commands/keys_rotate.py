from django.core.management.base import BaseCommand
from django.db import transaction

from amanah.core import audit, crypto
from amanah.core.models import StoredFile


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column, file and queued e-mail or short message under the first key of "
        "AMANAH_ENCRYPTION_KEYS."
    )

    def handle(self, *args, **options):
        columns = files = 0
        for model, field in crypto.encrypted_fields():
            raw = model._base_manager.exclude(**{field.attname: ""}).exclude(
                **{f"{field.attname}__isnull": True}
            )
            for pk, value in raw.values_list("pk", field.attname).iterator(chunk_size=500):
                # values_list applies from_db_value, so `value` is plain text; saving re-encrypts.
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{field.attname: value})
                columns += 1
        for stored in StoredFile.objects.filter(encrypted=True).iterator(chunk_size=200):
            with stored.file.open("rb") as fh:
                token = fh.read()
            new = crypto.rotate_bytes(token)
            name = stored.file.name
            stored.file.storage.delete(name)
            from django.core.files.base import ContentFile

            stored.file.storage.save(name, ContentFile(new))
            files += 1
        mails = _rotate_queued_mails()
        audit.record(
            "cli",
            "core.keys_rotated",
            None,
            {"columns": columns, "files": files, "mails": mails},
        )
        self.stdout.write(
            f"re-encrypted {columns} values, {files} files and {mails} queued e-mails and short messages"
        )


def _rotate_queued_mails() -> int:
    from django_tasks_db.models import DBTaskResult

    from amanah.core.tasks import reseal_queued_emails

    return reseal_queued_emails(DBTaskResult)
