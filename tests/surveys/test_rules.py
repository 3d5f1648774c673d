"""The SKM arithmetic of PermenPANRB 14/2017: worked examples checked by hand, and properties."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from amanah.surveys import rules

answer = st.integers(min_value=1, max_value=4)
questionnaire = st.lists(answer, min_size=9, max_size=9)
questionnaires = st.lists(questionnaire, min_size=1, max_size=40)


# --- worked examples, computed by hand -------------------------------------------------------------------
# Three questionnaires:
#   R1: 3 3 2 4 3 3 4 2 3
#   R2: 4 3 3 4 3 4 4 3 2
#   R3: 3 2 2 4 4 3 3 3 3
# Totals U1..U9 = 10 8 7 12 10 10 11 8 8 (sum 84). NRR = total/3. IKM unit = Σ NRR × 1/9 = (84/3)/9 = 28/9
# = 3,1111…; IKM = 28/9 × 25 = 700/9 = 77,777… → shown 77,77; 77,77 ≥ 76,61 → mutu B, "Baik".
# With the printed weight 0,111: IKM unit = 28 × 0,111 = 3,108; × 25 = 77,7 → B.
# Lowest: U3 (7/3), then U2, U8, U9 tie at 8/3 → U2 and U8 (element order).
EXAMPLE = [[3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 3, 3, 4, 3, 4, 4, 3, 2], [3, 2, 2, 4, 4, 3, 3, 3, 3]]


def test_worked_example_exact_weight():
    res = rules.compute_from_answers(EXAMPLE)
    assert [s.total for s in res.elements] == [10, 8, 7, 12, 10, 10, 11, 8, 8]
    assert res.elements[0].nrr == Fraction(10, 3)
    assert res.elements[3].nrr == 4
    assert res.elements[0].nrr_weighted == Fraction(10, 27)
    assert res.ikm_unit == Fraction(28, 9)
    assert res.ikm == Fraction(700, 9)
    assert res.ikm_display == Decimal("77.77")
    assert (res.category.mutu, res.category.kinerja) == ("B", "Baik")
    assert [s.code for s in rules.lowest_elements(res)] == ["U3", "U2", "U8"]


def test_worked_example_printed_weight():
    res = rules.compute_from_answers(EXAMPLE, rules.WEIGHT_PRINTED)
    assert res.ikm_unit == Fraction("3.108")
    assert res.ikm == Fraction("77.7")
    assert res.category.mutu == "B"


def test_printed_weight_gives_99_9_for_a_perfect_score_and_exact_gives_100():
    perfect = [[4] * 9] * 5
    assert rules.compute_from_answers(perfect, rules.WEIGHT_PRINTED).ikm == Fraction("99.9")
    assert rules.compute_from_answers(perfect).ikm == 100
    assert rules.compute_from_answers(perfect).ikm_display == Decimal("100.00")


def test_weights_are_shown_as_a_fraction_or_as_their_exact_decimal():
    assert str(rules.weight_shown(rules.WEIGHT_EXACT)) == "1/9"
    assert rules.weight_shown(rules.WEIGHT_PRINTED) == Decimal("0.111")
    assert rules.weight_shown(Fraction(1, 8)) == Decimal("0.125")


def test_krejcie_morgan_by_hand():
    # N = 100: 3,841·100·0,25 / (0,0025·99 + 3,841·0,25) = 96,025 / 1,20775 = 79,507… → 80
    assert rules.required_sample(100) == 80
    # N = 1200: 1152,3 / (2,9975 + 0,96025) = 291,15… → 291
    assert rules.required_sample(1200) == 291


@pytest.mark.parametrize(
    "population,sample",
    [
        (10, 10),
        (15, 14),
        (20, 19),
        (30, 28),
        (50, 44),
        (100, 80),
        (220, 140),
        (250, 152),
        (300, 169),
        (1200, 291),
        (1500, 306),
        (2000, 322),
        (9000, 368),
    ],
)
def test_krejcie_morgan_table_pairs(population, sample):
    assert rules.required_sample(population) == sample


def test_krejcie_morgan_large_population_approaches_384():
    assert rules.required_sample(1_000_000) == 384
    assert rules.required_sample(10**12) == 384


@pytest.mark.parametrize("bad", [0, -1, -500])
def test_sample_refuses_empty_population(bad):
    with pytest.raises(ValueError):
        rules.required_sample(bad)


@pytest.mark.parametrize(
    "value,mutu",
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30999", "B"),
        ("88.305", "B"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60999", "C"),
        ("76.605", "C"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99999", "D"),
        ("64.99", "D"),
        ("25", "D"),
        ("24.975", "D"),
    ],
)
def test_category_boundaries_on_both_sides(value, mutu):
    assert rules.category(Fraction(value)).mutu == mutu


def test_category_table_kinerja_labels():
    assert [(c.mutu, c.kinerja) for c in rules.CATEGORIES] == [
        ("A", "Sangat Baik"),
        ("B", "Baik"),
        ("C", "Kurang Baik"),
        ("D", "Tidak Baik"),
    ]


def test_category_intervals_are_numbers_that_start_at_the_lower_bound():
    """The table's intervals are numbers (a page writes them in its reader's format), each starting at
    the category's lower bound, in IKM unit that bound ÷ 25."""
    for c in rules.CATEGORIES:
        assert c.interval_konversi[0] == c.lower
        assert c.interval_unit[0] == c.lower / rules.CONVERSION
        assert all(isinstance(v, Decimal) for v in (*c.interval_unit, *c.interval_konversi))
    assert [str(v) for v in rules.CATEGORIES[-1].interval_unit] == ["1.00", "2.5996"]


def test_gap_value_prints_in_its_own_category():
    # 88,305 lies in the table's gap: category B, and the printed value must not read as A's 88,31.
    assert rules.display_ikm(Fraction("88.305")) == Decimal("88.30")
    assert rules.category(Fraction("88.305")).mutu == "B"


def test_nine_elements_with_four_labels_each():
    assert rules.CODES == ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
    assert all(len(e.labels) == 4 for e in rules.ELEMENTS)
    assert rules.BY_CODE["U4"].labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert rules.BY_CODE["U9"].labels[-1] == "Dikelola dengan baik"


def test_no_respondents_gives_no_index():
    res = rules.compute_ikm([0] * 9, 0)
    assert res.ikm is None and res.category is None


def test_impossible_totals_are_refused():
    with pytest.raises(ValueError):
        rules.compute_ikm([5] * 9, 1)  # 5 > 4 × 1
    with pytest.raises(ValueError):
        rules.compute_ikm([1] * 8, 1)


# --- answer validation ---------------------------------------------------------------------------------
def test_clean_answers_reports_every_problem():
    with pytest.raises(rules.AnswerError) as exc:
        rules.clean_answers(
            {
                "U1": 5,
                "U2": 0,
                "U3": "x",
                "U4": 2.5,
                "U5": True,
                "U6": 1,
                "U7": 2,
                "U8": 3,
                "U10": 4,
            }
        )
    assert set(exc.value.fields) == {"U1", "U2", "U3", "U4", "U5", "U9", "U10"}


def test_clean_answers_accepts_lower_case_and_numeric_strings():
    assert rules.clean_answers({f"u{i}": str(1 + i % 4) for i in range(1, 10)})["U3"] == 4


def test_clean_profile():
    assert rules.clean_profile(
        {"gender": "p", "age": "34", "education": "s1", "occupation": "swasta"}
    ) == {"gender": "P", "age": 34, "education": "D4-S1", "occupation": "Swasta"}
    with pytest.raises(rules.AnswerError) as exc:
        rules.clean_profile({"gender": "X", "age": 7, "education": "TK", "occupation": "Pilot"})
    assert set(exc.value.fields) == {
        "profile.gender",
        "profile.age",
        "profile.education",
        "profile.occupation",
    }


# --- properties ----------------------------------------------------------------------------------------
@settings(max_examples=200)
@given(questionnaires)
def test_ikm_lies_between_25_and_100(rows):
    res = rules.compute_from_answers(rows)
    assert 25 <= res.ikm <= 100
    assert res.ikm == res.ikm_unit * 25  # the conversion factor of PermenPANRB 14/2017
    # nine elements weighted 1/9 each: the unit's index is the mean of every answer given
    assert res.ikm_unit == Fraction(sum(map(sum, rows)), 9 * len(rows))
    assert Decimal(25) <= res.ikm_display <= Decimal(100)


@settings(max_examples=200)
@given(questionnaires, st.data())
def test_ikm_rises_when_any_answer_rises(rows, data):
    candidates = [(i, j) for i, row in enumerate(rows) for j, v in enumerate(row) if v < 4]
    assume(candidates)  # all 4s cannot rise (that case is the next test)
    i, j = data.draw(st.sampled_from(candidates))
    better = [list(r) for r in rows]
    better[i][j] += 1
    before, after = rules.compute_from_answers(rows), rules.compute_from_answers(better)
    assert after.ikm > before.ikm
    assert after.category.lower >= before.category.lower


@given(st.integers(min_value=1, max_value=500))
def test_all_fours_give_100_and_all_ones_give_25(n):
    assert rules.compute_ikm([4 * n] * 9, n).ikm == 100
    assert rules.compute_ikm([n] * 9, n).ikm == 25
    assert rules.compute_ikm([4 * n] * 9, n).category.mutu == "A"
    assert rules.compute_ikm([n] * 9, n).category.mutu == "D"


@given(st.decimals(min_value=25, max_value=100, places=4))
def test_category_is_the_highest_lower_bound_reached(value):
    cat = rules.category(value)
    assert Fraction(cat.lower) <= Fraction(value)
    assert all(Fraction(c.lower) > Fraction(value) for c in rules.CATEGORIES if c.lower > cat.lower)
    # the printed value never shows a higher category than the exact one
    assert rules.category(rules.display_ikm(Fraction(value))).mutu == cat.mutu


@given(st.integers(min_value=1, max_value=100_000))
def test_sample_is_monotone_and_bounded(n):
    s = rules.required_sample(n)
    assert s >= 1, "at least one respondent"
    assert s <= n, "never more respondents than the population"
    assert s <= 384, "never more than the infinite-population value (1.96² · ¼ / 0.05²)"
    assert rules.required_sample(n + 1) >= s
    # s is the Krejcie–Morgan value rounded half up: within half a respondent of the exact fraction
    exact = (
        Fraction(3841, 1000)
        * n
        * Fraction(1, 4)
        / (Fraction(1, 400) * (n - 1) + Fraction(3841, 1000) * Fraction(1, 4))
    )
    assert abs(s - exact) <= Fraction(1, 2)


@given(
    st.fractions(min_value=0, max_value=1000, max_denominator=10**6),
    st.integers(min_value=0, max_value=6),
)
def test_to_decimal_rounds_half_up_exactly(value, places):
    got = rules.to_decimal(value, places)
    step = Fraction(1, 10**places)
    assert abs(Fraction(got) - value) <= step / 2
    if abs(Fraction(got) - value) == step / 2:
        assert Fraction(got) > value


def test_pooled_ikm_weights_each_period_as_its_own_result():
    # One period alone: exactly its own IKM, with either weight (0,111: a perfect score gives 99,9).
    for key, weight in rules.WEIGHTS.items():
        res = rules.compute_ikm([40] * 9, 10, weight)
        by_weight = {} if key == rules.DEFAULT_WEIGHT else {key: 360}
        assert rules.pooled_ikm(10, 360, by_weight) == res.ikm
    assert rules.pooled_ikm(10, 360, {"0.111": 360}) == Fraction(999, 10)
    assert rules.pooled_ikm(0, 0) is None
    # Two periods, one per weight: every answer with its own period's weight.
    a, b = rules.compute_ikm([30] * 9, 10), rules.compute_ikm([20] * 9, 10, rules.WEIGHT_PRINTED)
    assert rules.pooled_ikm(20, 270 + 180, {"0.111": 180}) == (a.ikm * 10 + b.ikm * 10) / 20


@given(
    st.lists(
        st.tuples(st.integers(1, 50), st.sampled_from(sorted(rules.WEIGHTS)), st.integers(0, 3)),
        min_size=1,
        max_size=6,
    )
)
def test_pooled_ikm_is_the_respondent_weighted_mean_of_the_periods(periods):
    results, total, by_weight = [], 0, {}
    for n, key, extra in periods:
        totals = [n * (1 + extra)] * 9  # every answer 1 + extra
        results.append((n, rules.compute_ikm(totals, n, rules.WEIGHTS[key])))
        total += sum(totals)
        if key != rules.DEFAULT_WEIGHT:
            by_weight[key] = by_weight.get(key, 0) + sum(totals)
    n_all = sum(n for n, _r in results)
    mean = sum(r.ikm * n for n, r in results) / n_all
    assert rules.pooled_ikm(n_all, total, by_weight) == mean


@pytest.mark.parametrize(
    "konversi, shown, mutu",
    [
        (Fraction(8831, 100), "3.5324", "A"),  # A's lower bound exactly
        (Fraction(8831, 100) - Fraction(1, 10**9), "3.5323", "B"),  # a hair below: B, and shown so
        (Fraction(7661, 100), "3.0644", "B"),
        (Fraction(7661, 100) - Fraction(1, 10**9), "3.0643", "C"),
        (Fraction(65), "2.6000", "C"),
        (Fraction(65) - Fraction(1, 10**9), "2.5999", "D"),
    ],
)
def test_ikm_unit_is_shown_cut_so_it_never_reaches_a_band_the_result_is_not_in(
    konversi, shown, mutu
):
    unit = konversi / rules.CONVERSION
    assert rules.display_ikm_unit(unit) == Decimal(shown)
    assert rules.category(konversi).mutu == mutu


# --- breakdowns published side by side (rules.linked_hidden) -------------------------------------------
def _small_differences(cells: dict, hidden: list[set], threshold: int) -> list:
    """Every pair of unions, of what one breakdown makes known and of what another does, one inside the
    other with 1 to ``threshold - 1`` respondents between them (found by trying every union of both)."""
    import itertools

    dims = len(next(iter(cells)))

    def known(d):
        values = {key[d] for key in cells}
        shown = [frozenset([v]) for v in values if v not in hidden[d]]
        gone = frozenset(v for v in values if v in hidden[d])
        return [*shown, *([gone] if gone and shown else [])]

    def size(d, union):
        return sum(n for key, n in cells.items() if key[d] in union)

    def members(d, union):
        return {key for key in cells if key[d] in union}

    found = []
    for d1, d2 in itertools.combinations(range(dims), 2):
        u1 = [
            frozenset().union(*c)
            for k in range(1, len(known(d1)) + 1)
            for c in itertools.combinations(known(d1), k)
        ]
        u2 = [
            frozenset().union(*c)
            for k in range(1, len(known(d2)) + 1)
            for c in itertools.combinations(known(d2), k)
        ]
        for a in u1:
            for b in u2:
                ma, mb = members(d1, a), members(d2, b)
                for (da, ua, sa), (db, ub, sb) in (
                    ((d1, a, ma), (d2, b, mb)),
                    ((d2, b, mb), (d1, a, ma)),
                ):
                    if sa <= sb:
                        diff = size(db, ub) - size(da, ua)
                        if 0 < diff < threshold:
                            found.append((da, ua, db, ub, diff))
    return found


def test_linked_hidden_leaves_no_small_difference_between_two_breakdowns():
    import random

    rng = random.Random(20171414)
    exposed_without = 0
    for _trial in range(150):
        # breakdowns that go together (as a service and the occupation of those who use it), with
        # exceptions: groups of one lie inside groups of another
        cells: dict = {}
        for _person in range(rng.randint(8, 40)):
            a = rng.choice("ABC")
            b = {"A": "x", "B": "y", "C": "z"}[a] if rng.random() < 0.8 else rng.choice("xyz")
            c = rng.choice("pq") if rng.random() < 0.7 else ("p" if b == "x" else "r")
            cells[(a, b, c)] = cells.get((a, b, c), 0) + 1
        dims = 3
        alone = [
            rules.hidden_groups(
                {v: sum(n for k, n in cells.items() if k[d] == v) for v in {k[d] for k in cells}}
            )
            for d in range(dims)
        ]
        exposed_without += bool(_small_differences(cells, alone, rules.MIN_GROUP))
        hidden = rules.linked_hidden(cells)
        assert _small_differences(cells, hidden, rules.MIN_GROUP) == [], cells
        for d in range(
            dims
        ):  # a small group stays hidden; so do as many as its breakdown hides alone
            margin = {
                v: sum(n for k, n in cells.items() if k[d] == v) for v in {k[d] for k in cells}
            }
            assert {v for v, n in margin.items() if n < rules.MIN_GROUP} <= hidden[d]
            assert len(hidden[d]) >= len(alone[d])
    assert exposed_without > 30  # the random tables do hold such pairs


def test_linked_hidden_hides_nothing_more_when_no_pair_gives_anyone_away():
    # two breakdowns crossing evenly: every group of one meets every group of the other
    cells = {(a, b): 5 for a in "AB" for b in "xyz"}
    assert rules.linked_hidden(cells) == [set(), set()]
    # the lone private-sector man: men (6) less civil servants (5, all men)
    cells = {("L", "PNS"): 5, ("L", "Swasta"): 1, ("P", "Swasta"): 14}
    hidden = rules.linked_hidden(cells)
    assert hidden in ([set(), {"PNS", "Swasta"}], [{"L", "P"}, set()])
    assert rules.linked_hidden({}) == []


# --- three breakdowns or more: every combination of the published sums ------------------------------------
def _in_span(vectors: list[list[int]]):
    """A test of whether a vector is a linear combination of ``vectors`` (exact Gaussian elimination)."""
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, row with 1 there)

    def reduce(vector):
        row = [Fraction(x) for x in vector]
        for col, b in basis:
            if row[col]:
                factor = row[col]
                row = [a - factor * c for a, c in zip(row, b, strict=True)]
        return row

    for v in vectors:
        row = reduce(v)
        col = next((i for i, x in enumerate(row) if x), None)
        if col is not None:
            basis.append((col, [x / row[col] for x in row]))
    return lambda vector: not any(reduce(vector))


def _given_away(cells: dict, hidden: list[set], threshold: int = rules.MIN_GROUP) -> list:
    """Every set of combinations holding 1 to ``threshold - 1`` respondents whose sums are a linear
    combination of what is published (the period and each shown group), found by trying every such set
    against the published vectors: a path independent of rules.linked_hidden's."""
    import itertools

    keys = sorted(k for k, n in cells.items() if n)
    published = [[1] * len(keys)]
    for d, gone in enumerate(hidden):
        for value in sorted({k[d] for k in keys} - gone):
            published.append([int(k[d] == value) for k in keys])
    in_span = _in_span(published)
    small = [k for k in keys if cells[k] < threshold]
    found = []
    for size in range(1, threshold):
        for chosen in itertools.combinations(small, size):
            people = sum(cells[k] for k in chosen)
            if 0 < people < threshold and len(chosen) < len(keys):
                if in_span([int(k in chosen) for k in keys]):
                    found.append(chosen)
    return found


# (gender, occupation, age band): men, 4 entrepreneurs aged 60 or more, 1 entrepreneur in his forties,
# 5 civil servants in their thirties; women, 3 in the private sector and 1 civil servant, in their
# forties, and one entrepreneur in her thirties.
THREE = {
    ("L", "Wirausaha", "≥ 60"): 4,
    ("L", "Wirausaha", "40–49"): 1,
    ("L", "PNS", "30–39"): 5,
    ("P", "Swasta", "40–49"): 3,
    ("P", "PNS", "40–49"): 1,
    ("P", "Wirausaha", "30–39"): 1,
}
HER = ("P", "Wirausaha", "30–39")
# What checking pairs of breakdowns hid: occupations and age bands of fewer than five (Swasta 3, 40–49 5
# with 60+ 4) and one more of each.
PAIRS_HID = [set(), {"PNS", "Swasta"}, {"≥ 60", "40–49"}]


def _sums(cells: dict, hidden: list[set], scores: dict) -> dict:
    """The element totals an outsider reads: the period's (key None) and each shown group's."""
    out = {None: [sum(n * scores[k][e] for k, n in cells.items()) for e in range(9)]}
    for d, gone in enumerate(hidden):
        for value in {k[d] for k in cells} - gone:
            inside = [(k, n) for k, n in cells.items() if k[d] == value]
            out[(d, value)] = [sum(n * scores[k][e] for k, n in inside) for e in range(9)]
    return out


def _her_scores(sums: dict) -> list | None:
    """(entrepreneurs + those in their thirties − men) ÷ 2, element by element: everyone else is counted
    as often as taken away (the entrepreneur men are not in their thirties, the men in their thirties
    are civil servants), she twice."""
    used = [(1, "Wirausaha"), (2, "30–39"), (0, "L")]
    if any(g not in sums for g in used):
        return None
    a, b, c = (sums[g] for g in used)
    return [Fraction(x + y - z, 2) for x, y, z in zip(a, b, c, strict=True)]


def test_three_breakdowns_together_give_away_what_no_two_do_and_linked_hidden_stops_it():
    scores = {k: [2 + (i + e) % 3 for e in range(9)] for i, k in enumerate(THREE)}
    scores[HER] = [1, 1, 1, 1, 1, 1, 4, 1, 1]
    # what checking pairs left shown: no two breakdowns single anyone out ...
    assert _small_differences(THREE, PAIRS_HID, rules.MIN_GROUP) == []
    for d in range(3):
        margin: dict = {}
        for k, n in THREE.items():
            margin[k[d]] = margin.get(k[d], 0) + n
        assert rules.hidden_groups(margin) <= PAIRS_HID[d]
    # ... but three do: her own scores
    assert _her_scores(_sums(THREE, PAIRS_HID, scores)) == scores[HER]
    assert (HER,) in _given_away(THREE, PAIRS_HID)
    hidden = rules.linked_hidden(THREE)
    assert _her_scores(_sums(THREE, hidden, scores)) is None
    assert _given_away(THREE, hidden) == []
    # and it hides no more groups than were hidden before: four of the eight groups are still shown
    assert sum(len(h) for h in hidden) == sum(len(h) for h in PAIRS_HID)


def _random_cells(rng, dims: int) -> dict:
    """Breakdowns that go together, with exceptions (groups of one inside groups of another)."""
    cells: dict = {}
    for _person in range(rng.randint(8, 26)):
        key = [rng.choice("ab")]
        for d in range(1, dims):
            follow = rng.random() < 0.6
            key.append(f"{key[-1]}{d}" if follow else rng.choice(["x", "y", "z"]))
        cells[tuple(key)] = cells.get(tuple(key), 0) + 1
    return cells


def test_linked_hidden_leaves_nothing_given_away_by_any_combination_of_breakdowns():
    import random

    rng = random.Random(14_2017)
    leaked_alone = 0
    for trial in range(40):
        cells = _random_cells(rng, 3 + trial % 2)
        dims = len(next(iter(cells)))
        margins = [{} for _ in range(dims)]
        for k, n in cells.items():
            for d in range(dims):
                margins[d][k[d]] = margins[d].get(k[d], 0) + n
        alone = [rules.hidden_groups(m) for m in margins]
        leaked_alone += bool(_given_away(cells, alone))
        hidden = rules.linked_hidden(cells)
        assert _given_away(cells, hidden) == [], cells
        for d in range(
            dims
        ):  # a small group stays hidden; so do as many as its breakdown hides alone
            assert {v for v, n in margins[d].items() if n < rules.MIN_GROUP} <= hidden[d]
            assert len(hidden[d]) >= len(alone[d])
    assert leaked_alone > 10  # the random tables do give people away without the audit


def test_a_search_cut_short_hides_more_and_still_gives_no_one_away(monkeypatch):
    import random

    monkeypatch.setattr(rules, "SEARCH_STEPS", 1)
    rng = random.Random(25)
    for trial in range(20):
        cells = _random_cells(rng, 3 + trial % 2)
        assert _given_away(cells, rules.linked_hidden(cells)) == [], cells
    assert _given_away(THREE, rules.linked_hidden(THREE)) == []
