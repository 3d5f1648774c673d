"""``amanah keys rotate``: re-encrypt every encrypted column, stored file and queued message under the first
key of ``AMANAH_ENCRYPTION_KEYS``.

A stored file is never deleted before its re-encrypted copy is safe: the copy is written under a new
name next to it (``<id>.<key id>``), read back and checked, the row is pointed at it, and only then is the
old object deleted. A failure at any step (disk full, an object-storage error, the process killed) leaves
the row on a complete file, and a run started again finishes the work: files already under the first
key are left alone, a half-written copy is replaced, and an old copy left behind is deleted."""

import functools
import hashlib
import logging
import os
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from amanah.core import audit, crypto
from amanah.core.models import StoredFile

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column, file and queued e-mail or short message under the first key of "
        "AMANAH_ENCRYPTION_KEYS. Safe to run again after an interruption."
    )

    def handle(self, *args, **options):
        columns = 0
        for model, field in crypto.encrypted_fields():
            columns += rotate_column(model, field)
        files = 0
        for stored in StoredFile.objects.filter(encrypted=True).iterator(chunk_size=200):
            files += rotate_file(stored)
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


def rotate_column(model, field) -> int:
    """Re-encrypt every value of one encrypted column under the first key; returns how many.

    Each row is read again, locked, just before it is written: the platform keeps running during a
    rotation, and a value read earlier in a batch and written back later would undo an edit made in
    between (an investigator's note, a corrected address)."""
    manager = model._base_manager
    rows = manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True})
    done = 0
    for pk in rows.values_list("pk", flat=True).iterator(chunk_size=500):
        with transaction.atomic():
            # values_list applies from_db_value, so `value` is plain text; saving re-encrypts.
            value = (
                manager.select_for_update()
                .filter(pk=pk)
                .values_list(field.attname, flat=True)
                .first()
            )
            if value in (None, ""):  # deleted or emptied meanwhile
                continue
            manager.filter(pk=pk).update(**{field.attname: value})
        done += 1
    return done


def _key(key) -> bytes:
    return key.encode() if isinstance(key, str) else key


def key_id(key) -> str:
    """A short name of an encryption key for file names (a hash: it tells nothing about the key)."""
    return hashlib.sha256(b"amanah:file-key:" + _key(key)).hexdigest()[:8]


def _names(name: str) -> tuple[str, str]:
    """The stored object's folder and its id (the name without a key id)."""
    folder, _sep, last = name.rpartition("/")
    return folder, last.split(".", 1)[0]


def _sync(storage, name: str) -> None:
    """On a local folder, make sure the new copy is on the disk before the old one is deleted (object
    storage acknowledges a write only once it is stored)."""
    try:
        path = storage.path(name)
    except NotImplementedError:
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        fd = os.open(os.path.dirname(path), os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _delete_quietly(storage, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except Exception:
        logger.exception("could not delete the stored object %s", name)


def rotate_file(stored: StoredFile) -> int:
    """Re-encrypt one stored file under the first key; 1 if it was, 0 if it already was."""
    storage, name = stored.file.storage, stored.file.name
    first = settings.ENCRYPTION_KEYS[0]
    folder, ident = _names(name)
    target = f"{folder}/{ident}.{key_id(first)}"
    with stored.file.open("rb") as fh:
        token = fh.read()
    try:
        Fernet(_key(first)).decrypt(token)
    except InvalidToken:
        pass
    else:
        if name == target:
            # Rotated by an earlier run that was stopped before it deleted the old copy.
            for key in settings.ENCRYPTION_KEYS[1:]:
                _delete_quietly(storage, f"{folder}/{ident}.{key_id(key)}")
            _delete_quietly(storage, f"{folder}/{ident}")
        return 0
    plain = crypto.decrypt_bytes(token)
    new = crypto.encrypt_bytes(plain)
    if target == name:  # pragma: no cover - only if the file was replaced by hand
        target = f"{folder}/{ident}.{key_id(first)}{secrets.token_hex(2)}"
    # A copy half-written by an interrupted run (nothing points at it): written again.
    _delete_quietly(storage, target)
    saved = None
    try:
        saved = storage.save(target, ContentFile(new))
        _sync(storage, saved)
        with storage.open(saved, "rb") as fh:
            if crypto.decrypt_bytes(fh.read()) != plain:
                raise OSError(f"the re-encrypted copy of {name} did not read back")
        with transaction.atomic():
            moved = StoredFile.objects.filter(pk=stored.pk, file=name).update(file=saved)
    except BaseException:
        # The row still points at the old file, which is untouched.
        _delete_quietly(storage, saved or target)
        raise
    if not moved:  # deleted or changed meanwhile: the copy is not needed
        _delete_quietly(storage, saved)
        return 0
    # Deleted once the new name is committed (at once outside a transaction).
    transaction.on_commit(functools.partial(_delete_quietly, storage, name), robust=True)
    return 1


def _rotate_queued_mails() -> int:
    from django_tasks_db.models import DBTaskResult

    from amanah.core.tasks import reseal_queued_emails

    return reseal_queued_emails(DBTaskResult)
