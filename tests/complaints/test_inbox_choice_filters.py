"""A status, channel or order the inbox does not know is refused, not taken as a filter that matches
nothing: ``/pengaduan/staf/?status=bogus`` used to say "0 pengaduan" and the staff API to answer 200 with
``count`` 0, as if no case had that status. The page says so at the field, in Indonesian (English from the
catalogue), lists what the choice's default lists and keeps the other filters; the API answers 422 with
the project's error body."""

import pytest
from django.test import Client

from amanah.complaints import rules, services
from tests.i18n import client_in

pytestmark = pytest.mark.django_db


def _signed_in(user, client=None):
    client = client or Client()
    client.force_login(user)
    return client


def _form(html: str) -> str:
    return html.split("<main", 1)[1].split("</form>", 1)[0]


def test_status_filters_name_statuses_and_groups():
    assert rules.status_filter("open") == (
        sorted(rules.OPEN_STATUSES, key=rules.STATUSES.index),
        [],
    )
    assert rules.status_filter("dijawab,selesai") == (["dijawab", "selesai"], [])
    assert rules.status_filter("closed, diterima") == (
        [s for s in rules.STATUSES if s in rules.CLOSED_STATUSES or s == "diterima"],
        [],
    )
    assert rules.status_filter("bogus,diterima") == (["diterima"], ["bogus"])
    assert rules.status_filter("") == ([], [])


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"status": "bogus"}, "status", "Status “bogus” tidak dikenal"),
        ({"status": "diterima,bogus"}, "status", "Status “diterima,bogus” tidak dikenal"),
        ({"saluran": "merpati"}, "saluran", "Saluran “merpati” tidak dikenal"),
        ({"urut": "acak"}, "urut", "Urutan “acak” tidak dikenal"),
    ],
)
def test_an_unknown_choice_is_said_at_its_field_and_the_other_filters_stay(
    users, submit, query, field, message
):
    wanted = submit(title="KTP-el belum dicetak")
    closed = services.reject(users[("operator", "a")], submit(title="Tidak jelas"), reason="spam")
    client = _signed_in(users[("pengelola", "a")])
    r = client.get("/pengaduan/staf/", {**query, "q": "KTP-el", "saya": ""})
    html = r.content.decode()
    box = f'<div class="error" id="f-{field}_error" role="alert"><p>{message}'
    assert box in html
    assert f'name="{field}" aria-invalid="true" aria-describedby="f-{field}_error"' in html
    # The other filters stay as typed, and the list is the default choice's: the open case found.
    assert 'name="q" value="KTP-el"' in html
    assert f"AMN-{wanted.pk}<" in html and f"AMN-{closed.pk}<" not in html
    assert "0 pengaduan" not in html
    others = {"status", "saluran", "urut", "dari", "sampai"} - {field}
    assert not any(f'id="f-{o}_error"' in html for o in others)


def test_an_unknown_status_on_the_english_page_is_said_in_english(users, submit):
    submit()
    client = _signed_in(users[("pengelola", "a")], client_in("en"))
    html = client.get("/pengaduan/staf/", {"status": "bogus"}).content.decode()
    assert 'id="f-status_error"' in html
    assert "“bogus”" in html and "tidak dikenal" not in _form(html)


def test_known_choices_give_the_inbox_no_error(users, submit):
    submit()
    client = _signed_in(users[("pengelola", "a")])
    for query in (
        {},
        {"status": "semua"},
        {"status": "closed"},
        {"status": "diterima,diproses"},
        {"saluran": "web", "urut": "tenggat"},
        {"status": ""},
    ):
        html = client.get("/pengaduan/staf/", query).content.decode()
        assert "_error" not in _form(html), query


def test_the_export_of_a_page_with_an_unknown_status_holds_what_the_page_lists(users, submit):
    wanted = submit()
    client = _signed_in(users[("pengelola", "a")])
    body = (
        client.get("/pengaduan/staf/ekspor.csv", {"status": "bogus"}).getvalue().decode("utf-8-sig")
    )
    assert f"AMN-{wanted.pk}," in body


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"status": "bogus"}, "invalid_status", "status"),
        ({"status": "open,bogus"}, "invalid_status", "status"),
        ({"status": ","}, "invalid_status", "status"),
        ({"channel": "merpati"}, "invalid_channel", "channel"),
    ],
)
def test_the_staff_api_refuses_an_unknown_status_or_channel(
    api_as, users, submit, params, code, field
):
    submit()
    r = api_as(users[("pengelola", "a")]).get("/api/v1/staff/complaints", params)
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["error"] == code and body["message"] and body["fields"][field] == body["message"]


def test_the_staff_api_takes_known_statuses_and_groups(api_as, users, submit):
    c = submit()
    client = api_as(users[("pengelola", "a")])
    for status in ("", "open", "diterima", "closed,diterima", "diterima,"):
        r = client.get("/api/v1/staff/complaints", {"status": status})
        assert r.status_code == 200 and r.json()["count"] == 1, status
    assert client.get("/api/v1/staff/complaints", {"status": "closed"}).json()["count"] == 0
    assert (
        client.get("/api/v1/staff/complaints", {"channel": "web"}).json()["items"][0]["case_number"]
        == f"AMN-{c.pk}"
    )
