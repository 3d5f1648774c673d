"""The staff home lists exactly the work each account may open: every link answers 200, and every staff
area that opens for the account is linked (the menu asks each view's own check). An account with
nothing to open reads a sentence saying so instead of an empty menu."""

import re

import pytest
from django.test import Client

from tests.authz import ALL_ROLES

#: Every app's staff area, written out here rather than taken from the menu's own table, so that an area
#: the menu forgets is noticed.
STAFF_AREAS = (
    "/pengaduan/staf/",
    "/integritas/staf/",
    "/skm/staf/",
    "/kepegawaian/",
    "/forum/staf/",
    "/transparansi/pimpinan/",
)


def _work_links(html: str) -> list[str]:
    work = html.split("<h2>Pekerjaan</h2>")[1].split("<h2>")[0]
    return re.findall(r'href="([^"]+)"', work)


def _check(user) -> list[str]:
    client = Client()
    client.force_login(user)
    r = client.get("/staf/")
    assert r.status_code == 200
    links = _work_links(r.content.decode())
    refused = {h: s for h in links if (s := client.get(h, follow=True).status_code) != 200}
    assert refused == {}, f"{user.email}: menu entries that do not open: {refused}"
    opening = [a for a in STAFF_AREAS if client.get(a, follow=True).status_code == 200]
    assert sorted(links) == sorted(opening), user.email
    return links


@pytest.fixture
def demo_users(db):
    from amanah.core import demo

    return demo.load_organisation()["users"]


def test_each_demo_account_sees_the_work_it_may_open(demo_users):
    seen = {email: _check(user) for email, user in demo_users.items()}
    assert seen["asn@dukcapil.test"] == ["/kepegawaian/"]
    assert seen["bkpsdm@sleman.test"] == ["/kepegawaian/"]
    assert "/integritas/staf/" not in seen["operator@dukcapil.test"]
    assert "/kepegawaian/" not in seen["pengelola@sleman.test"]
    assert "/integritas/staf/" not in seen["auditor@sleman.test"]
    assert "/forum/staf/" in seen["pengelola@sleman.test"]
    assert "/forum/staf/" not in seen["operator@dukcapil.test"]
    assert sorted(seen["admin@amanah.test"]) == sorted(STAFF_AREAS)


@pytest.mark.parametrize("role", [*ALL_ROLES, "admin"])
def test_each_role_without_an_employee_record_sees_the_work_it_may_open(users, role):
    _check(users[(role, None if role == "admin" else "a")])


def test_an_account_with_nothing_to_open_is_told_so(make_user, org):
    client = Client()
    client.force_login(make_user())
    html = client.get("/staf/").content.decode()
    assert _work_links(html) == []
    assert "Belum ada halaman kerja yang dapat Anda buka dengan peran Anda." in html
    assert 'href="/akun/2fa/"' in html  # the second factor is still one step away
