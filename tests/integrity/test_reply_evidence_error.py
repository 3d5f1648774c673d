"""The reporter's reply page shows a refused evidence file at the file input, as the report form
does: the error summary leads to #id_reply_evidence, the input is described by the reason (which
names the file, "Berkas N: ..."), the typed message stays, and the page says to choose the files
again. An empty reply is still refused at the message box."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amanah.integrity.models import Message
from tests.error_summary import checked_summary

pytestmark = pytest.mark.django_db


def _reporter(report):
    c = Client(raise_request_exception=False)
    assert c.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
    return c


def _bad_file():
    return SimpleUploadedFile(
        "kuitansi.exe", b"MZ\x90\x00not a picture", content_type="application/octet-stream"
    )


def test_a_refused_reply_file_is_reported_at_the_file_input(make_case):
    report = make_case()
    before = Message.objects.count()
    typed = "Ini foto kuitansi pungutan di loket 3"
    ok = SimpleUploadedFile("catatan.txt", b"catatan kejadian", content_type="text/plain")
    r = _reporter(report).post(
        "/integritas/kasus-saya/balas/", {"body": typed, "evidence": [ok, _bad_file()]}
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == ["id_reply_evidence"]
    assert typed in page
    assert 'id="id_reply_evidence_error">Berkas 2: ' in page
    assert 'aria-describedby="id_reply_evidence_error"' in page
    assert "Berkas bukti perlu dipilih ulang sebelum mengirim lagi." in page
    assert 'aria-describedby="id_body_error"' not in page  # the message box has no error
    assert Message.objects.count() == before


def test_an_empty_reply_is_refused_at_the_message_box(make_case):
    r = _reporter(make_case()).post("/integritas/kasus-saya/balas/", {"body": ""})
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == ["id_body"]
