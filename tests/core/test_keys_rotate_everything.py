"""``amanah keys rotate`` leaves nothing behind under the old key: after it, with the old key taken out of
``AMANAH_ENCRYPTION_KEYS``, every ciphertext anywhere in the database (encrypted columns, the held
whistleblowing mails, the sealed mails, short messages and lost-code requests in the task queue, whatever
comes next) and every encrypted file in the storage still reads, and a mail held back before the rotation
is delivered after it.

The data is the demo's (every app's cases in every stage) with every encrypted column filled in; a model
with an encrypted column and no row at all fails the test, so that new encrypted data gets a row here."""

import importlib
import json
import os
import re

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
#: A Fernet token in base64 always starts with its version byte and a 64-bit time: ``gAAAAA``.
TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_\-]{40,}=*")


def ciphertexts() -> dict[str, list[str]]:
    """Every Fernet token in every column of every table, by ``table.column`` (read as text)."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            quoted = connection.ops.quote_name(table)
            for col in connection.introspection.get_table_description(cur, table):
                name = connection.ops.quote_name(col.name)
                cur.execute(
                    f"SELECT CAST({name} AS TEXT) FROM {quoted} WHERE CAST({name} AS TEXT) LIKE %s",
                    ["%gAAAAA%"],
                )
                for (value,) in cur.fetchall():
                    found.setdefault(f"{table}.{col.name}", []).extend(TOKEN.findall(value))
    return found


def stored_objects(settings) -> dict[str, bytes]:
    root = settings.MEDIA_ROOT
    out = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, root)] = fh.read()
    return out


def _fill_every_encrypted_column():
    """Give every encrypted column one value at least (the demo leaves a few empty). Returns the
    ``(model, field)`` pairs."""
    from amanah.core import crypto

    pairs = list(crypto.encrypted_fields())
    for model, field in pairs:
        rows = model._base_manager.exclude(**{field.attname: ""}).exclude(
            **{f"{field.attname}__isnull": True}
        )
        if rows.exists():
            continue
        first = model._base_manager.order_by("pk").first()
        assert first is not None, (
            f"{model._meta.label} has an encrypted column ({field.name}) and no row in this test: "
            "add one, so that key rotation is tested on it"
        )
        model._base_manager.filter(pk=first.pk).update(
            **{field.attname: f"isi {model._meta.label}.{field.name}"}
        )
    return pairs


@pytest.mark.django_db(transaction=True)
def test_after_a_rotation_everything_reads_under_the_new_key_alone(settings, smtp):
    from django_tasks_db.models import DBTaskResult

    from amanah.complaints import services as complaints
    from amanah.core import crypto, demo, files, notify
    from amanah.core.models import HeldMail, StoredFile

    settings.TASKS = DB_BACKEND  # mails and messages stay sealed in the queue, as with a worker
    settings.SMS_URL = "https://sms.example.id/kirim"
    # The personnel demo needs the standard competencies a migration puts in (an earlier test's flush
    # removes them).
    from django.apps import apps

    importlib.import_module("amanah.personnel.migrations.0002_standard_competencies").forwards(
        apps, None
    )
    # Every app's demo data (fewer complaints than the demo's own: enough of every stage).
    ctx = demo.load_organisation()
    for app in demo.APPS:
        module = importlib.import_module(f"amanah.{app}.demo")
        module.load(ctx, count=40) if app == "complaints" else module.load(ctx)
    complaints.resend_codes("lupa.kode@example.id")  # a sealed lost-code request in the queue
    assert notify.sms("081234567890", "Kode pengaduan Anda", keep="AMN-1")
    pairs = _fill_every_encrypted_column()

    assert HeldMail.objects.exists(), "the demo's whistleblowing reports hold their mails back"
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {
        "amanah.core.tasks.send_sealed_email",
        "amanah.core.tasks.send_sealed_sms",
        "amanah.complaints.tasks.send_lost_codes",
    } <= queued
    plain = {
        (model._meta.label, field.name): dict(
            model._base_manager.exclude(**{field.attname: ""}).values_list("pk", field.attname)
        )
        for model, field in pairs
    }
    encrypted_files = list(StoredFile.objects.filter(encrypted=True))
    assert encrypted_files
    contents = {s.pk: files.read(s) for s in encrypted_files}
    before = ciphertexts()
    before_tokens = {t for tokens in before.values() for t in tokens}
    objects_before = stored_objects(settings)

    old = list(settings.ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new, *old]
    call_command("keys_rotate", verbosity=0)
    settings.ENCRYPTION_KEYS = [new]  # the old key is taken out

    after = ciphertexts()
    assert set(after) == set(before)  # the same places hold ciphertexts, ...
    unreadable = []
    for place, tokens in after.items():
        for token in tokens:
            assert token not in before_tokens, f"{place} still holds a ciphertext of before"
            try:
                crypto.decrypt_bytes(token.encode())
            except InvalidToken:
                unreadable.append(place)
    assert not unreadable, f"not readable under the new key: {sorted(set(unreadable))}"
    for model, field in pairs:  # ... and every encrypted column reads as before
        got = dict(
            model._base_manager.exclude(**{field.attname: ""}).values_list("pk", field.attname)
        )
        assert got == plain[(model._meta.label, field.name)], f"{model._meta.label}.{field.name}"
    for stored in StoredFile.objects.filter(encrypted=True):
        assert files.read(stored) == contents[stored.pk]
    # Every object of the storage that is a ciphertext (evidence and whatever comes next) reads under
    # the new key alone; the rest (the public SKM answers files) is as it was.
    for name, data in stored_objects(settings).items():
        if data.startswith(b"gAAAAA"):
            crypto.decrypt_bytes(data)
        else:
            assert objects_before.get(name) == data, name

    # A mail held back before the rotation goes out after it.
    held = [json.loads(h.message) for h in HeldMail.objects.all()]
    DBTaskResult.objects.all().delete()  # the demo's other mails are not what is tested here
    released = notify.release_held(max(h.release_on for h in HeldMail.objects.all()))
    assert released == len(held)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    subjects = {m["subject"] for m in held}
    smtp.wait(1)
    assert subjects & {m["subject"] for m in smtp.messages}
