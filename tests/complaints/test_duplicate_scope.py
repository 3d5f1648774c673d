"""Rejecting a case as a duplicate names the original by its number or its tracking code (that
complainant's key to their case). The original is looked up only among the cases the officer may open: one outside their
scope (another agency, or a case of their agency outside their unit) is answered exactly like an unknown
code, on the page and through the API, and the "duplicate of a duplicate" refusal names the first case
only to an officer who may open it, and by its number, never by its tracking code."""

import re

import pytest
from django.test import Client

from amanah.complaints import services
from tests.complaints.conftest import BASE

pytestmark = pytest.mark.django_db

UNKNOWN = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"


def _page(user):
    client = Client()
    client.force_login(user)
    return client


def _reject_on_page(user, c, original_code):
    r = _page(user).post(
        f"/pengaduan/staf/{c.tracking_code}/",
        {"action": "reject", "reason": "duplikat", "duplicate_of": original_code, "note": ""},
    )
    return r.status_code, r.content.decode()


def _reject_by_api(api_as, user, c, original_code):
    r = api_as(user).post(
        f"/api/v1/staff/complaints/{c.tracking_code}/reject",
        {"reason": "duplikat", "duplicate_of": original_code},
    )
    return r.status_code, r.json()


@pytest.fixture
def chain(org, users, submit):
    """``outside``: a case of agency A without a unit, outside the operator's unit (dinas) scope;
    ``dup``: a case in the operator's unit that the manager rejected as a duplicate of ``outside``;
    ``fresh``: a new case in the operator's unit; ``other``: a case of agency B."""
    a = org["a"]
    outside = services.submit(None, dict(BASE, service=None, agency=a["agency"]), [], channel="web")
    assert outside.unit_id is None
    dup = submit(title="Y")
    services.reject(users[("pengelola", "a")], dup, reason="duplikat", duplicate_of=outside)
    other = submit(service=org["b"]["service"], title="B")
    return {"outside": outside, "dup": dup, "fresh": submit(title="Z"), "other": other}


def test_the_page_does_not_name_an_original_the_operator_may_not_open(users, chain):
    operator = users[("operator", "a")]
    outside = chain["outside"].tracking_code
    assert _page(operator).get(f"/pengaduan/staf/{outside}/").status_code == 404
    status, html = _reject_on_page(operator, chain["fresh"], chain["dup"].tracking_code)
    assert status == 400
    assert outside not in html and not re.search(rf"AMN-{chain['outside'].pk}\b", html)
    assert "tidak dapat Anda buka" in html
    chain["fresh"].refresh_from_db()
    assert chain["fresh"].status == "diterima"


def test_the_page_names_the_original_to_a_manager_who_may_open_it(users, chain):
    status, html = _reject_on_page(
        users[("pengelola", "a")], chain["fresh"], chain["dup"].tracking_code
    )
    assert status == 400
    assert f"AMN-{chain['outside'].pk}." in html
    assert chain["outside"].tracking_code not in html


def test_the_page_answers_an_out_of_scope_original_like_an_unknown_code(users, chain):
    operator = users[("operator", "a")]
    unknown = _reject_on_page(operator, chain["fresh"], UNKNOWN)
    for code in (chain["outside"].tracking_code, chain["other"].tracking_code):
        status, html = _reject_on_page(operator, chain["fresh"], code)
        assert (status, unknown[0]) == (400, 400)
        assert "Nomor pengaduan asli tidak ditemukan." in html
        assert "instansi yang sama" not in html  # not "exists, in another agency"
    chain["fresh"].refresh_from_db()
    assert chain["fresh"].status == "diterima"


def test_the_api_does_not_name_an_original_the_operator_may_not_open(api_as, users, chain):
    operator, manager = users[("operator", "a")], users[("pengelola", "a")]
    outside = chain["outside"].tracking_code
    status, body = _reject_by_api(api_as, operator, chain["fresh"], chain["dup"].tracking_code)
    assert (status, body["error"]) == (422, "duplicate_of_duplicate")
    assert outside not in str(body) and not re.search(rf"AMN-{chain['outside'].pk}\b", str(body))
    status, body = _reject_by_api(api_as, manager, chain["fresh"], chain["dup"].tracking_code)
    assert (status, body["error"]) == (422, "duplicate_of_duplicate")
    assert f"AMN-{chain['outside'].pk}." in body["message"]
    assert outside not in str(body)


def test_the_api_answers_an_out_of_scope_original_like_an_unknown_code(api_as, users, chain):
    operator = users[("operator", "a")]
    manager_b = users[("pengelola", "b")]
    unknown = _reject_by_api(api_as, operator, chain["fresh"], UNKNOWN)
    assert unknown[0] == 422 and unknown[1]["error"] == "unknown_original"
    for code in (chain["outside"].tracking_code, chain["other"].tracking_code):
        assert _reject_by_api(api_as, operator, chain["fresh"], code) == unknown
    # Agency B's manager probing agency A's case from one of B's own cases learns nothing either.
    own = services.submit(
        None, dict(BASE, service=chain["other"].service, agency=None), [], channel="web"
    )
    assert _reject_by_api(api_as, manager_b, own, UNKNOWN) == _reject_by_api(
        api_as, manager_b, own, chain["outside"].tracking_code
    )


def test_the_service_refuses_an_original_outside_the_actor_scope_as_unknown(users, chain):
    with pytest.raises(services.ComplaintError) as caught:
        services.reject(
            users[("operator", "a")],
            chain["fresh"],
            reason="duplikat",
            duplicate_of=chain["outside"],
        )
    assert caught.value.code == "unknown_original"
    assert chain["outside"].tracking_code not in caught.value.text
