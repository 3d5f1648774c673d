"""The ASN's own page shows an objection form under each rated SKP. Each form's text box is named by the
SKP period it objects to, so a screen reader that lists the page's fields does not read out the same
"Alasan keberatan" twice without saying which SKP each one is for."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from amanah.personnel import services
from tests.i18n import client_in

from . import helpers

pytestmark = pytest.mark.django_db


class _Names(HTMLParser):
    """Every textarea of a page with its accessible name: its ``aria-labelledby`` elements, else its
    ``aria-label``, else its ``<label for>`` - text hidden with ``aria-hidden`` left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[dict] = []
        self.texts: dict[str, list[str]] = {}  # the text of each element with an id
        self.labels: dict[str, list[str]] = {}  # the text of each label, by its ``for``
        self.open: list[tuple[str, list[str] | None]] = []  # (tag, where its text goes)
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "textarea":
            self.fields.append(attrs)
        if tag in ("input", "br", "img", "meta", "link", "hr"):
            return
        sinks = []
        if attrs.get("id"):
            sinks.append(self.texts.setdefault(attrs["id"], []))
        if tag == "label" and attrs.get("for"):
            sinks.append(self.labels.setdefault(attrs["for"], []))
        hidden = attrs.get("aria-hidden") == "true"
        self.hidden += hidden
        self.open.append((tag, sinks, hidden))

    def handle_endtag(self, tag):
        while self.open:
            opened, _sinks, hidden = self.open.pop()
            self.hidden -= hidden
            if opened == tag:
                break

    def handle_data(self, data):
        if self.hidden:
            return
        for _tag, sinks, _hidden in self.open:
            for sink in sinks:
                sink.append(data)

    def names(self) -> dict[str, str]:
        def text(parts):
            return re.sub(r"\s+", " ", "".join(parts)).strip()

        out = {}
        for field in self.fields:
            if field.get("aria-labelledby"):
                name = " ".join(text(self.texts[ref]) for ref in field["aria-labelledby"].split())
            else:
                name = field.get("aria-label") or text(self.labels.get(field["id"], []))
            out[field["id"]] = name
        return out


def textarea_names(html: str) -> dict[str, str]:
    parser = _Names()
    parser.feed(html)
    parser.close()
    return parser.names()


@pytest.fixture
def two_rated(people, org):
    """Two rated SKPs of the ASN, last year's and this year's, each open to an objection."""
    a = org["a"]
    year = dt.date.today().year
    rated = []
    for y in (year - 1, year):
        skp = helpers.skp(a["staff"], helpers.period(a["agency"], year=y), rater=a["kabid"])
        rated.append(
            services.rate_skp(people["kabid"], skp, hasil_kerja="sesuai", perilaku="sesuai")
        )
    assert all(s.status == "dinilai" for s in rated)
    return rated


@pytest.mark.parametrize(
    ("language", "template"),
    [("id", "Alasan keberatan atas SKP {}"), ("en", "Reasons for the objection to SKP {}")],
)
def test_each_objection_form_names_the_skp_it_objects_to(people, two_rated, language, template):
    client = client_in(language)
    client.force_login(people["asn"])
    names = textarea_names(client.get("/kepegawaian/saya/").content.decode())
    expected = {f"keberatan-{s.pk}-text": template.format(s.period.name) for s in two_rated}
    assert {k: v for k, v in names.items() if k.startswith("keberatan-")} == expected
    assert len(set(expected.values())) == 2


def test_a_refused_objection_keeps_each_form_named(people, two_rated):
    """The page shown again after a refused objection (too short) names each form the same way."""
    last_year, this_year = two_rated
    client = client_in("id")
    client.force_login(people["asn"])
    r = client.post(f"/kepegawaian/saya/skp/{this_year.pk}/keberatan/", {"text": "kurang"})
    assert r.status_code == 400
    html = r.content.decode()
    names = textarea_names(html)
    assert names[f"keberatan-{last_year.pk}-text"] == (
        f"Alasan keberatan atas SKP {last_year.period.name}"
    )
    assert names[f"keberatan-{this_year.pk}-text"] == (
        f"Alasan keberatan atas SKP {this_year.period.name}"
    )
    assert f'id="keberatan-{this_year.pk}-text_error"' in html


@pytest.mark.parametrize(
    ("language", "visible", "template"),
    [
        ("id", "Ajukan keberatan", "Ajukan keberatan atas SKP {}"),
        ("en", "File an objection", "File an objection to SKP {}"),
    ],
)
def test_each_objection_button_names_the_skp_it_objects_to(
    people, two_rated, language, visible, template
):
    """The buttons too: "Ajukan keberatan" twice would not say which SKP each one sends. The name starts
    with the words on the button, so speech input ("click Ajukan keberatan") still finds them."""
    client = client_in(language)
    client.force_login(people["asn"])
    html = client.get("/kepegawaian/saya/").content.decode()
    buttons = re.findall(r'<button type="submit" aria-label="([^"]*)">([^<]*)</button>', html)
    names = [name for name, text in buttons if text == visible]
    assert sorted(names) == sorted(template.format(s.period.name) for s in two_rated)
