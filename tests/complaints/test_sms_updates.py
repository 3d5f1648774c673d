"""Complainants who gave a mobile number hear of the steps that matter by short message (through a real HTTP
gateway on 127.0.0.1): the code and the link when the complaint is received, and when they must act or the case
ends; not of every internal move. An *anonim* complaint collected no number; a fixed line takes none."""

import pytest

from amanah.complaints import services
from amanah.complaints.models import Complaint

pytestmark = pytest.mark.django_db

MOBILE = "+6281234567890"


@pytest.fixture
def gateway(settings, sms_gateway):
    settings.SITE_URL = "https://amanah.example.go.id"
    return sms_gateway


def _texts(gateway, to=MOBILE):
    return [r["body"]["text"] for r in gateway.requests if r["body"]["to"] == to]


def test_the_complainant_hears_by_sms_of_receipt_and_answer_but_not_internal_moves(
    gateway, submit, walk, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(phone="0812-3456-7890", email="")
    (received,) = _texts(gateway)
    assert c.tracking_code in received and "Pemerintah Kabupaten A" in received
    assert received.endswith(f"\nhttps://amanah.example.go.id/pengaduan/lacak/{c.tracking_code}/")
    assert "diterima" in received
    with django_capture_on_commit_callbacks(execute=True):
        walk(c, "diproses")  # forwarded to the unit, taken up: by e-mail only
    assert len(_texts(gateway)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(
            users[("unit", "a")], Complaint.objects.get(pk=c.pk), text="KTP-el Anda sudah dicetak."
        )
    texts = _texts(gateway)
    assert len(texts) == 2 and "dijawab" in texts[1] and c.tracking_code in texts[1]
    # The answer itself is not in the message: it is read behind the code.
    assert "KTP-el Anda sudah dicetak" not in texts[1]
    assert all(len(t) <= 306 for t in texts)


def test_completion_requests_and_closing_reach_the_phone(
    gateway, submit, walk, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(phone="081234567890")
        walk(c, "menunggu_kelengkapan")
    assert any("dilengkapi" in t for t in _texts(gateway, "+6281234567890"))
    with django_capture_on_commit_callbacks(execute=True):
        d = walk(submit(title="Antrean", phone="081234567890"), "selesai")
    assert any("selesai" in t and d.tracking_code in t for t in _texts(gateway, "+6281234567890"))


def test_a_transferred_case_sends_the_new_code(
    gateway, submit, users, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(phone="081234567890")
        services.transfer(users[("pengelola", "a")], c, agency=org["b"]["agency"])
    new = Complaint.objects.get(transferred_from=c)
    last = _texts(gateway, "+6281234567890")[-1]
    assert new.tracking_code in last and "Pemerintah Kabupaten B" in last
    assert last.endswith(f"/pengaduan/lacak/{new.tracking_code}/")


def test_anonim_and_fixed_lines_get_no_message(gateway, submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(identity_mode="anonim", name="", phone="081234567890")
        submit(title="Telepon rumah", phone="0274 123456")
    assert gateway.requests == []


def test_a_walk_in_complainant_without_email_gets_the_code_on_their_phone(
    gateway, org, users, django_capture_on_commit_callbacks
):
    """The person at the counter who has no e-mail leaves with the code on their phone."""
    from tests.complaints.conftest import BASE

    data = dict(BASE, service=org["a"]["service"], agency=None, email="", phone="0857 1234 5678")
    with django_capture_on_commit_callbacks(execute=True):
        c = services.submit(users[("operator", "a")], data, [], channel="datang_langsung")
    (text,) = _texts(gateway, "+6285712345678")
    assert c.tracking_code in text


def test_without_a_gateway_nothing_is_sent_and_the_complaint_is_filed(
    settings, submit, django_capture_on_commit_callbacks
):
    settings.SMS_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(phone="081234567890")
    assert c.pk and c.status == "diterima"


def test_a_long_agency_name_never_costs_the_code(
    gateway, org, submit, django_capture_on_commit_callbacks
):
    from amanah.core import sms

    agency = org["a"]["agency"]
    agency.name = "Dinas Kependudukan dan Pencatatan Sipil " * 5
    agency.save()
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(phone="081234567890")
    (text,) = _texts(gateway)
    assert f"Kode lacak {c.tracking_code}." in text and text.endswith(f"/{c.tracking_code}/")
    assert sms.fits(text, 2)
    # With a short name set, the message names the agency by it.
    agency.short_name = "Disdukcapil A"
    agency.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(title="Lagi", phone="081234567890")
    assert _texts(gateway)[-1].startswith("Disdukcapil A: Pengaduan Anda diterima.")
