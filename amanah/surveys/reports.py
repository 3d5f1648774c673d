"""Documents people hand on: the publication report (PDF), the answers file (XLSX: in public the count of
each score per element, for staff every answer) and the QR poster for the service counter (SVG and PDF)."""

from __future__ import annotations

import functools
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from amanah.core import tabular
from amanah.core.documents import pdf, qr_svg, svg_data_uri
from amanah.core.rules import format_nip

from . import rules, selectors
from .models import PeriodStatus

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
    parts = selectors.breakdowns(period)
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
            for field, items in parts["by_profile"].items()
        },
        "profile_titles": {k: v[0] for k, v in selectors.PROFILE_FIELDS.items()},
        "by_service": [
            {**s, "name": s["name"] if s["service"] and not s["merged"] else gettext(s["name"])}
            for s in parts["by_service"]
        ],
        "min_group": selectors.min_group(),
        "services_suppressed": any(i["suppressed"] for i in parts["by_service"]),
        "any_suppressed": any(
            i["suppressed"]
            for items in [parts["by_service"], *parts["by_profile"].values()]
            for i in items
        ),
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


#: Rows read from the database at a time while an answers file is written (never all at once).
CHUNK = 2000
#: Part of the name of a kept public answers file: raised when the file's content changes, so that files
#: built before are not handed out any more.
PUBLIC_ANSWERS_VERSION = (
    4  # 3: Kelompok hides groups across breakdowns; 4: Sebaran, not every answer
)


def _summary(period) -> list[list]:
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
        ["Bobot per unsur", res["weight"]],
    ]
    return summary


def _distribution(period) -> list[list]:
    """The count of each score per element (:func:`selectors.answer_distribution`), its number of
    answers and its total, and how the summary's figures follow from them."""
    rows = [["Unsur", "Nama", *(f"Nilai {s}" for s in rules.SCALE), "Responden", "Jumlah nilai"]]
    for e in selectors.answer_distribution(period):
        counts = e["counts"]
        total = sum(score * n for score, n in zip(rules.SCALE, counts, strict=True))
        rows.append([e["code"], e["name"], *counts, sum(counts), total])
    rows += [
        [],
        ["Jumlah nilai = 1 × Nilai 1 + 2 × Nilai 2 + 3 × Nilai 3 + 4 × Nilai 4."],
        [
            "NRR = Jumlah nilai ÷ Responden; IKM unit = Σ (NRR × bobot per unsur); IKM = IKM unit × 25."
        ],
        ["PermenPANRB No. 14 Tahun 2017; bobot dan hasil pada lembar Ringkasan."],
    ]
    return rows


def _groups(period) -> list[list]:
    """The breakdowns of the results page (:func:`selectors.breakdowns`): a group smaller than the minimum
    has no IKM here either."""
    parts = selectors.breakdowns(period)
    titles = {k: v[0] for k, v in selectors.PROFILE_FIELDS.items()}
    rows = [["Kelompok", "Nilai", "Responden", "%", "IKM"]]
    for field, items in parts["by_profile"].items():
        for i in items:
            rows.append([titles[field], i["label"], i["respondents"], i["percent"], i["ikm"]])
    for s in parts["by_service"]:
        rows.append(["Layanan", s["name"], s["respondents"], None, s["ikm"]])
    rows += [
        [],
        [
            f"IKM tidak ditampilkan untuk kelompok dengan kurang dari {selectors.min_group()} "
            "responden, juga untuk kelompok lain yang dapat membukanya."
        ],
    ]
    return rows


def write_public_answers(period, out) -> None:
    """The public answers file (``jawaban.xlsx``) of ``period`` into the binary file ``out``: how many
    answers gave each score to each element (sheet Sebaran), from which anyone recomputes the element
    totals, NRRs and IKM of the summary (Ringkasan); and the breakdowns of the results page, small groups
    without IKM (Kelompok). No answer's row: a row holds one person's nine scores side by side, which
    the published result does not need and which, in a small unit, a neighbour may recognise."""
    tabular.write_xlsx(
        [
            ("Sebaran", _distribution(period)),
            ("Ringkasan", _summary(period)),
            ("Kelompok", _groups(period)),
        ],
        out,
    )


def write_staff_answers(period, out, *, suggestions: bool = False) -> None:
    """Every answer of the period with its date, channel, service and respondent profile, in the order
    received, into ``out``: for the unit's staff who may read its surveys only, never public. With
    ``suggestions`` (for the survey staff of ``selectors.can_read_suggestions``: free text may identify
    someone) a sheet "Saran" holds the suggestions, newest first, with their date, channel and service,
    not tied to an answer's row."""
    header = ["No", "Tanggal", "Saluran", "Layanan", "Jenis kelamin", "Usia", "Pendidikan"]

    def answers():  # CHUNK rows at a time: tens of thousands of answers are never all in memory
        yield [*header, "Pekerjaan", *rules.CODES]
        rows = selectors.answers_for_export(period).iterator(chunk_size=CHUNK)
        for i, row in enumerate(rows, start=1):
            day, channel, service, gender, age, education, occupation, *values = row
            yield [i, day, channel, service or "", gender, age, education, occupation, *values]

    def suggested():
        yield ["Tanggal", "Saluran", "Layanan", "Saran"]
        for r in selectors.suggestions(period).iterator(chunk_size=CHUNK):
            yield [r.submitted_on, r.channel, r.service.name if r.service else "", r.suggestion]

    sheets = [("Jawaban", answers()), ("Ringkasan", _summary(period))]
    if suggestions:
        sheets.append(("Saran", suggested()))
    tabular.write_xlsx(sheets, out)


def _built(write, period):
    """A temporary file holding what ``write`` writes for ``period``, read from its start."""
    out = tempfile.TemporaryFile()
    try:
        write(period, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


#: The folder of the file storage that keeps the public answers files of published periods.
ANSWERS_DIR = "skm/jawaban"


def public_answers_name(period) -> str:
    """Where the public answers file of a published period is kept in the file storage: a published
    period never changes, so it is built once (per version of the file's layout and minimum group)."""
    stamp = int(period.published_at.timestamp()) if period.published_at else 0
    return (
        f"{ANSWERS_DIR}/{period.pk}-{stamp}-v{PUBLIC_ANSWERS_VERSION}-k{selectors.min_group()}.xlsx"
    )


def public_answers_file(period):
    """An open binary file of the public answers of ``period`` (:func:`write_public_answers`). A
    published period's is built at its first download and kept in the file storage; later downloads read
    it (no query over the answers). Writing it removes the period's files built before under another
    version of the layout or another minimum group (:func:`remove_stale_answers_files`). An unpublished
    period's (staff only) is built each time."""
    if period.status != PeriodStatus.PUBLISHED:
        return _built(write_public_answers, period)
    name = public_answers_name(period)
    if not default_storage.exists(name):
        with _built(write_public_answers, period) as built:
            saved = default_storage.save(name, File(built, name=name.rsplit("/", 1)[-1]))
        if saved != name:  # built at the same time by another request: keep one
            default_storage.delete(saved)
        remove_stale_answers_files([period.pk])
    return default_storage.open(name, "rb")


def _kept_answers_files() -> list[str]:
    try:
        _folders, files = default_storage.listdir(ANSWERS_DIR)
    except FileNotFoundError:
        return []
    return files


def remove_stale_answers_files(period_ids=None) -> int:
    """Delete the kept public answers files that are no longer handed out: built under another version
    of the file's layout (:data:`PUBLIC_ANSWERS_VERSION`) or another minimum group
    (``AMANAH_SKM_MIN_GROUP``), or of a period that is no longer published or no longer exists; only of
    the periods ``period_ids`` when given (a new file was just written), else of every period (the
    sweep). The file of each published period under the current names stays. Returns how many were
    deleted."""
    from .models import SurveyPeriod

    by_period: dict[int, list[str]] = {}
    for file in _kept_answers_files():
        head = file.split("-", 1)[0]
        if head.isdecimal():
            by_period.setdefault(int(head), []).append(file)
    if period_ids is not None:
        by_period = {pk: files for pk, files in by_period.items() if pk in set(period_ids)}
    current = {
        public_answers_name(p).rsplit("/", 1)[-1]
        for p in SurveyPeriod.objects.filter(
            pk__in=list(by_period), status=PeriodStatus.PUBLISHED
        ).only("pk", "published_at")
    }
    deleted = 0
    for files in by_period.values():
        for file in files:
            if file not in current:
                default_storage.delete(f"{ANSWERS_DIR}/{file}")
                deleted += 1
    return deleted


def staff_answers_file(period, *, suggestions: bool = False):
    """An open binary file of :func:`write_staff_answers` (built at each download: staff read unpublished
    periods, whose answers still change)."""
    return _built(functools.partial(write_staff_answers, suggestions=suggestions), period)
