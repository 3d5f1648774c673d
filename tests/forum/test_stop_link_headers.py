"""The unsubscribe page of the mails to a forum asker carries its secret in its address (a signed token
that erases their e-mail): as the whistleblower's stop page, it lets no request made from it (its
stylesheet, its link back to the forum) name that address in a Referer, and no cache keeps it."""

import pytest
from django.test import Client

from amanah.forum import services

pytestmark = pytest.mark.django_db

# Policies under which no Referer carries a path.
PATHLESS = ("no-referrer", "strict-origin", "origin")


@pytest.fixture
def stop_path(org):
    topic = services.submit_topic(
        agency=org["a"]["agency"],
        title="Syarat membuat KTP-el",
        body="Apa saja syarat membuat KTP-el untuk pertama kali?",
        email="warga.penanya@example.id",
    )
    return f"/forum/kabar/berhenti/{services.contact_stop_token(topic)}/"


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_unsubscribe_page_names_no_path_in_referer_and_is_not_stored(stop_path, method):
    r = getattr(Client(), method)(stop_path)
    assert r.status_code == 200
    assert r["Referrer-Policy"] in PATHLESS
    assert "no-store" in r["Cache-Control"]


def test_an_unknown_token_is_answered_alike():
    r = Client().get("/forum/kabar/berhenti/tidak-ada/")
    assert r.status_code == 404
    assert r["Referrer-Policy"] in PATHLESS
    assert "no-store" in r.get("Cache-Control", "")


def test_the_forum_itself_keeps_same_origin(org):
    r = Client().get("/forum/")
    assert r["Referrer-Policy"] == "same-origin"
