"""The dashboard pages: drill-down, figures beside charts, CSV links, bad input, leadership view."""

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from tests.i18n import client_in


def test_national_agency_unit_drill_down(dataset, org, client):
    r = client.get("/transparansi/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<svg" in html and "<table" in html and "/api/v1/transparency/agencies?" in html
    assert f"/transparansi/i/{org['a']['agency'].code}/" in html
    r = client.get(f"/transparansi/i/{org['a']['agency'].code}/")
    html = r.content.decode()
    assert r.status_code == 200 and org["a"]["top"].name in html
    assert "Layanan yang paling banyak diadukan" in html
    r = client.get(f"/transparansi/i/kab-a/u/{org['a']['dinas'].code}/")
    html = r.content.decode()
    assert r.status_code == 200 and org["a"]["bidang"].name in html
    assert "tidak ditampilkan per unit" in html  # no integrity figures per unit
    assert "format=csv" in html and "unit=kab-a-dukcapil" in html


def test_figures_on_the_page_match_the_api(dataset, client, api):
    start = (timezone.localdate() - dt.timedelta(days=90)).isoformat()
    r = client.get("/transparansi/i/kab-a/", {"start": start})
    s = api.get("/api/v1/transparency/summary", {"agency": "kab-a", "start": start}).json()
    html = r.content.decode()
    assert f"dari {s['deadline_cases']} kasus" in html
    assert (
        f"<dd>{s['complaints_received']}</dd>" in html
        and f"<dd>{s['complaints_closed']}</dd>" in html
    )
    # Whistleblowing reports over the period's whole months that are over: from the 1st of the start's
    # month to the end of last month.
    assert re.search(r"Laporan diterima 1 \w+ \d{4} – \d+ \w+ \d{4}: 9\.", html)


def test_bad_period_keeps_the_input_and_explains(org, client):
    r = client.get("/transparansi/i/kab-a/", {"start": "2026-05-01", "end": "2026-04-01"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "harus sebelum atau sama dengan" in html and 'value="2026-05-01"' in html
    r = client.get("/transparansi/", {"start": "bukan-tanggal"})
    assert r.status_code == 400 and 'value="bukan-tanggal"' in r.content.decode()


def test_unknown_agency_or_unit_is_a_404_page(org, client):
    r = client.get("/transparansi/i/tidak-ada/")
    assert r.status_code == 404 and "Instansi tidak dikenal" in r.content.decode()
    r = client.get("/transparansi/i/kab-b/u/kab-a-dafduk/")
    assert r.status_code == 404 and "bukan bagian dari instansi" in r.content.decode()


def test_data_dictionary_and_indicators(dataset, client):
    r = client.get("/transparansi/data/")
    assert (
        r.status_code == 200
        and "CC BY 4.0" in r.content.decode()
        and "answered_within_deadline_pct" in r.content.decode()
    )
    r = client.get("/transparansi/i/kab-a/indikator/")
    html = r.content.decode()
    assert (
        r.status_code == 200
        and "Indeks Kepuasan Masyarakat (IKM)" in html
        and "Kualitas pelayanan publik" in html
    )


def test_leadership_view_lists_overdue_cases_and_sets_targets(dataset, org, users):
    from amanah.transparency.models import IndicatorTarget

    c = Client()
    c.force_login(users[("pimpinan", "a")])
    r = c.get("/transparansi/pimpinan/")
    assert r.status_code == 200
    html = r.content.decode()
    overdue = [
        x
        for x in dataset["complaints"]
        if x.agency_id == org["a"]["agency"].pk
        and x.is_open
        and x.is_overdue_on(timezone.localdate())
    ]
    assert overdue, "the data set has overdue cases"
    for x in overdue:
        # Named and linked by case number: the tracking code is the complainant's key (it would let
        # whoever reads the list, or the browser history and server log, act as the complainant).
        assert f'<a href="/pengaduan/staf/AMN-{x.pk}/">AMN-{x.pk}</a>' in html
        assert x.tracking_code not in html
    assert not any(
        f"AMN-{x.pk}<" in html
        for x in dataset["complaints"]
        if x.agency_id == org["b"]["agency"].pk
    )
    # a bad target is refused with the input kept
    r = c.post(
        "/transparansi/pimpinan/target/",
        {"agency": "kab-a", "code": "tepat_waktu", "year": "2026", "target": "150"},
    )
    assert (
        r.status_code == 400
        and "paling besar 100" in r.content.decode()
        and 'value="150"' in r.content.decode()
    )
    r = c.post(
        "/transparansi/pimpinan/target/",
        {"agency": "kab-a", "code": "tepat_waktu", "year": "2026", "target": "95,5"},
    )
    assert r.status_code == 302
    assert (
        IndicatorTarget.objects.get(agency=org["a"]["agency"], code="tepat_waktu", year=2026).target
        == 95.5
    )
    # other staff roles see the view but may not set targets
    c2 = Client()
    c2.force_login(users[("auditor", "a")])
    assert c2.get("/transparansi/pimpinan/").status_code == 200
    r = c2.post(
        "/transparansi/pimpinan/target/",
        {"agency": "kab-a", "code": "tepat_waktu", "year": "2026", "target": "90"},
    )
    assert r.status_code == 403
    c3 = Client()
    c3.force_login(users[("operator", "a")])
    assert c3.get("/transparansi/pimpinan/").status_code == 403


def test_leadership_tables_stack_on_a_phone_with_labelled_cells(dataset, org, users):
    """The leadership view's per-unit deadline performance, overdue list and indicators each turn
    every row into a block led by its heading, every value labelled by its column header. A sub-unit
    keeps its place in the tree: its heading says which unit it is part of and carries its depth (the
    stacked block of a sub-unit is indented on a phone; three steps at most)."""
    from amanah.core.models import Unit
    from tests.tables import assert_stacked, by_head

    a = org["a"]
    seksi = Unit.objects.create(
        agency=a["agency"], parent=a["bidang"], code="kab-a-seksi", name="Seksi Identitas Penduduk"
    )
    Unit.objects.create(agency=a["agency"], parent=seksi, code="kab-a-ktp", name="Subseksi KTP-el")
    c = Client()
    c.force_login(users[("pimpinan", "a")])
    found = assert_stacked(c.get("/transparansi/pimpinan/").content.decode(), at_least=3)
    units = by_head(found, "Unit")
    assert units["region"] == "Kinerja tenggat per unit"  # the table's box is named by its heading
    dinas, bidang = "Dinas Kependudukan dan Pencatatan Sipil", "Bidang Pendaftaran Penduduk"
    assert [(row[0]["attrs"]["class"], row[0]["text"]) for row in units["rows"]] == [
        ("depth-0", "Sekretariat Daerah"),
        ("depth-1", f"{dinas} bagian dari Sekretariat Daerah"),
        ("depth-2", f"{dinas} (langsung, bukan sub-unit)"),
        ("depth-2", f"{bidang} bagian dari {dinas}"),
        ("depth-3", f"{bidang} (langsung, bukan sub-unit)"),
        ("depth-3", f"Seksi Identitas Penduduk bagian dari {bidang}"),
        ("depth-3", "Subseksi KTP-el bagian dari Seksi Identitas Penduduk"),
        ("depth-1", "Inspektorat bagian dari Sekretariat Daerah"),
        ("depth-0", "Belum atau tidak diteruskan ke unit"),
    ]
    assert [c["attrs"]["data-label"] for c in units["rows"][0]] == [
        "Unit",
        "Diterima",
        "Tepat waktu",
        "Kasus",
        "Terbuka",
        "Terlambat",
    ]
    overdue = by_head(found, "Nomor")
    assert overdue["region"] == "Pengaduan yang melewati batas waktu"
    assert overdue["rows"][0][0]["tag"] == "th"
    assert overdue["rows"][0][-1]["attrs"]["data-label"] == "Hari terlambat"
    year = timezone.localdate().year
    indicators = by_head(found, "Indikator")
    assert indicators["region"] == "Indikator keberhasilan dan target"
    assert indicators["head"][1]["text"] == f"Target {year}"
    assert indicators["rows"][0][1]["attrs"]["data-label"] == f"Target {year}"


def test_open_data_column_types_are_shown_in_the_readers_language(db):

    page = client_in("en").get("/transparansi/data/").content.decode()
    assert '"Type">integer</td>' in page and ">bilangan</td>" not in page
    page = client_in("id").get("/transparansi/data/").content.decode()
    assert '"Tipe">bilangan</td>' in page


def test_month_labels_stay_readable_and_inside_the_chart():
    """A phone draws the 320-unit chart at 288 px: labels of 15 units stay above 12 px, and the last
    month's label ends at the right edge instead of running past it."""
    import re

    from amanah.transparency import charts

    rows = [("25-12", 3, 1)] + [(f"26-{m:02d}", m, m // 2) for m in range(1, 13)]  # 13 months
    svg = str(charts.columns(rows, title="Per bulan", names=("Masuk", "Selesai")))
    labels = re.findall(r"<text([^>]*)>(2\d-\d\d)</text>", svg)
    assert labels and all('font-size="15"' in attrs for attrs, _text in labels)
    for attrs, text in labels:
        x = float(re.search(r' x="([\d.]+)"', attrs).group(1))
        if "text-anchor" in attrs:
            assert x <= 320
        else:
            assert x + charts.AXIS_CHAR_WIDTH * len(text) <= 320, text
    assert "text-anchor" in labels[-1][0]


def test_dashboard_tables_stack_on_a_phone_with_labelled_cells(dataset, org, client):
    """On a narrow screen every data table of the dashboards (the figures beside each chart too) turns
    each row into a block led by its heading, with each value labelled by its column header."""
    from tests.tables import assert_stacked, by_head

    found = assert_stacked(client.get("/transparansi/").content.decode(), at_least=8)
    agencies = by_head(found, "Peringkat")
    assert agencies["caption"] == "Kinerja per instansi"
    assert [row[1]["text"] for row in agencies["rows"]] == [
        org["a"]["agency"].name,
        org["b"]["agency"].name,
    ]
    assert agencies["rows"][0][1]["attrs"]["data-label"] == "Nama"
    assert by_head(found, "Layanan")["head"][1]["text"] == "Instansi"
    assert len(by_head(found, "Bulan")["rows"]) >= 12
    assert by_head(found, "Nilai")["rows"][0][2]["attrs"]["data-label"] == "%"
    integrity = by_head(found, "Rincian")
    assert integrity["rows"][0][1]["tag"] == "th"  # the category leads the block, not its group

    found = assert_stacked(client.get("/transparansi/i/kab-a/").content.decode(), at_least=9)
    assert by_head(found, "Peringkat")["caption"] == "Kinerja per unit (termasuk sub-unit)"
    ikm = by_head(found, "Unit")
    assert [c["attrs"]["data-label"] for c in ikm["rows"][0]] == [
        "Unit",
        "IKM",
        "Mutu",
        "Responden",
        "Periode berakhir",
        "Tren",
    ]
    page = client.get(f"/transparansi/i/kab-a/u/{org['a']['dinas'].code}/").content.decode()
    assert_stacked(page, at_least=8)
    found = assert_stacked(
        client.get("/transparansi/i/kab-a/indikator/").content.decode(), at_least=1
    )
    assert by_head(found, "Tantangan")["rows"][0][2]["attrs"]["data-label"] == (
        "Indikator keberhasilan"
    )


def test_dashboard_tables_are_labelled_in_english(dataset, client, settings):
    from django.core.management import call_command

    from tests.tables import assert_stacked, by_head

    call_command("compilemessages_if_needed", verbosity=0)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # reload the compiled catalogues
    found = assert_stacked(client_in("en").get("/transparansi/").content.decode(), at_least=8)
    agencies = by_head(found, "Rank")
    assert agencies["rows"][0][2]["attrs"]["data-label"] == "Received"


def test_english_counts_agree_with_one(org, users, django_capture_on_commit_callbacks):
    """One closed, rated complaint: the English dashboard says "of 1 case", "from 1 rating"."""
    from amanah.complaints import services
    from tests.complaints.conftest import BASE, advance
    from tests.i18n import client_in

    with django_capture_on_commit_callbacks(execute=True):
        c = services.submit(None, dict(BASE, service=org["a"]["service"]), [], channel="web")
        advance(c, "selesai", users, org)
    html = client_in("en").get("/transparansi/i/kab-a/").content.decode()
    assert "of 1 case</small>" in html and "from 1 rating</small>" in html
    assert "1 cases" not in html and "1 ratings" not in html
    page = client_in("id").get("/transparansi/i/kab-a/").content.decode()
    assert "dari 1 kasus</small>" in page and "dari 1 penilaian</small>" in page


def test_the_indicators_page_gives_a_hidden_number_of_reports_in_english(
    db, org, django_capture_on_commit_callbacks
):
    from tests.i18n import client_in

    from .conftest import make_reports

    with django_capture_on_commit_callbacks(execute=True):
        make_reports(org, [("korupsi", "selesai", "terbukti", "berat", 3)] * 3)
    html = client_in("en").get("/transparansi/i/kab-a/indikator/").content.decode()
    assert "cases: &lt; 5" in html and "kasus" not in html
