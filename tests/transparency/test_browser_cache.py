"""The public dashboard pages may be shown again by the visitor's own browser for a few minutes
(``Cache-Control: private, max-age``) instead of being downloaded again on a slow phone connection;
refusals and signed-in staff are not cached."""

import pytest
from django.test import Client

from tests.i18n import client_in

PAGES = (
    "/transparansi/",
    "/transparansi/i/kab-a/",
    "/transparansi/i/kab-a/u/kab-a-dukcapil/",
    "/transparansi/i/kab-a/indikator/",
    "/transparansi/data/",
)


def _directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_are_kept_by_the_browser_only(org, settings, path):
    settings.TRANSPARENCY_PAGE_MAX_AGE = 240
    r = Client().get(path)
    assert r.status_code == 200
    assert _directives(r) == {"private", "max-age=240"}
    # the language chosen in the menu is part of what the page is
    assert "Cookie" in r.get("Vary", "")


def test_refusals_and_staff_pages_are_not_kept(org, users, settings):
    settings.TRANSPARENCY_PAGE_MAX_AGE = 240
    refused = Client().get("/transparansi/?start=2026-13-01")
    assert refused.status_code == 400 and "max-age=240" not in _directives(refused)
    unknown = Client().get("/transparansi/i/no-such-agency/")
    assert unknown.status_code == 404 and "max-age=240" not in _directives(unknown)
    staff = Client()
    staff.force_login(users[("pimpinan", "a")])
    signed_in = staff.get("/transparansi/i/kab-a/")
    assert signed_in.status_code == 200 and "no-store" in _directives(signed_in)


def test_zero_turns_it_off(org, settings):
    settings.TRANSPARENCY_PAGE_MAX_AGE = 0
    assert "Cache-Control" not in client_in("en").get("/transparansi/")
