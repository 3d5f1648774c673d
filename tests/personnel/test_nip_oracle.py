"""A NIP that exists only in another agency is answered exactly as one that does not exist (same status,
code, message and fields): the personnel API tells no agency which NIPs another agency has."""

import datetime as dt

import pytest

from amanah.personnel import models as m

from . import helpers

pytestmark = pytest.mark.django_db

P = "/api/v1/personnel"
UNKNOWN = "199901012020121999"  # well formed, nobody's


def _same(send, other_agency_nip):
    """``send(nip)`` → response; the answers for the other agency's NIP and for an unknown one."""
    elsewhere, nowhere = send(other_agency_nip), send(UNKNOWN)
    assert elsewhere.status_code == nowhere.status_code == 422, (elsewhere.content, nowhere.content)
    assert elsewhere.json() == nowhere.json()
    return nowhere.json()


def test_opening_a_case(people, api_as, org):
    client = api_as(people["hr"])
    body = _same(
        lambda nip: client.post(f"{P}/discipline/cases", {"nip": nip, "allegation": "Pungli"}),
        org["b"]["staff"].nip,
    )
    assert body["error"] == "invalid_input" and "nip" in body["fields"]
    assert not m.DisciplineCase.objects.exists()
    # A caller who may open cases nowhere is refused the same way whatever the NIP.
    operator = api_as(people["asn"])
    for nip in (org["a"]["staff"].nip, org["b"]["staff"].nip, UNKNOWN):
        r = operator.post(f"{P}/discipline/cases", {"nip": nip, "allegation": "Pungli"})
        assert r.status_code == 403


def test_naming_an_examination_team_member(people, api_as, org):
    c = helpers.case(org["a"]["staff"])
    sent = helpers.today() - dt.timedelta(days=30)
    m.Summons.objects.create(
        case=c, sequence=1, sent_on=sent, examination_on=sent + dt.timedelta(days=14)
    )
    client = api_as(people["hr"])
    body = _same(
        lambda nip: client.post(
            f"{P}/discipline/cases/{c.number}/examinations",
            {
                "held_on": (sent + dt.timedelta(days=14)).isoformat(),
                "bap_number": "BAP/7",
                "summary": "Diperiksa",
                "attended": True,
                "team": [org["a"]["kabid"].nip, nip],
            },
        ),
        org["b"]["kabid"].nip,
    )
    assert "team" in body["fields"] and not m.Examination.objects.exists()


def test_naming_the_deciding_official(people, api_as, org):
    c = helpers.examined_case(org["a"]["staff"])
    client = api_as(people["hr"])
    body = _same(
        lambda nip: client.post(
            f"{P}/discipline/cases/{c.number}/decision",
            {
                "proven": True,
                "official": nip,
                "decision_number": "800/1/2026",
                "decided_on": helpers.today().isoformat(),
                "level": "ringan",
                "sanction": "teguran_tertulis",
            },
        ),
        org["b"]["sekda"].nip,
    )
    assert "official" in body["fields"]
    assert org["b"]["sekda"].name not in str(body)
    c.refresh_from_db()
    assert c.status == m.CaseStatus.EXAMINED


def test_naming_the_official_of_an_appeal(people, api_as, org):
    c = helpers.examined_case(org["a"]["staff"])
    c.status, c.proven, c.level, c.sanction = m.CaseStatus.APPEALED, True, "sedang", "tukin_25_6"
    c.decided_on = c.sanction_start = helpers.today()
    c.appeal_due = helpers.today() + dt.timedelta(days=30)
    c.decision_number = "800/3"
    c.save()
    m.Appeal.objects.create(case=c, kind="keberatan", filed_on=helpers.today(), grounds="Berat")
    client = api_as(people["hr"])
    body = _same(
        lambda nip: client.post(
            f"{P}/discipline/cases/{c.number}/appeal/decision",
            {"outcome": "ditolak", "decided_on": helpers.today().isoformat(), "official": nip},
        ),
        org["b"]["sekda"].nip,
    )
    assert "official" in body["fields"] and org["b"]["sekda"].name not in str(body)


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_pairing_a_mentor(people, api_as, org, who):
    client = api_as(people["hr"])
    pair = {"mentor": org["a"]["kabid"].nip, "mentee": org["a"]["staff"].nip}
    body = _same(
        lambda nip: client.post(
            f"{P}/mentoring",
            {**pair, who: nip, "goals": "Menguasai SIAK", "start": helpers.today().isoformat()},
        ),
        org["b"]["kabid" if who == "mentor" else "staff"].nip,
    )
    assert list(body["fields"]) == [who] and not m.Mentoring.objects.exists()


def _page_errors(html: str) -> str:
    """The form's error texts of a page (what differs between two answers besides the echoed input)."""
    import re

    found = re.findall(r'<div class="error" id="([^"]+)_error">(.*?)</div>', html, re.S)
    return " | ".join(f"{field}: {re.sub(r'<[^>]+>', ' ', text).strip()}" for field, text in found)


def test_the_case_page_names_no_official_of_another_agency(people, org, client):
    c = helpers.examined_case(org["a"]["staff"])
    client.force_login(people["hr"])

    def send(nip):
        return client.post(
            f"/kepegawaian/disiplin/{c.number}/",
            {
                "action": "decision",
                "proven": "1",
                "official": nip,
                "decision_number": "800/77",
                "decided_on": helpers.today().isoformat(),
                "level": "ringan",
                "sanction": "teguran_tertulis",
            },
        )

    elsewhere, nowhere = send(org["b"]["sekda"].nip), send(UNKNOWN)
    assert elsewhere.status_code == nowhere.status_code == 400
    html = elsewhere.content.decode()
    assert "NIP pejabat tidak terdaftar." in html and org["b"]["sekda"].name not in html
    assert "NIP pejabat" in _page_errors(html) == _page_errors(nowhere.content.decode())


def test_the_mentoring_page_tells_nothing_of_another_agency(people, org, client):
    client.force_login(people["hr"])

    def send(nip):
        return client.post(
            "/kepegawaian/mentoring/",
            {
                "action": "start",
                "mentor": org["a"]["kabid"].nip,
                "mentee": nip,
                "kind": "mentoring",
                "goals": "Menguasai SIAK",
                "start": helpers.today().isoformat(),
            },
        )

    elsewhere, nowhere = send(org["b"]["staff"].nip), send(UNKNOWN)
    assert elsewhere.status_code == nowhere.status_code
    assert "NIP tidak terdaftar." in elsewhere.content.decode()
    errors = _page_errors(elsewhere.content.decode())
    assert "NIP tidak terdaftar." in errors and errors == _page_errors(nowhere.content.decode())
    assert not m.Mentoring.objects.exists()
