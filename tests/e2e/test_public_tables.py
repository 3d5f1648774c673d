"""The public data tables on the narrowest phone (320 px) without JavaScript: each row stacks into a block
with a label beside each value, so no table scrolls sideways and the last column stays on screen."""

import datetime as dt
import random

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e

WIDTH = 320

# For each table box: how much it scrolls sideways, and the right edge of the text of every body row's
# last cell (a Range measures the text itself, not a cell that may be wider than what it shows).
MEASURE = """() => {
    const view = document.documentElement.clientWidth;
    const wraps = [...document.querySelectorAll("main .table-wrap")].map((wrap) => {
        const last = [...wrap.querySelectorAll("tbody tr")].map((tr) => tr.lastElementChild)
            .filter((cell) => cell.textContent.trim() !== "")
            .map((cell) => {
                const range = document.createRange();
                range.selectNodeContents(cell);
                const r = range.getBoundingClientRect();
                return {text: cell.textContent.trim(), left: r.left, right: r.right,
                        width: r.width, shown: cell.checkVisibility()};
            });
        return {caption: (wrap.querySelector("caption, th") || wrap).textContent.trim(),
                scroll: wrap.scrollWidth, client: wrap.clientWidth, last};
    });
    return {view, doc: document.documentElement.scrollWidth, wraps};
}"""


def check_tables(p, url, *, at_least):
    p.goto(url)
    m = p.evaluate(MEASURE)
    assert m["view"] == WIDTH
    assert m["doc"] <= m["view"], f"{url}: the page is {m['doc']} px wide"
    assert len(m["wraps"]) >= at_least, url
    for wrap in m["wraps"]:
        where = f"{url} [{wrap['caption'][:40]}]"
        assert wrap["scroll"] <= wrap["client"], f"{where}: scrolls {wrap['scroll']} px"
        assert wrap["last"], f"{where}: no rows"
        for cell in wrap["last"]:
            assert cell["shown"] and cell["width"] > 0, f"{where}: {cell['text']!r} hidden"
            assert 0 <= cell["left"] and cell["right"] <= WIDTH, (
                f"{where}: {cell['text']!r} at {cell['left']:.0f}–{cell['right']:.0f} px"
            )
    return m


@pytest.fixture
def data(transactional_db, org, users, django_capture_on_commit_callbacks):
    """Complaints in both agencies, integrity reports, and two published SKM periods of one unit (so
    the results page has a comparison, a trend, a profile, services and a follow-up plan)."""
    from amanah.surveys import services
    from amanah.surveys.models import Response
    from tests.transparency.conftest import make_complaints, make_reports

    admin = users[("admin", None)]
    unit = org["a"]["bidang"]
    rng = random.Random(4)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        make_complaints(org, 40, seed=5, key="a")
        make_complaints(org, 12, seed=6, key="b")
        make_reports(
            org,
            [
                ("korupsi", "selesai", "terbukti", "berat", 5),
                ("korupsi", "diperiksa", None, None, 20),
                ("pungutan_liar", "selesai", "terbukti", "ringan", 12),
                ("gratifikasi", "ditutup", None, None, 60),
            ],
        )
        periods = []
        for i, ends in enumerate((200, 20)):
            period = services.create_period(
                admin,
                unit=unit,
                start=today - dt.timedelta(days=ends + 60),
                end=today - dt.timedelta(days=ends),
                population=300,
            )
            Response.objects.bulk_create(
                Response(
                    period=period,
                    service=org["a"]["service"] if n % 3 else None,
                    gender="LP"[n % 2],
                    age=19 + 5 * n,
                    education=["SMA", "D4-S1", "SMP"][n % 3],
                    occupation=["Swasta", "PNS", "Wirausaha"][n % 3],
                    **{f"u{k + 1}": rng.choice([2, 3, 3, 4, 4][i:]) for k in range(9)},
                )
                for n in range(12)
            )
            services.close_period(admin, period)
            services.add_plan(
                admin,
                period,
                element="U3",
                action="Menambah satu loket pada jam sibuk",
                owner="Kepala Bidang Pendaftaran Penduduk",
                due=today + dt.timedelta(days=60),
            )
            periods.append(services.publish_period(admin, period, analysis="Waktu tunggu."))
    return {"periods": periods}


def test_public_tables_stack_on_a_320px_phone_without_javascript(
    browser, live_server, data, org, users
):
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": WIDTH, "height": 640},
        device_scale_factor=1,
        locale="id-ID",
    )
    outside = []
    context.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    p = context.new_page()
    base = live_server.url
    agency, unit = org["a"]["agency"].code, org["a"]["dinas"].code
    period = data["periods"][-1]

    check_tables(p, base + "/transparansi/", at_least=6)
    # The agency's name heads its block, above its rank (the first cell of the row on a wide screen).
    row = p.locator("main table").first.locator("tbody tr").first
    name, rank = row.locator("th").bounding_box(), row.locator("td").first.bounding_box()
    assert name["y"] + name["height"] <= rank["y"] and name["width"] > rank["width"] / 2
    check_tables(p, base + f"/transparansi/i/{agency}/", at_least=7)
    check_tables(p, base + f"/transparansi/i/{agency}/u/{unit}/", at_least=5)
    check_tables(p, base + f"/transparansi/i/{agency}/indikator/", at_least=1)
    check_tables(p, base + "/transparansi/data/", at_least=5)  # the open data dictionary
    check_tables(p, base + f"/skm/u/{period.unit.code}/hasil/", at_least=1)  # the unit's SKM page
    m = check_tables(p, base + f"/skm/hasil/{period.pk}/", at_least=9)
    # The per-element table reads as a list of elements, each with its values labelled.
    first = p.locator("main table").first.locator("tbody tr").first
    assert first.locator("th").evaluate("th => getComputedStyle(th).fontWeight") in ("700", "bold")
    assert "Jumlah nilai" in first.locator("td").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert m["wraps"][0]["last"][0]["text"]  # the first row's NRR tertimbang is on screen
    p.screenshot(path="/tmp/tables_320.png", full_page=True)

    # The staff results page (signed in, with the follow-up form in the plans table) stacks too.
    p.goto(base + "/akun/masuk/")
    p.get_by_label("Email").fill(users[("unit", "a")].email)
    p.get_by_label("Kata sandi").fill("sandi-rahasia-123")
    p.get_by_role("button", name="Masuk", exact=True).click()
    p.wait_for_url("**/staf/")
    check_tables(p, base + f"/skm/staf/periode/{period.pk}/", at_least=9)
    check_tables(p, base + "/skm/staf/", at_least=1)  # the list of survey periods
    context.close()
    assert not outside, f"third-party requests: {outside}"


def test_wide_screens_keep_the_normal_tables(desktop_page, data):
    desktop_page.goto(desktop_page.base_url + "/transparansi/")
    table = desktop_page.locator("main table").first
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    assert table.locator("thead").is_visible()
    assert table.locator("tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == (
        "table-row"
    )
