"""The staff complaint inbox is a stacked table: on a phone each case is a block led by its tracking code
(the row's heading, ``th scope="row"``), every other value labelled by its column header."""

import pytest

from tests.i18n import client_in
from tests.tables import assert_stacked, by_head

pytestmark = pytest.mark.django_db

COLUMNS = ["Kode", "Judul", "Status", "Tenggat tahap ini", "Unit", "Diterima"]


def test_staff_inbox_stacks_on_a_phone_each_case_led_by_its_code(org, submit, users):
    first = submit(title="KTP-el belum dicetak")
    second = submit(title="Pungli loket KTP", identity_mode="rahasia")
    client = client_in("id")
    client.force_login(users[("operator", "a")])
    page = client.get("/pengaduan/staf/")
    assert page.status_code == 200
    inbox = by_head(assert_stacked(page.content.decode(), at_least=1), "Kode")
    assert inbox["region"] == "Kotak masuk pengaduan"
    assert [c["text"] for c in inbox["head"]] == COLUMNS
    assert {row[0]["text"] for row in inbox["rows"]} == {first.tracking_code, second.tracking_code}
    for row in inbox["rows"]:
        code = row[0]
        assert code["tag"] == "th" and code["attrs"]["scope"] == "row"
        assert code["attrs"]["data-label"] == "Kode"
        assert (
            "code-nowrap" in code["attrs"]["class"].split()
        )  # a code is never broken across lines
        assert [c["tag"] for c in row[1:]] == ["td"] * 5


def test_staff_inbox_table_in_english(org, submit, users):
    c = submit()
    client = client_in("en")
    client.force_login(users[("operator", "a")])
    inbox = by_head(
        assert_stacked(client.get("/pengaduan/staf/").content.decode(), at_least=1), "Code"
    )
    assert inbox["region"] == "Complaint inbox"
    (row,) = inbox["rows"]
    assert row[0]["tag"] == "th" and row[0]["text"] == c.tracking_code
    assert row[0]["attrs"]["data-label"] == "Code"
