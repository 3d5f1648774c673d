"""The last item of the dashboard's breadcrumb is the page itself and says so (aria-current="page"),
at every level."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/transparansi/", "/transparansi/i/kab-a/", "/transparansi/i/kab-a/u/kab-a-dukcapil/"]
)
def test_the_last_crumb_is_the_current_page(org, path):
    page = Client().get(path).content.decode()
    crumbs = re.search(r'<nav class="crumbs"[^>]*><ol>(.*?)</ol></nav>', page, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", crumbs, re.S)
    assert 'aria-current="page"' in items[-1]
    assert all('aria-current="page"' not in item for item in items[:-1])
