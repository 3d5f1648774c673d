"""The Survei Kepuasan Masyarakat (SKM) of PermenPANRB No. 14 Tahun 2017, as pure functions and tables.

Source: Peraturan Menteri PANRB No. 14/2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit
Penyelenggara Pelayanan Publik (Lampiran: unsur, kuesioner, rumus IKM, tabel nilai persepsi) and the
Krejcie & Morgan (1970) table it points to for the sample. docs/surveys.md describes them.

All arithmetic is exact (``fractions.Fraction``); values are rounded only when they are shown. No Django, no
I/O: the numbers that an agency may change (the weight, the category table, the sample parameters) are
arguments with the regulation's values as defaults.
"""

from __future__ import annotations

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


def linked_hidden(cells: Mapping[tuple, int], threshold: int = MIN_GROUP) -> list[set]:
    """The groups to hide in each of several breakdowns of the same respondents published side by side
    (by service, gender, age band, education, occupation), so that no two of them together give away the
    result of fewer than ``threshold`` respondents. ``cells`` maps a combination (one group per breakdown,
    in a fixed order) to its number of respondents; returns, in that order, the hidden groups of each
    breakdown (:func:`hidden_groups`, with more hidden where needed).

    Each breakdown on its own is protected by :func:`hidden_groups`; but the breakdowns are linked tables
    (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, §4.3: tables built from the same
    respondents): the element totals of a group shown in one, less those of a group shown in another that
    lies wholly inside it, are the totals of the respondents in the first and not in the second. Five men
    of whom four are civil servants, with every civil servant a man, publish the fifth man's ratings by
    "men" less "civil servants" (shown IKMs give back the totals for groups of up to a few hundred). What
    one breakdown makes known is the total of any union of its shown groups and of its hidden groups taken
    together; so for every pair of breakdowns and every union ``U`` of such parts of one, the largest
    union of parts of the other inside ``U`` and the smallest one holding ``U`` must differ from ``U`` by
    nobody or by at least ``threshold`` respondents. (Every part holds at least ``threshold``, so only
    those two unions can differ by fewer.) While a pair fails, the smallest shown group among the parts
    that give it away is hidden as well (with the further groups :func:`hidden_groups` then hides), and
    every pair is checked again. Combinations of three breakdowns or more are not searched."""
    cells = {key: n for key, n in cells.items() if n}
    if not cells:
        return []
    dims = len(next(iter(cells)))
    margins: list[dict] = [{} for _ in range(dims)]
    for key, n in cells.items():
        for d, value in enumerate(key):
            margins[d][value] = margins[d].get(value, 0) + n
    forced: list[set] = [set() for _ in range(dims)]
    while True:
        hidden = [hidden_groups(margins[d], threshold, forced[d]) for d in range(dims)]
        exposed = _linked_exposure(cells, margins, hidden, threshold)
        if exposed is None:
            return hidden
        d, value = exposed
        forced[d].add(value)


def _parts(margin: Mapping, hidden: set) -> list[tuple[int, frozenset, bool]]:
    """What one breakdown makes known: each shown group alone and the hidden ones together, as
    ``(respondents, groups, shown)``, or nothing when every group is hidden (only the period's total is
    known)."""
    shown = sorted((n, repr(v), v) for v, n in margin.items() if v not in hidden)
    if not shown:
        return []
    parts = [(n, frozenset([v]), True) for n, _r, v in shown]
    if hidden:
        parts.append((sum(margin[v] for v in hidden), frozenset(hidden), False))
    return parts


def _linked_exposure(cells, margins, hidden, threshold) -> tuple[int, object] | None:
    """A shown group to hide because two breakdowns give away fewer than ``threshold`` respondents
    (:func:`linked_hidden`), as ``(breakdown, group)``; None when no pair does."""
    parts = [_parts(margins[d], hidden[d]) for d in range(len(margins))]
    for d1 in range(len(margins)):
        for d2 in range(d1 + 1, len(margins)):
            if not parts[d1] or not parts[d2]:
                continue
            # the breakdown with fewer parts is the one whose unions are tried
            x, y = (d1, d2) if len(parts[d1]) <= len(parts[d2]) else (d2, d1)
            index = [{v: i for i, (_n, vs, _s) in enumerate(parts[d]) for v in vs} for d in (x, y)]
            # which parts of ``x`` share respondents with each part of ``y``, as a bit mask
            masks = [0] * len(parts[y])
            for key in cells:
                masks[index[1][key[y]]] |= 1 << index[0][key[x]]
            full = (1 << len(parts[x])) - 1
            for chosen in range(1, full):
                size = sum(parts[x][i][0] for i in range(len(parts[x])) if chosen >> i & 1)
                inside = [j for j, m in enumerate(masks) if not m & ~chosen]
                holding = [j for j, m in enumerate(masks) if m & chosen]
                for others, diff in (
                    (inside, size - sum(parts[y][j][0] for j in inside)),
                    (holding, sum(parts[y][j][0] for j in holding) - size),
                ):
                    if 0 < diff < threshold:
                        return _to_hide(parts, x, y, chosen, others)
    return None


def _to_hide(parts, x, y, chosen: int, others: list[int]) -> tuple[int, object]:
    """The smallest shown group among the parts of breakdowns ``x`` (the bits of ``chosen``) and ``y``
    (``others``) that give a small group away; if they are all the hidden parts, the smallest shown group
    of either breakdown."""
    involved = [
        (d, parts[d][i]) for d, i in [(x, i) for i in range(len(parts[x])) if chosen >> i & 1]
    ]
    involved += [(y, parts[y][j]) for j in others]
    shown = [(n, d, next(iter(vs))) for d, (n, vs, is_shown) in involved if is_shown]
    if not shown:
        shown = [(n, d, next(iter(vs))) for d in (x, y) for n, vs, is_shown in parts[d] if is_shown]
    _n, d, value = min(shown, key=lambda t: (t[0], t[1], repr(t[2])))
    return d, value


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
