"""The staff case page and assisted intake against the API: every action the roles have, errors beside
the field that caused them and in the reader's language, a case that moved on meanwhile, malformed ids."""

import pytest
from django.test import Client

from amanah.complaints import selectors, services
from amanah.core.models import Service
from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def _page(user, language=None, **kwargs):
    client = client_in(language, **kwargs) if language else Client(**kwargs)
    client.force_login(user)
    return client


def _url(c):
    return f"/pengaduan/staf/AMN-{c.pk}/"


# 1. reassign_unit -------------------------------------------------------------------------------


def test_manager_can_reassign_the_unit_from_the_case_page_as_through_the_api(
    org, users, submit, walk, api_as
):
    manager = users[("pengelola", "a")]
    c = walk(submit(), "diteruskan")
    assert "reassign_unit" in selectors.allowed_actions(manager, c)
    # The API does it, and so does the page.
    r = api_as(manager).post(
        f"/api/v1/staff/complaints/{c.tracking_code}/reassign", {"unit": "kab-a-dukcapil"}
    )
    assert r.status_code == 200
    c2 = walk(submit(), "diteruskan")
    page = _page(manager)
    html = page.get(_url(c2)).content.decode()
    assert 'value="reassign_unit"' in html
    r = page.post(_url(c2), {"action": "reassign_unit", "unit": org["a"]["dinas"].pk})
    assert r.status_code == 302


# 2. service limits and field names the page form does not know -----------------------------------

CASES = [
    # (state, role, action, length that the page form accepts but the service refuses)
    ("diterima", "operator", "request_completion", 2001),
    ("menunggu_kelengkapan", "operator", "complete", 2001),
    ("diteruskan", "unit", "start", 2001),
    ("diteruskan", "pengelola", "escalate", 1001),
    ("diteruskan", "pengelola", "refer", 2001),
]


@pytest.mark.parametrize("state,role,action,length", CASES)
def test_too_long_text_is_refused_next_to_the_field(
    users, submit, walk, state, role, action, length
):
    c = walk(submit(), state)
    r = _page(users[(role, "a")]).post(_url(c), {"action": action, "text": "a" * length})
    html = r.content.decode()
    assert r.status_code == 400
    # The field says how long it may be, and the refusal sits next to it.
    limit = length - 1
    assert (
        f'maxlength="{limit}"'
        in html.split(f'name="action" value="{action}"')[1].split("</form>")[0]
    )
    assert f'id="{action}_text_error"' in html


@pytest.mark.parametrize(
    "state,action", [("diterima", "request_completion"), ("menunggu_kelengkapan", "complete")]
)
def test_a_required_message_is_marked_and_refused_next_to_the_field(
    users, submit, walk, state, action
):
    c = walk(submit(), state)
    r = _page(users[("operator", "a")]).post(_url(c), {"action": action, "text": ""})
    html = r.content.decode()
    assert r.status_code == 400
    assert f'id="{action}_text_error"' in html
    form = html.split(f'name="action" value="{action}"')[1].split("</form>")[0]
    assert "required" in form and '<span aria-hidden="true">*</span>' in form


# 3. English -------------------------------------------------------------------------------------


def test_service_length_errors_are_translated_on_the_english_page(users, submit, walk):
    c = walk(submit(), "diteruskan")
    r = _page(users[("pengelola", "a")], "en").post(
        _url(c), {"action": "escalate", "text": "a" * 1001}
    )
    html = r.content.decode()
    assert "Internal note" in html  # the page is in English
    assert "Paling banyak" not in html and "At most 1000 characters" in html


def test_duplicate_of_a_duplicate_error_is_translated_on_the_english_page(users, submit, walk):
    operator = users[("operator", "a")]
    original, dup, third = submit(), submit(), submit()
    services.reject(operator, dup, reason="duplikat", duplicate_of=original)
    r = _page(operator, "en").post(
        _url(third), {"action": "reject", "reason": "duplikat", "duplicate_of": dup.tracking_code}
    )
    html = r.content.decode()
    assert '<html lang="en">' in html
    assert "Pengaduan itu sendiri duplikat" not in html


def test_choice_placeholders_are_indonesian_on_the_indonesian_page(users, submit, walk):
    c = submit()
    html = _page(users[("pengelola", "a")]).get(_url(c)).content.decode()
    assert "Select an option" not in html  # verify unit, transfer agency, answer template


# 4. A form sent after the case moved on ---------------------------------------------------------


def test_an_action_sent_after_the_case_moved_on_says_why_and_keeps_the_text(
    org, users, submit, walk
):
    operator = users[("operator", "a")]
    c = submit()
    page = _page(operator)
    page.get(_url(c))
    services.verify(users[("pengelola", "a")], c, unit=org["a"]["bidang"])  # a colleague, meanwhile
    r = page.post(_url(c), {"action": "request_completion", "text": "Mohon kirim fotokopi KK."})
    html = r.content.decode()
    assert r.status_code == 409
    refusal = html.split('id="penolakan"')[1].split("</div>")[0]
    assert "tidak dapat dilakukan" in refusal and "Diverifikasi dan diteruskan" in refusal
    assert ">Mohon kirim fotokopi KK.</textarea>" in refusal


# 5. 500 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "1.5"])
def test_assign_with_a_malformed_officer_id_is_not_a_server_error(users, submit, walk, value):
    c = walk(submit(), "diteruskan")
    r = _page(users[("pengelola", "a")], raise_request_exception=False).post(
        _url(c), {"action": "assign", "user": value}
    )
    assert r.status_code == 302  # back to the case, with the refusal as a message
    assert "tidak" in " ".join(str(m) for m in r.wsgi_request._messages).lower()


# 6. Assisted intake ---------------------------------------------------------------------------------


def test_assisted_intake_lists_only_services_the_officer_may_record(org, users):
    """The operator's role is on Dinas Dukcapil; a service of another unit of the same agency is
    listed on the page and then refused on sending."""
    other = Service.objects.create(
        unit=org["a"]["top"],
        code="kab-a-sekda-layanan",
        name="Layanan Setda",
        duration="1",
        cost="0",
    )
    page = _page(users[("operator", "a")])
    html = page.get("/pengaduan/staf/baru/").content.decode()
    assert f'value="{other.code}"' not in html  # it would be refused on sending
    assert 'value="kab-a-ktp"' in html  # the operator's own unit's service is there


# 7. Closed case keeps the escalation badge ----------------------------------------------------------


def test_a_rejected_case_no_longer_shows_an_escalation_badge(users, submit):
    manager = users[("pengelola", "a")]
    c = submit()
    services.escalate(manager, c)
    services.reject(manager, c, reason="spam")
    html = _page(manager).get(_url(c)).content.decode()
    assert "eskalasi tingkat" not in html
