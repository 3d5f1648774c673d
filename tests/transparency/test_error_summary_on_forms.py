"""A refused target on the leadership dashboard is summed up at the top of the page
(core/_error_summary.html), not only beside the form at its bottom: one focused alert whose links lead
to the fields of the target form, and a title that begins with "Kesalahan: "."""

import html

import pytest
from django.test import Client

from tests.error_summary import checked_summary

pytestmark = pytest.mark.django_db


def leader(users):
    client = Client()
    client.force_login(users[("pimpinan", "a")])
    return client


@pytest.mark.parametrize(
    "data, targets",
    [
        ({"code": "ikm", "year": "abc", "target": "x"}, ["t-year", "t-target"]),
        ({"code": "bukan", "year": "2026", "target": "90"}, ["t-code"]),
        ({"code": "tepat_waktu", "year": "2026", "target": "150"}, ["t-target"]),
    ],
)
def test_a_refused_target_is_summed_up_at_the_top(users, data, targets):
    client = leader(users)
    assert 'id="form-errors"' not in client.get("/transparansi/pimpinan/").content.decode()
    r = client.post("/transparansi/pimpinan/target/", {"agency": "kab-a", **data})
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == targets
    assert page.index('id="form-errors"') < page.index('id="h-units"')  # above the figures
    for target in targets:  # each field is described by its own error
        assert f'aria-describedby="{target}-e"' in page and f'id="{target}-e"' in page


def test_the_summary_names_each_field_as_the_form_does(users):
    r = leader(users).post(
        "/transparansi/pimpinan/target/",
        {"agency": "kab-a", "code": "tepat_waktu", "year": "2026", "target": "150"},
    )
    summary = html.unescape(r.content.decode()).split('id="form-errors"')[1].split("</div>")[0]
    assert '<a href="#t-target">Target: ' in summary and "paling besar 100" in summary


@pytest.mark.parametrize(
    "query, target",
    [
        ("start=2026-12-01&end=2026-01-01", "p-start"),  # backwards
        ("start=bukan&end=2026-01-01", "p-start"),
        ("start=2026-01-01&end=bukan", "p-end"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/transparansi/", "/transparansi/i/kab-a/", "/transparansi/i/kab-a/indikator/"]
)
def test_a_refused_period_is_summed_up_at_the_top(org, path, query, target):
    r = Client().get(f"{path}?{query}")
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == [target]
    assert 'aria-describedby="p-error"' in page and 'id="p-error"' in page
    assert 'id="form-errors"' not in Client().get(path).content.decode()


def test_a_refused_period_on_the_leadership_dashboard_is_summed_up(users):
    r = leader(users).get("/transparansi/pimpinan/?agency=kab-a&start=bukan")
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == ["p-start"]
    summary = html.unescape(page).split('id="form-errors"')[1].split("</div>")[0]
    assert '<a href="#p-start">Dari tanggal: ' in summary
