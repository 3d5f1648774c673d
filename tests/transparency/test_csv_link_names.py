"""Each table's CSV link on the dashboards says which table it downloads. The page shows "Unduh tabel ini
(CSV)" under each table; a screen reader listing the links would hear eight alike, so each link also
carries its table's name, hidden from sight (WCAG 2.4.4)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import amanah
from tests.i18n import client_in


class _Links(HTMLParser):
    """The links of the page's ``main``: href, the name a screen reader reads and the text shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.link = None
        self.in_main = False
        self.hidden = 0  # depth inside an element of class visually-hidden

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "a" and self.in_main:
            self.link = {"href": attrs.get("href"), "name": "", "shown": ""}
            self.links.append(self.link)
        elif self.link is not None and "visually-hidden" in (attrs.get("class") or "").split():
            self.hidden += 1
        elif self.hidden:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "a":
            self.link = None
            self.hidden = 0
        elif self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.link is not None:
            self.link["name"] += data
            if not self.hidden:
                self.link["shown"] += data


def csv_links(page: str) -> list[dict]:
    parser = _Links()
    parser.feed(page)
    parser.close()
    links = [
        {k: re.sub(r"\s+", " ", v).strip() if k != "href" else v for k, v in link.items()}
        for link in parser.links
    ]
    return [link for link in links if "CSV" in link["shown"]]


def _assert_each_link_names_its_table(page: str, shown: str) -> list[dict]:
    links = [link for link in csv_links(page) if link["shown"] == shown]
    assert links, f"no link {shown!r}"
    names = [link["name"] for link in links]
    assert len(set(names)) == len(names), names
    assert len({link["href"] for link in links}) == len(links)
    for link in links:
        assert link["name"].startswith(shown) and len(link["name"]) > len(shown) + 3, link
    return links


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/transparansi/", "/transparansi/i/kab-a/", "/transparansi/i/kab-a/u/kab-a-dukcapil/"]
)
def test_each_table_link_on_a_dashboard_names_its_table(dataset, client, url):
    page = client.get(url).content.decode()
    links = _assert_each_link_names_its_table(page, "Unduh tabel ini (CSV)")
    assert len(links) >= 6
    names = {link["name"] for link in links}
    assert "Unduh tabel ini (CSV): Pengaduan per bulan" in names
    assert "Unduh tabel ini (CSV): Penilaian jawaban oleh pengadu" in names


@pytest.mark.django_db
def test_the_ranking_link_names_the_ranking(dataset, client):
    names = {link["name"] for link in csv_links(client.get("/transparansi/").content.decode())}
    assert "Unduh tabel ini (CSV): Kinerja per instansi" in names
    assert "Unduh tabel ini (CSV): Laporan pelanggaran (WBS)" in names


@pytest.mark.django_db
def test_the_names_are_in_the_readers_language(dataset):
    page = client_in("en").get("/transparansi/i/kab-a/").content.decode()
    links = _assert_each_link_names_its_table(page, "Download this table (CSV)")
    assert "Download this table (CSV): Complaints per month" in {link["name"] for link in links}


@pytest.mark.django_db
def test_the_indicators_link_names_its_table(org, client):
    page = client.get("/transparansi/i/kab-a/indikator/").content.decode()
    (link,) = [link for link in csv_links(page) if "tabel" in link["shown"]]
    assert link["name"] == "Unduh tabel ini (CSV): Indikator keberhasilan"


def test_the_site_style_sheet_hides_the_names_from_sight_only():
    css = (Path(amanah.__file__).parent / "core/static/amanah/site.css").read_text()
    rule = re.search(r"\.visually-hidden\{([^}]*)\}", css)
    assert rule, "no .visually-hidden rule in site.css"
    assert "position:absolute" in rule.group(1) and "overflow:hidden" in rule.group(1)
    assert "display:none" not in rule.group(1)  # that would hide the name from screen readers too
