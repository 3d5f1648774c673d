"""Both date fields of the inbox filter have a full name: "sampai" alone does not say which date."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_inbox_date_fields_say_which_date(users):
    client = Client()
    client.force_login(users[("operator", "a")])
    page = client.get("/pengaduan/staf/").content.decode()
    labels = dict(re.findall(r'<label for="(f-dari|f-sampai)">([^<]+)</label>', page))
    assert labels == {"f-dari": "Diterima dari", "f-sampai": "Diterima sampai"}
