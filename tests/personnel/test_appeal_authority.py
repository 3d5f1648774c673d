"""A sanction changed on appeal (outcome ``diubah``) goes through the authority check of the decision
(PP 94/2021 Pasal 18–21, ``rules.may_decide``): the official who decided the appeal is named and must be
one who may impose the new level. Without it, HR alone turned a sedang sanction into dismissal."""

import pytest
from django.core.exceptions import ValidationError

from amanah.personnel import services
from amanah.personnel.models import CaseStatus

from . import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/personnel"


def _appealed(a, people, official, level, sanction, number):
    """A proven case decided by ``official`` with ``level``/``sanction``, then appealed by the ASN."""
    case = helpers.examined_case(a["staff"], team=helpers.exam_team(a))
    services.decide_case(
        people["hr"],
        case,
        proven=True,
        official=official,
        decision_number=number,
        decided_on=helpers.today(),
        level=level,
        sanction=sanction,
    )
    services.file_appeal(people["asn"], case, filed_on=helpers.today(), grounds="Tidak adil")
    case.refresh_from_db()
    return case


def _appealed_sedang(a, people):
    """A case decided sedang by the Kadis (pimpinan tinggi, who may not impose berat), appealed."""
    return _appealed(a, people, a["kadis"], "sedang", "tukin_25_6", "800/1")


def _unchanged(case):
    case.refresh_from_db()
    assert case.status == CaseStatus.APPEALED and case.sanction == "tukin_25_6"
    assert case.appeal.outcome == "" and case.appeal.decided_by_id is None


def _berat(people, case, **kw):
    return services.decide_appeal(
        people["hr"],
        case,
        outcome="diubah",
        decided_on=helpers.today(),
        level="berat",
        sanction="pemberhentian",
        **kw,
    )


def test_a_changed_sanction_names_an_official_who_may_impose_it(org, people):
    a = org["a"]
    case = _appealed_sedang(a, people)
    with pytest.raises(ValidationError) as exc:
        _berat(people, case)  # HR alone, no official
    assert "NIP pejabat" in exc.value.message_dict["official"][0]
    _unchanged(case)
    with pytest.raises(ValidationError) as exc:
        _berat(people, case, official=a["kadis"])  # pimpinan tinggi: sedang at most
    assert "tidak berwenang" in exc.value.message_dict["official"][0]
    assert "berat" in exc.value.message_dict["official"][0]
    _unchanged(case)
    with pytest.raises(ValidationError) as exc:
        _berat(people, case, official=a["staff"])  # the ASN concerned
    assert "official" in exc.value.message_dict
    _unchanged(case)
    a["sekda"].is_active = False  # the PPK has left
    a["sekda"].save()
    with pytest.raises(ValidationError) as exc:
        _berat(people, case, official=a["sekda"])
    assert "tidak aktif" in exc.value.message_dict["official"][0]
    _unchanged(case)
    a["sekda"].is_active = True
    a["sekda"].save()
    _berat(people, case, official=a["sekda"])  # the head of the top unit (PPK) may
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.sanction == "pemberhentian"
    assert case.appeal.decided_by_id == a["sekda"].pk


def test_an_official_named_for_another_outcome_is_checked_against_the_sanction_appealed(
    org, people
):
    a = org["a"]
    case = _appealed_sedang(a, people)
    with pytest.raises(ValidationError) as exc:
        services.decide_appeal(
            people["hr"], case, outcome="ditolak", decided_on=helpers.today(), official=a["kabid"]
        )
    assert "tidak berwenang" in exc.value.message_dict["official"][0]
    _unchanged(case)
    # The Kadis imposed it: a keberatan goes to the official above him, not to himself.
    with pytest.raises(ValidationError) as exc:
        services.decide_appeal(
            people["hr"], case, outcome="ditolak", decided_on=helpers.today(), official=a["kadis"]
        )
    assert "bukan atasan" in exc.value.message_dict["official"][0]
    _unchanged(case)
    services.decide_appeal(
        people["hr"], case, outcome="ditolak", decided_on=helpers.today(), official=a["sekda"]
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.appeal.decided_by_id == a["sekda"].pk


def _appealed_dismissal(a, people):
    """A dismissal decided by the Sekda (PPK), appealed: a banding administratif."""
    case = _appealed(a, people, a["sekda"], "berat", "pemberhentian", "800/9")
    assert case.appeal.kind == "banding"
    return case


def test_a_banding_is_ruled_by_bpasn_not_by_an_official_of_the_agency(org, people):
    """PP 79/2021: a banding administratif against dismissal goes to the Badan Pertimbangan ASN;
    the PPK who dismissed (or any official of the agency) does not rule on it."""
    a = org["a"]
    case = _appealed_dismissal(a, people)
    with pytest.raises(ValidationError) as exc:
        services.decide_appeal(
            people["hr"],
            case,
            outcome="diubah",
            decided_on=helpers.today(),
            level="sedang",
            sanction="tukin_25_12",
            official=a["sekda"],
        )
    assert "BPASN" in exc.value.message_dict["official"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.APPEALED and case.sanction == "pemberhentian"
    # HR records BPASN's ruling without naming an official of the agency.
    services.decide_appeal(
        people["hr"],
        case,
        outcome="diubah",
        decided_on=helpers.today(),
        level="sedang",
        sanction="tukin_25_12",
    )
    case.refresh_from_db()
    assert (case.status, case.sanction, case.appeal.decided_by_id) == (
        CaseStatus.CLOSED,
        "tukin_25_12",
        None,
    )


def test_a_keberatan_on_a_ppk_sanction_is_ruled_with_the_ppks_standing(org, people):
    """The PPK has no superior in the agency: an official with the PPK's standing rules (platform
    reading), never a lower official."""
    a = org["a"]
    case = helpers.examined_case(a["staff"], team=helpers.exam_team(a))
    services.decide_case(
        people["hr"],
        case,
        proven=True,
        official=a["sekda"],
        decision_number="800/10",
        decided_on=helpers.today(),
        level="sedang",
        sanction="tukin_25_6",
    )
    services.file_appeal(people["asn"], case, filed_on=helpers.today(), grounds="Tidak adil")
    case.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.decide_appeal(
            people["hr"], case, outcome="ditolak", decided_on=helpers.today(), official=a["kadis"]
        )
    assert "bukan atasan" in exc.value.message_dict["official"][0]
    services.decide_appeal(
        people["hr"], case, outcome="ditolak", decided_on=helpers.today(), official=a["sekda"]
    )


def test_api_refuses_a_changed_sanction_without_an_authorised_official(org, people, api_as):
    a = org["a"]
    case = _appealed_sedang(a, people)
    api = api_as(people["hr"])
    url = f"{P}/discipline/cases/{case.number}/appeal/decision"
    body = {
        "outcome": "diubah",
        "decided_on": helpers.today().isoformat(),
        "level": "berat",
        "sanction": "pemberhentian",
    }
    r = api.post(url, body)
    assert r.status_code == 422 and "official" in r.json()["fields"], r.content
    r = api.post(url, body | {"official": "199901012020121999"})
    assert r.status_code == 422 and "tidak terdaftar" in r.json()["fields"]["official"]
    r = api.post(url, body | {"official": a["kadis"].nip})
    assert r.status_code == 422 and "tidak berwenang" in r.json()["fields"]["official"]
    _unchanged(case)
    r = api.post(url, body | {"official": a["sekda"].nip})
    assert r.status_code == 200, r.content
    assert r.json()["sanction"] == "pemberhentian"
    assert r.json()["appeal"]["decided_by"] == a["sekda"].nip


def test_page_says_the_official_may_not_impose_the_changed_sanction(org, people, client):
    a = org["a"]
    case = _appealed_sedang(a, people)
    client.force_login(people["hr"])
    url = f"/kepegawaian/disiplin/{case.number}/"
    assert 'name="official"' in client.get(url).content.decode()
    r = client.post(
        url,
        {
            "action": "appeal_decision",
            "outcome": "diubah",
            "decided_on": helpers.today().isoformat(),
            "level": "berat",
            "sanction": "pemberhentian",
            "official": a["kadis"].nip,
        },
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "tidak berwenang menjatuhkan hukuman disiplin tingkat berat" in page
    assert a["kadis"].nip in page  # what was typed is handed back
    _unchanged(case)
    r = client.post(
        url,
        {
            "action": "appeal_decision",
            "outcome": "diubah",
            "decided_on": helpers.today().isoformat(),
            "level": "berat",
            "sanction": "pemberhentian",
            "official": a["sekda"].nip,
        },
    )
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert f"diputus oleh {a['sekda'].name}" in page


def test_the_page_says_who_rules_on_each_kind_of_appeal(org, people, client):
    a = org["a"]
    client.force_login(people["hr"])
    keberatan = _appealed_sedang(a, people)
    page = client.get(f"/kepegawaian/disiplin/{keberatan.number}/").content.decode()
    assert "Keberatan diputus oleh atasan pejabat yang menjatuhkan hukuman." in page
    banding = _appealed_dismissal(a, people)
    page = client.get(f"/kepegawaian/disiplin/{banding.number}/").content.decode()
    assert "Banding administratif diputus oleh Badan Pertimbangan ASN (BPASN)." in page
    assert "Kosongkan NIP pejabat" in page
