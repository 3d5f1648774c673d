"""``amanah keys rotate`` runs while the platform is in use: an encrypted value edited while the rotation
is under way keeps the edit (the rotation does not write back a value it read before it)."""

import threading

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_value_edited_during_the_rotation_keeps_the_edit(settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections: PostgreSQL")
    from amanah.core import crypto
    from amanah.core.models import HeldMail

    rows = [HeldMail.objects.create(release_on="2026-12-08", message=f"isi {i}") for i in range(3)]
    target = rows[1]
    old = list(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]

    edited = threading.Event()
    threads = []

    def edit():
        """Another request, on its own connection, edits the value and commits."""
        from django.db import connection as own

        try:
            HeldMail.objects.filter(pk=target.pk).update(message="isi yang diperbaiki")
        finally:
            own.close()
            edited.set()

    real = crypto.EncryptedTextField.from_db_value

    def reading(self, value, expression, conn):
        plain = real(self, value, expression, conn)
        if plain == "isi 1" and not threads:
            # The rotation has just read the value: the edit comes now. If the row is locked until the
            # rotation writes it, the edit waits for that; otherwise it lands before the write.
            threads.append(threading.Thread(target=edit))
            threads[0].start()
            edited.wait(timeout=3)
        return plain

    monkeypatch.setattr(crypto.EncryptedTextField, "from_db_value", reading)
    call_command("keys_rotate", verbosity=0)
    threads[0].join(timeout=30)
    monkeypatch.undo()
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]  # the old key is gone
    assert HeldMail.objects.get(pk=target.pk).message == "isi yang diperbaiki"
    assert sorted(HeldMail.objects.values_list("message", flat=True)) == [
        "isi 0",
        "isi 2",
        "isi yang diperbaiki",
    ]
