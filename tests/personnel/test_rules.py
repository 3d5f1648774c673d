"""The personnel rules: 20 JP, SKP matrix, PP 94/2021 ladder and absence table, index."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amanah.personnel import rules

# --- 20 JP ----------------------------------------------------------------------------------------


def test_jp_counts_only_the_year_of_completion():
    records = [
        (dt.date(2025, 12, 31), 12),
        (dt.date(2026, 1, 2), 8),
        (dt.date(2026, 6, 1), Decimal("11.5")),
        (None, 40),
    ]
    assert rules.jp_total(records, 2025) == 12
    assert rules.jp_total(records, 2026) == Decimal("19.5")
    assert not rules.meets_minimum(rules.jp_total(records, 2026))
    assert rules.jp_shortfall(Decimal("19.5")) == Decimal("0.5")
    records.append((dt.date(2026, 12, 31), Decimal("0.5")))
    assert rules.meets_minimum(rules.jp_total(records, 2026))
    assert rules.jp_shortfall(25) == 0
    assert not rules.meets_minimum(rules.jp_total(records, 2027))


@given(
    st.lists(
        st.tuples(st.dates(dt.date(2020, 1, 1), dt.date(2028, 12, 31)), st.integers(1, 80)),
        max_size=30,
    )
)
def test_jp_year_totals_add_up_and_minimum_is_a_threshold(records):
    years = range(2020, 2029)
    assert sum(rules.jp_total(records, y) for y in years) == sum(jp for _d, jp in records)
    for y in years:
        total = rules.jp_total(records, y)
        assert rules.meets_minimum(total) == (total >= 20)
        assert rules.jp_shortfall(total) == max(20 - total, 0)


@pytest.mark.parametrize("bad", ["-1", "0", "401", "abc", "NaN", "Infinity", "2.3"])
def test_absurd_jp_is_refused(bad):
    with pytest.raises(ValueError):
        rules.validate_jp(bad)


def test_jp_accepts_halves_and_comma():
    assert rules.validate_jp("2,5") == Decimal("2.5")
    assert rules.validate_jp(400) == 400


# --- SKP --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hasil,perilaku,predicate",
    [
        ("di_atas", "di_bawah", "kurang"),
        ("di_atas", "sesuai", "baik"),
        ("di_atas", "di_atas", "sangat_baik"),
        ("sesuai", "di_bawah", "kurang"),
        ("sesuai", "sesuai", "baik"),
        ("sesuai", "di_atas", "baik"),
        ("di_bawah", "di_bawah", "sangat_kurang"),
        ("di_bawah", "sesuai", "butuh_perbaikan"),
        ("di_bawah", "di_atas", "butuh_perbaikan"),
    ],
)
def test_predicate_matrix_all_nine_cells(hasil, perilaku, predicate):
    assert rules.skp_predicate(hasil, perilaku) == predicate


def test_unknown_rating_is_refused_and_matrix_is_configurable():
    with pytest.raises(ValueError):
        rules.skp_predicate("luar_biasa", "sesuai")
    custom = dict(rules.PREDICATE_MATRIX) | {("sesuai", "di_atas"): "sangat_baik"}
    assert rules.skp_predicate("sesuai", "di_atas", custom) == "sangat_baik"


def test_periods_overlap_on_shared_day_only():
    d = dt.date
    assert rules.periods_overlap(d(2026, 1, 1), d(2026, 12, 31), d(2026, 12, 31), d(2027, 12, 31))
    assert not rules.periods_overlap(d(2026, 1, 1), d(2026, 12, 31), d(2027, 1, 1), d(2027, 12, 31))


# --- PP 94/2021 ---------------------------------------------------------------------------------------

LADDER = {
    "ringan": {"teguran_lisan": None, "teguran_tertulis": None, "pernyataan_tidak_puas": None},
    "sedang": {"tukin_25_6": 6, "tukin_25_9": 9, "tukin_25_12": 12},
    "berat": {"penurunan_jabatan": 12, "pembebasan_jabatan": 12, "pemberhentian": None},
}


def test_ladder_has_exactly_the_regulation_types_and_durations():
    for level, types in LADDER.items():
        assert {s.code: s.months for s in rules.sanctions_for(level)} == types
    assert rules.SANCTIONS["pemberhentian"].permanent
    assert "25%" in rules.SANCTIONS["tukin_25_9"].label


@pytest.mark.parametrize("level,code", [(lv, c) for lv, t in LADDER.items() for c in t])
def test_every_sanction_type_exists_only_at_its_level(level, code):
    assert rules.check_sanction(level, code).level == level
    for other in set(LADDER) - {level}:
        with pytest.raises(ValueError, match="tidak ada pada tingkat"):
            rules.check_sanction(other, code)


def test_unknown_level_or_sanction_is_refused():
    with pytest.raises(ValueError):
        rules.check_sanction("sangat_berat", "pemberhentian")
    with pytest.raises(ValueError):
        rules.check_sanction("sedang", "tukin_50_6")


@pytest.mark.parametrize(
    "code,start,end",
    [
        ("tukin_25_6", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("tukin_25_9", dt.date(2026, 5, 15), dt.date(2027, 2, 14)),
        ("tukin_25_12", dt.date(2026, 3, 1), dt.date(2027, 2, 28)),
        # 2025 has no 29 February: the anniversary is 1 March 2025, so the 12 months run to 28 February
        # (the whole term, PP 94/2021 Pasal 8), not to 27 February as clamping to 28 February would give.
        ("penurunan_jabatan", dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
        ("pembebasan_jabatan", dt.date(2026, 8, 31), dt.date(2027, 8, 30)),
        ("teguran_lisan", dt.date(2026, 1, 1), None),
        ("pemberhentian", dt.date(2026, 1, 1), None),
    ],
)
def test_sanction_end_dates(code, start, end):
    assert rules.sanction_end(code, start) == end


@pytest.mark.parametrize(
    "days,expected",
    [
        (0, None),
        (2, None),
        (3, "teguran_lisan"),
        (4, "teguran_tertulis"),
        (6, "teguran_tertulis"),
        (7, "pernyataan_tidak_puas"),
        (10, "pernyataan_tidak_puas"),
        (11, "tukin_25_6"),
        (13, "tukin_25_6"),
        (14, "tukin_25_9"),
        (16, "tukin_25_9"),
        (17, "tukin_25_12"),
        (20, "tukin_25_12"),
        (21, "penurunan_jabatan"),
        (24, "penurunan_jabatan"),
        (25, "pembebasan_jabatan"),
        (27, "pembebasan_jabatan"),
        (28, "pemberhentian"),
        (200, "pemberhentian"),
    ],
)
def test_absence_table_boundaries(days, expected):
    assert rules.absence_sanction(days) == expected


def test_ten_consecutive_days_lead_to_dismissal():
    assert rules.absence_sanction(10, consecutive=10) == "pemberhentian"
    assert rules.absence_sanction(10, consecutive=9) == "pernyataan_tidak_puas"
    with pytest.raises(ValueError):
        rules.absence_sanction(-1)


SEVERITY = [None, *[c for _lo, _hi, c in rules.ABSENCE_TABLE]]


@given(st.integers(0, 60), st.integers(0, 60))
def test_absence_sanction_never_gets_lighter_with_more_days(a, b):
    lo, hi = sorted((a, b))
    assert SEVERITY.index(rules.absence_sanction(lo)) <= SEVERITY.index(rules.absence_sanction(hi))


def test_longest_run_skips_weekends():
    # Thu 2026-01-08, Fri 09, Mon 12 are consecutive working days.
    working = [dt.date(2026, 1, d) for d in (5, 6, 7, 8, 9, 12, 13)]
    assert (
        rules.longest_run([dt.date(2026, 1, 8), dt.date(2026, 1, 9), dt.date(2026, 1, 12)], working)
        == 3
    )
    assert rules.longest_run([dt.date(2026, 1, 5), dt.date(2026, 1, 7)], working) == 1


def test_longest_run_span_goes_on_across_new_year():
    # Wed 31 Dec 2025 and Fri 2 Jan 2026 are consecutive working days (1 Jan is a holiday).
    working = [
        dt.date(2025, 12, 30),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 2),
        dt.date(2026, 1, 5),
    ]
    days = [dt.date(2025, 12, 31), dt.date(2026, 1, 2), dt.date(2026, 1, 5)]
    assert rules.longest_run_span(days, working) == (3, dt.date(2025, 12, 31), dt.date(2026, 1, 5))
    assert rules.longest_run_span([], working) == (0, None, None)


@pytest.mark.parametrize(
    "code,start,end",
    [
        # 6 months from 31 Aug 2026: the term runs to the last day of February 2027.
        ("tukin_25_6", dt.date(2026, 8, 31), dt.date(2027, 2, 28)),
        # 6 months from 31 May 2026: to 30 Nov 2026 (1 Dec is the anniversary).
        ("tukin_25_6", dt.date(2026, 5, 31), dt.date(2026, 11, 30)),
        # 9 months from 31 May 2026: 31 Feb does not exist, the anniversary is 1 Mar 2027.
        ("tukin_25_9", dt.date(2026, 5, 31), dt.date(2027, 2, 28)),
        # 12 months from 29 Feb 2024: to 28 Feb 2025.
        ("penurunan_jabatan", dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
    ],
)
def test_sanction_runs_its_full_term_at_month_end(code, start, end):
    """PP 94/2021 Pasal 8: a timed sanction runs "selama" 6/9/12 months. When the end month lacks the
    start's day, the anniversary is the 1st of the next month and the sanction ends the day before it."""
    assert rules.sanction_end(code, start) == end
    assert rules.counts_until(code, start) == end


def test_reprimand_counts_its_full_term_at_month_end():
    # 6 months from 31 Aug 2026 for a reprimand (configured): up to 28 Feb 2027 inclusive.
    assert rules.counts_until("teguran_lisan", dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert rules.term_end(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)
    assert rules.term_end(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert rules.term_end(dt.date(2026, 1, 15), 1) == dt.date(2026, 2, 14)


def test_counts_until_for_timed_sanctions_reprimands_and_dismissal():
    start = dt.date(2025, 3, 1)
    assert rules.counts_until("teguran_lisan", start) == dt.date(2026, 2, 28)
    assert rules.counts_until("teguran_lisan", start, 6) == dt.date(2025, 8, 31)
    assert rules.counts_until("tukin_25_9", start) == rules.sanction_end("tukin_25_9", start)
    assert rules.counts_until("pemberhentian", start) is None


def test_decision_authority_table():
    assert rules.may_decide("ringan", {"atasan"})
    assert not rules.may_decide("sedang", {"atasan"})
    assert rules.may_decide("sedang", {"atasan", "pimpinan_tinggi"})
    assert not rules.may_decide("berat", {"atasan", "pimpinan_tinggi"})
    assert rules.may_decide("berat", {"ppk"})
    assert not rules.may_decide("ringan", set())


def test_appeal_kinds():
    assert rules.appeal_kind("teguran_tertulis") is None
    assert rules.appeal_kind("tukin_25_6") == "keberatan"
    assert rules.appeal_kind("pemberhentian") == "banding"


def test_who_rules_on_an_appeal():
    """Keberatan: the superior of the official who imposed the sanction, who may impose the level;
    banding administratif: BPASN, never an official of the agency (PP 79/2021)."""
    ppk = {"atasan", "pimpinan_tinggi", "ppk"}
    assert rules.may_rule_on_appeal("keberatan", "sedang", ppk, above_imposer=True)
    assert not rules.may_rule_on_appeal("keberatan", "sedang", ppk, above_imposer=False)
    assert not rules.may_rule_on_appeal("keberatan", "berat", {"atasan"}, above_imposer=True)
    assert not rules.may_rule_on_appeal("banding", "berat", ppk, above_imposer=True)
    assert rules.appeal_ruled_outside("banding") and not rules.appeal_ruled_outside("keberatan")


# --- Indeks Profesionalitas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score,category",
    [
        (100, "sangat_tinggi"),
        (91, "sangat_tinggi"),
        (Decimal("90.99"), "tinggi"),
        (81, "tinggi"),
        (80, "sedang"),
        (71, "sedang"),
        (70, "rendah"),
        (61, "rendah"),
        (60, "sangat_rendah"),
        (0, "sangat_rendah"),
    ],
)
def test_index_categories(score, category):
    assert rules.index_category(score) == category


def test_index_out_of_range():
    with pytest.raises(ValueError):
        rules.index_category(101)


def _input(**kw):
    base = dict(
        education="s3",
        leadership_training=True,
        technical_training=True,
        jp_total=Decimal(20),
        seminar=True,
        predicate="sangat_baik",
        heaviest_sanction_level=None,
    )
    return rules.IndexInput(**(base | kw))


def test_index_of_a_model_asn_is_100_and_weights_hold():
    r = rules.professionalism_index(_input())
    assert (r.kualifikasi, r.kompetensi, r.kinerja, r.disiplin) == (25, 40, 30, 5)
    assert r.total == 100 and r.category == "sangat_tinggi" and r.advice == []


def test_index_of_a_typical_asn_and_advice():
    r = rules.professionalism_index(
        _input(
            education="s1",
            leadership_training=False,
            jp_total=Decimal(12),
            predicate="baik",
            heaviest_sanction_level="ringan",
        )
    )
    # 15 + (15 + 5) + 25 + 3
    assert r.total == 63 and r.category == "rendah"
    codes = [c for c, _p in r.advice]
    assert codes[0] == "kepemimpinan" and "jp_minimum" in codes and "kualifikasi" in codes
    assert dict(r.advice)["kualifikasi"] == 5


def test_index_tables_are_configurable():
    tables = {"qualification_points": dict(rules.QUALIFICATION_POINTS) | {"s1": 20}}
    assert rules.professionalism_index(_input(education="s1"), tables).kualifikasi == 20


@given(
    st.sampled_from([None, *rules.QUALIFICATION_POINTS]),
    st.booleans(),
    st.booleans(),
    st.integers(0, 60),
    st.booleans(),
    st.sampled_from(list(rules.PERFORMANCE_POINTS)),
    st.sampled_from([None, "ringan", "sedang", "berat"]),
)
def test_index_is_the_capped_sum_of_its_dimensions(edu, lead, tech, jp, sem, pred, level):
    r = rules.professionalism_index(
        rules.IndexInput(edu, lead, tech, Decimal(jp), sem, pred, level)
    )
    assert r.total == r.kualifikasi + r.kompetensi + r.kinerja + r.disiplin
    assert 0 <= r.total <= 100
    for dim, weight in rules.INDEX_WEIGHTS.items():
        assert 0 <= getattr(r, dim) <= weight
    assert r.category == rules.index_category(r.total)


def test_small_counts_are_suppressed():
    assert rules.suppress_small({"a": 0, "b": 4, "c": 5}) == {"a": 0, "b": None, "c": 5}


def test_competency_gaps_largest_first():
    gaps = rules.competency_gaps({"a": 3, "b": 4, "c": 2}, {"a": 3, "b": 1})
    assert [(g.competency, g.size) for g in gaps] == [("b", 3), ("c", 2)]
