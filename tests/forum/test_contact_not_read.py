"""The asker's e-mail address is shown to nobody, so the public and moderation lists do not read it: it
is left out of their queries (a deferred column), and so never decrypted for a page or an API answer."""

import pytest

from amanah.forum import selectors, services

pytestmark = pytest.mark.django_db

ASKER = "warga.penanya@example.id"


def test_public_reads_leave_the_address_out(org, make_topic):
    topic = make_topic(email=ASKER)
    listed = list(selectors.public_topics(agency=org["a"]["agency"]))
    assert [t.pk for t in listed] == [topic.pk]
    assert "contact_email" in listed[0].get_deferred_fields()
    searched = list(selectors.public_topics(words=selectors.search_words("KTP-el")))
    assert searched and "contact_email" in searched[0].get_deferred_fields()
    one = selectors.public_topic(topic.pk)
    assert "contact_email" in one.get_deferred_fields()
    # Services still find the address when they need it (read again from the row).
    assert one.contact_email == ASKER


def test_the_moderation_queue_leaves_the_address_out(org, make_topic, moderator):
    held = make_topic(status="pending", email=ASKER)
    published = make_topic(email=ASKER)
    services.submit_reply(published, body="Apakah bisa diurus di kecamatan?")
    topics, posts = selectors.queue(moderator)
    topics, posts = list(topics), list(posts)
    assert [t.pk for t in topics] == [held.pk]
    assert "contact_email" in topics[0].get_deferred_fields()
    assert posts and "contact_email" in posts[0].topic.get_deferred_fields()
