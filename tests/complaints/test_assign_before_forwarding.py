"""Before verification a case is the front office's (rules.identity_roles): the unit of the service the
complainant chose is only a guess, so its officer gets no "assign" action — on the page, in the API's
``allowed_actions``, nor in the service — until the case is forwarded to that unit."""

import pytest
from django.core.exceptions import PermissionDenied

from amanah.complaints import rules, selectors, services

pytestmark = pytest.mark.django_db
P = "/api/v1/staff/complaints"


def test_the_table_gives_the_unit_assign_only_once_forwarded():
    assert rules.staff_roles_for("assign", forwarded=False) == {"operator", "pengelola"}
    assert rules.staff_roles_for("assign", forwarded=True) == {"operator", "unit", "pengelola"}
    # The other actions do not depend on the stage: the unit may note a case before forwarding.
    assert "unit" in rules.staff_roles_for("note", forwarded=False)


@pytest.mark.parametrize("state", ["diterima", "menunggu_kelengkapan"])
def test_a_unit_officer_cannot_assign_a_case_not_yet_forwarded(
    state, users, submit, walk, api_as, client
):
    c = walk(submit(), state)
    unit_officer, operator = users[("unit", "a")], users[("operator", "a")]
    assert "assign" not in selectors.allowed_actions(unit_officer, c)
    assert "note" in selectors.allowed_actions(unit_officer, c)
    api = api_as(unit_officer)
    assert "assign" not in api.get(f"{P}/{c.tracking_code}").json()["allowed_actions"]
    r = api.post(f"{P}/{c.tracking_code}/assign", {"user": operator.pk})
    assert r.status_code == 403 and r.json()["error"] == "forbidden", r.content
    with pytest.raises(PermissionDenied):
        services.assign(unit_officer, c, user=operator)
    client.force_login(unit_officer)
    page = f"/pengaduan/staf/AMN-{c.pk}/"
    assert 'value="assign"' not in client.get(page).content.decode()
    r = client.post(page, {"action": "assign", "user": str(operator.pk)})
    assert r.status_code == 403, r.status_code
    c.refresh_from_db()
    assert c.assignee_id is None
    # The front office assigns it meanwhile.
    assert "assign" in selectors.allowed_actions(users[("pengelola", "a")], c)
    services.assign(users[("pengelola", "a")], c, user=operator)


def test_once_forwarded_the_unit_officer_assigns(users, submit, walk, api_as):
    c = walk(submit(), "diteruskan")
    unit_officer = users[("unit", "a")]
    api = api_as(unit_officer)
    assert "assign" in api.get(f"{P}/{c.tracking_code}").json()["allowed_actions"]
    r = api.post(f"{P}/{c.tracking_code}/assign", {"user": unit_officer.pk})
    assert r.status_code == 200, r.content
    c.refresh_from_db()
    assert c.assignee_id == unit_officer.pk
