"""The forum's lists cost the same number of SQL statements whatever the number of topics and replies they
show: the public agency list, a topic page (read by a citizen and by a moderator), the moderation queue and
the API's list and topic."""

import pytest
from django.test import Client

from amanah.forum import services
from tests.query_count import queries

pytestmark = pytest.mark.django_db


def _fill(org, make_topic, moderator, n):
    """``n`` more published topics of agency A (every other one about A's service), each with ``n``
    published citizen replies, an official answer and a held reply; returns the last topic."""
    topic = None
    for i in range(n):
        service = org["a"]["service"] if i % 2 else None
        topic = make_topic(title=f"Pertanyaan {i}", service=service)
        for j in range(n):
            post = services.submit_reply(topic, body=f"Balasan {j}", author_name=f"Warga {j}")
            services.moderate_post(moderator, post, "publish")
        services.answer(moderator, topic, body="Jawaban resmi.")
        services.submit_reply(topic, body="Masih ditahan.")
        services.submit_topic(agency=org["a"]["agency"], title=f"Ditahan {i}", body="Isi.")
    return topic


@pytest.mark.parametrize("who", ["public", "moderator"])
def test_the_pages_cost_the_same_with_more_topics_and_replies(org, make_topic, moderator, who):
    client = Client()
    if who == "moderator":
        client.force_login(moderator)
    client.get("/forum/")  # the session's first request loads what later ones find cached
    counts = []
    for n in (2, 6):
        pk = _fill(org, make_topic, moderator, n).pk
        paths = (
            "/forum/",
            "/forum/kab-a/",
            f"/forum/topik/{pk}/",
            "/api/v1/forum/topics?agency=kab-a",
        )
        paths += (f"/api/v1/forum/topics/{pk}",)
        counts.append(tuple(queries(lambda p=p: client.get(p)) for p in paths))
    assert counts[0] == counts[1], counts


def test_the_moderation_queue_costs_the_same_with_more_held_posts(org, make_topic, moderator):
    client = Client()
    client.force_login(moderator)
    client.get("/forum/staf/")
    counts = []
    for n in (2, 6):
        _fill(org, make_topic, moderator, n)
        counts.append(queries(lambda: client.get("/forum/staf/")))
    assert counts[0] == counts[1], counts
