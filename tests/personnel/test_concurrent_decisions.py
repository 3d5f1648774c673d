"""Decisions on an SKP, a discipline case or an award are taken on the row locked and read again in
the transaction, never on the copy the request (the page, the API call) read before: a decision sent
twice, or over a newer one, is refused and the newer state stays."""

import pytest

from amanah.core.models import AuditEntry
from amanah.personnel import models as m
from amanah.personnel import services

from . import helpers

P = "/api/v1/personnel"
OBJECTION = "Saya tidak setuju sama sekali."


def n(action):
    return AuditEntry.objects.filter(action=action).count()


def fresh(model, obj):
    return model.objects.get(pk=obj.pk)


def _rated(people, org):
    s = helpers.skp(org["a"]["staff"])
    services.rate_skp(people["kabid"], s, hasil_kerja="sesuai", perilaku="sesuai")
    return fresh(m.Skp, s)


def test_rating_a_stale_copy_keeps_the_objection(people, org):
    stale = _rated(people, org)  # the rater's page, read before the objection
    services.object_skp(people["asn"], fresh(m.Skp, stale), text=OBJECTION)
    with pytest.raises(services.StateConflict) as exc:
        services.rate_skp(people["kabid"], stale, hasil_kerja="di_atas", perilaku="sesuai")
    assert exc.value.code == "skp_objected" and "status" in exc.value.message_dict
    s = fresh(m.Skp, stale)
    assert s.status == m.SkpStatus.OBJECTED and s.objection == OBJECTION
    assert (s.hasil_kerja, n("personnel.skp_rated")) == ("sesuai", 1)


def test_objection_keeps_a_rerating_made_meanwhile(people, org):
    stale = _rated(people, org)  # the ASN's page
    services.rate_skp(
        people["kabid"], fresh(m.Skp, stale), hasil_kerja="di_atas", perilaku="di_atas"
    )
    out = services.object_skp(people["asn"], stale, text=OBJECTION)
    s = fresh(m.Skp, stale)
    assert (s.hasil_kerja, s.perilaku, s.status) == ("di_atas", "di_atas", m.SkpStatus.OBJECTED)
    assert (out.hasil_kerja, out.status) == ("di_atas", m.SkpStatus.OBJECTED)


def test_rating_a_stale_copy_does_not_unfinalise(people, org):
    stale = _rated(people, org)
    services.finalise_skp(people["hr"], fresh(m.Skp, stale))
    with pytest.raises(services.StateConflict) as exc:
        services.rate_skp(people["kabid"], stale, hasil_kerja="di_atas", perilaku="sesuai")
    assert exc.value.code == "skp_final"
    assert fresh(m.Skp, stale).status == m.SkpStatus.FINAL


def test_finalising_a_stale_copy_keeps_the_objection(people, org):
    stale = _rated(people, org)
    services.object_skp(people["asn"], fresh(m.Skp, stale), text=OBJECTION)
    with pytest.raises(services.StateConflict) as exc:
        services.finalise_skp(people["hr"], stale)
    assert exc.value.code == "skp_objected"
    assert fresh(m.Skp, stale).status == m.SkpStatus.OBJECTED
    assert n("personnel.skp_finalised") == 0


def test_objection_answered_twice(people, org, api_as):
    s = _rated(people, org)
    services.object_skp(people["asn"], s, text=OBJECTION)
    first, second = fresh(m.Skp, s), fresh(m.Skp, s)
    services.resolve_objection(people["hr"], first, response="Ditolak", hasil_kerja="sesuai")
    with pytest.raises(services.StateConflict):
        services.resolve_objection(
            people["hr"], second, response="Dikabulkan", hasil_kerja="di_atas"
        )
    assert n("personnel.skp_objection_resolved") == 1
    assert fresh(m.Skp, s).objection_response == "Ditolak"
    # The API answers 409 with the reason; the page shows it on the form.
    r = api_as(people["hr"]).post(f"{P}/skp/{s.pk}/objection-response", {"response": "Lagi"})
    body = r.json()
    assert (r.status_code, body["error"]) == (409, "no_objection"), body
    assert body["message"] == "Tidak ada keberatan yang menunggu tanggapan."


def _decide(people, org, case, **kw):
    args = dict(
        proven=True,
        official=org["a"]["kabid"],
        decision_number="800/1",
        decided_on=helpers.today(),
        level="ringan",
        sanction="teguran_tertulis",
    )
    args.update(kw)
    return services.decide_case(people["hr"], case, **args)


def test_case_decided_twice(people, org, mailoutbox):
    c = helpers.examined_case(org["a"]["staff"])
    first, second = fresh(m.DisciplineCase, c), fresh(m.DisciplineCase, c)
    _decide(people, org, first)
    sent = len(mailoutbox)
    with pytest.raises(services.StateConflict) as exc:
        _decide(people, org, second, decision_number="800/2", proven=False, level="", sanction="")
    assert exc.value.code == "case_decided" and "status" in exc.value.message_dict
    c.refresh_from_db()
    assert (c.status, c.decision_number, c.sanction) == (
        m.CaseStatus.DECIDED,
        "800/1",
        "teguran_tertulis",
    )
    assert n("personnel.discipline_decided") == 1 and len(mailoutbox) == sent


def test_stale_decision_does_not_overwrite_the_appeal(people, org, api_as):
    a = org["a"]
    c = helpers.examined_case(a["staff"], team=helpers.exam_team(a))
    stale = fresh(m.DisciplineCase, c)
    args = dict(level="sedang", sanction="tukin_25_12", official=a["sekda"])
    _decide(people, org, fresh(m.DisciplineCase, c), **args)
    stale_decided = fresh(m.DisciplineCase, c)
    services.file_appeal(
        people["asn"], fresh(m.DisciplineCase, c), filed_on=helpers.today(), grounds="Tidak adil"
    )
    with pytest.raises(services.StateConflict) as exc:
        _decide(people, org, stale, decision_number="800/9", **args)
    assert exc.value.code == "case_decided"
    c.refresh_from_db()
    assert (c.status, c.decision_number) == (m.CaseStatus.APPEALED, "800/1")
    # A second appeal from a page read before the first: refused, not the one-to-one's 500.
    with pytest.raises(services.StateConflict) as exc:
        services.file_appeal(people["asn"], stale_decided, filed_on=helpers.today(), grounds="Lagi")
    assert exc.value.code == "already_appealed" and "status" in exc.value.message_dict
    r = api_as(people["asn"]).post(
        f"{P}/discipline/cases/{c.number}/appeal",
        {"filed_on": helpers.today().isoformat(), "grounds": "Lagi"},
    )
    assert (r.status_code, r.json()["error"]) == (409, "already_appealed"), r.json()
    assert "status" in r.json()["fields"]
    # The appeal decided twice: the second is refused, the first outcome stays.
    services.decide_appeal(
        people["pimpinan"],
        fresh(m.DisciplineCase, c),
        outcome="ditolak",
        decided_on=helpers.today(),
    )
    with pytest.raises(services.StateConflict) as exc:
        services.decide_appeal(
            people["pimpinan"], stale_decided, outcome="dikabulkan", decided_on=helpers.today()
        )
    assert exc.value.code == "appeal_decided"
    c.refresh_from_db()
    assert (c.status, c.sanction, c.appeal.outcome) == (
        m.CaseStatus.CLOSED,
        "tukin_25_12",
        "ditolak",
    )
    assert n("personnel.discipline_appeal_decided") == 1


def test_award_approved_and_rejected(people, org, api_as):
    aw = services.propose_award(
        people["hr"],
        org["a"]["staff"],
        kind="lainnya",
        title="Teladan",
        reason="Rajin",
        year=helpers.today().year,
    )
    x, y = fresh(m.Award, aw), fresh(m.Award, aw)
    services.decide_award(people["pimpinan"], x, approve=True)
    with pytest.raises(services.StateConflict):
        services.decide_award(people["pimpinan"], y, approve=False)
    assert n("personnel.award_decided") == 1 and fresh(m.Award, aw).status == "disetujui"
    r = api_as(people["pimpinan"]).post(f"{P}/awards/{aw.pk}/decision", {"approve": False})
    assert (r.status_code, r.json()["error"]) == (409, "award_decided"), r.json()
    assert r.json()["message"] == "Usulan ini sudah diputus."
    assert fresh(m.Award, aw).status == "disetujui"
