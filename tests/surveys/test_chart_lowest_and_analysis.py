"""The results chart tells the three lowest elements by a ▼ beside their value, not by colour alone
(WCAG 1.4.1), and its text alternative names them; the analysis the agency typed is marked Indonesian on
an English page (WCAG 3.1.2)."""

import re

import pytest

from amanah.surveys import services
from tests.html_lang import languages_of
from tests.i18n import client_in

pytestmark = pytest.mark.django_db

# U3, U8 and U9 score lowest.
ANSWERS = [[4, 4, 1, 4, 4, 4, 4, 2, 3], [4, 4, 2, 4, 4, 4, 4, 2, 2], [4, 3, 1, 4, 4, 4, 4, 2, 3]]
ANALYSIS = "Waktu penyelesaian paling rendah."


@pytest.fixture
def published(period, add_answers, users):
    add_answers(period, ANSWERS)
    admin = users[("admin", None)]
    services.close_period(admin, period)
    return services.publish_period(admin, period, analysis=ANALYSIS)


def chart(page: str) -> str:
    return re.search(r'<svg role="img" aria-labelledby="chart-title".*?</svg>', page, re.S).group(0)


def test_the_lowest_bars_carry_a_marker_and_are_named(published):
    svg = chart(client_in("id").get(f"/skm/hasil/{published.pk}/").content.decode())
    values = dict(
        re.findall(r">(U\d)</text>\s*<rect[^>]*></rect>\s*<text[^>]*>([^<]+)</text>", svg)
    )
    marked = sorted(code for code, value in values.items() if value.endswith("▼"))
    assert marked == ["U3", "U8", "U9"] and len(values) == 9
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S).group(1)
    assert "merah" not in title  # not a colour
    assert "Tiga unsur terendah, ditandai ▼:" in title
    assert title.index("U3") < title.index("U8") < title.index("U9")  # lowest first


@pytest.mark.parametrize("staff", [False, True])
def test_the_analysis_is_marked_indonesian(published, users, staff):
    client = client_in("en")
    path = f"/skm/hasil/{published.pk}/"
    if staff:
        client.force_login(users[("admin", None)])
        path = f"/skm/staf/periode/{published.pk}/"
    page = client.get(path).content.decode()
    assert ANALYSIS in page
    assert languages_of(page, ANALYSIS) == {"id"}
