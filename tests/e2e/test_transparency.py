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
