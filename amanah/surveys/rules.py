"""The Survei Kepuasan Masyarakat (SKM) of PermenPANRB No. 14 Tahun 2017, as pure functions and tables.

Source: Peraturan Menteri PANRB No. 14/2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit
Penyelenggara Pelayanan Publik (Lampiran: unsur, kuesioner, rumus IKM, tabel nilai persepsi) and the
Krejcie & Morgan (1970) table it points to for the sample. docs/surveys.md describes them.

All arithmetic is exact (``fractions.Fraction``); values are rounded only when they are shown. No Django, no
I/O: the numbers that an agency may change (the weight, the category table, the sample parameters) are
arguments with the regulation's values as defaults.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from amanah.core.rules import SUPPRESS_BELOW, Text, gettext_noop, suppress_group, to_decimal

REGULATION = gettext_noop(
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 tentang "
    "Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik"
)
"""The regulation these rules implement, as the report cites it (it replaced PermenPANRB 16/2014; a page
says it in its reader's language)."""
REGULATION_SHORT = gettext_noop("PermenPANRB No. 14 Tahun 2017")
"""The same citation, short (the counter poster)."""

SCALE = (1, 2, 3, 4)
"""Every element is answered on a 1–4 scale (Lampiran PermenPANRB 14/2017, kuesioner)."""


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    question: str
    labels: tuple[str, str, str, str]


ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "U2",
        "Sistem, mekanisme, dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Element(
        "U3",
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Element(
        "U4",
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Element(
        "U5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
        "pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "U6",
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Element(
        "U7",
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Element(
        "U8",
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
    Element(
        "U9",
        "Penanganan pengaduan, saran, dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
)
"""The nine unsur of PermenPANRB 14/2017 with the questionnaire's wording and answer labels. (The labels of
U6 and U9 were not read in the regulation's own text: they are unverified defaults.)"""

CODES: tuple[str, ...] = tuple(e.code for e in ELEMENTS)
BY_CODE: dict[str, Element] = {e.code: e for e in ELEMENTS}

# --- respondent profile (Lampiran, kuesioner: profil responden) -------------------------------------------
GENDERS = {"L": "Laki-laki", "P": "Perempuan"}
EDUCATION = {
    "SD": "SD ke bawah",
    "SMP": "SMP",
    "SMA": "SMA",
    "D1-D3": "D1–D3",
    "D4-S1": "D4/S1",
    "S2": "S2",
    "S3": "S3",
}
OCCUPATIONS = {
    "PNS": "PNS",
    "TNI": "TNI",
    "POLRI": "POLRI",
    "Swasta": "Swasta",
    "Wirausaha": "Wirausaha",
    "Lainnya": "Lainnya",
}
AGE_MIN, AGE_MAX = 10, 120
# Age bands used in the respondent-profile breakdown: (label, lowest age, highest age).
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("< 20", AGE_MIN, 19),
    ("20–29", 20, 29),
    ("30–39", 30, 39),
    ("40–49", 40, 49),
    ("50–59", 50, 59),
    ("≥ 60", 60, AGE_MAX),
)


def age_band(age: int | None) -> str | None:
    if age is None:
        return None
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return None


# --- weights ------------------------------------------------------------------------------------------------
WEIGHT_EXACT = Fraction(1, 9)
"""Bobot nilai rata-rata tertimbang = jumlah bobot / jumlah unsur = 1/9 (PermenPANRB 14/2017, Lampiran)."""
WEIGHT_PRINTED = Fraction(111, 1000)
"""The regulation prints the weight rounded as 0,111; with it a perfect score converts to 99,9, not 100. Kept
only for agencies that must reproduce their past reports."""
WEIGHTS = {"exact": WEIGHT_EXACT, "0.111": WEIGHT_PRINTED}
DEFAULT_WEIGHT = "exact"
"""The weight a period gets unless its agency chose another (``SurveyPeriod.weight``)."""
CONVERSION = 25
"""IKM konversi = IKM unit × 25 (scale 25–100)."""


def weight_shown(weight: Fraction) -> Fraction | Decimal:
    """A weight as reports and the API write it: a weight without a finite decimal (1/9) as the fraction,
    one with (the printed 0,111) as a :class:`~decimal.Decimal`, for the reader's number format."""
    rest = weight.denominator
    for factor in (2, 5):
        while rest % factor == 0:
            rest //= factor
    if rest != 1:
        return weight
    return Decimal(weight.numerator) / Decimal(weight.denominator)


@dataclass(frozen=True)
class Category:
    lower: Decimal  # lowest converted value (IKM konversi) of this category
    persepsi: int
    mutu: str
    kinerja: str
    interval_unit: tuple[Decimal, Decimal]  # (from, to) in IKM unit, as printed
    interval_konversi: tuple[Decimal, Decimal]  # (from, to) in IKM konversi, as printed


CATEGORIES: tuple[Category, ...] = tuple(
    Category(
        Decimal(lower),
        persepsi,
        mutu,
        kinerja,
        (Decimal(u0), Decimal(u1)),
        (Decimal(k0), Decimal(k1)),
    )
    for lower, persepsi, mutu, kinerja, (u0, u1), (k0, k1) in (
        # lower bound, nilai persepsi, mutu, kinerja unit, interval IKM unit, interval konversi
        ("88.31", 4, "A", "Sangat Baik", ("3.5324", "4.00"), ("88.31", "100.00")),
        ("76.61", 3, "B", "Baik", ("3.0644", "3.532"), ("76.61", "88.30")),
        ("65.00", 2, "C", "Kurang Baik", ("2.60", "3.064"), ("65.00", "76.60")),
        ("25.00", 1, "D", "Tidak Baik", ("1.00", "2.5996"), ("25.00", "64.99")),
    )
)
"""Tabel nilai persepsi, interval IKM, interval konversi IKM, mutu pelayanan dan kinerja unit pelayanan
(PermenPANRB 14/2017, Lampiran). Highest first. The intervals are numbers with the decimals the table
prints (2,60; 3,064; 2,5996), for a page or report to write in its reader's number format."""


def category(
    ikm_konversi: Fraction | Decimal | int, table: Sequence[Category] = CATEGORIES
) -> Category:
    """The category of a converted IKM, found by the highest lower bound it reaches.

    The printed intervals leave gaps (88,30 < x < 88,31); a value in a gap belongs to the category below,
    because it has not reached the next lower bound. A value under every bound (only possible with the printed
    weight 0,111) is the lowest category."""
    value = Fraction(ikm_konversi) if not isinstance(ikm_konversi, Fraction) else ikm_konversi
    ordered = sorted(table, key=lambda c: c.lower, reverse=True)
    for cat in ordered:
        if value >= Fraction(cat.lower):
            return cat
    return ordered[-1]


# --- the index ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ElementScore:
    code: str
    total: int
    nrr: Fraction  # nilai rata-rata = total ÷ respondents
    nrr_weighted: Fraction  # NRR × weight


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: tuple[ElementScore, ...]
    ikm_unit: Fraction | None  # Σ NRR tertimbang, 1–4
    ikm: Fraction | None  # ikm_unit × 25
    category: Category | None
    weight: Fraction

    @property
    def ikm_display(self) -> Decimal | None:
        return display_ikm(self.ikm) if self.ikm is not None else None


def compute_ikm(
    totals: Sequence[int], respondents: int, weight: Fraction = WEIGHT_EXACT
) -> IkmResult:
    """IKM per PermenPANRB 14/2017 from the total score of each element and the number of questionnaires.

    - NRR per unsur = total nilai persepsi per unsur ÷ total unsur yang terisi (the number of questionnaires);
    - NRR tertimbang per unsur = NRR × bobot (1/9 by default);
    - IKM unit pelayanan = Σ NRR tertimbang (scale 1–4);
    - IKM konversi = IKM unit × 25 (scale 25–100), classified by :func:`category`.

    With no respondents every value is ``None`` (there is nothing to divide)."""
    if len(totals) != len(ELEMENTS):
        raise ValueError(f"expected {len(ELEMENTS)} totals, got {len(totals)}")
    if respondents < 0 or any(t < 0 for t in totals):
        raise ValueError("counts cannot be negative")
    if respondents == 0:
        scores = tuple(ElementScore(code, 0, None, None) for code in CODES)  # type: ignore[arg-type]
        return IkmResult(0, scores, None, None, None, weight)
    for t in totals:
        if not respondents * SCALE[0] <= t <= respondents * SCALE[-1]:
            raise ValueError("a total lies outside what the 1–4 scale allows")
    scores = []
    for code, total in zip(CODES, totals, strict=True):
        nrr = Fraction(total, respondents)
        scores.append(ElementScore(code, total, nrr, nrr * weight))
    ikm_unit = sum((s.nrr_weighted for s in scores), Fraction(0))
    ikm = ikm_unit * CONVERSION
    return IkmResult(respondents, tuple(scores), ikm_unit, ikm, category(ikm), weight)


def pooled_ikm(
    respondents: int, total: int, by_weight: Mapping[str, int] | None = None
) -> Fraction | None:
    """IKM konversi of the questionnaires of several periods pooled together (the public dashboard), every
    answer weighted with its own period's weight, so that one period alone gives exactly the IKM of
    :func:`compute_ikm` (Σ NRR × bobot × 25 = bobot × Σ totals ÷ respondents × 25).

    ``total`` is the sum of the nine element totals over every questionnaire; ``by_weight`` maps a key of
    :data:`WEIGHTS` other than :data:`DEFAULT_WEIGHT` to that sum over the periods using it. The rest is
    weighted 1/9. None without respondents."""
    if respondents < 0 or total < 0:
        raise ValueError("counts cannot be negative")
    if respondents == 0:
        return None
    other = {k: v for k, v in (by_weight or {}).items() if k != DEFAULT_WEIGHT and v}
    weighted = WEIGHTS[DEFAULT_WEIGHT] * (total - sum(other.values()))
    weighted += sum((WEIGHTS[k] * v for k, v in other.items()), Fraction(0))
    return weighted / respondents * CONVERSION


def compute_from_answers(
    answers: Sequence[Sequence[int]], weight: Fraction = WEIGHT_EXACT
) -> IkmResult:
    """The same index from individual questionnaires (rows of nine answers); used for worked examples
    and by the tests as an independent path to the database aggregate."""
    totals = [0] * len(ELEMENTS)
    for row in answers:
        for i, value in enumerate(row):
            totals[i] += value
    return compute_ikm(totals, len(answers), weight)


def display_ikm(value: Fraction) -> Decimal:
    """The converted IKM with two decimals, cut (not rounded up) so the printed number never reaches a
    category its exact value has not reached (88,305 prints as 88,30 and is B, as :func:`category` says)."""
    return to_decimal(value, 2, ROUND_DOWN)


def display_ikm_unit(value: Fraction) -> Decimal:
    """The IKM unit (scale 1–4) with four decimals, cut like :func:`display_ikm`. The lower bounds of the
    table in IKM unit (2,60; 3,0644; 3,5324 — the converted bounds ÷ 25) have four decimals, so the printed
    value reaches a category's bound exactly when the exact value does: 3,532389… (B) prints 3,5323, not
    3,5324, the lower bound of A."""
    return to_decimal(value, 4, ROUND_DOWN)


def lowest_elements(result: IkmResult, k: int = 3) -> list[ElementScore]:
    """The ``k`` elements with the lowest NRR (ties kept in element order), which the unit must follow up
    (PermenPANRB 14/2017, Lampiran: analisis hasil SKM dan rencana tindak lanjut)."""
    scored = [s for s in result.elements if s.nrr is not None]
    return sorted(scored, key=lambda s: (s.nrr, CODES.index(s.code)))[:k]


def change(previous: Fraction | None, current: Fraction | None) -> str | None:
    """``naik``/``turun``/``tetap`` between two values of the same element or index, or None."""
    if previous is None or current is None:
        return None
    if current > previous:
        return "naik"
    if current < previous:
        return "turun"
    return "tetap"


POPULATION_MAX = 2_147_483_647
"""The largest population a period may state: what the database column holds (a 32-bit integer), far
above any unit's service users in a year; Krejcie & Morgan gives 384 long before."""

# --- sample size --------------------------------------------------------------------------------------------
KM_CHI2 = Fraction("3.841")  # χ² for 1 degree of freedom at 95 % confidence
KM_P = Fraction(1, 2)  # population proportion giving the largest sample
KM_D = Fraction(5, 100)  # degree of accuracy (margin of error)


def required_sample(
    population: int, chi2: Fraction = KM_CHI2, p: Fraction = KM_P, d: Fraction = KM_D
) -> int:
    """Krejcie & Morgan (1970): s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), rounded to the nearest whole number
    (halves up). PermenPANRB 14/2017 points to this table for the minimum number of respondents; the
    published pairs (10→10, 100→80, 1200→291, 9000→368, …) are reproduced, and large populations approach 384."""
    if population < 1:
        raise ValueError("population must be at least 1")
    n = Fraction(population)
    s = chi2 * n * p * (1 - p) / (d * d * (n - 1) + chi2 * p * (1 - p))
    whole, rest = divmod(s.numerator, s.denominator)
    return int(whole + (1 if 2 * rest >= s.denominator else 0))


# --- validation of one questionnaire ------------------------------------------------------------------------
class AnswerError(ValueError):
    """Problems with one questionnaire: ``fields`` maps a field (``U3``, ``profile.age``) to a message in
    Indonesian (a msgid or a ``core.rules.Text``; the caller says it with ``records.translated``)."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+").isdecimal():
        return int(value.strip())
    return None


def clean_answers(answers: Mapping) -> dict[str, int]:
    """Every element U1–U9 answered with a whole number 1–4; keys may be upper or lower case. Unknown keys
    are refused so a typo (``U10``) is not silently ignored."""
    if not isinstance(answers, Mapping):
        raise AnswerError({"answers": gettext_noop("Jawaban harus berupa daftar U1–U9.")})
    given = {str(k).strip().upper(): v for k, v in answers.items()}
    errors: dict[str, str] = {}
    out: dict[str, int] = {}
    for key in given:
        if key not in BY_CODE:
            errors[key] = gettext_noop("Unsur tidak dikenal; yang ada hanya U1 sampai U9.")
    for code in CODES:
        if code not in given or given[code] in (None, ""):
            errors[code] = gettext_noop("Unsur ini wajib dijawab.")
            continue
        value = _as_int(given[code])
        if value is None or value not in SCALE:
            errors[code] = gettext_noop("Jawaban harus bilangan bulat 1 sampai 4.")
            continue
        out[code] = value
    if errors:
        raise AnswerError(errors)
    return out


def clean_profile(profile: Mapping | None) -> dict:
    """The optional respondent profile: gender L/P, age in years, education, occupation. Empty values are
    allowed (the profile is voluntary); given values must be valid. Education and occupation match case
    insensitively and ``S1``/``D4`` are read as ``D4-S1``."""
    profile = dict(profile or {})
    errors: dict[str, str] = {}
    out: dict = {"gender": "", "age": None, "education": "", "occupation": ""}
    gender = str(profile.get("gender") or "").strip().upper()
    if gender:
        if gender in ("LAKI-LAKI", "PRIA"):
            gender = "L"
        elif gender in ("PEREMPUAN", "WANITA"):
            gender = "P"
        if gender not in GENDERS:
            errors["gender"] = gettext_noop("Jenis kelamin harus L atau P.")
        else:
            out["gender"] = gender
    age = profile.get("age")
    if age not in (None, ""):
        value = _as_int(age)
        if value is None or not AGE_MIN <= value <= AGE_MAX:
            errors["age"] = Text(
                gettext_noop("Usia harus bilangan bulat %(min)d–%(max)d tahun."),
                min=AGE_MIN,
                max=AGE_MAX,
            )
        else:
            out["age"] = value
    education = (
        str(profile.get("education") or "").strip().upper().replace("–", "-").replace(" ", "")
    )
    if education:
        aliases = {
            "S1": "D4-S1",
            "D4": "D4-S1",
            "D4/S1": "D4-S1",
            "D1": "D1-D3",
            "D2": "D1-D3",
            "D3": "D1-D3",
        }
        education = aliases.get(education, education)
        if education not in EDUCATION:
            errors["education"] = Text(
                gettext_noop("Pendidikan harus salah satu dari: %(choices)s."),
                choices=", ".join(EDUCATION),
            )
        else:
            out["education"] = education
    occupation = str(profile.get("occupation") or "").strip()
    if occupation:
        match = {k.upper(): k for k in OCCUPATIONS}.get(occupation.upper())
        if match is None:
            errors["occupation"] = Text(
                gettext_noop("Pekerjaan harus salah satu dari: %(choices)s."),
                choices=", ".join(OCCUPATIONS),
            )
        else:
            out["occupation"] = match
    if errors:
        raise AnswerError({f"profile.{k}": v for k, v in errors.items()})
    return out


# --- publishing breakdowns without singling anyone out ------------------------------------------------------
MIN_GROUP = SUPPRESS_BELOW
"""The fewest respondents a group of a public breakdown (a service, a gender, an age band, …) needs for its IKM
to be shown (``AMANAH_SKM_MIN_GROUP``). U6 and U7 rate the officer who served the person: the IKM of a group of
one is that person's own ratings. The same threshold as the dashboard's small counts."""


def hidden_groups(
    counts: Mapping[str, int], threshold: int = MIN_GROUP, hide: Iterable[str] = ()
) -> set[str]:
    """The groups of one breakdown whose IKM is not shown: ``counts`` maps each group to its number of
    respondents; the groups together are all the respondents of the period, whose own result is published.

    Every group smaller than ``threshold`` is hidden, and those in ``hide`` (hidden for the sake of another
    breakdown, :func:`linked_hidden`), and then (as for the dashboard's counts,
    :func:`amanah.core.rules.suppress_group`) the smallest other groups too until at least two are hidden
    and they hold at least ``threshold`` respondents: otherwise the period's element totals less those of
    the groups shown would be the hidden group's own. When every group is hidden, the period has fewer
    respondents than ``threshold``."""
    shown = suppress_group(dict(counts), threshold, hide=hide)
    return {key for key, value in shown.items() if value is None}


def linked_hidden(
    cells: Mapping[tuple, int], threshold: int = MIN_GROUP, keep: Sequence[Iterable] = ()
) -> list[set]:
    """The groups to hide in each of several breakdowns of the same respondents published side by side
    (by service, gender, age band, education, occupation), so that no combination of the figures shown,
    from any number of the breakdowns, gives away the result of fewer than ``threshold`` respondents.
    ``cells`` maps a combination (one group per breakdown, in a fixed order) to its number of respondents;
    returns, in that order, the hidden groups of each breakdown (:func:`hidden_groups`, with more hidden
    where needed).

    The breakdowns are linked tables (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
    §4.3: tables built from the same respondents), and what they publish are sums: a shown group's element
    totals (its IKM or NRRs times its number of respondents, exact for groups of up to a few hundred), and
    the period's. Anyone may add and subtract those sums, with any factor, across every breakdown at once.
    Checking pairs of breakdowns is not enough: with men (10), women (5), entrepreneurs (6) and the
    respondents in their thirties (6) shown, (entrepreneurs + thirties − men) ÷ 2 is the one woman
    entrepreneur in her thirties when every male entrepreneur is older and every man in his thirties a
    civil servant, though no two of those breakdowns single her out.

    So the rule audits the published sums as a whole, as the audit step of cell suppression does (§4.2:
    a suppression pattern is checked against every linear combination of the published cells): a set of
    respondents is given away when its totals are a linear combination of the published ones (the period
    and each shown group); it is allowed only with no one or at least ``threshold`` respondents in it
    (the period itself is always published). :func:`_linked_exposure` finds every such set exactly; while
    there is one, a shown group used to give it away is hidden as well (the smallest whose hiding, with
    the further groups :func:`hidden_groups` then hides, leaves that set unknown; else the smallest
    used), and everything is checked again. What no combination gives away stays shown.

    ``keep`` (one collection per breakdown, in the same order) names groups hidden whatever the figures:
    those an earlier publication of the same period hid, under whatever minimum it was made with. Showing
    one of them now could give away, with the figures published then, what both hide (a group hidden then
    and now is the period less the groups shown then and now), even when the earlier minimum was larger;
    with them kept hidden, nothing is shown that was not shown then. The other groups are then hidden as
    ``threshold`` requires, with the kept ones counted among the hidden."""
    cells = {key: n for key, n in cells.items() if n}
    if not cells:
        return []
    dims = len(next(iter(cells)))
    margins: list[dict] = [{} for _ in range(dims)]
    for key, n in cells.items():
        for d, value in enumerate(key):
            margins[d][value] = margins[d].get(value, 0) + n
    forced: list[set] = [set() for _ in range(dims)]
    for d, groups in enumerate(list(keep)[:dims]):
        forced[d].update(value for value in groups if value in margins[d])
    while True:
        hidden = [hidden_groups(margins[d], threshold, forced[d]) for d in range(dims)]
        exposed = _linked_exposure(cells, margins, hidden, threshold, forced)
        if exposed is None:
            return hidden
        d, value = exposed
        forced[d].add(value)


_HIDDEN = object()
"""A hidden group in an atom's key (:func:`_linked_exposure`): the hidden groups of a breakdown are known
only together."""


def _linked_exposure(cells, margins, hidden, threshold, forced) -> tuple[int, object] | None:
    """A shown group to hide, as ``(breakdown, group)``, because some linear combination of the published
    sums (the period and each shown group) is the sum of 1 to ``threshold - 1`` respondents and uses it
    (:func:`linked_hidden`); None when there is no such combination.

    The respondents fall into *atoms*: those alike in every shown group (a breakdown's hidden groups count
    as one). A combination of published sums adds the same factor for everyone in an atom, so a set it
    gives away is a union of atoms, and a small one is made of atoms with fewer than ``threshold``
    respondents (*small* atoms). The combinations that are nothing on every other atom form a vector space;
    reduced to echelon form (exact fractions), each of its basis vectors has a factor 1 on its own pivot
    atom and 0 on the other pivots, so a set it holds is the sum of the basis vectors of the pivots in the
    set. Trying every choice of pivots holding fewer than ``threshold`` respondents therefore finds every
    small set given away, however many breakdowns it takes; :func:`_first_small_set` makes those choices
    without trying the ones that bounds on each column's value rule out."""
    dims = len(margins)
    groups = [
        (d, value)
        for d in range(dims)
        for value in sorted(margins[d], key=repr)
        if value not in hidden[d]
    ]
    if not groups:
        return None
    index = {group: i for i, group in enumerate(groups, start=1)}  # 0: the period itself
    atoms: dict[tuple, int] = {}
    for key, n in cells.items():
        atom = tuple(_HIDDEN if v in hidden[d] else v for d, v in enumerate(key))
        atoms[atom] = atoms.get(atom, 0) + n
    sums = 1 + len(groups)

    members = {  # the published sums that count each atom: the period and its shown groups
        atom: [0, *(index[(d, v)] for d, v in enumerate(atom) if v is not _HIDDEN)]
        for atom in atoms
    }

    small = [a for a, n in atoms.items() if n < threshold]
    if not small:
        return None
    # the combinations (factors of the published sums) that are nothing on every large atom
    free = _null_space([members[a] for a, n in atoms.items() if n >= threshold], sums)
    # their value on each small atom, then their factors (kept beside: which sums they use)
    column = {a: i for i, a in enumerate(small)}
    rows = []
    for factors in free:
        row = {}
        for a in small:
            value = sum(factors.get(i, 0) for i in members[a])
            if value:
                row[column[a]] = value
        rows.append((row, factors))
    basis = _echelon(rows)
    pivots = sorted(basis, key=lambda p: (atoms[small[p]], p))
    people_in = [atoms[a] for a in small]

    def exact(chosen: list[int]) -> dict | None:
        """The factors giving away the set whose pivots are ``chosen``, checked in exact fractions."""
        values: dict[int, Fraction] = {}
        factors: dict[int, Fraction] = {}
        for p in chosen:
            _subtract(values, basis[p][0], -1)
            _subtract(factors, basis[p][1], -1)
        if any(v != 1 for v in values.values()):
            return None
        people = sum(people_in[col] for col in values)
        if not 0 < people < threshold or len(values) == len(atoms):
            return None
        factors["set"] = {small[col] for col in values}
        return factors

    try:
        factors = _first_small_set(basis, pivots, people_in, threshold, len(atoms), exact)
    except _TooLong:
        # too many sets to try: hide, to be safe, a group taking part in some combination that is
        # nothing on every large atom; what it gave away cannot be given away any more
        factors = {}
        for _row, row_factors in basis.values():
            factors.update(row_factors)
    if factors is None:
        return None
    given = factors.pop("set", None)
    used = sorted(
        (groups[i - 1] for i, value in factors.items() if i and value),
        key=lambda g: (margins[g[0]][g[1]], g[0], repr(g[1])),
    )
    if (
        given is not None
    ):  # the smallest group whose hiding (with what follows) keeps the set unknown
        for d, value in used:
            after = [*hidden]
            after[d] = hidden_groups(margins[d], threshold, forced[d] | {value})
            if not _spanned(list(atoms), after, given):
                return d, value
    return used[0]


def _spanned(atoms: list[tuple], hidden: list[set], given: set) -> bool:
    """Whether the totals of the atoms ``given`` are a linear combination of the period's and those of
    the groups shown when ``hidden`` are hidden (exact elimination)."""
    dims = len(hidden)
    shown = {(d, a[d]) for a in atoms for d in range(dims) if a[d] is not _HIDDEN}
    rows = [({i: 1 for i in range(len(atoms))}, {})]
    for d, value in sorted(shown, key=repr):
        if value not in hidden[d]:
            rows.append(({i: 1 for i, a in enumerate(atoms) if a[d] == value}, {}))
    target = {i: Fraction(1) for i, a in enumerate(atoms) if a in given}
    for p, (values, _f) in _echelon(rows).items():
        factor = target.get(p, 0)
        if factor:
            _subtract(target, values, factor)
    return not target


def _first_small_set(basis, pivots, people_in, threshold, atoms, accept):
    """The first set of pivots (in the order of :func:`_linked_exposure`'s search: by size, each set
    before the sets it begins) whose basis vectors add up to the set of 1 to ``threshold - 1`` respondents
    that ``accept`` takes (it returns the factors giving it away, or None), and what ``accept`` returned;
    None when there is none. ``basis`` holds the echelon rows (:func:`_echelon`) by pivot column,
    ``people_in`` the respondents of each column (small atom), ``atoms`` the number of atoms (a set of
    every atom is the period itself).

    Each pivot is in or out of the set (a yes/no choice), and every other column's value is the sum of its
    entries in the rows chosen: it must end at 0 or 1, and the columns at 1 with the pivots chosen must
    hold fewer than ``threshold`` respondents. The choices are made in order, yes first, and after each
    the bounds of every column (its value so far plus the negative, or the positive, entries of the rows
    still open) decide what is still possible: a column whose bounds hold neither 0 nor 1 ends the branch;
    a choice that would leave a column so is excluded (the other is made at once); a column whose lowest
    value is above 0 must end at 1 and counts its respondents, and a choice adding too many respondents is
    excluded. Each of these only cuts branches holding no set, so the first set found is the first of the
    whole search, however many breakdowns it takes, without trying the sets that cannot be. Exact: each
    column is scaled to whole numbers (its 1 becomes the common denominator of its entries)."""
    order = len(pivots)
    index: dict[int, int] = {}  # a non-pivot column → its position in the lists below
    size: list[int] = []  # the whole number standing for 1 in that column
    weight: list[int] = []  # its respondents
    by_column: list[list[tuple[int, int]]] = []  # (choice, entry) of the rows touching it
    for k, p in enumerate(pivots):
        for col, value in basis[p][0].items():
            if col in basis:
                continue  # a pivot's own column (1 on its row, 0 on the others)
            c = index.get(col)
            if c is None:
                c = index[col] = len(size)
                size.append(1)
                weight.append(people_in[col])
                by_column.append([])
            size[c] = math.lcm(size[c], value.denominator)
            by_column[c].append((k, value))
    by_choice: list[list[tuple[int, int]]] = [[] for _ in range(order)]
    for c, entries in enumerate(by_column):
        scaled = [(k, int(v * size[c])) for k, v in entries]
        by_column[c] = scaled
        for k, v in scaled:
            by_choice[k].append((c, v))
    largest = [max(abs(v) for _k, v in entries) for entries in by_column]
    own = [people_in[p] for p in pivots]
    width = len(size)
    low0 = [0] * width  # the sum of the negative entries of the open rows
    high0 = [0] * width  # the sum of the positive ones
    for c, entries in enumerate(by_column):
        for _k, v in entries:
            if v < 0:
                low0[c] += v
            else:
                high0[c] += v
    negative = [[(c, v) for c, v in row if v < 0] for row in by_choice]
    positive = [[(c, v) for c, v in row if v > 0] for row in by_choice]
    touches = [[c for c, _v in row] for row in by_choice]
    steps = 0

    def settle(state, k, yes, touched) -> None:
        chosen, value, low, high, _people = state
        chosen[k] = yes
        for c, v in negative[k]:
            low[c] -= v
        for c, v in positive[k]:
            high[c] -= v
        if yes:
            for c, v in by_choice[k]:
                value[c] += v
            state[4] += own[k]
        touched.update(touches[k])

    def possible(low, high, one) -> bool:
        return low <= 0 <= high or low <= one <= high

    def propagate(state, touched) -> bool:
        """Every choice the bounds force, made; False when nothing is possible any more."""
        chosen, value, low, high, _people = state
        while True:
            while touched:
                c = touched.pop()
                lo, hi, one = value[c] + low[c], value[c] + high[c], size[c]
                if not possible(lo, hi, one):
                    return False
                if lo <= 0 and one <= hi and largest[c] <= min(hi, one - lo):
                    continue  # 0 and 1 both in reach, and no single entry can put either out of it
                for k, v in by_column[c]:
                    if chosen[k] is not None:
                        continue
                    if v > 0:
                        can_yes = possible(lo + v, hi, one)
                        can_no = possible(lo, hi - v, one)
                    else:
                        can_yes = possible(lo, hi + v, one)
                        can_no = possible(lo - v, hi, one)
                    if not can_yes and not can_no:
                        return False
                    if can_yes != can_no:
                        settle(state, k, can_yes, touched)
                        touched.add(c)
                        break  # this column again, with its new bounds
            people = state[4] + sum(weight[c] for c in range(width) if value[c] + low[c] > 0)
            if people >= threshold:
                return False
            for k in range(order):
                if chosen[k] is None and people + own[k] >= threshold:
                    settle(state, k, False, touched)
            if not touched:
                return True

    def candidate(state, j) -> object:
        """What ``accept`` says of the pivots chosen up to ``j`` and none after, if they make a set."""
        chosen, value, _low, _high, people = state
        if any(chosen[k] for k in range(j + 1, order)):
            return None
        ones = 0
        for c in range(width):
            if value[c] == size[c]:
                ones += 1
                people += weight[c]
            elif value[c]:
                return None
        picked = [pivots[k] for k in range(j + 1) if chosen[k]]
        if not 0 < people < threshold or len(picked) + ones >= atoms:
            return None
        return accept(picked)

    def search(j, state):
        nonlocal steps
        while j < order and state[0][j] is False:
            j += 1
        if j == order:
            return None
        branches = [True, False] if state[0][j] is None else [True]
        for yes in branches:
            if len(branches) == 1:
                branch = state
            else:
                branch = [[*state[0]], [*state[1]], [*state[2]], [*state[3]], state[4]]
                touched: set[int] = set()
                settle(branch, j, yes, touched)
                if not propagate(branch, touched):
                    continue
            if yes:
                steps += 1
                if steps > SEARCH_STEPS:
                    raise _TooLong
                found = candidate(branch, j)
                if found is not None:
                    return found
            found = search(j + 1, branch)
            if found is not None:
                return found
        return None

    vectors = [{k: 1} for k in range(order)] + [dict(entries) for entries in by_column]
    if _hit_by_every_set(vectors, own + weight, order, threshold):
        return None
    state = [[None] * order, [0] * width, low0, high0, 0]
    if not propagate(state, set(range(width))):
        return None
    return search(0, state)


def _hit_by_every_set(vectors, weight, rank, threshold) -> bool:
    """Whether disjoint sets of columns, each a basis (``rank`` columns independent: ``vectors``, the
    columns' entries by row, are whole numbers), are found whose lightest columns hold ``threshold``
    respondents or more together (``weight``: each column's respondents). Then no set of fewer respondents
    is given away: a vector of the space that is 0 on every column of a basis is 0, so the columns where a
    set given away is not 0 meet every one of those bases, and hold at least the lightest column of each.

    The bases are taken greedily, the heaviest columns first, independence tested modulo a prime (columns
    independent modulo a prime are independent: some minor of theirs is not 0)."""
    if not rank:
        return True  # the space is nothing but 0
    unused = sorted(range(len(vectors)), key=lambda c: -weight[c])
    total = 0
    while total < threshold:
        rows: list[tuple[int, dict[int, int]]] = []  # (pivot, row with 1 there), in the order found
        lightest, rest = None, []
        for n, c in enumerate(unused):
            if len(rows) == rank:
                rest.extend(unused[n:])
                break
            v = {k: a % _PRIME for k, a in vectors[c].items() if a % _PRIME}
            for pivot, row in rows:
                f = v.get(pivot)
                if f:
                    for k, a in row.items():
                        x = (v.get(k, 0) - f * a) % _PRIME
                        if x:
                            v[k] = x
                        else:
                            v.pop(k, None)
            if not v:
                rest.append(c)
                continue
            pivot = min(v)
            inverse = pow(v[pivot], -1, _PRIME)
            rows.append((pivot, {k: a * inverse % _PRIME for k, a in v.items()}))
            lightest = weight[c] if lightest is None else min(lightest, weight[c])
        if len(rows) < rank:
            return False
        total += lightest
        unused = rest
    return True


_PRIME = 2**61 - 1
"""A prime for :func:`_hit_by_every_set`."""


SEARCH_STEPS = 3_000
"""The most sets of pivots :func:`_first_small_set` tries before :func:`_linked_exposure` hides a group
anyway: a safeguard, never reached on the periods of ``bench/skm_suppression.py`` (the search without
the bounds of :func:`_first_small_set` reached it from about a hundred answers and then hid more than
needed)."""


class _TooLong(Exception):
    """The search of :func:`_linked_exposure` has tried :data:`SEARCH_STEPS` sets."""


def _null_space(rows: list[list[int]], width: int) -> list[dict[int, int]]:
    """A basis of the vectors (of ``width`` numbers, as ``{position: value}``) that every row (the
    positions holding a 1) maps to nothing, by exact Gauss–Jordan elimination (:func:`_eliminate`)."""
    reduced = _eliminate(((_ones(positions), {}) for positions in rows), width)
    if len(reduced) == width:
        return []
    basis = []
    for free in sorted(set(range(width)) - set(reduced)):
        vector = {free: Fraction(1)}
        for p, (r, _f, lead) in reduced.items():
            if r.get(free):
                vector[p] = Fraction(-r[free], lead)
        scale = math.lcm(*(v.denominator for v in vector.values()))
        basis.append({i: int(v * scale) for i, v in vector.items()})  # whole numbers, same space
    return basis


def _ones(positions: list[int]) -> dict[int, int]:
    row: dict[int, int] = {}
    for i in positions:
        row[i] = row.get(i, 0) + 1
    return row


def _echelon(rows: list[tuple[dict, dict]]) -> dict[int, tuple[dict, dict]]:
    """Gauss–Jordan elimination of ``rows`` (each ``(values, factors)``, sparse, whole numbers, the
    factors carried along): the non-zero rows by their pivot column, each 1 on its pivot and 0 on every
    other pivot (exact fractions)."""
    return {
        p: (
            {i: Fraction(v, lead) for i, v in values.items()},
            {i: Fraction(v, lead) for i, v in factors.items()},
        )
        for p, (values, factors, lead) in _eliminate(rows).items()
    }


def _eliminate(rows, full: int = 0) -> dict[int, tuple[dict, dict, int]]:
    """Gauss–Jordan elimination in whole numbers (no fractions: a row is reduced by another as
    ``lead × row − entry × other`` and divided by the greatest common divisor of its numbers), rows
    ``(values, factors)`` taken in order, each reduced by the rows kept before and kept if anything is
    left, its pivot the first column left (the rows kept before are then reduced by it). Returns the rows
    kept by pivot, each with its value on its pivot (``lead``) and 0 on every other pivot: the rows of
    :func:`_echelon` times their ``lead``. Stops once ``full`` rows are kept (every column a pivot)."""
    basis: dict[int, tuple[dict, dict, int]] = {}
    for values, factors in rows:
        for p, (b_values, b_factors, lead) in basis.items():
            entry = values.get(p)
            if entry:
                values, factors = _combine(values, factors, lead, b_values, b_factors, entry)
        if not values:
            continue
        p = min(values)
        lead = values[p]
        for q, (b_values, b_factors, _lead) in list(basis.items()):
            entry = b_values.get(p)
            if entry:
                b_values, b_factors = _combine(b_values, b_factors, lead, values, factors, entry)
                basis[q] = (b_values, b_factors, b_values[q])
        basis[p] = (values, factors, lead)
        if len(basis) == full:
            break
    return basis


def _combine(values, factors, times, o_values, o_factors, o_times) -> tuple[dict, dict]:
    """``times × (values, factors) − o_times × (o_values, o_factors)``, zeros dropped, divided by the
    greatest common divisor of its numbers (the sign kept)."""
    new_values = {i: times * v for i, v in values.items()}
    for i, v in o_values.items():
        x = new_values.get(i, 0) - o_times * v
        if x:
            new_values[i] = x
        else:
            new_values.pop(i, None)
    new_factors = {i: times * v for i, v in factors.items()}
    for i, v in o_factors.items():
        x = new_factors.get(i, 0) - o_times * v
        if x:
            new_factors[i] = x
        else:
            new_factors.pop(i, None)
    common = math.gcd(*new_values.values(), *new_factors.values())
    if common > 1:
        new_values = {i: v // common for i, v in new_values.items()}
        new_factors = {i: v // common for i, v in new_factors.items()}
    return new_values, new_factors


def _subtract(target: dict, row: dict, factor) -> None:
    """``target -= factor × row`` in place, sparse (zeros removed)."""
    for i, value in row.items():
        new = target.get(i, 0) - factor * value
        if new:
            target[i] = new
        else:
            target.pop(i, None)


def share(part: int, whole: int, places: int = 1) -> Decimal:
    """``part`` as a percentage of ``whole``, rounded half up like every other shown figure (1 of 16 is
    6,25 % and shows 6,3); 0 when ``whole`` is 0."""
    if not whole:
        return Decimal(0).quantize(Decimal(1).scaleb(-places))
    return to_decimal(Fraction(100 * part, whole), places)


# --- period states ------------------------------------------------------------------------------------------
OPEN, CLOSED, PUBLISHED = "open", "closed", "published"
TRANSITIONS = {
    OPEN: {CLOSED},
    CLOSED: {OPEN, PUBLISHED},
    PUBLISHED: set(),
}
"""A period collects answers while open; closing freezes the count (paper questionnaires may still be
entered); reopening is allowed until it is published; a published report is final."""

ACCEPTS_WEB_ANSWERS = {OPEN}
ACCEPTS_PAPER_ANSWERS = {OPEN, CLOSED}

# --- who may do what (core roles) ---------------------------------------------------------------------------
MANAGE_ROLES = frozenset({"unit", "pengelola"})
"""Plan, open, close and publish a period and write its follow-up plan: the service unit itself and the
agency's complaint manager (who runs the public-service feedback channels)."""
ENTRY_ROLES = frozenset({"unit", "pengelola", "operator"})
"""Enter paper questionnaires: also the front-office operators who collect them at the counter."""
READ_ROLES = frozenset({"unit", "pengelola", "operator", "pimpinan", "auditor", "inspektorat"})
"""See results before publication."""
