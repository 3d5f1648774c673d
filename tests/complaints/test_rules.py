"""Pure rules: tracking codes, deadline helpers, escalation ladder, markup detection (hypothesis)."""

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from amanah.complaints import rules
from amanah.core import rules as core_rules

CLOSED = frozenset({dt.date(2026, 3, d) for d in (18, 19, 20, 23, 24)})


def add(start, n):
    return core_rules.add_working_days(start, n, CLOSED)


def test_tracking_code_has_at_least_64_bits_and_reads_aloud():
    code = rules.new_tracking_code()
    raw = code.replace("-", "")
    assert len(raw) == 16 and rules.CODE_RANDOM_SYMBOLS * math.log2(len(rules.ALPHABET)) >= 64
    assert not set(raw) & set("ILOU")
    assert rules.normalize_tracking_code(code) == code


@given(st.integers(min_value=0, max_value=2**32))
def test_normalize_forgives_case_dashes_and_lookalikes(seed):
    import random

    rnd = random.Random(seed)
    code = rules.new_tracking_code(lambda n: rnd.randrange(n))
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert rules.normalize_tracking_code(typed) == code


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=0, max_value=15), st.data())
def test_check_symbol_catches_any_single_typo(seed, pos, data):
    import random

    rnd = random.Random(seed)
    raw = rules.new_tracking_code(lambda n: rnd.randrange(n)).replace("-", "")
    wrong = data.draw(st.sampled_from([c for c in rules.ALPHABET if c != raw[pos]]))
    assert rules.normalize_tracking_code(raw[:pos] + wrong + raw[pos + 1 :]) is None


def test_normalize_rejects_garbage():
    for bad in ("", "ABC", "x" * 17, "<script>", "AAAA-AAAA-AAAA-AAA!"):
        assert rules.normalize_tracking_code(bad) is None


@given(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)))
def test_deadlines_land_on_working_days_after_start(day):
    for due in (
        rules.verification_due(day, add),
        rules.response_due(day, add),
        rules.auto_close_due(day, add),
        rules.resolution_due(day, "pemeriksaan", add),
    ):
        assert due > day and core_rules.is_working_day(due, CLOSED)
    assert core_rules.working_days_between(day, rules.verification_due(day, add), CLOSED) == 3


def test_resolution_tiers_and_overrides():
    day = dt.date(2026, 3, 17)
    assert [rules.resolution_due(day, t, add) for t in ("ringan", "normatif")] == [
        dt.date(2026, 3, 26),
        dt.date(2026, 3, 31),
    ]
    cfg = rules.merged_config({"tiers": {"ringan": 1}}, {"auto_close_days": 5})
    assert (
        cfg["tiers"]["normatif"] == 5
        and cfg["tiers"]["ringan"] == 1
        and cfg["auto_close_days"] == 5
    )
    assert rules.resolution_due(day, "ringan", add, cfg) == dt.date(2026, 3, 25)


def test_completion_is_calendar_days_and_resume_keeps_remaining():
    assert rules.completion_due(dt.date(2026, 3, 17)) == dt.date(2026, 4, 16)
    assert rules.resumed_due(dt.date(2026, 3, 17), 2, add) == dt.date(2026, 3, 26)
    assert rules.resumed_due(dt.date(2026, 3, 17), 0, add) == dt.date(2026, 3, 25)


def test_late_filing_after_30_days():
    assert not rules.late_filing(dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert rules.late_filing(dt.date(2026, 5, 1), dt.date(2026, 6, 1))
    assert not rules.late_filing(None, dt.date(2026, 6, 1))


@given(st.integers(min_value=-5, max_value=100))
def test_escalation_level_is_monotonic_and_bounded(days):
    level = rules.escalation_level(days)
    assert 0 <= level <= 3
    assert rules.escalation_level(days + 1) >= level
    assert (level == 0) == (days <= 0)


def test_markup_detection():
    assert rules.contains_markup("<script>alert(1)</script>")
    assert rules.contains_markup("klik <a href=x>di sini</a>")
    assert rules.contains_markup("javascript:alert(1)")
    assert not rules.contains_markup("Biaya < Rp50.000 dan antrean > 3 jam")


def test_open_and_closed_statuses_partition_the_states():
    assert rules.OPEN_STATUSES | rules.CLOSED_STATUSES == set(rules.STATUSES)
    assert not rules.OPEN_STATUSES & rules.CLOSED_STATUSES
    for t in rules.TRANSITIONS.values():
        assert t.sources <= set(rules.STATUSES) and (t.target is None or t.target in rules.STATUSES)


def test_statutory_limits_are_calendar_days_from_receipt_and_from_the_complete_file():
    received, forwarded = dt.date(2026, 3, 16), dt.date(2026, 3, 25)
    assert rules.statutory_limits(received, None) == (dt.date(2026, 3, 30), None)
    assert rules.statutory_limits(received, forwarded) == (
        dt.date(2026, 3, 30),
        dt.date(2026, 5, 24),  # 60 calendar days, Lebaran and weekends included
    )
    cfg = rules.merged_config({"statutory_decision_days": 30})
    assert rules.statutory_limits(received, forwarded, cfg)[1] == dt.date(2026, 4, 24)
