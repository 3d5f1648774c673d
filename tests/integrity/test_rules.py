"""The pure rules: PP 94/2021 ladder and summons, deadlines, receipts, masking, state machine."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amanah.integrity import rules


def wd_between(a, b):
    """Working days (Mon–Fri, no holidays) after ``a`` up to ``b``."""
    n, day = 0, a
    while day < b:
        day += dt.timedelta(days=1)
        n += day.weekday() < 5
    return n


def add_wd(start, n):
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


MON = dt.date(2026, 3, 2)


def test_summons_needs_seven_working_days_notice():
    with pytest.raises(rules.RuleError) as exc:
        rules.check_summons(MON, add_wd(MON, 6), 1, [], "p", wd_between)
    assert exc.value.code == "notice_too_short"
    rules.check_summons(MON, add_wd(MON, 7), 1, [], "p", wd_between)


def test_second_summons_only_after_missed_first_and_within_seven_working_days():
    hearing = add_wd(MON, 7)
    attended = rules.SummonsFact("p", 1, MON, hearing, True)
    with pytest.raises(rules.RuleError, match="tidak dihadiri"):
        rules.check_summons(hearing, add_wd(hearing, 7), 2, [attended], "p", wd_between)
    missed = rules.SummonsFact("p", 1, MON, hearing, False)
    rules.check_summons(add_wd(hearing, 7), add_wd(hearing, 14), 2, [missed], "p", wd_between)
    with pytest.raises(rules.RuleError) as exc:
        rules.check_summons(add_wd(hearing, 8), add_wd(hearing, 15), 2, [missed], "p", wd_between)
    assert exc.value.code == "second_summons_late"
    with pytest.raises(rules.RuleError):
        rules.check_summons(hearing, add_wd(hearing, 7), 3, [missed], "p", wd_between)
    second_missed = rules.SummonsFact("p", 2, hearing, add_wd(hearing, 7), False)
    assert rules.may_decide_on_evidence([missed, second_missed], "p")
    assert not rules.may_decide_on_evidence([missed], "p")
    assert not rules.may_decide_on_evidence([missed, second_missed], "someone else")


@pytest.mark.parametrize("level", rules.SANCTION_LEVELS)
def test_every_sanction_belongs_to_exactly_its_level(level):
    for code, _label in rules.SANCTIONS[level]:
        assert rules.sanction_level(code) == level
        rules.check_finding("terbukti", level, code)
        for other in set(rules.SANCTION_LEVELS) - {level}:
            with pytest.raises(rules.RuleError):
                rules.check_finding("terbukti", other, code)


def test_findings_and_sanctions():
    with pytest.raises(rules.RuleError):
        rules.check_finding("tidak_terbukti", "ringan", "teguran_lisan")
    with pytest.raises(rules.RuleError):
        rules.check_finding("terbukti", None, None)
    rules.check_finding("tidak_terbukti", None, None)
    assert rules.examination_team_required("berat") and not rules.examination_team_required(
        "ringan"
    )


def test_state_machine():
    assert rules.next_state("diterima", "acknowledge") == "ditelaah"
    assert rules.next_state("ditelaah", "assess_examine") == "diperiksa"
    assert rules.next_state("diperiksa", "finding") == "selesai"
    assert rules.next_state("selesai", "refer") == "dirujuk"
    with pytest.raises(rules.RuleError):
        rules.next_state("diterima", "finding")
    with pytest.raises(rules.RuleError):
        rules.next_state("ditutup", "reporter_reply")


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_receipt_normalisation_roundtrip(receipt):
    assert rules.normalise_receipt(rules.format_receipt(receipt)) == receipt


@given(st.text(max_size=30))
def test_receipt_normalisation_accepts_only_16_digits(value):
    try:
        out = rules.normalise_receipt(value)
    except rules.RuleError:
        return
    assert len(out) == 16 and out.isdigit() and out.isascii()


def test_new_receipts_are_16_digits_and_distinct():
    seen = {rules.new_receipt() for _ in range(200)}
    assert len(seen) == 200 and all(len(r) == 16 and r.isdigit() for r in seen)


@given(st.integers(min_value=0, max_value=10_000))
def test_mask_count(n):
    out = rules.mask_count(n)
    assert out == ("< 5" if 0 < n < 5 else n)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(1, 24))
def test_add_months_stays_within_the_target_month(day, months):
    out = rules.add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day <= day.day


def test_deadlines():
    assert rules.acknowledge_due(MON) == MON + dt.timedelta(days=7)
    assert rules.feedback_due(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)
    due = rules.gratification_deadlines(MON, add_wd)
    assert due == {"upg": add_wd(MON, 10), "kpk": add_wd(MON, 30)}
    assert rules.gratification_deadlines(MON, add_wd, {"gratification_upg_working_days": 5})[
        "upg"
    ] == add_wd(MON, 5)
    assert rules.reminder_due(MON, MON - dt.timedelta(days=2)) and not rules.reminder_due(
        MON, MON - dt.timedelta(days=3)
    )
    assert rules.retention_expired(MON, MON + dt.timedelta(days=30), 30)
    assert not rules.retention_expired(None, MON, 0)


def test_priority():
    assert rules.priority("rendah", "rendah", "tinggi") == "tinggi"
    assert rules.priority("sedang", "tinggi", "rendah") == "tinggi"
    assert rules.priority("rendah", "rendah", "rendah") == "rendah"
    with pytest.raises(rules.RuleError):
        rules.priority("x", "rendah", "rendah")
