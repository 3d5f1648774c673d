"""The dashboard names months and days as its reader writes them ("Desember 2025", "3 November 2026",
"December 2025" in English), not as the ISO text the open data keeps; the monthly chart's axis labels
never run into each other."""

import datetime as dt
import itertools
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from amanah.transparency import charts
from tests.i18n import client_in
from tests.tables import assert_stacked, by_head


def _month_cells(html: str, head: str) -> list[str]:
    return [row[0]["text"] for row in by_head(assert_stacked(html, at_least=1), head)["rows"]]


def test_month_rows_are_named_in_the_readers_language(dataset):
    start = timezone.localdate().replace(day=1) - dt.timedelta(days=62)
    want = start.replace(day=1)
    query = f"?start={start.isoformat()}"
    id_months = _month_cells(
        client_in("id").get("/transparansi/" + query).content.decode(), "Bulan"
    )
    en_months = _month_cells(
        client_in("en").get("/transparansi/" + query).content.decode(), "Month"
    )
    with override("id"):
        assert id_months[0] == date_format(want, "F Y")
    with override("en"):
        assert en_months[0] == date_format(want, "F Y")
    assert not any(re.fullmatch(r"\d{4}-\d\d", m) for m in id_months + en_months)
    assert id_months[0] != en_months[0] or want.month in (2, 4, 9, 11)  # e.g. Januari / January


def test_monthly_chart_labels_name_the_month(dataset):
    html = client_in("id").get("/transparansi/").content.decode()
    chart = re.search(r"<svg[^>]*>(?:(?!</svg>).)*Pengaduan per bulan.*?</svg>", html, re.S).group(
        0
    )
    labels = re.findall(r'font-size="15"[^>]*>([^<]+)</text>', chart)
    today = timezone.localdate()
    with override("id"):
        assert labels[-1] == date_format(today.replace(day=1), "M Y")  # the period's last month
    assert not any(re.fullmatch(r"\d\d-\d\d", label) for label in labels)


def test_ikm_period_end_is_a_date_in_words(dataset, org):
    from amanah.surveys.models import SurveyPeriod

    end = (
        SurveyPeriod.objects.filter(agency=org["a"]["agency"], status__in=["closed", "published"])
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    for language in ("id", "en"):
        html = client_in(language).get("/transparansi/i/kab-a/").content.decode()
        ikm = by_head(assert_stacked(html, at_least=1), "Unit")
        cells = {c["attrs"]["data-label"]: c["text"] for c in ikm["rows"][0]}
        with override(language):
            words = date_format(end, "j F Y")
        ended = cells["Periode berakhir" if language == "id" else "Period ended"]
        assert ended == words
        assert end.isoformat() not in html  # the link's words for screen readers too


def _drawn(svg: str) -> list[tuple[float, float, str]]:
    """(left, right, text) of each axis label, by the chart's own width estimate."""
    out = []
    for attrs, text in re.findall(r'<text([^>]*font-size="15"[^>]*)>([^<]+)</text>', svg):
        x = float(re.search(r' x="([\d.]+)"', attrs).group(1))
        wide = charts.AXIS_CHAR_WIDTH * len(text)
        left = x - wide if "text-anchor" in attrs else x
        out.append((left, left + wide, text))
    return out


def test_axis_labels_never_overlap_whatever_their_length():
    """Thirteen months (a year's period starting mid-month) with labels as long as "Des 2025": each
    label ends before the next begins, the first and the last period are named, and all stay inside the
    chart."""
    for labels in (
        ["Des 2025"] + [f"Bln {m:02d}26" for m in range(1, 13)],
        ["25-12"] + [f"26-{m:02d}" for m in range(1, 13)],
        [f"M{i}" for i in range(37)],  # three years of short labels
        [f"Bulan {i} 2026" for i in range(4)],
    ):
        rows = [(label, i, i // 2) for i, label in enumerate(labels)]
        drawn = _drawn(str(charts.columns(rows, title="Per bulan", names=("Masuk", "Selesai"))))
        assert drawn[0][2] == labels[0]
        for (_l, right, a), (left, _r, b) in itertools.pairwise(drawn):
            assert right + charts.AXIS_GAP <= left, (a, b)
        assert all(0 <= left and right <= 320 for left, right, _t in drawn)
        assert drawn[-1][2] == labels[-1]
