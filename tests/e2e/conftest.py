"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browser here, so it launches ``/usr/bin/chromium`` (or
``AMANAH_CHROMIUM``) headless with the flags a closed network needs. Tests are marked ``e2e`` and run
in the SQLite pass.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("AMANAH_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page; ``page.base_url`` is the live server. Any request leaving 127.0.0.1 fails the test."""
    context = browser.new_context(**PHONE, locale="id-ID")
    p = context.new_page()
    outside = []

    def check(request):
        url = request.url
        if not (
            url.startswith(live_server.url) or url.startswith("data:") or url.startswith("about:")
        ):
            outside.append(url)

    p.on("request", check)
    p.base_url = live_server.url
    yield p
    context.close()
    assert not outside, f"third-party requests: {outside}"


@pytest.fixture
def desktop_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    p = context.new_page()
    p.base_url = live_server.url
    yield p
    context.close()
