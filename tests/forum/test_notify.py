"""News for the asker by e-mail, through a real SMTP server (aiosmtpd): an optional address left with a
question is told when it is published, hidden (with the reason) and answered officially, in the language of
the page it was asked on; it is stored sealed, never shown to staff or in the API, and erased on lock, by the
unsubscribe link of each mail, or by forum_sweep after FORUM_CONTACT_DAYS."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from amanah.core.models import AuditEntry
from amanah.forum import services
from amanah.forum.models import Topic
from tests.core.openapi_check import answer

pytestmark = pytest.mark.django_db

ASKER = "warga.penanya@example.id"


def _admin():
    from amanah.core.models import User

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "super@test.id", "sandi-rahasia-123"
    )


def _ask(org, **fields):
    fields.setdefault("title", "Syarat membuat KTP-el")
    fields.setdefault("body", "Apa saja syarat membuat KTP-el untuk pertama kali?")
    return services.submit_topic(agency=org["a"]["agency"], email=ASKER, **fields)


def _stop_link(mail) -> str:
    return re.search(r"https?://\S+/forum/kabar/berhenti/[^/\s]+/", mail["body"]).group(0)


def test_the_asker_hears_of_publishing_hiding_and_the_official_answer(
    smtp, org, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = _ask(org)
    assert smtp.messages == []  # nothing on sending: the page says what happens next
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_topic(moderator, topic, "publish")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(moderator, topic, body="Bawa KK dan akta kelahiran.")
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_topic(moderator, topic, "hide", "Judulnya memuat nomor HP penanya.")
    published, answered, hidden = smtp.to(ASKER)
    assert published["subject"] == "Pertanyaan Anda terbit di forum"
    assert "Syarat membuat KTP-el" in published["body"]
    assert f"/forum/topik/{topic.pk}/" in published["body"]
    assert answered["subject"] == "Pertanyaan Anda dijawab resmi"
    assert f"/forum/topik/{topic.pk}/" in answered["body"]
    assert hidden["subject"] == "Pertanyaan Anda tidak ditampilkan di forum"
    assert "Alasannya: Judulnya memuat nomor HP penanya." in hidden["body"]
    assert "/pengaduan/" in hidden["body"]
    for mail in (published, answered, hidden):
        assert mail["to"] == [ASKER]
        assert "Tidak ingin menerima kabar lagi?" in mail["body"]
        assert _stop_link(mail)


def test_a_question_asked_in_english_is_told_in_english(
    smtp, client, org, moderator, settings, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(
        "/forum/kab-a/baru/",
        {"title": "Jam buka loket", "body": "Loket buka jam berapa?", "email": ASKER},
    )
    assert page.status_code == 302 and "kabar=1" in page["Location"]
    topic = Topic.objects.get(title="Jam buka loket")
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_topic(moderator, topic, "publish")
    (mail,) = smtp.to(ASKER)
    assert mail["subject"] == "Your question is published in the forum"
    assert "Jam buka loket" in mail["body"] and "Pertanyaan" not in mail["body"]


def test_no_address_no_mail(smtp, org, moderator, make_topic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(status="pending")
        services.moderate_topic(moderator, topic, "publish")
        services.answer(moderator, topic, body="Jawaban.")
    assert smtp.messages == []


def test_the_address_is_sealed_and_shown_to_nobody(api, api_as, client, org, moderator):
    topic = _ask(org, title="Antrean loket")
    with connection.cursor() as cur:
        cur.execute("SELECT contact_email FROM forum_topic WHERE id = %s", [topic.pk])
        (stored,) = cur.fetchone()
    assert stored.startswith("enc1:") and ASKER not in stored
    assert Topic.objects.get(pk=topic.pk).contact_email == ASKER
    client.force_login(moderator)
    staff = api_as(moderator)
    seen = [
        client.get("/forum/staf/"),
        client.get(f"/forum/staf/topik/{topic.pk}/"),
        staff.get("/api/v1/forum/staff/queue"),
    ]
    services.moderate_topic(moderator, topic, "publish")
    seen += [
        client.get(f"/forum/topik/{topic.pk}/"),
        api.get(f"/api/v1/forum/topics/{topic.pk}"),
        api.get("/api/v1/forum/topics", {"q": "antrean"}),
    ]
    for response in seen:
        assert response.status_code == 200
        assert ASKER not in response.content.decode()
        assert "warga.penanya" not in response.content.decode()
    entries = AuditEntry.objects.filter(object_id=str(topic.pk))
    assert entries.filter(action="forum.topic_submitted", details__news_by_email=True).exists()
    assert all("penanya@" not in str(e.details) for e in AuditEntry.objects.all())


def test_the_api_takes_an_address_and_refuses_a_bad_one(api, org):
    path = "/api/v1/forum/topics"
    body = {"agency": "kab-a", "title": "Judul", "body": "Isi pertanyaan.", "email": "bukan-alamat"}
    refused = api.post(path, body)
    assert refused.status_code == 422
    assert set(refused.json()["fields"]) == {"email"}
    taken = answer(api.post(path, {**body, "email": ASKER}), "post", path, 201)
    assert Topic.objects.get(pk=taken["id"]).contact_email == ASKER
    assert ASKER not in str(taken)


def test_a_bad_address_on_the_page_keeps_what_was_typed(client, org):
    page = client.post(
        "/forum/kab-a/baru/",
        {"title": "Judul saya", "body": "Isi pertanyaan saya.", "email": "nama@"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Tulis alamat e-mail yang lengkap" in html
    assert "Judul saya" in html and "Isi pertanyaan saya." in html and 'value="nama@"' in html
    assert not Topic.objects.exists()


def test_the_unsubscribe_link_erases_the_address(
    smtp, client, org, moderator, django_capture_on_commit_callbacks
):
    topic = _ask(org)
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_topic(moderator, topic, "publish")
    link = _stop_link(smtp.to(ASKER)[0])
    path = link[link.index("/forum/") :]
    opened = client.get(path)  # a mail scanner opening the link erases nothing
    assert opened.status_code == 200 and "Hapus alamat saya" in opened.content.decode()
    assert Topic.objects.get(pk=topic.pk).contact_email == ASKER
    assert client.post(path).status_code == 200
    assert Topic.objects.get(pk=topic.pk).contact_email == ""
    entry = AuditEntry.objects.get(action="forum.contact_erased")
    assert entry.details == {"why": "unsubscribed"} and entry.actor == "public"
    assert client.post(path).status_code == 404  # nothing left to erase
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(moderator, topic, body="Jawaban resmi.")
    assert len(smtp.to(ASKER)) == 1  # no mail after unsubscribing


def test_a_forged_or_foreign_token_erases_nothing(client, org):
    from django.core import signing

    topic = _ask(org)
    for token in ("tidak-ada", signing.dumps(topic.pk, salt="another.purpose"), "x" * 300):
        assert client.get(f"/forum/kabar/berhenti/{token}/").status_code == 404
        assert client.post(f"/forum/kabar/berhenti/{token}/").status_code == 404
    assert Topic.objects.get(pk=topic.pk).contact_email == ASKER


def test_locking_the_topic_erases_the_address(org, moderator):
    topic = _ask(org)
    services.moderate_topic(moderator, topic, "publish")
    services.moderate_topic(moderator, topic, "lock")
    assert Topic.objects.get(pk=topic.pk).contact_email == ""
    entry = AuditEntry.objects.get(action="forum.topic_lock")
    assert entry.details["contact_erased"] is True and ASKER not in str(entry.details)


def test_the_sweep_erases_addresses_older_than_the_retention(org, settings, capsys):
    settings.FORUM_CONTACT_DAYS = 30
    today = timezone.localdate()  # the sweep's today
    old, young = _ask(org, title="Lama"), _ask(org, title="Baru")
    Topic.objects.filter(pk=old.pk).update(created_on=today - dt.timedelta(days=30))
    Topic.objects.filter(pk=young.pk).update(created_on=today - dt.timedelta(days=29))
    call_command("forum_sweep")
    assert "1 askers' e-mail addresses erased" in capsys.readouterr().out
    assert Topic.objects.get(pk=old.pk).contact_email == ""
    assert Topic.objects.get(pk=young.pk).contact_email == ASKER
    entry = AuditEntry.objects.get(action="forum.contact_erased")
    assert entry.details == {"why": "retention", "days": 30} and entry.object_id == str(old.pk)
    assert services.erase_expired_contacts() == 0  # safe to run again


def test_the_sent_page_says_the_asker_will_be_told(client, org):
    told = client.get("/forum/kab-a/terkirim/", {"jenis": "topik", "kabar": "1"}).content.decode()
    untold = client.get("/forum/kab-a/terkirim/", {"jenis": "topik"}).content.decode()
    assert "lewat e-mail yang Anda tulis" in told and "tidak menyimpan kontak" not in told
    assert "tidak menyimpan kontak" in untold


def test_an_official_answer_published_again_is_news_and_a_locked_topic_tells_nothing(
    smtp, org, moderator, django_capture_on_commit_callbacks
):
    topic = _ask(org)
    services.moderate_topic(moderator, topic, "publish")
    official = services.answer(moderator, topic, body="Jawaban pertama.")
    services.moderate_post(moderator, official, "hide", "Memuat nomor berkas warga.")
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_post(moderator, official, "publish")
    assert [m["subject"] for m in smtp.to(ASKER)] == ["Pertanyaan Anda dijawab resmi"]
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_topic(moderator, topic, "lock")
        services.answer(moderator, topic, body="Jawaban terakhir sebelum ditutup.")
    assert len(smtp.to(ASKER)) == 1  # the address went with the lock


def test_the_question_form_offers_the_address_with_what_happens_to_it(client, org, settings):
    settings.FORUM_CONTACT_DAYS = 45
    html = client.get("/forum/kab-a/baru/").content.decode()
    field = re.search(r"<input[^>]*name=\"email\"[^>]*>", html).group(0)
    assert 'type="email"' in field and 'autocomplete="email"' in field and "required" not in field
    assert re.search(r'<label[^>]*for="id_email"[^>]*>E-mail untuk kabar \(tidak wajib\)', html)
    assert "disimpan terenkripsi" in html and "setelah 45 hari" in html
