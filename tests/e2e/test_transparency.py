"""The public dashboard on a phone: national → agency → unit, then the unit's CSV."""

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def data(transactional_db, org, django_capture_on_commit_callbacks):
    from tests.transparency.conftest import make_complaints

    with django_capture_on_commit_callbacks(execute=True):
        make_complaints(org, 40, seed=5, key="a")
    return org


def test_drill_down_to_a_unit_and_download_its_csv(data, page):
    page.goto(page.base_url + "/transparansi/")
    assert page.locator("h1").inner_text().startswith("Transparansi pelayanan")
    assert page.locator("svg.chart").count() >= 3
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.get_by_role("link", name="Pemerintah Kabupaten A").first.click()
    page.wait_for_url("**/transparansi/i/kab-a/**")
    page.get_by_role("link", name="Sekretariat Daerah").first.click()
    page.wait_for_url("**/u/kab-a-setda/**")
    page.get_by_role("link", name="Dinas Kependudukan dan Pencatatan Sipil").first.click()
    page.wait_for_url("**/u/kab-a-dukcapil/**")
    assert "Dinas Kependudukan" in page.locator("h1").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh ringkasan (CSV)").click()
    download = info.value
    text = open(download.path(), encoding="utf-8").read()
    head, row = text.splitlines()[:2]
    assert head.startswith("level,agency,unit,start,end,complaints_received")
    assert row.startswith("unit,kab-a,kab-a-dukcapil,")
    assert download.suggested_filename.startswith("amanah-summary-kab-a-dukcapil-")


def test_kept_pages_follow_the_language_menu(data, page):
    """The dashboard pages are kept by the phone's browser for a few minutes (Cache-Control: private,
    max-age): a page kept in Indonesian is not shown again once English is chosen, nor the other way,
    and the page kept in English is not shown once Indonesian is chosen again."""
    kept = []  # the pages Chromium showed from its own cache, not from the server
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on(
        "Network.responseReceived",
        lambda e: (
            kept.append(e["response"]["url"])
            if e["type"] == "Document" and e["response"].get("fromDiskCache")
            else None
        ),
    )
    page.goto(page.base_url + "/transparansi/")
    page.get_by_role("link", name="Pemerintah Kabupaten A").first.click()
    page.wait_for_url("**/transparansi/i/kab-a/**")
    agency = page.url
    page.get_by_role("link", name="Nasional").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Transparansi pelayanan")
    page.get_by_role("link", name="Pemerintah Kabupaten A").first.click()
    page.wait_for_url("**/transparansi/i/kab-a/**")
    assert kept == [agency]  # the second visit cost no download

    page.select_option("#lang-select", "en")
    page.get_by_role("button", name="Ganti").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Service transparency")
    page.get_by_role("link", name="Pemerintah Kabupaten A").first.click()
    page.wait_for_url("**/transparansi/i/kab-a/**")
    assert page.locator("html").get_attribute("lang") == "en"  # not the Indonesian copy kept before
    assert page.locator("h1").inner_text().startswith("Service transparency")

    page.select_option("#lang-select", "id")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Pemerintah Kabupaten A").first.click()
    page.wait_for_url("**/transparansi/i/kab-a/**")
    assert page.locator("html").get_attribute("lang") == "id"
