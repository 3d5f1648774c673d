"""Two loose ends of the asker's news by e-mail, through a real SMTP server (aiosmtpd): the unsubscribe link
of a mail opens its page — the button, its answer and a link already used — in the mail's language whatever
the browser's language cookie says; and forum_sweep counts FORUM_CONTACT_DAYS from each agency's own date
(WIB, WITA, WIT), the date the question was asked on, not from the server's."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from amanah.core.models import Agency
from amanah.forum import services
from amanah.forum.models import Topic

pytestmark = pytest.mark.django_db

ASKER = "warga.penanya@example.id"
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def _stop_path(mail) -> str:
    link = re.search(r"https?://\S+/forum/kabar/berhenti/\S+/", mail["body"]).group(0)
    return link[link.index("/forum/") :]


def _client(language: str | None) -> Client:
    client = Client()
    if language:
        client.cookies["amanah_lang"] = language
    return client


def _published(org, moderator, capture, language: str, **fields) -> Topic:
    fields.setdefault("title", "Jam buka loket")
    fields.setdefault("body", "Loket buka jam berapa?")
    topic = services.submit_topic(
        agency=org["a"]["agency"], email=ASKER, language=language, **fields
    )
    with capture(execute=True):
        services.moderate_topic(moderator, topic, "publish")
    return topic


@pytest.mark.parametrize("cookie", [None, "id"])
def test_the_english_mails_link_opens_an_english_page_and_confirmation(
    smtp, org, moderator, django_capture_on_commit_callbacks, cookie
):
    topic = _published(org, moderator, django_capture_on_commit_callbacks, "en")
    (mail,) = smtp.to(ASKER)
    assert mail["subject"] == "Your question is published in the forum"
    path = _stop_path(mail)
    client = _client(cookie)  # no language chosen on this browser, or Indonesian chosen
    opened = client.get(path)
    html = opened.content.decode()
    assert opened.status_code == 200 and opened["Content-Language"] == "en"
    assert '<html lang="en"' in html
    assert "Erase my address" in html and "Hapus alamat saya" not in html
    assert Topic.objects.get(pk=topic.pk).contact_email == ASKER  # opening erases nothing
    done = client.post(path)
    html = done.content.decode()
    assert done.status_code == 200 and '<html lang="en"' in html
    assert "Your e-mail address is erased" in html and "sudah dihapus" not in html
    assert Topic.objects.get(pk=topic.pk).contact_email == ""
    again = client.get(path)  # the link once more: no longer valid, still in English
    assert again.status_code == 404
    assert "This link is no longer valid" in again.content.decode()
    assert client.get(path[: -len("en/")] + "fr/").status_code == 404


def _bare_path(topic) -> str:
    return f"/forum/kabar/berhenti/{services.contact_stop_token(topic)}/"


def test_the_indonesian_mails_link_opens_an_indonesian_page_on_an_english_browser(
    smtp, org, moderator, django_capture_on_commit_callbacks
):
    _published(org, moderator, django_capture_on_commit_callbacks, "id")
    (mail,) = smtp.to(ASKER)
    assert mail["subject"] == "Pertanyaan Anda terbit di forum"
    client = _client("en")
    opened = client.get(_stop_path(mail))
    assert '<html lang="id"' in opened.content.decode()
    assert "Hapus alamat saya" in opened.content.decode()
    done = client.post(_stop_path(mail)).content.decode()
    assert "Alamat e-mail Anda sudah dihapus" in done
    # A link without a language (a mail queued before the links named one) follows the cookie.
    later = services.submit_topic(
        agency=org["a"]["agency"], title="Judul", body="Isi.", email=ASKER, language="en"
    )
    assert "Hapus alamat saya" in _client(None).get(_bare_path(later)).content.decode()
    assert "Erase my address" in _client("en").get(_bare_path(later)).content.decode()


#: Moments around midnight (WIB clock), and whose addresses the sweep then erases: agency A is in WIT
#: (two hours ahead of WIB), B in WIB; "3" was asked on 1 February, 30 days before 3 March, "4" a day later.
MOMENTS = [
    (dt.datetime(2026, 3, 2, 21, 59, tzinfo=WIB), set()),  # 23:59 WIT: 2 March for both
    (dt.datetime(2026, 3, 2, 22, 30, tzinfo=WIB), {"a3"}),  # 00:30 WIT on 3 March, 2 March in WIB
    (dt.datetime(2026, 3, 2, 23, 59, tzinfo=WIB), {"a3"}),  # still 2 March in WIB
    (dt.datetime(2026, 3, 3, 0, 0, tzinfo=WIB), {"a3", "b3"}),  # 3 March for both
]


def test_the_sweep_counts_the_days_in_each_agencys_time_zone(
    smtp, org, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.FORUM_CONTACT_DAYS = 30
    Agency.objects.filter(pk=org["a"]["agency"].pk).update(time_zone="Asia/Jayapura")  # WIT
    org["a"]["agency"].refresh_from_db()
    asked = {}
    for key, agency in (("a", org["a"]["agency"]), ("b", org["b"]["agency"])):
        for name, day in (("3", dt.date(2026, 2, 1)), ("4", dt.date(2026, 2, 2))):
            topic = services.submit_topic(
                agency=agency, title=f"Topik {key}{name}", body="Isi.", email=ASKER
            )
            Topic.objects.filter(pk=topic.pk).update(created_on=day)  # the agency's own date
            asked[key + name] = topic
    for moment, erased in MOMENTS:
        for topic in asked.values():  # every address back before each run
            Topic.objects.filter(pk=topic.pk).update(contact_email=ASKER, contact_language="id")
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)  # the clock
        call_command("forum_sweep")
        gone = {k for k, t in asked.items() if Topic.objects.get(pk=t.pk).contact_email == ""}
        assert gone == erased, moment
    # at the last moment two were erased: they hear nothing more, the other two still do
    admin = _superuser()
    for topic in asked.values():
        with django_capture_on_commit_callbacks(execute=True):
            services.moderate_topic(admin, topic, "publish")
    assert len(smtp.to(ASKER)) == 2
    assert {m["subject"] for m in smtp.messages} == {"Pertanyaan Anda terbit di forum"}


def _superuser():
    from amanah.core.models import User

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "super@test.id", "sandi-rahasia-123"
    )
