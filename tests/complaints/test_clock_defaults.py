"""A row's time is read from the clock when the row is made: the demo plays its cases' history on a clock
of its own (and tests set one), so evidence filed "three weeks ago" is stored as filed then, not when the
loader ran."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.complaints import services

from .conftest import WIB, jpeg_with_gps

pytestmark = pytest.mark.django_db


def _photo(name):
    return SimpleUploadedFile(name, jpeg_with_gps(), "image/jpeg")


def test_evidence_and_its_file_carry_the_clocks_time(org, submit, clock):
    then = clock.set(dt.datetime(2026, 3, 2, 9, 30, tzinfo=WIB))
    c = submit(evidence=services.clean_files([_photo("foto.jpg")]))
    ev = c.evidence.select_related("file").get()
    assert c.received_at == then
    assert ev.created_at == then and ev.file.created_at == then
    assert ev.file.file.name.startswith("files/2026/03/")
    later = clock.set(dt.datetime(2026, 3, 4, 14, 0, tzinfo=WIB))
    services.reply(c, text="Foto tambahan.", evidence=services.clean_files([_photo("b.jpg")]))
    added = c.evidence.exclude(pk=ev.pk).select_related("file").get()
    assert added.created_at == later and added.file.created_at == later
