"""The NIP fields (18 digits) of the whistleblowing forms and of the staff's "name the reported employee"
form open the phone's number pad and offer no autofill."""

import pytest
from django.test import Client

from tests.inputs import assert_nip_input

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/integritas/lapor/", "/integritas/gratifikasi/"])
def test_the_public_forms_open_the_number_pad_for_the_nip(org, url):
    r = Client().get(url)
    assert r.status_code == 200
    assert_nip_input(r.content.decode(), "reported_nip")


def test_naming_the_reported_employee_opens_the_number_pad(org, users, make_case):
    report = make_case(reported_name="Bapak di loket 3", reported_nip="", reported_unit="")
    client = Client()
    client.force_login(users[("inspektorat", "a")])
    r = client.get(f"/integritas/staf/{report.pk}/")
    assert r.status_code == 200
    assert_nip_input(r.content.decode(), "reported-nip")
