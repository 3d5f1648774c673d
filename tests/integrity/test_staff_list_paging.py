"""The inspectorate's case list (``/integritas/staf/``) comes a page at a time instead of stopping
silently at its first 200 cases: page 1 holds a page's worth and links to page 2 (keeping the stage
filter), page 2 the rest, and no case is lost."""

import html
import re

import pytest
from django.test import Client

from amanah.integrity import views

pytestmark = pytest.mark.django_db

PER_PAGE = 3


def _get(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.content[:300]
    return html.unescape(r.content.decode())


def test_cases_page_by_page(monkeypatch, make_case, users):
    monkeypatch.setattr(views, "STAFF_LIST_PER_PAGE", PER_PAGE)
    made = {make_case().case_number for _ in range(PER_PAGE + 2)}
    client = Client()
    client.force_login(users[("inspektorat", "a")])
    number = r'/integritas/staf/\d+/">([^<]+)</a>'

    first = _get(client, "/integritas/staf/?status=diterima")
    nxt = re.search(r'<a href="([^"]*)" rel="next">', first).group(1)
    assert "status=diterima" in nxt and "hal=2" in nxt
    assert '<nav class="pager" aria-label="Halaman">' in first
    second = _get(client, "/integritas/staf/" + nxt)
    assert 'rel="next"' not in second and 'rel="prev"' in second

    on_first, on_second = re.findall(number, first), re.findall(number, second)
    assert len(on_first) == PER_PAGE and len(on_second) == 2
    assert set(on_first) | set(on_second) == made and not set(on_first) & set(on_second)


def test_one_page_has_no_pager(make_case, users):
    make_case()
    client = Client()
    client.force_login(users[("inspektorat", "a")])
    page = _get(client, "/integritas/staf/")
    assert 'class="pager"' not in page
