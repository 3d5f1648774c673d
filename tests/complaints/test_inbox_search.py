"""The inbox search finds Indonesian words whatever affixes the complainant wrote them with, on PostgreSQL
(full-text search with the Indonesian stemmer) as on SQLite (substrings), and only in the officer's scope."""

import pytest

from amanah.complaints import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "words",
    ["cetak", "layanan", "bayar", "pungutan petugas", "CETAK"],
)
def test_a_word_is_found_in_its_affixed_forms(submit, users, words):
    wanted = submit(
        title="KTP-el belum dicetak",
        description="Pelayanan lambat; petugasnya meminta pembayaran di luar tarif (pungutan).",
    )
    submit(title="Jalan rusak", description="Lubang besar di depan pasar.")
    found = selectors.inbox(users[("pengelola", "a")], q=words)
    assert list(found) == [wanted], words


def test_the_search_stays_in_the_officers_scope(submit, users):
    submit(title="KTP-el belum dicetak")
    assert not selectors.inbox(users[("pengelola", "b")], q="cetak").exists()
