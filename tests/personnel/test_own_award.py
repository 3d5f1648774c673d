"""No leader decides on an award proposed for themself (as no one rates their own SKP or decides their
own case), nor on one they proposed: ``403`` with its own code, the proposal left undecided."""

import pytest
from django.core.exceptions import PermissionDenied

from amanah.core.models import Role, RoleAssignment
from amanah.personnel import services
from amanah.personnel.models import Award

from . import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/personnel"


@pytest.fixture
def leader(org, people):
    """The Sekda's own account, holding the leadership role: a leader with an employee record."""
    RoleAssignment.objects.create(
        user=people["sekda"], role=Role.LEADERSHIP, agency=org["a"]["agency"]
    )
    return people["sekda"]


def _propose(people, employee):
    return services.propose_award(
        people["hr"],
        employee,
        kind="pelayanan",
        title="Pemimpin teladan",
        reason="Pelayanan prima",
        year=helpers.today().year,
    )


def test_leader_cannot_approve_an_award_to_themself(org, people, leader, api_as):
    award = _propose(people, org["a"]["sekda"])
    with pytest.raises(PermissionDenied):
        services.decide_award(leader, award, approve=True)
    r = api_as(leader).post(f"{P}/awards/{award.pk}/decision", {"approve": True})
    assert r.status_code == 403 and r.json()["error"] == "own_award", r.content
    assert "diri Anda sendiri" in r.json()["message"]
    assert Award.objects.get(pk=award.pk).status == "diusulkan"
    # Another leader decides it.
    r = api_as(people["pimpinan"]).post(f"{P}/awards/{award.pk}/decision", {"approve": True})
    assert r.status_code == 200 and r.json()["status"] == "disetujui"


def test_the_proposer_refusal_has_its_own_code(org, people, api_as):
    award = services.propose_award(
        people["pimpinan"],
        org["a"]["staff"],
        kind="pelayanan",
        title="Pelayan publik terbaik",
        reason="Rating 4,9",
        year=helpers.today().year,
    )
    r = api_as(people["pimpinan"]).post(f"{P}/awards/{award.pk}/decision", {"approve": True})
    assert r.status_code == 403 and r.json()["error"] == "own_proposal", r.content
    assert Award.objects.get(pk=award.pk).status == "diusulkan"


def test_awards_page_says_why_the_own_award_is_refused(org, people, leader, client):
    award = _propose(people, org["a"]["sekda"])
    client.force_login(leader)
    r = client.post(
        f"/kepegawaian/penghargaan/?instansi={org['a']['agency'].code}",
        {"action": "approve", "award": award.pk},
        follow=True,
    )
    assert "diri Anda sendiri" in r.content.decode()
    assert Award.objects.get(pk=award.pk).status == "diusulkan"


def _row(html, title):
    """The table row of the award titled ``title``."""
    start = html.index(title)
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def test_awards_page_offers_no_decision_on_an_own_award_or_own_proposal(
    org, people, leader, client
):
    year = helpers.today().year
    own = _propose(people, org["a"]["sekda"])  # "Pemimpin teladan", for the leader themself
    mine = services.propose_award(
        leader, org["a"]["staff"], kind="pelayanan", title="Usulan sendiri", reason="x", year=year
    )
    other = services.propose_award(
        people["hr"], org["a"]["kabid"], kind="pelayanan", title="Usulan HR", reason="x", year=year
    )
    client.force_login(leader)
    html = client.get(f"/kepegawaian/penghargaan/?instansi={org['a']['agency'].code}")
    html = html.content.decode()
    row = _row(html, own.title)
    assert 'value="approve"' not in row and 'value="reject"' not in row
    assert "Usulan untuk diri Anda sendiri: diputus pimpinan lain." in row
    row = _row(html, mine.title)
    assert 'value="approve"' not in row and "Usulan Anda sendiri: diputus pimpinan lain." in row
    row = _row(html, other.title)
    assert 'value="approve"' in row and 'value="reject"' in row and "pimpinan lain" not in row
    # Another leader sees the buttons on all three.
    client.force_login(people["pimpinan"])
    html = client.get(f"/kepegawaian/penghargaan/?instansi={org['a']['agency'].code}")
    assert html.content.decode().count('value="approve"') == 3
