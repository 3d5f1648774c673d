"""Names of agencies and services stay Indonesian on the English forum pages: an element around each
says ``lang="id"`` there, on the public pages and the moderators' alike, and so do the options of the
service selects; the Indonesian pages leave it to ``<html lang="id">`` (WCAG 2.1 SC 3.1.2)."""

import re

import pytest

from amanah.forum import services
from tests.i18n import client_in
from tests.lang_marks import assert_marked_indonesian, assert_not_remarked

pytestmark = pytest.mark.django_db

AGENCY = "Pemerintah Kabupaten A"
SERVICE = "Penerbitan KTP-el"


def _page(language, path, user=None):
    client = client_in(language)
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (language, path)
    return response.content.decode()


def _options(page, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return re.findall(r"<option[^>]*>", select.group(1))


def _both(path, *texts, user=None):
    assert_marked_indonesian(_page("en", path, user), *texts)
    assert_not_remarked(_page("id", path, user), *texts)


def test_the_public_pages_mark_the_agency_and_its_services(make_topic, moderator, org):
    topic = make_topic(service=org["a"]["service"])
    services.answer(moderator, topic, body="Cukup membawa kartu keluarga.")
    _both("/forum/", AGENCY)
    _both("/forum/kab-a/", AGENCY, SERVICE)
    # the topic page: the crumb, the service, the official answer's signature and the answer form's help
    _both(f"/forum/topik/{topic.pk}/", AGENCY, SERVICE, user=moderator)
    _both(f"/forum/kab-a/terkirim/?topik={topic.pk}", AGENCY)


@pytest.mark.parametrize("path", ["/forum/kab-a/", "/forum/kab-a/baru/"])
def test_the_service_options_are_marked_but_not_the_empty_choice(org, path):
    name = "layanan" if path == "/forum/kab-a/" else "service"
    english = _options(_page("en", path), name)
    assert len(english) == 2, english
    assert 'lang="id"' not in english[0]  # "all services" / "— choose —": the page's own words
    assert 'lang="id"' in english[1], english
    assert not any("lang=" in o for o in _options(_page("id", path), name))


def test_the_question_form_marks_the_agency(org):
    _both("/forum/kab-a/baru/", AGENCY, SERVICE)


def test_the_moderators_pages_mark_the_agency_and_service(make_topic, moderator, org):
    published = make_topic(service=org["a"]["service"])
    held_topic = make_topic(status="pending", title="Jam buka loket", service=org["a"]["service"])
    held_post = services.submit_reply(published, body="Apakah bisa diwakilkan?")
    _both("/forum/staf/", AGENCY, SERVICE, user=moderator)
    _both(f"/forum/staf/topik/{held_topic.pk}/", AGENCY, SERVICE, user=moderator)
    _both(f"/forum/staf/balasan/{held_post.pk}/", AGENCY, user=moderator)
