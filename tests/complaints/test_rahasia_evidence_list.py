"""The files of a *rahasia* complaint may name the complainant ("KTP_Budi_Santoso.jpg"). Their names,
types and sizes are listed exactly where they open (selectors.may_open_evidence): to the case's handlers.
Every other reader of the case sees only how many there are — on the staff case page, in the staff API's
detail (``evidence`` empty, ``evidence_withheld`` true), and in the timeline's attachments."""

import pytest

from amanah.complaints import services
from amanah.core.files import CleanFile

pytestmark = pytest.mark.django_db

NAME = "KTP_Budi_Santoso"
LETTER = "Surat_untuk_Budi_Santoso"
READERS = ("operator", "pengelola", "unit", "inspektorat", "pimpinan", "auditor")


def _files():
    return [
        CleanFile(f"{NAME}.txt", "text/plain", b"bukti satu"),
        CleanFile("Foto_rumah_Budi.txt", "text/plain", b"bukti dua"),
        CleanFile("kuitansi.txt", "text/plain", b"bukti tiga"),
    ]


def _seen(user, c, client, api_as):
    client.force_login(user)
    page = client.get(f"/pengaduan/staf/AMN-{c.pk}/")
    assert page.status_code == 200
    detail = api_as(user).get(f"/api/v1/staff/complaints/{c.tracking_code}")
    assert detail.status_code == 200
    return page.content.decode(), detail.json()


def test_a_rahasia_cases_file_names_are_listed_only_to_its_handlers(
    users, submit, walk, client, api_as
):
    c = submit(identity_mode="rahasia", name="Budi Santoso", evidence=_files())
    handlers = {"operator", "pengelola"}  # not yet forwarded: the front office handles it
    for role in READERS:
        html, body = _seen(users[(role, "a")], c, client, api_as)
        assert body["evidence_count"] == 3, role
        if role in handlers:
            assert NAME in html and "hanya untuk petugas yang menangani" not in html, role
            assert NAME in body["evidence"][0]["filename"] and not body["evidence_withheld"], role
        else:
            assert NAME not in html and "Foto_rumah_Budi" not in html, role
            assert "3 berkas bukti, hanya untuk petugas yang menangani" in html, role
            assert "/bukti/" not in html, role  # no link that would only be refused
            assert body["evidence"] == [] and body["evidence_withheld"], role
            assert "Budi" not in str(body["evidence"]), role


def test_a_rahasia_answers_attachments_are_counted_not_named_for_other_readers(
    users, submit, walk, client, api_as
):
    c = walk(submit(identity_mode="rahasia", name="Budi Santoso"), "diproses")
    c = services.answer(
        users[("unit", "a")],
        c,
        text="KTP-el Anda sudah dicetak.",
        attachments=[CleanFile(f"{LETTER}.txt", "text/plain", b"surat")],
    )
    for role in ("unit", "pimpinan"):
        html, body = _seen(users[(role, "a")], c, client, api_as)
        (step,) = [e for e in body["events"] if e["kind"] == "jawaban"]
        if role == "unit":  # the handling unit, once the case is forwarded
            assert LETTER in html and step["attachments"][0]["filename"].startswith(LETTER)
        else:
            assert LETTER not in html and step["attachments"] == [], role
            assert "1 berkas lampiran, hanya untuk petugas yang menangani" in html
            assert body["evidence_count"] == 1 and body["evidence_withheld"]


def test_a_named_cases_files_are_listed_to_every_reader(users, submit, client, api_as):
    c = submit(identity_mode="biasa", name="Budi Santoso", evidence=_files())
    for role in READERS:
        html, body = _seen(users[(role, "a")], c, client, api_as)
        assert NAME in html, role
        assert len(body["evidence"]) == 3 and not body["evidence_withheld"], role
        assert body["evidence_count"] == 3, role
