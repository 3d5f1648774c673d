"""Labels from the rule tables in the reader's language: the BerAKHLAK values on the SKP page and
the predicate and sanction labels of the API, as the pages show them."""

from tests.i18n import client_in

from . import helpers

P = "/api/v1/personnel"


def test_skp_page_in_english_lists_berakhlak_in_english(people, org):
    s = helpers.skp(org["a"]["staff"])
    client = client_in("en")
    client.force_login(people["hr"])
    page = client.get(f"/kepegawaian/skp/{s.pk}/").content.decode()
    assert "Service-oriented" in page and "Berorientasi Pelayanan" not in page


def test_api_labels_in_english(people, org, api_as):
    a = org["a"]
    s = helpers.skp(a["staff"])
    s.hasil_kerja, s.perilaku, s.predicate, s.status = "sesuai", "sesuai", "baik", "dinilai"
    s.save()
    c = helpers.case(
        a["staff"],
        status="diputus",
        proven=True,
        level="ringan",
        sanction="teguran_lisan",
        decided_on=helpers.today(),
        sanction_start=helpers.today(),
        decision_number="800/1",
    )
    api = api_as(people["hr"])
    api.client = client_in("en")
    assert api.get(f"{P}/skp/{s.pk}").json()["predicate_label"] == "Good"
    assert api.get(f"{P}/discipline/cases/{c.number}").json()["sanction_label"] == "Oral reprimand"
    api.client = client_in("id")
    assert api.get(f"{P}/skp/{s.pk}").json()["predicate_label"] == "Baik"
