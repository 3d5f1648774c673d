"""The staff data tables on the narrowest phone (320 px) without JavaScript: the leadership view, the
HR pages (with a row in every table), the employee profile, the SKP rating form and the integrity
case list stack like the public tables, so none scrolls sideways and the last column stays on screen."""

import pytest

from tests.e2e.test_public_tables import WIDTH, check_tables

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-rahasia-123"


@pytest.fixture
def data(transactional_db, org, users, make_user, django_capture_on_commit_callbacks):
    """Complaints in agency A (some overdue), integrity reports, a row in every HR table, and accounts
    for the staff member and the supervisor who rates a draft SKP."""
    from tests.personnel import helpers
    from tests.transparency.conftest import make_complaints, make_reports

    a = org["a"]
    with django_capture_on_commit_callbacks(execute=True):
        make_complaints(org, 80, seed=7, key="a")
        make_reports(
            org,
            [
                ("korupsi", "diterima", None, None, 3),
                ("pungutan_liar", "selesai", "terbukti", "ringan", 12),
                ("gratifikasi", "diperiksa", None, None, 30),
            ],
        )
    out = helpers.hr_tables(org)
    out["draft"] = helpers.skp(a["kabid"], rater=a["kadis"])
    out["asn"] = make_user(employee=a["staff"], email="asn@kab-a.go.id")
    out["kadis"] = make_user(employee=a["kadis"], email="kadis@kab-a.go.id")
    return out


def _phone(browser, live_server, email=None):
    """A 320 px page without JavaScript, signed in as ``email`` (if given)."""
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": WIDTH, "height": 640},
        device_scale_factor=1,
        locale="id-ID",
    )
    p = context.new_page()
    p.outside = []
    p.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((live_server.url, "data:", "about:"))
            else p.outside.append(r.url)
        ),
    )
    if email:
        p.goto(live_server.url + "/akun/masuk/")
        p.get_by_label("Email").fill(email)
        p.get_by_label("Kata sandi").fill(PASSWORD)
        p.get_by_role("button", name="Masuk", exact=True).click()
        p.wait_for_load_state()
        assert "/akun/masuk/" not in p.url, f"{email} could not sign in"
    return p


# Every visible form control inside a stacked table: its box, its cell's, and the right edge of the table's
# box as shown (a table wider than its box would scroll sideways inside it).
CONTROLS = """() => [...document.querySelectorAll(
        "main table.stack :is(input:not([type=hidden]), select, textarea)")].map((el) => {
    const r = el.getBoundingClientRect(), cell = el.closest("td, th").getBoundingClientRect();
    const wrap = el.closest(".table-wrap");
    return {name: el.id || el.name || el.type, left: r.left, right: r.right, cellLeft: cell.left,
            cellRight: cell.right, shown: wrap.getBoundingClientRect().left + wrap.clientWidth,
            view: document.documentElement.clientWidth};
})"""

# Controls whose smallest width the browser does not shrink to fit a narrow cell by itself (a text box
# 100% wide it does): a file picker, a 60-character address field, a date, a date and time, a month.
# Without the stacked table's own rules they widened the whole table past a 320 px phone.
WIDE_CONTROLS = """(form) => form.insertAdjacentHTML("beforeend",
    '<input type="file" name="wide-file"><input type="url" size="60" name="wide-url">'
    + '<input type="date" name="wide-date"><input type="datetime-local" name="wide-datetime">'
    + '<input type="month" name="wide-month">')"""


def check_controls(p, *, at_least):
    """No input, select or text box inside a stacked table reaches past either edge of its cell, and no
    cell past the right edge of its table's box."""
    controls = p.evaluate(CONTROLS)
    assert len(controls) >= at_least, controls
    for c in controls:
        assert c["cellLeft"] - 0.5 <= c["left"] and c["right"] <= c["cellRight"] + 0.5, (p.url, c)
        assert c["cellRight"] <= c["shown"] + 0.5 <= c["view"] + 0.5, (p.url, c)
    return controls


def _close(p):
    outside = p.outside
    p.context.close()
    assert not outside, f"third-party requests: {outside}"


def test_staff_tables_stack_on_a_320px_phone_without_javascript(
    browser, live_server, data, org, users
):
    base = live_server.url
    staff = org["a"]["staff"]

    p = _phone(browser, live_server, users[("pimpinan", "a")].email)
    check_tables(p, base + "/transparansi/pimpinan/", at_least=3)  # units, overdue, indicators
    # Sub-units stay nested: each stacked block starts further in than the block of the unit it is
    # part of, and says which unit that is.
    units = p.locator("main table").first
    left = {
        name: units.locator("tbody th")
        .filter(has=p.get_by_role("link", name=name, exact=True))
        .bounding_box()["x"]
        for name in (
            "Sekretariat Daerah",
            "Dinas Kependudukan dan Pencatatan Sipil",
            "Bidang Pendaftaran Penduduk",
            "Inspektorat",
        )
    }
    assert (
        left["Sekretariat Daerah"]
        < left["Dinas Kependudukan dan Pencatatan Sipil"]
        == left["Inspektorat"]
        < left["Bidang Pendaftaran Penduduk"]
    ), left
    part_of = units.get_by_text("bagian dari Dinas Kependudukan dan Pencatatan Sipil")
    assert part_of.is_visible()
    box = part_of.bounding_box()
    assert box["x"] >= left["Bidang Pendaftaran Penduduk"] and box["x"] + box["width"] <= WIDTH
    # On a wide screen the indented names show it; the words are kept for screen readers only.
    p.set_viewport_size({"width": 1000, "height": 640})
    assert part_of.bounding_box()["width"] <= 1
    p.set_viewport_size({"width": WIDTH, "height": 640})
    # Leadership decides on proposed awards: the buttons in the last cell are on screen.
    check_tables(p, base + "/kepegawaian/penghargaan/", at_least=1)
    assert p.get_by_role("button", name="Setujui").is_visible()
    _close(p)

    # The complaint inbox: each case is a block led by its number (the row's heading), on one line
    # above the case's other values.
    p = _phone(browser, live_server, users[("operator", "a")].email)
    check_tables(p, base + "/pengaduan/staf/", at_least=1)
    row = p.locator("main table.stack tbody tr").first
    code, title = row.locator("th[scope=row]"), row.locator("td").first
    assert code.evaluate("(th) => getComputedStyle(th, '::before').content") == '"Nomor"'
    code_box, title_box = code.bounding_box(), title.bounding_box()
    assert code_box["y"] + code_box["height"] <= title_box["y"] + 1, (code_box, title_box)
    assert code_box["x"] >= 0 and code_box["x"] + code_box["width"] <= WIDTH
    assert code_box["height"] < 2 * title.evaluate(
        "(td) => parseFloat(getComputedStyle(td).lineHeight)"
    )
    _close(p)

    p = _phone(browser, live_server, users[("kepegawaian", "a")].email)
    check_tables(p, base + "/kepegawaian/staf/", at_least=1)
    check_tables(p, base + "/kepegawaian/pegawai/", at_least=1)
    check_tables(p, base + "/kepegawaian/jp/", at_least=1)
    check_tables(p, base + "/kepegawaian/program/", at_least=1)
    check_tables(p, base + "/kepegawaian/disiplin/", at_least=1)
    check_tables(p, base + "/kepegawaian/indeks/", at_least=1)
    check_tables(p, base + "/kepegawaian/kompetensi/", at_least=3)
    # The rename form inside its cell still works without JavaScript.
    field = p.get_by_label("Nama baru untuk adminduk")
    box = field.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    check_controls(p, at_least=1)
    # Not only because the browser shrinks a text box by itself: any control stays inside its cell.
    p.locator("main table.stack td form").filter(has=field).evaluate(WIDE_CONTROLS)
    wide = check_controls(p, at_least=6)
    assert {"wide-file", "wide-url", "wide-date", "wide-datetime", "wide-month"} <= {
        c["name"] for c in wide
    }
    assert p.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    p.reload()
    field.fill("Administrasi kependudukan dan catatan sipil")
    field.press("Enter")
    p.wait_for_load_state()
    assert "Administrasi kependudukan dan catatan sipil" in p.locator("main").inner_text()
    check_tables(p, base + f"/kepegawaian/pegawai/{staff.nip}/", at_least=4)
    p.screenshot(path="/tmp/staff_tables_320.png", full_page=True)
    _close(p)

    # The supervisor's rating form: each result input sits in its labelled cell, on screen.
    p = _phone(browser, live_server, "kadis@kab-a.go.id")
    check_tables(p, base + f"/kepegawaian/skp/{data['draft'].pk}/", at_least=1)
    box = p.locator(f"#result-{data['draft'].indicators.get().pk}").bounding_box()
    assert box["width"] > 40 and box["x"] + box["width"] <= WIDTH
    check_controls(p, at_least=1)
    _close(p)

    # The ASN's own page: the objection form spans the row below the rated SKP. That row is a plain
    # block, so the form takes the block's width: in a flex row it took the width of its 40-column text
    # box (wider than a 320 px phone unless the browser shrinks the box, narrower than a larger phone).
    p = _phone(browser, live_server, "asn@kab-a.go.id")
    check_tables(p, base + "/kepegawaian/saya/", at_least=3)
    text = p.locator(f"#keberatan-{data['skp'].pk}-text")
    for width in (WIDTH, 480):
        p.set_viewport_size({"width": width, "height": 640})
        p.goto(base + "/kepegawaian/saya/")
        box = text.bounding_box()
        row = text.locator("xpath=ancestor::td[1]").bounding_box()
        assert abs(box["x"] - row["x"]) < 1 and abs(box["width"] - row["width"]) < 1, (
            width,
            box,
            row,
        )
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert p.evaluate("() => document.documentElement.scrollWidth") <= width
        check_controls(p, at_least=1)
    _close(p)

    p = _phone(browser, live_server, users[("inspektorat", "a")].email)
    check_tables(p, base + "/integritas/staf/", at_least=1)
    _close(p)
    p = _phone(browser, live_server)
    check_tables(p, base + "/integritas/statistik/", at_least=4)
    _close(p)
