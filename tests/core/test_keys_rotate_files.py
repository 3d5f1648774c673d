"""``amanah keys rotate`` never loses an encrypted file: the re-encrypted copy is written and checked before
the old one is deleted, so a failure on the way (disk full, an object-storage error, the process killed)
leaves the evidence readable, and a second run finishes the work."""

import errno
import os

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PHOTO = b"isi berkas bukti yang tidak boleh hilang " * 200


@pytest.fixture
def evidence(settings):
    from amanah.core import files

    stored = files.store(
        files.CleanFile(filename="bukti.txt", content_type="text/plain", data=PHOTO), encrypt=True
    )
    old = list(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]
    return stored, old


def _objects(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(
        os.path.relpath(os.path.join(d, f), root) for d, _dirs, fs in os.walk(root) for f in fs
    )


def _read(stored):
    from amanah.core import files
    from amanah.core.models import StoredFile

    return files.read(StoredFile.objects.get(pk=stored.pk))


def test_a_full_disk_while_writing_the_new_copy_loses_nothing(
    evidence, settings, monkeypatch, django_capture_on_commit_callbacks
):
    stored, _old = evidence
    real_save = FileSystemStorage._save
    calls = {"n": 0}

    def full_disk_once(self, name, content):
        calls["n"] += 1
        if calls["n"] == 1:
            with open(self.path(name), "wb") as fh:  # half written, then the disk is full
                fh.write(content.read()[:100])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk_once)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(OSError):
            call_command("keys_rotate", verbosity=0)
    assert _read(stored) == PHOTO
    assert _objects(settings) == [stored.file.name]  # the half-written copy is gone too

    # Run again: it finishes, under the new key alone, with one object left.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("keys_rotate", verbosity=0)
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]
    assert _read(stored) == PHOTO
    assert len(_objects(settings)) == 1


def test_an_old_copy_left_behind_by_an_interrupted_run_is_deleted_by_the_next(
    evidence, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Killed between pointing the row at the new copy and deleting the old one: the next run finds the
    file already under the new key and deletes the old copy."""
    from amanah.core.models import StoredFile

    stored, old = evidence

    def killed(self, name):
        raise OSError(errno.EIO, "killed")

    with monkeypatch.context() as m:
        m.setattr(FileSystemStorage, "delete", killed)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("keys_rotate", verbosity=0)
    assert len(_objects(settings)) == 2
    assert _read(stored) == PHOTO
    with django_capture_on_commit_callbacks(execute=True):
        call_command("keys_rotate", verbosity=0)
    assert _objects(settings) == [StoredFile.objects.get(pk=stored.pk).file.name]
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]
    assert _read(stored) == PHOTO
    settings.ENCRYPTION_KEYS = old  # the old key alone reads nothing that is left
    with pytest.raises(InvalidToken):
        _read(stored)


def test_a_storage_that_refuses_every_write_keeps_the_original(evidence, monkeypatch):
    """The reviewer's case: every save fails (an object store answering 5xx)."""
    stored, _old = evidence

    def refuse(self, name, content, max_length=None):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    with pytest.raises(OSError):
        call_command("keys_rotate", verbosity=0)
    assert _read(stored) == PHOTO
