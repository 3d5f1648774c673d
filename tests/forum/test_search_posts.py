"""The forum search also reads the published replies and official answers ("Jawaban resmi"): a topic matches
when its title and question match or when one of its published posts does, never through a held or hidden
post; matches in the title or the question come first, then those through an official answer, then through a
citizen's reply. On PostgreSQL the posts are found through migration 0004's partial GIN index, in one
statement; on SQLite by substrings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amanah.forum import selectors, services
from tests.core.openapi_check import answer

from . import search_index

pytestmark = pytest.mark.django_db

TOPICS = "/api/v1/forum/topics"
WORDS = ["antrean", "online"]


def _ids(qs):
    return [t.pk for t in qs]


def _reply(moderator, topic, body, status="published"):
    post = services.submit_reply(topic, body=body)
    if status in ("published", "hidden"):
        services.moderate_post(moderator, post, "publish")
    if status == "hidden":
        services.moderate_post(moderator, post, "hide", "Memuat data pribadi.")
    return post


def test_a_topic_is_found_through_a_published_reply_or_official_answer(moderator, make_topic):
    by_reply = make_topic(title="Pendaftaran paspor", body="Bagaimana caranya?")
    _reply(moderator, by_reply, "Sekarang bisa lewat antrean online di aplikasi.")
    by_answer = make_topic(title="Jam layanan kantor", body="Buka sampai jam berapa?")
    services.answer(moderator, by_answer, body="Silakan ambil antrean online sehari sebelumnya.")
    make_topic(title="Syarat akta kelahiran", body="Apa saja dokumennya?")
    assert set(_ids(selectors.public_topics(words=WORDS))) == {by_reply.pk, by_answer.pk}


def test_held_and_hidden_posts_never_make_a_topic_match(moderator, make_topic):
    """Moderation holds: the words of a reply still waiting, of a hidden reply and of a hidden official
    answer are not searchable (the public cannot read them)."""
    held = make_topic(title="Topik satu", body="Pertanyaan pertama.")
    _reply(moderator, held, "Antrean online di sini: nomor pribadi saya 0812…", status="pending")
    hidden = make_topic(title="Topik dua", body="Pertanyaan kedua.")
    _reply(moderator, hidden, "Antrean online, hubungi NIK 3201…", status="hidden")
    hidden_answer = make_topic(title="Topik tiga", body="Pertanyaan ketiga.")
    official = services.answer(moderator, hidden_answer, body="Antrean online salah alamat.")
    services.moderate_post(moderator, official, "hide", "Jawaban keliru.")
    visible = make_topic(title="Topik empat", body="Pertanyaan keempat.")
    _reply(moderator, visible, "Antrean online berjalan baik.")
    assert _ids(selectors.public_topics(words=WORDS)) == [visible.pk]
    assert _ids(selectors.public_topics(words=["nomor", "pribadi"])) == []
    assert _ids(selectors.public_topics(words=["salah", "alamat"])) == []


def test_a_published_reply_of_a_hidden_topic_does_not_bring_it_back(moderator, make_topic):
    topic = make_topic(title="Topik lama", body="Pertanyaan.")
    _reply(moderator, topic, "Antrean online sudah dibuka.")
    services.moderate_topic(moderator, topic, "hide", "Memuat data pribadi.")
    assert _ids(selectors.public_topics(words=WORDS)) == []


def test_title_then_question_then_official_answer_then_reply(moderator, make_topic):
    """Each topic holds the words once, in a different place; created so that the newest is the least
    relevant (newest first would give the reverse order)."""
    in_title = make_topic(title="Antrean online ditutup", body="Mengapa tidak bisa mendaftar?")
    in_text = make_topic(title="Pendaftaran KTP-el", body="Apakah antrean online masih dibuka?")
    in_answer = make_topic(title="Jam layanan", body="Kantor buka jam berapa?")
    services.answer(moderator, in_answer, body="Gunakan antrean online.")
    in_reply = make_topic(title="Jadwal posyandu", body="Kapan jadwal bulan depan?")
    _reply(moderator, in_reply, "Saya pakai antrean online.")
    expected = [in_title.pk, in_text.pk, in_answer.pk, in_reply.pk]
    assert _ids(selectors.public_topics(words=WORDS)) == expected


def test_a_topic_matching_through_many_posts_is_listed_once_and_pages_are_stable(
    api, moderator, make_topic
):
    """Several matching posts do not repeat a topic, the count is the number of topics, and the pages
    of the API put together are the whole list, each topic once, in the order of relevance."""
    topics = []
    for i in range(5):
        topic = make_topic(title=f"Topik {i}", body="Pertanyaan warga.")
        for _ in range(3):
            _reply(moderator, topic, "Antrean online lagi.")
        topics.append(topic)
    services.answer(moderator, topics[0], body="Antrean online resmi.")
    services.answer(moderator, topics[3], body="Antrean online resmi.")
    full = _ids(selectors.public_topics(words=WORDS))
    assert sorted(full) == sorted(t.pk for t in topics)
    assert full[:2] == [topics[3].pk, topics[0].pk]  # official answers first, then newest
    paged = []
    for offset in range(0, 6, 2):
        body = answer(
            api.get(TOPICS, {"q": "antrean online", "limit": 2, "offset": offset}), "get", TOPICS
        )
        assert body["count"] == 5
        paged += [t["id"] for t in body["items"]]
    assert paged == full
    # The counts of the list are not multiplied by the matching posts.
    item = next(t for t in body["items"] if t["id"] == full[-1])
    assert item["replies"] == 3


def test_the_agency_page_finds_a_topic_through_its_official_answer(client, moderator, make_topic):
    topic = make_topic(title="Jam layanan", body="Kantor buka jam berapa?")
    services.answer(moderator, topic, body="Daftar dulu lewat antrean online.")
    page = client.get("/forum/kab-a/", {"cari": "antrean online"})
    assert page.status_code == 200
    assert [t.pk for t in page.context["page"]] == [topic.pk]


def test_the_search_is_one_statement(moderator, make_topic):
    for i in range(3):
        topic = make_topic(title=f"Topik {i}", body="Pertanyaan.")
        _reply(moderator, topic, "Antrean online.")
    with CaptureQueriesContext(connection) as queries:
        assert len(list(selectors.public_topics(words=WORDS))) == 3
    assert len(queries) == 1


@pytest.mark.postgres
def test_replies_are_found_by_their_stem(moderator, make_topic):
    topic = make_topic(title="KTP-el", body="Kapan jadi?")
    _reply(moderator, topic, "Sudah dicetak kemarin, pelayanan cepat.")
    assert _ids(selectors.public_topics(words=["mencetak", "layanan"])) == [topic.pk]


@pytest.mark.postgres
def test_the_search_reads_both_fulltext_indexes(org, moderator, make_topic):
    """Among thousands of published posts, a search for rare words reads the posts' partial GIN index
    (and the topics'), not every post."""
    from amanah.forum.models import Post

    first = make_topic(title="Jadwal posyandu", body="Kapan jadwal bulan depan?")
    _reply(moderator, first, "Antrean online untuk imunisasi sudah ada.")
    topics = search_index.crowd_of_topics(first)
    Post.objects.bulk_create(
        Post(topic=t, body=f"Balasan warga nomor {j}.", status="published", created_on=t.created_on)
        for t in topics
        for j in range(2)
    )
    search_index.analyze("forum_topic", "forum_post")
    qs = selectors.public_topics(words=WORDS)
    assert _ids(qs) == [first.pk]
    plan = qs.explain()
    assert "forum_post_fulltext" in plan, plan
    assert "forum_topic_fulltext" in plan, plan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_post_index_migration_builds_an_interrupted_index_again():
    search_index.assert_rebuilds_an_interrupted_index(
        "0004_post_search_index", "forum_post_fulltext"
    )
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'forum_post_fulltext'")
        definition = cur.fetchone()[0]
    assert "gin" in definition.lower() and "'published'" in definition, definition


def test_the_post_index_migration_does_nothing_on_sqlite():
    search_index.assert_no_index_on_sqlite("forum_post_fulltext")
