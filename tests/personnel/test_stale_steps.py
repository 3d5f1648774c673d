"""A step sent for a state the SKP or the case has left (decided meanwhile by someone else, or by a
request sent at the same time) is a conflict, not bad input: the API answers ``409`` with a code for
what happened, and declares it; the page says so at the top in the reader's language and hands back
what was typed, since its form is gone. Input that is wrong in itself stays ``422`` (``400`` on the
page), on its field."""

import datetime as dt

import pytest
from django.test import Client

from amanah.core.models import AuditEntry
from amanah.personnel import services
from amanah.personnel.models import Appeal, CaseStatus, DisciplineCase, Skp, SkpStatus
from tests.html_lang import languages_of
from tests.i18n import client_in

from . import helpers

P = "/api/v1/personnel"
OBJECTION = "Realisasi saya lebih tinggi dari yang tercatat."
NOTES = "Kinerja naik tajam pada triwulan keempat."
GROUNDS = "Hukuman terlalu berat dibanding kesalahan saya."
GENERIC = "Ada isian yang perlu diperbaiki"


def _rated(people, org):
    s = helpers.skp(org["a"]["staff"])
    services.rate_skp(people["kabid"], s, hasil_kerja="sesuai", perilaku="sesuai")
    return Skp.objects.get(pk=s.pk)


def _decided(org, level="sedang", sanction="tukin_25_6", **kw):
    return helpers.decided_case(
        org["a"],
        helpers.today() - dt.timedelta(days=1),
        level=level,
        sanction=sanction,
        appeal_due=helpers.today() + dt.timedelta(days=14),
        **kw,
    )


def _error(r):
    body = r.json()
    return r.status_code, body["error"]


# --- API ---------------------------------------------------------------------------------------------


def test_rating_an_skp_that_moved_on_is_409_with_what_happened(people, org, api_as):
    s = _rated(people, org)
    kabid = api_as(people["kabid"])
    url = f"{P}/skp/{s.pk}/rating"
    services.object_skp(people["asn"], s, text=OBJECTION)
    r = kabid.post(url, {"hasil_kerja": "di_atas", "perilaku": "sesuai"})
    assert _error(r) == (409, "skp_objected"), r.json()
    assert "keberatan" in r.json()["message"] and "status" in r.json()["fields"]
    services.resolve_objection(people["hr"], Skp.objects.get(pk=s.pk), response="Nilai tetap")
    r = kabid.post(url, {"hasil_kerja": "di_atas", "perilaku": "sesuai"})
    assert _error(r) == (409, "skp_final"), r.json()
    s.refresh_from_db()
    assert (s.status, s.hasil_kerja) == (SkpStatus.FINAL, "sesuai")


def test_bad_input_on_a_skp_that_may_be_rated_stays_422(people, org, api_as):
    s = _rated(people, org)
    r = api_as(people["kabid"]).post(
        f"{P}/skp/{s.pk}/rating", {"hasil_kerja": "luar_biasa", "perilaku": "sesuai"}
    )
    assert _error(r) == (422, "invalid_input") and "hasil_kerja" in r.json()["fields"]


def test_finalising_twice_or_over_an_objection_is_a_conflict(people, org):
    draft = helpers.skp(org["a"]["staff"], p=helpers.period(org["a"]["agency"], name="Draf"))
    with pytest.raises(services.StateConflict) as exc:
        services.finalise_skp(people["hr"], draft)
    assert exc.value.code == "not_rated"
    s = _rated(people, org)
    stale = Skp.objects.get(pk=s.pk)
    services.finalise_skp(people["hr"], s)
    with pytest.raises(services.StateConflict) as exc:
        services.finalise_skp(people["hr"], stale)  # the page read before the first
    assert exc.value.code == "skp_final"
    assert AuditEntry.objects.filter(action="personnel.skp_finalised").count() == 1


def test_a_case_decided_twice_through_the_api_is_409(people, org, api_as):
    a = org["a"]
    c = helpers.examined_case(a["staff"])
    body = {
        "proven": True,
        "official": a["kabid"].nip,
        "decision_number": "800/1",
        "decided_on": helpers.today().isoformat(),
        "level": "ringan",
        "sanction": "teguran_tertulis",
    }
    hr = api_as(people["hr"])
    url = f"{P}/discipline/cases/{c.number}/decision"
    assert hr.post(url, body).status_code == 200
    r = hr.post(url, body | {"decision_number": "800/2"})
    assert _error(r) == (409, "case_decided"), r.json()
    assert DisciplineCase.objects.get(pk=c.pk).decision_number == "800/1"
    # Summons and BAP are refused the same way once the case is decided.
    r = hr.post(
        f"{P}/discipline/cases/{c.number}/summons",
        {"sent_on": helpers.today().isoformat(), "examination_on": helpers.today().isoformat()},
    )
    assert _error(r) == (409, "case_decided"), r.json()
    # Input wrong in itself on an open case stays 422 on its field.
    open_case = helpers.examined_case(a["staff"])
    r = hr.post(
        f"{P}/discipline/cases/{open_case.number}/decision", body | {"decision_number": " "}
    )
    assert _error(r) == (422, "invalid_input") and "decision_number" in r.json()["fields"]


def test_appeal_conflicts_name_what_happened(people, org, api_as):
    asn = api_as(people["asn"])
    payload = {"filed_on": helpers.today().isoformat(), "grounds": GROUNDS}
    c = _decided(org)
    url = f"{P}/discipline/cases/{c.number}/appeal"
    assert asn.post(url, payload).status_code == 201
    assert _error(asn.post(url, payload)) == (409, "already_appealed")
    # Its outcome: decided twice, or asked for where none was filed.
    pimpinan = api_as(people["pimpinan"])
    outcome = {"outcome": "ditolak", "decided_on": helpers.today().isoformat()}
    assert pimpinan.post(f"{url}/decision", outcome).status_code == 200
    assert _error(pimpinan.post(f"{url}/decision", outcome)) == (409, "appeal_decided")
    assert _error(asn.post(url, payload)) == (409, "already_appealed")  # closed after its appeal
    undecided = helpers.examined_case(org["a"]["staff"])
    r = asn.post(f"{P}/discipline/cases/{undecided.number}/appeal", payload)
    assert _error(r) == (409, "not_decided")
    r = pimpinan.post(f"{P}/discipline/cases/{undecided.number}/appeal/decision", outcome)
    assert _error(r) == (409, "no_appeal")
    not_proven = helpers.case(
        org["a"]["staff"], status=CaseStatus.CLOSED, proven=False, decided_on=helpers.today()
    )
    r = asn.post(f"{P}/discipline/cases/{not_proven.number}/appeal", payload)
    assert _error(r) == (409, "case_closed")
    # A reprimand can never be appealed: a rule about the request, not a state it missed.
    reprimand = _decided(org, level="ringan", sanction="teguran_lisan")
    r = asn.post(f"{P}/discipline/cases/{reprimand.number}/appeal", payload)
    assert r.status_code == 422 and "status" in r.json()["fields"], r.json()
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "codes"),
    [
        ("/skp/{id}/rating", ["skp_objected", "skp_final"]),
        ("/discipline/cases/{number}/decision", ["case_decided"]),
        ("/discipline/cases/{number}/appeal", ["already_appealed", "case_closed", "not_decided"]),
        ("/discipline/cases/{number}/appeal/decision", ["appeal_decided", "no_appeal"]),
        ("/skp/{id}/objection-response", ["no_objection"]),
    ],
)
def test_the_openapi_document_declares_the_409_and_its_codes(path, codes):
    schema = Client().get("/api/v1/openapi.json").json()
    responses = schema["paths"][f"/api/v1/personnel{path}"]["post"]["responses"]
    assert "409" in responses, sorted(responses)
    for code in codes:
        assert f"`{code}`" in responses["409"]["description"], code
    assert "422" in responses  # bad input keeps its own answer


# --- Pages -------------------------------------------------------------------------------------------


def test_the_rating_page_read_before_an_objection_says_so_and_keeps_the_notes(people, org):
    s = _rated(people, org)
    ind = s.indicators.get()
    client = client_in("id")
    client.force_login(people["kabid"])
    assert 'value="rate"' in client.get(f"/kepegawaian/skp/{s.pk}/").content.decode()
    services.object_skp(people["asn"], s, text=OBJECTION)  # while the page is open
    r = client.post(
        f"/kepegawaian/skp/{s.pk}/",
        {
            "action": "rate",
            "hasil_kerja": "di_atas",
            "perilaku": "di_atas",
            "notes": NOTES,
            f"result-{ind.pk}": "97",
        },
    )
    assert r.status_code == 409
    page = r.content.decode()
    assert "Data ini sudah berubah sejak halaman Anda dibuka" in page
    assert "Pegawai sudah mengajukan keberatan atas SKP ini" in page
    assert GENERIC not in page and 'value="rate"' not in page  # no form that cannot succeed
    assert NOTES in page and "Di atas ekspektasi" in page and ">97<" in page  # handed back
    s.refresh_from_db()
    assert (s.status, s.hasil_kerja, s.rater_notes) == (SkpStatus.OBJECTED, "sesuai", "")


def test_the_conflict_is_said_in_english_with_the_typed_text_marked_indonesian(people, org):
    s = _rated(people, org)
    services.finalise_skp(people["hr"], s)
    client = client_in("en")
    client.force_login(people["kabid"])
    r = client.post(
        f"/kepegawaian/skp/{s.pk}/",
        {"action": "rate", "hasil_kerja": "di_atas", "perilaku": "sesuai", "notes": NOTES},
    )
    assert r.status_code == 409
    page = r.content.decode()
    assert "This record changed after you opened the page" in page
    assert "This SKP is final" in page
    assert languages_of(page, NOTES) == {"id"}


def test_bad_rating_input_keeps_the_results_typed(people, org, client):
    s = _rated(people, org)
    ind = s.indicators.get()
    client.force_login(people["kabid"])
    r = client.post(
        f"/kepegawaian/skp/{s.pk}/",
        {"action": "rate", "hasil_kerja": "", "perilaku": "sesuai", f"result-{ind.pk}": "97"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert GENERIC in page and f'name="result-{ind.pk}" value="97"' in page


def test_an_objection_answered_meanwhile_is_said_on_the_page(people, org, client):
    s = _rated(people, org)
    services.object_skp(people["asn"], s, text=OBJECTION)
    client.force_login(people["hr"])
    assert 'value="resolve"' in client.get(f"/kepegawaian/skp/{s.pk}/").content.decode()
    services.resolve_objection(people["kadis"], Skp.objects.get(pk=s.pk), response="Nilai tetap")
    r = client.post(
        f"/kepegawaian/skp/{s.pk}/", {"action": "resolve", "response": "Keberatan diterima."}
    )
    assert r.status_code == 409
    page = r.content.decode()
    assert "Tidak ada keberatan yang menunggu tanggapan." in page
    assert "Keberatan diterima." in page and GENERIC not in page
    assert Skp.objects.get(pk=s.pk).objection_response == "Nilai tetap"


def test_the_decision_page_read_before_another_decision_keeps_what_was_typed(people, org, client):
    a = org["a"]
    c = helpers.examined_case(a["staff"])
    client.force_login(people["hr"])
    assert 'value="decision"' in client.get(f"/kepegawaian/disiplin/{c.number}/").content.decode()
    services.decide_case(  # another officer, meanwhile
        people["pimpinan"],
        DisciplineCase.objects.get(pk=c.pk),
        proven=False,
        official=a["kabid"],
        decision_number="800/LAIN",
        decided_on=helpers.today(),
    )
    r = client.post(
        f"/kepegawaian/disiplin/{c.number}/",
        {
            "action": "decision",
            "proven": "1",
            "official": a["kabid"].nip,
            "decision_number": "800/KETIK",
            "decided_on": helpers.today().isoformat(),
            "level": "ringan",
            "sanction": "teguran_tertulis",
        },
    )
    assert r.status_code == 409
    page = r.content.decode()
    assert "Kasus ini sudah diputus" in page and GENERIC not in page
    assert "800/KETIK" in page and "Teguran tertulis" in page
    assert 'value="decision"' not in page
    assert DisciplineCase.objects.get(pk=c.pk).decision_number == "800/LAIN"


def test_an_appeal_filed_meanwhile_is_said_on_the_page(people, org, client):
    c = _decided(org)
    client.force_login(people["asn"])
    assert 'value="appeal"' in client.get(f"/kepegawaian/disiplin/{c.number}/").content.decode()
    services.file_appeal(  # HR files it on the ASN's behalf meanwhile
        people["hr"], DisciplineCase.objects.get(pk=c.pk), filed_on=helpers.today(), grounds="HR"
    )
    r = client.post(
        f"/kepegawaian/disiplin/{c.number}/",
        {"action": "appeal", "filed_on": helpers.today().isoformat(), "grounds": GROUNDS},
    )
    assert r.status_code == 409
    page = r.content.decode()
    assert "Upaya administratif atas keputusan ini sudah diajukan." in page
    assert GROUNDS in page and GENERIC not in page
    assert Appeal.objects.get(case=c).grounds == "HR"


def test_an_appeal_form_sent_empty_after_the_appeal_was_filed_says_the_conflict(
    people, org, client
):
    """A form that would be refused for its own input too: the state it missed comes first, since its
    fields are no longer on the page to show their errors."""
    c = _decided(org)
    services.file_appeal(people["hr"], c, filed_on=helpers.today(), grounds="HR")
    client.force_login(people["asn"])
    r = client.post(f"/kepegawaian/disiplin/{c.number}/", {"action": "appeal", "grounds": ""})
    assert r.status_code == 409
    assert "sudah diajukan" in r.content.decode()


def test_a_bap_sent_after_the_decision_does_not_reopen_the_case(people, org, api_as):
    a = org["a"]
    c = helpers.examined_case(a["staff"])
    stale = DisciplineCase.objects.get(pk=c.pk)
    services.decide_case(
        people["hr"],
        c,
        proven=False,
        official=a["kabid"],
        decision_number="800/1",
        decided_on=helpers.today(),
    )
    with pytest.raises(services.StateConflict) as exc:
        services.record_examination(
            people["hr"], stale, held_on=helpers.today(), bap_number="BAP/2", summary="Lagi"
        )
    assert exc.value.code == "case_decided"
    c.refresh_from_db()
    assert c.status == CaseStatus.CLOSED and c.examinations.count() == 1
