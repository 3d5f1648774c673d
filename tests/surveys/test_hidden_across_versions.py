"""A published period's breakdowns computed again under a new way of hiding (BREAKDOWNS_VERSION 3 -> 4)
keep hidden every group the figures published before hid: a group shown now that was hidden then would,
with those figures, give away what both hide (the period less every group shown then or now)."""

import pytest

from amanah.surveys import rules, selectors, services
from amanah.surveys.models import FrozenBreakdowns

from .old_linked import old_linked_hidden
from .test_linked_search import _five_fields

# (service, gender, age band, education, occupation)
AGE = 2


def test_a_period_the_old_search_gave_up_on_would_give_away_a_group_without_keep():
    # 60 answers, minimum 5: the old search (version 3) gave up and hid ages '' and 40-49; the bounded
    # one hides 40-49 and 50-59. Shown then or now: every age but 40-49 (4 respondents), which the
    # period's total then gives away.
    cells = _five_fields(108, 60)
    old, finished = old_linked_hidden(cells, 5)
    assert not finished
    ages: dict = {}
    for key, n in cells.items():
        ages[key[AGE]] = ages.get(key[AGE], 0) + n
    hidden_in_both = old[AGE] & rules.linked_hidden(cells, 5)[AGE]
    assert hidden_in_both == {"40–49"} and 0 < ages["40–49"] < 5
    # Kept hidden, what was hidden then stays hidden: nothing is shown that was not shown then.
    kept = rules.linked_hidden(cells, 5, old)
    assert all(then <= now for then, now in zip(old, kept, strict=True))


def test_keep_names_only_groups_of_the_period():
    cells = {("a", "L"): 6, ("b", "P"): 7}
    # "zz" is no service of the period; hiding "a" hides "b" too (the period less "a" is "b"), and the
    # genders, each with 5 or more, stay shown
    assert rules.linked_hidden(cells, 5) == [set(), set()]
    assert rules.linked_hidden(cells, 5, [{"a", "zz"}, set()]) == [{"a", "b"}, set()]


@pytest.mark.django_db
def test_breakdowns_computed_again_keep_what_the_older_frozen_row_hid(publish_answered, org):
    p = publish_answered(
        org["a"]["bidang"],
        40,
        lambda n: {
            "age": 25 + n % 30,
            "gender": "LP"[n % 2],
            "education": "SMA" if n % 3 else "S2",
            "occupation": "Swasta",
            "service": org["a"]["service"],
        },
    )
    threshold = selectors.min_group()
    fresh = selectors.compute_breakdowns(p, threshold)
    education = {i["value"]: i for i in fresh["by_profile"]["education"]}
    assert not education["S2"]["suppressed"] and not education["SMA"]["suppressed"]
    # The row an older version froze and published hid S2 (and so SMA with it).
    row = FrozenBreakdowns.objects.get(period_id=p.pk)
    data = row.data
    for item in data["by_profile"]["education"]:
        item["suppressed"] = True
    FrozenBreakdowns.objects.filter(pk=row.pk).update(
        version=selectors.BREAKDOWNS_VERSION - 1, data=data
    )
    read = selectors.breakdowns(p)  # computed again until the sweep freezes it anew
    assert {i["value"] for i in read["by_profile"]["education"] if i["suppressed"]} == {"S2", "SMA"}
    services.freeze_breakdowns(p)
    again = FrozenBreakdowns.objects.get(period_id=p.pk)
    assert again.version == selectors.BREAKDOWNS_VERSION
    assert all(i["suppressed"] for i in again.data["by_profile"]["education"] if i["value"])
