"""Documents people hand on: the publication report (PDF), the anonymous answers (XLSX) and the QR poster
for the service counter (SVG and PDF)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from amanah.core import tabular
from amanah.core.documents import pdf, qr_svg, svg_data_uri
from amanah.core.rules import format_nip

from . import rules, selectors

#: The words of :func:`rules.change`, shown by the results pages and the report in the reader's
#: language.
CHANGE_WORDS = (gettext_noop("naik"), gettext_noop("turun"), gettext_noop("tetap"))


def _shown_comparison(comparison: dict | None) -> dict | None:
    """:func:`selectors.comparison` with the element names and the change words in the reader's language
    (``change`` keeps the code the pages style by)."""
    if comparison is None:
        return None

    def word(change):
        return gettext(change) if change else ""

    return {
        **comparison,
        "change_label": word(comparison["change"]),
        "unsur": [
            {**r, "name": gettext(r["name"]), "change_label": word(r["change"])}
            for r in comparison["unsur"]
        ],
    }


def unit_link(unit) -> str:
    """The stable address printed on the counter poster: it always leads to the unit's open survey."""
    return settings.SITE_URL + reverse("surveys:unit", args=[unit.code])


def poster_svg(unit) -> str:
    """The QR code alone as SVG (to place in the unit's own designs)."""
    return qr_svg(unit_link(unit))


def poster_pdf(unit) -> bytes:
    link = unit_link(unit)
    svg = qr_svg(link, scale=10)
    html = render_to_string(
        "surveys/poster_pdf.html",
        {
            "unit": unit,
            "link": link,
            "qr_data": svg_data_uri(svg),
            "regulation": gettext(rules.REGULATION_SHORT),
        },
    )
    return pdf(html)


def report_context(period, *, staff: bool = False) -> dict:
    """What the results pages and the report show of ``period``. The comparison and the trend hold
    published periods only, unless ``staff``: the caller checked that the viewer may read the unit's
    surveys (``selectors.can_read``), who then also sees closed periods not yet published."""
    res = selectors.frozen_results(period)
    lowest = set(res.get("lowest") or [])
    elements = []
    for u in res["unsur"]:
        e = rules.BY_CODE[u["code"]]
        elements.append(
            {
                **u,
                "name": gettext(e.name),
                "question": gettext(e.question),
                "low": u["code"] in lowest,
            }
        )
    chart = [
        {
            "code": u["code"],
            "nrr": u["nrr"],
            "low": u["low"],
            "y": 4 + i * 26,
            "text_y": 4 + i * 26 + 14,
            "width": round((u["nrr"] or 0) / 4 * 240, 1),
            "text_x": round(40 + (u["nrr"] or 0) / 4 * 240 + 6, 1),
        }
        for i, u in enumerate(elements)
    ]
    head = period.unit.head
    return {
        "head": head,
        "head_nip": format_nip(head.nip) if head else "",
        "chart": chart,
        "chart_height": 8 + 26 * len(elements),
        "period": period,
        "res": res,
        "elements": elements,
        "categories": rules.CATEGORIES,
        "profile": {
            field: [{**i, "label": gettext(i["label"])} for i in items]
            for field, items in selectors.by_profile(period).items()
        },
        "profile_titles": {k: v[0] for k, v in selectors.PROFILE_FIELDS.items()},
        "by_service": [
            {**s, "name": s["name"] if s["service"] else gettext(s["name"])}
            for s in selectors.by_service(period)
        ],
        "comparison": _shown_comparison(
            selectors.comparison(period, res, published_only=not staff)
        ),
        "plans": list(period.plans.all()),
        "lowest": sorted(
            (u for u in elements if u["low"]), key=lambda u: res["lowest"].index(u["code"])
        ),
        "highest": sorted([u for u in elements if u["nrr"] is not None], key=lambda u: -u["nrr"])[
            :3
        ],
        "trend": selectors.trend(period.unit, period.service, published_only=not staff),
        # a date, not a moment: the date filter would turn a moment back into the server's zone
        "generated": selectors.local_today(period.agency),
        # 1/9, or 0,111 in Indonesian and 0.111 in English (a Decimal, localised by the template)
        "weight_label": rules.weight_shown(period.weight_value),
        "conversion": rules.CONVERSION,
        "regulation": gettext(rules.REGULATION),
    }


def report_pdf(period, *, staff: bool = False) -> bytes:
    """Laporan hasil SKM in the customary layout: cover, method and sample, results per element, IKM and
    category, respondent profile, analysis, follow-up plan (``staff``: see :func:`report_context`)."""
    return pdf(render_to_string("surveys/report_pdf.html", report_context(period, staff=staff)))


def answers_xlsx(period) -> bytes:
    """Every answer of the period without suggestions (free text may identify someone)."""
    header = ["No", "Tanggal", "Saluran", "Layanan", "Jenis kelamin", "Usia", "Pendidikan"]

    def answers():  # row by row: tens of thousands of answers are never all in memory
        yield [*header, "Pekerjaan", *rules.CODES]
        for i, row in enumerate(selectors.answers_for_export(period), start=1):
            day, channel, service, gender, age, education, occupation, *values = row
            yield [i, day, channel, service or "", gender, age, education, occupation, *values]

    res = selectors.frozen_results(period)
    summary = [["Unsur", "Nama", "Jumlah nilai", "NRR", "NRR tertimbang"]]
    summary += [
        [u["code"], u["name"], u["total"], u["nrr"], u["nrr_weighted"]] for u in res["unsur"]
    ]
    summary += [
        [],
        ["Responden", res["respondents"]],
        ["IKM unit (1–4)", res["ikm_unit"]],
        ["IKM konversi (25–100)", res["ikm"]],
        ["Mutu", res["mutu"]],
        ["Kinerja unit", res["kinerja"]],
        ["Sampel minimum (Krejcie & Morgan)", period.required_sample],
    ]
    return tabular.xlsx_bytes([("Jawaban", answers()), ("Ringkasan", summary)])
