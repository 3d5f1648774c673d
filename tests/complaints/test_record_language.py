"""A case's record is written in the site language whatever language the person acting reads, and shown
in the reader's: one case's timeline must not switch language from step to step."""

import pytest
from django.utils import translation

from amanah.complaints import services
from amanah.complaints.models import Complaint
from amanah.core import records
from tests.i18n import client_in

from .conftest import BASE

pytestmark = pytest.mark.django_db


def _english():
    return client_in("en")


def test_a_complaint_filed_in_english_is_recorded_in_indonesian_and_shown_in_each_readers_language(
    org, users, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = _english().post("/pengaduan/", dict(BASE, service="kab-a-ktp", agency=""))
    assert r.status_code == 302
    c = Complaint.objects.get()
    step = c.events.get()
    assert step.text == "Pengaduan diterima melalui Situs web."  # the record, in the site language
    english = _english().get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    assert "Complaint received through Website." in english
    indonesian = client_in("id").get(f"/pengaduan/lacak/{c.tracking_code}/").content.decode()
    assert "Pengaduan diterima melalui Situs web." in indonesian
    assert "Complaint received" not in indonesian
    api = _english().get(f"/api/v1/complaints/{c.tracking_code}").json()
    assert api["timeline"][0]["text"] == "Complaint received through Website."
    (mail,) = smtp.to("siti@example.id")  # the complainant's mails are in Indonesian
    assert "Pengaduan Anda diterima" in mail["subject"] and "Terima kasih" in mail["body"]

    with translation.override("en"):  # a staff member reading English rejects it, with a note
        services.reject(users[("operator", "a")], c, reason="lainnya", note="Bukan pengaduan.")
    c.refresh_from_db()
    step = c.events.order_by("-pk").first()
    assert step.text == "Ditolak: Lainnya. Bukan pengaduan."
    with translation.override("en"):
        assert step.shown_text == "Rejected: Other. Bukan pengaduan."  # typed text stays as typed
    with translation.override("id"):
        assert step.shown_text == step.text


def test_a_refusal_inside_a_service_is_shown_in_the_readers_language(org, submit, users):
    c = submit()
    with translation.override("en"):
        with pytest.raises(services.ComplaintError) as caught:
            services.reject(users[("operator", "a")], c, reason="duplikat", duplicate_of=None)
        assert caught.value.text != caught.value._text  # translated when read
        assert "duplicate" in caught.value.text.lower()
    with translation.override("id"):
        assert caught.value.text == "Sebutkan kode pengaduan asli untuk duplikat."


def test_recorded_text_helpers():
    with translation.override("id"):
        text = records.joined(
            records.said("Diteruskan ke %(unit)s.", {"unit": "Bidang Dafduk"}), "", "Catatan."
        )
    assert text == "Diteruskan ke Bidang Dafduk. Catatan."
    with translation.override("en"):
        assert records.shown(text, records.parts_of(text)) == "Forwarded to Bidang Dafduk. Catatan."
        assert records.shown("Diketik sendiri.", None) == "Diketik sendiri."
        # parameters that no longer fit the message: the record as it was written
        broken = [{"id": "Diteruskan ke %(unit)s.", "params": {"satuan": "X"}}]
        assert records.shown("Diteruskan ke X.", broken) == "Diteruskan ke X."


def test_moving_a_case_under_english_writes_and_mails_in_the_site_language(
    org, users, submit, walk, monkeypatch
):
    """Every step that writes the record runs in the site language (a manager reading English moves a
    case: the complainant's mail and the timeline are Indonesian)."""
    from amanah.core import notify

    c = walk(submit(), "diteruskan")
    sent = []
    monkeypatch.setattr(notify, "email", lambda to, subject, body: sent.append(str(subject)))
    with translation.override("en"):
        services.reassign_unit(users[("pengelola", "a")], c, unit=org["a"]["dinas"])
    assert "Pengaduan Anda dialihkan ke unit lain" in sent, sent
    assert c.events.order_by("-id").first().text.startswith("Diteruskan ke")
