"""The staff complaint inbox is a stacked table: on a phone each case is a block led by its case number
(the row's heading, ``th scope="row"``), every other value labelled by its column header. The number, not
the tracking code: the code is the complainant's key to their case, and a list is read over shoulders."""

import pytest

from tests.i18n import client_in
from tests.tables import assert_stacked, by_head

pytestmark = pytest.mark.django_db

COLUMNS = ["Nomor", "Judul", "Status", "Tenggat tahap ini", "Unit", "Diterima"]


def test_staff_inbox_stacks_on_a_phone_each_case_led_by_its_code(org, submit, users):
    first = submit(title="KTP-el belum dicetak")
    second = submit(title="Pungli loket KTP", identity_mode="rahasia")
    client = client_in("id")
    client.force_login(users[("operator", "a")])
    page = client.get("/pengaduan/staf/")
    assert page.status_code == 200
    html = page.content.decode()
    inbox = by_head(assert_stacked(html, at_least=1), "Nomor")
    assert inbox["region"] == "Kotak masuk pengaduan"
    assert [c["text"] for c in inbox["head"]] == COLUMNS
    assert {row[0]["text"] for row in inbox["rows"]} == {f"AMN-{first.pk}", f"AMN-{second.pk}"}
    # Neither in the text nor in the links' addresses (which stay in the browser's history).
    assert first.tracking_code not in html and second.tracking_code not in html
    assert f'href="/pengaduan/staf/AMN-{first.pk}/"' in html
    for row in inbox["rows"]:
        code = row[0]
        assert code["tag"] == "th" and code["attrs"]["scope"] == "row"
        assert code["attrs"]["data-label"] == "Nomor"
        assert (
            "code-nowrap" in code["attrs"]["class"].split()
        )  # a code is never broken across lines
        assert [c["tag"] for c in row[1:]] == ["td"] * 5


def test_staff_inbox_table_in_english(org, submit, users):
    c = submit()
    client = client_in("en")
    client.force_login(users[("operator", "a")])
    inbox = by_head(
        assert_stacked(client.get("/pengaduan/staf/").content.decode(), at_least=1), "Number"
    )
    assert inbox["region"] == "Complaint inbox"
    (row,) = inbox["rows"]
    assert row[0]["tag"] == "th" and row[0]["text"] == f"AMN-{c.pk}"
    assert row[0]["attrs"]["data-label"] == "Number"
