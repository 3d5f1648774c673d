"""rules.linked_hidden's bounded search against the search it replaced (tests/surveys/old_linked.py, which
tried the sets of pivots one after the other and gave up after 3 000): on small random tables the new one
never leaves a set of 1 to ``threshold - 1`` respondents recoverable from what is shown (checked by
trying every set, independently of both), hides exactly what the old one hid wherever the old one
finished, and finishes where the old one gave up and hid more; and a large period with nothing given
away is settled by the disjoint-bases check without searching."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amanah.surveys import rules

from .old_linked import old_linked_hidden
from .test_rules import THREE, _given_away, _random_cells

# Small tables: two to four breakdowns of a few groups each, 1 to 7 respondents per combination.
VALUES = ("a", "b", "c", "d")
tables = st.integers(min_value=2, max_value=4).flatmap(
    lambda dims: st.dictionaries(
        st.tuples(*[st.sampled_from(VALUES[: 2 + d % 3]) for d in range(dims)]),
        st.integers(min_value=1, max_value=7),
        min_size=1,
        max_size=10,
    )
)
thresholds = st.integers(min_value=2, max_value=10)


def _check(cells: dict, threshold: int) -> None:
    hidden = rules.linked_hidden(cells, threshold)
    assert _given_away(cells, hidden, threshold) == [], (cells, threshold, hidden)
    old, finished = old_linked_hidden(cells, threshold)
    if finished:
        assert hidden == old, (cells, threshold)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, thresholds)
def test_random_tables_give_no_one_away_and_hide_what_the_old_search_hid(cells, threshold):
    _check(cells, threshold)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=3, max_value=4))
def test_tables_of_breakdowns_that_go_together_likewise(seed, dims):
    # groups of one inside groups of another, as a service and its users' occupation
    cells = _random_cells(random.Random(seed), dims)
    for threshold in (5, 8):
        _check(cells, threshold)


def test_the_three_breakdown_attack_is_still_stopped_at_every_minimum():
    for threshold in range(2, 11):
        _check(THREE, threshold)


def _five_fields(seed: int, respondents: int) -> dict:
    """A period's (service, gender, age band, education, occupation) counts, drawn at random: few
    services, uneven profiles, some fields left empty."""
    rng = random.Random(seed)
    cells: dict = {}
    for _ in range(respondents):
        key = (
            rng.choice("1122334"),
            rng.choice(["L", "P", "P", ""]),
            rng.choice(["< 20", "20–29", "30–39", "30–39", "40–49", "50–59", "≥ 60", ""]),
            rng.choice(["SD", "SMP", "SMA", "SMA", "SMA", "D1-D3", "D4-S1", "D4-S1", "S2", ""]),
            rng.choice(["PNS", "Swasta", "Swasta", "Wirausaha", "Wirausaha", "Lainnya", ""]),
        )
        cells[key] = cells.get(key, 0) + 1
    return cells


def test_a_period_where_the_old_search_gave_up_hides_only_what_its_whole_search_would():
    # 100 respondents, minimum 5: the old search gave up (3 000 sets) and hid more; run to its end
    # (without the cap), it hides exactly what the bounded search hides within the cap
    cells = _five_fields(13, 100)
    capped, finished = old_linked_hidden(cells, 5)
    assert not finished
    whole, finished = old_linked_hidden(cells, 5, steps=None)
    assert finished
    assert sum(map(len, capped)) > sum(map(len, whole))
    assert rules.linked_hidden(cells, 5) == whole


def _profiled(seed: int, respondents: int) -> dict:
    """As :func:`_five_fields`, with the profile shares of the demo data (few S3 graduates, TNI or
    POLRI), a few services of uneven size."""
    from amanah.surveys.demo import PROFILE

    rng = random.Random(seed)

    def pick(field):
        return rng.choices([k for k, _ in PROFILE[field]], [w for _, w in PROFILE[field]])[0]

    services = [str(i) for i in range(1, rng.randint(2, 6) + 1)]
    shares = [rng.random() + 0.2 for _ in services]
    cells: dict = {}
    for _ in range(respondents):
        key = (
            rng.choices(services, shares)[0],
            pick("gender") if rng.random() > 0.05 else "",
            (rules.age_band(rng.randint(17, 72)) or "") if rng.random() > 0.08 else "",
            pick("education") if rng.random() > 0.08 else "",
            pick("occupation") if rng.random() > 0.08 else "",
        )
        cells[key] = cells.get(key, 0) + 1
    return cells


def test_a_large_period_with_nothing_given_away_is_settled_without_searching(monkeypatch):
    # 1 000 respondents, minimum 10: disjoint bases whose lightest combinations hold 10 or more show
    # that no small set is given away, so not one set of pivots is tried (without that check the search
    # had to prove it, and with no tries allowed it hides groups it need not)
    cells = _profiled(0, 1000)
    margins: list[dict] = [{}, {}, {}, {}, {}]
    for key, n in cells.items():
        for d, value in enumerate(key):
            margins[d][value] = margins[d].get(value, 0) + n
    alone = [rules.hidden_groups(m, 10) for m in margins]
    assert rules.linked_hidden(cells, 10) == alone  # nothing more to hide
    monkeypatch.setattr(rules, "SEARCH_STEPS", 0)
    assert rules.linked_hidden(cells, 10) == alone
