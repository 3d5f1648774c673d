"""Notes of the public whistleblowing pages: the report form says once what "*" means, where a screen
reader meets it (before the form's first field), and the statistics page's note on hidden counts names
the threshold the integrity rules hold, with its "<" escaped in the HTML."""

import pytest

from tests.i18n import client_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, star", [("id", "Isian bertanda * wajib diisi."), ("en", "Fields marked * are")]
)
def test_the_report_form_says_once_what_the_star_means(org, language, star):
    html = client_in(language).get("/integritas/lapor/").content.decode()
    marked = "bertanda *" if language == "id" else "marked *"
    assert html.count(marked) == 1
    form = html[html.index('<form class="form"') :]
    assert star in form
    assert form.index(star) < form.index("<label")


def test_the_statistics_note_says_the_rules_threshold(db, monkeypatch):
    from amanah.integrity import rules

    monkeypatch.setattr(rules, "SMALL_COUNT", 7)
    for language, hidden, national in (
        ("id", 'Jumlah 1 sampai 6 ditulis sebagai "&lt; 7"', "sedikitnya 7 laporan"),
        ("en", 'Counts from 1 to 6 are shown as "&lt; 7"', "at least 7 reports"),
    ):
        r = client_in(language).get("/integritas/statistik/")
        assert r.status_code == 200
        html = r.content.decode()
        assert hidden in html and national in html
        assert '"< ' not in html and "1 sampai 4" not in html and "1 to 4" not in html
