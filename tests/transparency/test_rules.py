"""Pure rules: medians from histograms, period splitting and parsing, suppression, ranking (the pooled IKM's
rules are the surveys app's: tests/surveys/test_rules.py)."""

import datetime as dt
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amanah.transparency import rules


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=200))
def test_median_from_histogram_equals_the_median_of_the_values(values):
    hist = {}
    for v in values:
        hist[v] = hist.get(v, 0) + 1
    assert rules.median_from_histogram(hist) == statistics.median(values)


def test_median_of_nothing():
    assert rules.median_from_histogram({}) is None and rules.median_from_histogram({3: 0}) is None


@given(
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 800)
)
def test_split_range_covers_every_day_exactly_once(start, length):
    end = start + dt.timedelta(days=length)
    days, months = rules.split_range(start, end)
    covered = []
    for a, b in days:
        covered += [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
    for m in months:
        assert m.day == 1
        nxt = rules.next_month(m)
        covered += [m + dt.timedelta(days=i) for i in range((nxt - m).days)]
    assert sorted(covered) == [start + dt.timedelta(days=i) for i in range(length + 1)]
    assert len(days) <= 2


@pytest.mark.parametrize(
    "start,end,code",
    [
        ("x", None, "invalid_date"),
        ("2026-13-01", None, "invalid_date"),
        ("2026-02-01", "2026-01-01", "period_backwards"),
        ("2020-01-01", "2026-01-01", "period_too_long"),
        ("1999-12-31", None, "out_of_range"),
    ],
)
def test_parse_period_errors(start, end, code):
    with pytest.raises(rules.PeriodError) as exc:
        rules.parse_period(start, end, dt.date(2026, 11, 28))
    assert exc.value.code == code


def test_parse_period_defaults():
    assert rules.parse_period(None, None, dt.date(2026, 11, 28)) == (
        dt.date(2025, 11, 29),
        dt.date(2026, 11, 28),
    )
    assert (
        rules.parse_period("2026-01-01", "2026-01-01", dt.date(2026, 11, 28))
        == (dt.date(2026, 1, 1),) * 2
    )


def test_suppression():
    assert [rules.display_count(v) for v in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]
    # one small cell next to a published total: the next smallest is hidden too
    assert rules.suppress_group({"a": 2, "b": 9, "c": 7, "d": 0}) == {
        "a": None,
        "b": 9,
        "c": None,
        "d": 0,
    }
    assert rules.suppress_group({"a": 2, "b": 3, "c": 7}) == {"a": None, "b": None, "c": 7}
    assert rules.suppress_group({"a": 8, "b": 9}) == {"a": 8, "b": 9}
    # two hidden ones adding up to 2 beside a published total would both be 1: hide on until the hidden
    # cells hold at least five together
    assert rules.suppress_group({"a": 1, "b": 1, "c": 7, "d": 9}) == {
        "a": None,
        "b": None,
        "c": None,
        "d": 9,
    }
    assert rules.suppress_group({"a": 1, "b": 4, "c": 7}) == {"a": None, "b": None, "c": 7}
    assert rules.suppress_group({"a": 1, "b": 3, "c": 7}) == {"a": None, "b": None, "c": None}
    # nothing left to hide: all of it is hidden, and the total itself is "< 5"
    assert rules.suppress_group({"a": 1, "b": 2, "c": 0}) == {"a": None, "b": None, "c": 0}
    # without a published total only the small cells are hidden
    assert rules.suppress_group({"a": 2, "b": 9}, total_shown=False) == {"a": None, "b": 9}


def test_rank_only_with_enough_cases_and_ties_share_a_rank():
    rows = [
        {"name": "A", "rate": 90.0, "n": 50},
        {"name": "B", "rate": 99.0, "n": 3},
        {"name": "C", "rate": 90.0, "n": 40},
        {"name": "D", "rate": 95.0, "n": 20},
        {"name": "E", "rate": None, "n": 0},
    ]
    ranked, rest = rules.rank(rows, "rate", "n", min_cases=20)
    assert [(r["name"], r["rank"]) for r in ranked] == [("D", 1), ("A", 2), ("C", 2)]
    assert [r["name"] for r in rest] == ["B", "E"] and all(r["rank"] is None for r in rest)


def test_deadline_state_and_share():
    d = dt.date(2026, 3, 10)
    assert rules.deadline_state(d, d) == rules.ON_TIME
    assert rules.deadline_state(d + dt.timedelta(1), d) == rules.LATE
    assert rules.deadline_state(None, d) == rules.PENDING and rules.deadline_state(d, None) is None
    assert rules.deadline_share(3, 1, 0) == 75.0 and rules.deadline_share(0, 0, 0) is None


def test_every_indicator_is_defined_once():
    codes = [i.code for i in rules.INDICATORS]
    assert len(codes) == len(set(codes))
    assert {i.challenge for i in rules.INDICATORS} == {
        "Kualitas pelayanan publik",
        "Kepuasan masyarakat",
        "Berkurangnya pelanggaran etika dan kasus korupsi",
        "Akuntabilitas",
    }


def test_indicator_texts_are_marked_for_translation():
    from amanah.transparency.texts import TEXTS

    for i in rules.INDICATORS:
        for text in (i.challenge, i.solution, i.name, i.definition, i.source, i.unit):
            assert text in TEXTS


def _derivable_national_cells(rows, shown, national):
    """National cells a reader can compute: shown ones, hidden ones whose column is fully published,
    and a last unknown one from the national total (the sum of the agencies' published totals)."""
    known = {k: v for k, v in national.items() if v is not None}
    for k, v in national.items():
        if v is None and all(shown[a].get(k, 0) is not None for a in rows):
            known[k] = sum(shown[a].get(k, 0) for a in rows)
    unknown = [k for k in national if k not in known]
    if len(unknown) == 1:
        total = sum(sum(r.values()) for r in rows.values())
        known[unknown[0]] = total - sum(known.values())
    return known


def test_no_agency_cell_follows_from_the_national_figures():
    """A national cell hidden in a column whose agency cells are all published is no secret: the
    national row is protected only by columns holding a hidden agency cell."""
    rows = {
        "A": {"x": 2, "y": 6, "v": 0, "w": 0, "z": 100},
        "B": {"x": 0, "y": 3, "v": 4, "w": 5, "z": 100},
        "C": {"x": 0, "y": 2, "v": 4, "w": 0, "z": 100},
    }
    shown, national = rules.protect_columns(rows)
    assert shown["A"]["x"] is None
    known = _derivable_national_cells(rows, shown, national)
    for k, value in known.items():
        hidden = [a for a in rows if shown[a].get(k, 0) is None]
        if len(hidden) == 1:  # one hidden agency cell in a column whose national count is known
            raise AssertionError(f"{hidden[0]}'s {k} = {value} minus the others' published cells")


def test_a_single_column_table_hides_everything_it_must():
    rows = {"A": {"x": 3, "y": 0}, "B": {"x": 9, "y": 0}}
    shown, national = rules.protect_columns(rows)
    assert shown["A"]["x"] is None and national["x"] is None
    assert shown["B"]["x"] is None  # or B's 9 beside the national total would give A's 3


def test_publication_periods_are_calendar_quarters_up_to_the_last_year():
    from amanah.core import rules as core_rules

    assert core_rules.publication_period(dt.date(2026, 12, 7)) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert core_rules.publication_period(dt.date(9999, 11, 1)) == (
        dt.date(9999, 10, 1),
        dt.date(9999, 12, 31),
    )
    assert rules.closed_publication_period(
        dt.date(2026, 1, 1), dt.date(2026, 12, 7), dt.date(2026, 12, 7)
    ) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert (
        rules.closed_publication_period(
            dt.date(2026, 11, 1), dt.date(2026, 12, 7), dt.date(2026, 12, 7)
        )
        is None
    )


def test_pct_rounds_half_up_as_every_other_shown_figure():
    # 1 of 16 is exactly 6.25 %: half up gives 6.3 (Python's round, half to even, gave 6.2), as
    # surveys.rules.share shows it
    assert rules.pct(1, 16) == 6.3
    assert rules.pct(3, 16) == 18.8  # 18.75
    assert rules.pct(1, 8, 0) == 13.0  # 12.5
    assert rules.pct(1, 40, 1) == 2.5  # 2.5 exactly: nothing to round
    assert rules.pct(1, 3) == 33.3 and rules.pct(2, 3) == 66.7
    assert rules.pct(0, 5) == 0.0 and rules.pct(5, 5) == 100.0 and rules.pct(1, 0) is None
    # the deadline share on the dashboard rounds the same way
    assert rules.deadline_share(1, 15, 0) == 6.3


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_pct_agrees_with_the_surveys_share(part, whole):
    from amanah.surveys.rules import share

    assert rules.pct(part, whole) == float(share(part, whole))


def test_mean_rating_rounds_half_up_too():
    # Seven 4s and one 5: exactly 4.125, shown 4.13 (round, half to even, gave 4.12); a 1 and a 2 make
    # 1.5, which shows 2 without decimals.
    assert rules.mean_from_histogram({4: 7, 5: 1}) == 4.13
    assert rules.mean_from_histogram({1: 1, 2: 1}, places=0) == 2
    assert rules.mean_from_histogram({}) is None
