"""A refused form on the reporter's pages or on the staff case page is summed up at the top of the page
(core/_error_summary.html), as on the report form: one focused alert whose links lead to the fields of
the form that was sent, and a title that begins with "Kesalahan: "."""

import pytest
from django.test import Client

from tests.error_summary import checked_summary

pytestmark = pytest.mark.django_db


def test_a_refused_receipt_is_summed_up(org):
    r = Client().post("/integritas/tindak-lanjut/", {"receipt": "abc"})
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == ["id_receipt"]


@pytest.fixture
def reporter_page(make_case):
    """A browser holding the reporter's session of a new case."""
    report = make_case()
    browser = Client()
    r = browser.post("/integritas/tindak-lanjut/", {"receipt": report.receipt})
    assert r.status_code == 302
    assert 'id="form-errors"' not in browser.get("/integritas/kasus-saya/").content.decode()
    return browser


@pytest.mark.parametrize(
    "path, data, targets",
    [
        ("balas", {"body": ""}, ["id_body"]),
        ("pembalasan", {"kind": "", "description": ""}, ["id_kind", "id_description"]),
        ("pembalasan", {"kind": "tekanan", "description": ""}, ["id_description"]),
    ],
)
def test_a_refused_reply_or_retaliation_is_summed_up(reporter_page, path, data, targets):
    r = reporter_page.post(f"/integritas/kasus-saya/{path}/", data)
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == targets


@pytest.mark.parametrize(
    "action, data, target",
    [
        ("pesan", {"message-body": ""}, "id_message-body"),
        ("terlapor", {"reported-nip": "123"}, "id_reported-nip"),
        ("nilai", {}, "id_assess-credibility"),
        ("rujuk", {}, "id_referral-body"),
        ("identitas", {"disclosure-reason": ""}, "id_disclosure-reason"),
        ("tugaskan", {"user": "bukan-angka"}, "assign-user"),  # no Django form: the refusal
    ],
)
def test_a_refused_staff_action_is_summed_up_at_the_top_of_the_case(
    users, make_case, action, data, target
):
    report = make_case()
    staff = Client()
    staff.force_login(users[("inspektorat", "a")])
    assert staff.post(f"/integritas/staf/{report.pk}/terima/", {"ack-body": ""}).status_code == 302
    assert 'id="form-errors"' not in staff.get(f"/integritas/staf/{report.pk}/").content.decode()
    r = staff.post(f"/integritas/staf/{report.pk}/{action}/", data)
    assert r.status_code == 400
    page = r.content.decode()
    assert target in checked_summary(page)
    assert page.index('id="form-errors"') < page.index('id="case-status"')  # above the case


def test_a_refused_action_whose_control_is_gone_is_summed_up_without_a_dead_link(users, make_case):
    """A receipt sent a second time (from a stale page) is refused; the case no longer offers the receipt
    form, so the summary says why without a link to it (it used to lead to ``#id_ack-body``)."""
    report = make_case()
    staff = Client()
    staff.force_login(users[("inspektorat", "a")])
    assert staff.post(f"/integritas/staf/{report.pk}/terima/", {"ack-body": ""}).status_code == 302
    r = staff.post(f"/integritas/staf/{report.pk}/terima/", {"ack-body": ""})
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == []
    assert 'id="id_ack-body"' not in page
