"""The indicators page writes each figure as the dashboard does: the IKM and the mean rating with two
decimals (77,45, not 77,4), counts whole (a target of 0 open complaints past their deadline, not 0,0), no
target as a dash without a unit, and the count beside a value names what it counts (respondents of the
SKM, ratings of answers, cases)."""

import re

from tests.i18n import client_in
from tests.tables import assert_stacked, by_head


def _by_name(html: str, language: str) -> dict[str, dict]:
    head, indicator = (
        ("Tantangan", "Indikator keberhasilan")
        if language == "id"
        else (
            "Challenge",
            "Indicators of success",
        )
    )
    table = by_head(assert_stacked(html, at_least=1), head)
    return {
        next(c["text"] for c in row if c["attrs"]["data-label"] == indicator): {
            c["attrs"]["data-label"]: c["text"] for c in row
        }
        for row in table["rows"]
    }


def _figure(text: str) -> str:
    return re.match(r"[\d.,]+|–", text.strip()).group(0)


def test_indicator_figures_match_the_dashboard(dataset, org):
    dashboard = client_in("id").get("/transparansi/i/kab-a/").content.decode()
    ikm = re.search(r"IKM \(SKM\)</dt><dd>([\d.,]+)", dashboard).group(1)
    rating = re.search(r"Penilaian jawaban \(1–5\)</dt><dd>([\d.,]+)", dashboard).group(1)
    assert re.fullmatch(r"\d+,\d\d", ikm) and re.fullmatch(r"\d,\d\d", rating)

    html = client_in("id").get("/transparansi/i/kab-a/indikator/").content.decode()
    rows = _by_name(html, "id")
    name = next(n for n in rows if n.startswith("Indeks Kepuasan Masyarakat"))
    assert _figure(rows[name]["Nilai"]) == ikm
    assert "responden" in rows[name]["Nilai"] and "kasus" not in rows[name]["Nilai"]
    name = next(n for n in rows if n.startswith("Rata-rata penilaian jawaban"))
    assert _figure(rows[name]["Nilai"]) == rating
    assert "penilaian" in rows[name]["Nilai"].split(rating, 1)[1]

    name = next(n for n in rows if n.startswith("Pengaduan terbuka yang melewati batas waktu"))
    assert rows[name]["Target"].startswith("0 kasus")  # a count: not "0,0 kasus"
    name = next(n for n in rows if n.startswith("Pelanggaran terbukti"))
    assert rows[name]["Target"].startswith("–") and "kasus" not in rows[name]["Target"]

    english = _by_name(
        client_in("en").get("/transparansi/i/kab-a/indikator/").content.decode(), "en"
    )
    name = next(n for n in english if n.startswith("Community Satisfaction Index"))
    assert "respondents" in english[name]["Value"]


def test_the_national_crumb_keeps_the_period(dataset):
    html = (
        client_in("id")
        .get("/transparansi/i/kab-a/indikator/?start=2026-01-01&end=2026-03-31")
        .content.decode()
    )
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S).group(0)
    assert 'href="/transparansi/?start=2026-01-01&amp;end=2026-03-31"' in crumbs
