"""A BerAKHLAK behaviour note of an SKP rating is kept whole or refused: over 1,000 characters it is a
422 at ``behaviour_notes.<value>`` and the SKP is not rated, never stored cut."""

from amanah.personnel.models import SkpStatus

from . import helpers

P = "/api/v1/personnel"


def _rate(client, skp, notes):
    return client.post(
        f"{P}/skp/{skp.pk}/rating",
        {"hasil_kerja": "sesuai", "perilaku": "sesuai", "behaviour_notes": notes},
    )


def test_long_behaviour_note_is_refused_at_its_key_not_cut(people, api_as, org):
    skp = helpers.skp(org["a"]["staff"])
    client = api_as(people["kabid"])
    r = _rate(client, skp, {"berorientasi_pelayanan": "x" * 1001, "akuntabel": "Tepat waktu"})
    assert r.status_code == 422, r.status_code
    fields = r.json()["fields"]
    assert "1000" in fields["behaviour_notes.berorientasi_pelayanan"]
    assert "behaviour_notes.akuntabel" not in fields
    skp.refresh_from_db()
    assert skp.status == SkpStatus.DRAFT and skp.behaviour_notes == {}


def test_a_note_of_exactly_the_limit_is_kept_whole(people, api_as, org):
    skp = helpers.skp(org["a"]["staff"])
    note = "Melayani dengan ramah. " * 43 + "x" * 11
    assert len(note) == 1000
    r = _rate(api_as(people["kabid"]), skp, {"berorientasi_pelayanan": note})
    assert r.status_code == 200, r.json()
    skp.refresh_from_db()
    assert skp.behaviour_notes == {"berorientasi_pelayanan": note}
