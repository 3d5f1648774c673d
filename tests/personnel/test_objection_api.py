"""SKP objection (keberatan) through the API: only the ASN who owns the SKP files it, once, after the
rating and before the SKP is final; then HR or the official above the rater answers it."""

from amanah.core.models import AuditEntry
from amanah.personnel import services
from amanah.personnel.models import Skp

from . import helpers

P = "/api/v1/personnel"
REASON = "Realisasi saya 99 persen, bukan 90 persen seperti tercatat."


def _rated(org, people):
    skp = helpers.skp(org["a"]["staff"])
    services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    return skp


def test_owner_objects_and_the_official_above_the_rater_decides(people, api_as, org):
    skp = _rated(org, people)
    asn = api_as(people["asn"])
    # The ASN finds their SKP through the API.
    r = asn.get(f"{P}/employees/{org['a']['staff'].nip}/skp")
    assert r.status_code == 200 and [s["id"] for s in r.json()] == [skp.pk]
    assert r.json()[0]["status"] == "dinilai" and r.json()[0]["predicate"] == "baik"

    r = asn.post(f"{P}/skp/{skp.pk}/objection", {"reason": f"  {REASON}  "})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "keberatan" and body["objection"] == REASON
    assert body["objected_at"] is not None and body["objection_response"] == ""
    skp.refresh_from_db()
    assert skp.status == "keberatan" and skp.objection == REASON
    entry = AuditEntry.objects.filter(action="personnel.skp_objected").get()
    assert entry.agency_id_ref == org["a"]["agency"].pk and entry.object_id == str(skp.pk)

    # The rater cannot answer an objection to their own rating; the official above them can.
    r = api_as(people["kabid"]).post(
        f"{P}/skp/{skp.pk}/objection-response", {"response": "Nilai tetap"}
    )
    assert r.status_code == 403
    r = api_as(people["kadis"]).post(
        f"{P}/skp/{skp.pk}/objection-response",
        {
            "response": "Diterima, hasil kerja dinaikkan",
            "hasil_kerja": "di_atas",
            "perilaku": "di_atas",
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "final" and r.json()["predicate"] == "sangat_baik"
    assert r.json()["objection_response"] == "Diterima, hasil kerja dinaikkan"
    assert asn.get(f"{P}/skp/{skp.pk}").json()["objection_response"].startswith("Diterima")


def test_only_the_owner_may_object(people, api_as, org, make_user):
    skp = _rated(org, people)
    # Those who may see the SKP but do not own it get 403 not_owner.
    for who in ("kabid", "kadis", "hr", "pimpinan"):
        r = api_as(people[who]).post(f"{P}/skp/{skp.pk}/objection", {"reason": REASON})
        assert r.status_code == 403, who
        assert r.json()["error"] == "not_owner", who
    # Those who may not see it learn nothing: 404.
    for who in ("colleague", "hr_b", "inspektorat"):
        r = api_as(people[who]).post(f"{P}/skp/{skp.pk}/objection", {"reason": REASON})
        assert r.status_code == 404 and r.json()["error"] == "not_found", who
    assert api_as(people["colleague"]).get(f"{P}/employees/{skp.employee.nip}/skp").status_code == (
        404
    )
    assert Skp.objects.get(pk=skp.pk).status == "dinilai"
    assert not AuditEntry.objects.filter(action="personnel.skp_objected").exists()


def test_objection_refused_in_the_wrong_state(people, api_as, org):
    asn = api_as(people["asn"])
    skp = helpers.skp(org["a"]["staff"])  # draft: not rated yet
    r = asn.post(f"{P}/skp/{skp.pk}/objection", {"reason": REASON})
    assert r.status_code == 409 and r.json()["error"] == "not_rated"
    assert "sudah dinilai" in r.json()["message"]

    services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
    assert asn.post(f"{P}/skp/{skp.pk}/objection", {"reason": REASON}).status_code == 201
    r = asn.post(f"{P}/skp/{skp.pk}/objection", {"reason": "Alasan lain yang cukup panjang"})
    assert r.status_code == 409 and r.json()["error"] == "already_objected"
    assert Skp.objects.get(pk=skp.pk).objection == REASON  # the first objection stands

    # Answered and final: still "already objected" (an objection is filed once).
    services.resolve_objection(people["hr"], Skp.objects.get(pk=skp.pk), response="Nilai tetap")
    r = asn.post(f"{P}/skp/{skp.pk}/objection", {"reason": REASON})
    assert r.status_code == 409 and r.json()["error"] == "already_objected"

    # Finalised by HR without an objection: closed.
    other = helpers.skp(org["a"]["staff"], p=helpers.period(org["a"]["agency"], year=2020))
    services.rate_skp(people["kabid"], other, hasil_kerja="sesuai", perilaku="sesuai")
    services.finalise_skp(people["hr"], other)
    r = asn.post(f"{P}/skp/{other.pk}/objection", {"reason": REASON})
    assert r.status_code == 409 and r.json()["error"] == "skp_final"
    assert Skp.objects.get(pk=other.pk).objection == ""


def test_objection_needs_a_reason(people, api_as, org):
    skp = _rated(org, people)
    asn = api_as(people["asn"])
    for reason in ("", "   ", "kurang"):
        r = asn.post(f"{P}/skp/{skp.pk}/objection", {"reason": reason})
        assert r.status_code == 422, reason
        assert r.json()["error"] == "invalid_input"
        assert "10 karakter" in r.json()["fields"]["reason"]
    r = asn.post(f"{P}/skp/{skp.pk}/objection", {})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    r = asn.post(f"{P}/skp/{skp.pk}/objection", {"reason": "x" * 5001})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    assert Skp.objects.get(pk=skp.pk).status == "dinilai"


def test_page_objection_error_sits_next_to_its_field(people, org, client):
    """The self-service page: the short-reason error is shown at the SKP's own field, with ids unique
    per SKP, and the text typed is kept."""
    skp = _rated(org, people)
    client.force_login(people["asn"])
    html = client.get("/kepegawaian/saya/").content.decode()
    assert f'for="keberatan-{skp.pk}-text"' in html and f'id="keberatan-{skp.pk}-text"' in html
    r = client.post(f"/kepegawaian/saya/skp/{skp.pk}/keberatan/", {"text": "kurang"})
    html = r.content.decode()
    assert r.status_code == 400
    assert f'id="keberatan-{skp.pk}-text_error"' in html and "10 karakter" in html
    assert "kurang</textarea>" in html
