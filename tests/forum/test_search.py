"""The forum search: on PostgreSQL a full-text search of titles and texts read by the Indonesian stemmer,
served by migration 0002's GIN index; on SQLite a substring match. On both, every word must appear and the
most relevant topics come first (a word in the title counts more than one in the text), then the newest."""

import pytest

from amanah.forum import selectors
from tests.core.openapi_check import answer

from . import search_index

pytestmark = pytest.mark.django_db

TOPICS = "/api/v1/forum/topics"


def _ids(qs):
    return [t.pk for t in qs]


def test_a_match_in_the_title_comes_before_a_newer_match_in_the_text(make_topic):
    in_title = make_topic(title="Antrean loket KTP-el", body="Berapa lama biasanya menunggu?")
    in_text = make_topic(title="Jam buka kantor", body="Apakah antrean loket dibuka hari Sabtu?")
    other = make_topic(title="Syarat akta kelahiran", body="Apa saja dokumennya?")
    found = selectors.public_topics(words=["antrean", "loket"])
    assert _ids(found) == [in_title.pk, in_text.pk]
    # Without words the list stays newest first.
    assert _ids(selectors.public_topics()) == [other.pk, in_text.pk, in_title.pk]


def test_equally_relevant_topics_are_newest_first(make_topic):
    older = make_topic(title="Pajak kendaraan", body="Di mana membayar?")
    newer = make_topic(title="Pajak kendaraan mati", body="Ada dendanya?")
    assert _ids(selectors.public_topics(words=["pajak"])) == [newer.pk, older.pk]


def test_every_word_must_appear(make_topic):
    both = make_topic(title="Antrean loket", body="Lama sekali.")
    make_topic(title="Antrean panjang", body="Di kantor kecamatan.")
    assert _ids(selectors.public_topics(words=["antrean", "loket"])) == [both.pk]
    assert _ids(selectors.public_topics(words=["antrean", "paspor"])) == []


def test_the_api_list_is_in_the_order_of_relevance(api, make_topic):
    in_title = make_topic(title="Antrean loket", body="Berapa lama?")
    in_text = make_topic(title="Jam buka", body="Antrean loket sampai jam berapa?")
    body = answer(api.get(TOPICS, {"q": "antrean loket"}), "get", TOPICS)
    assert [t["id"] for t in body["items"]] == [in_title.pk, in_text.pk]
    assert body["count"] == 2


def test_the_agency_page_is_in_the_order_of_relevance(client, org, make_topic):
    in_title = make_topic(title="Antrean loket", body="Berapa lama?")
    in_text = make_topic(title="Jam buka", body="Antrean loket sampai jam berapa?")
    page = client.get("/forum/kab-a/", {"cari": "antrean loket"})
    assert page.status_code == 200
    ids = [t.pk for t in page.context["page"]]
    assert ids == [in_title.pk, in_text.pk]


@pytest.mark.postgres
def test_words_are_found_by_their_stem_and_phrases_and_exclusions_are_understood(make_topic):
    printed = make_topic(title="KTP-el belum dicetak", body="Sudah tiga bulan menunggu pelayanan.")
    birth = make_topic(title="Akta kelahiran", body="Pelayanan akta di kecamatan?")
    # "layanan" and "pelayanan" share the stem "layan"; "cetak" is the stem of "dicetak".
    assert set(_ids(selectors.public_topics(words=["layanan"]))) == {printed.pk, birth.pk}
    assert _ids(selectors.public_topics(words=["mencetak"])) == [printed.pk]
    assert _ids(selectors.public_topics(words=['"akta', 'kelahiran"'])) == [birth.pk]
    assert _ids(selectors.public_topics(words=["pelayanan", "-akta"])) == [printed.pk]


@pytest.mark.postgres
def test_the_search_uses_the_fulltext_index(org, make_topic):
    """Among many published topics, a search for rare words reads the GIN index (the indexed and the queried
    expressions are the same), not every public topic of the status index."""
    first = make_topic(title="Antrean loket nomor satu", body="Petugas melayani tidak urut.")
    search_index.crowd_of_topics(first)
    search_index.analyze("forum_topic")
    qs = selectors.public_topics(words=["antrean", "loket"])
    assert _ids(qs) == [first.pk]
    plan = qs.explain()
    assert "forum_topic_fulltext" in plan, plan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_index_migration_builds_an_interrupted_index_again():
    search_index.assert_rebuilds_an_interrupted_index(
        "0002_topic_search_index", "forum_topic_fulltext"
    )


def test_the_index_migration_does_nothing_on_sqlite():
    search_index.assert_no_index_on_sqlite("forum_topic_fulltext")
