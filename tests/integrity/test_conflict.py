"""A conflict of interest is declared on the pages by everyone the service lets declare it: the
inspectorate (case page), a custodian (list of disclosure requests) and leadership (list of protected
cases, for a case it sees there). Afterwards the case is gone for them."""

import pytest
from django.test import Client

from amanah.integrity import services
from amanah.integrity.models import Exclusion

pytestmark = pytest.mark.django_db
REASON = "Pelapor adalah saksi kunci dan perlu dimintai keterangan resmi."


def _declared(report, user) -> bool:
    return Exclusion.objects.filter(
        report=report, subject=services.user_subject(user.pk), reason=Exclusion.Reason.DECLARED
    ).exists()


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_custodian_declares_a_conflict_from_the_disclosure_list(users, make_case):
    report = make_case()
    services.request_disclosure(users[("inspektorat", "a")], report.pk, REASON)
    custodian = users[("kustodian", "a")]
    client = _as(custodian)
    page = client.get("/integritas/staf/identitas/").content.decode()
    action = f"/integritas/staf/{report.pk}/konflik/"
    assert f'action="{action}"' in page
    r = client.post(action, {"back": "identitas"})
    assert r.status_code == 302 and r["Location"] == "/integritas/staf/identitas/"
    assert _declared(report, custodian)
    assert report.case_number not in client.get("/integritas/staf/identitas/").content.decode()


def test_leadership_declares_a_conflict_from_the_protected_list(users, make_case):
    report = make_case()
    services.report_retaliation(report, "mutasi", "Saya dipindah setelah melapor.")
    leader = users[("pimpinan", "a")]
    client = _as(leader)
    page = client.get("/integritas/staf/").content.decode()
    action = f"/integritas/staf/{report.pk}/konflik/"
    assert f'action="{action}"' in page
    r = client.post(action)
    assert r.status_code == 302 and r["Location"] == "/integritas/staf/"
    assert _declared(report, leader)
    assert report.case_number not in client.get("/integritas/staf/").content.decode()


def test_leadership_cannot_reach_a_case_it_does_not_see(users, make_case):
    """Without a protection flag leadership does not see the case: declaring answers as for a case
    that does not exist."""
    report = make_case()
    leader = users[("pimpinan", "a")]
    assert _as(leader).post(f"/integritas/staf/{report.pk}/konflik/").status_code == 404
    assert not _declared(report, leader)


def test_others_cannot_declare(users, make_case):
    report = make_case()
    services.report_retaliation(report, "mutasi", "Saya dipindah setelah melapor.")
    for role, agency in (("kustodian", "b"), ("pimpinan", "b"), ("operator", "a")):
        user = users[(role, agency)]
        assert _as(user).post(f"/integritas/staf/{report.pk}/konflik/").status_code == 404
        assert not _declared(report, user)


def test_inspectorate_declares_from_the_case_page(users, make_case):
    report = make_case()
    insp = users[("inspektorat", "a")]
    r = _as(insp).post(f"/integritas/staf/{report.pk}/konflik/")
    assert r.status_code == 302 and r["Location"] == "/integritas/staf/"
    assert _declared(report, insp)
