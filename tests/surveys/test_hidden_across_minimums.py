"""A published period's breakdowns computed again after AMANAH_SKM_MIN_GROUP changed keep hidden every
group the figures published before hid, whatever minimum those were made with: two publications hiding
different groups let anyone who saved both subtract the groups shown in either from the period and find
the ones hidden in both, fewer than the current minimum here (selectors.published_hidden)."""

import datetime as dt

import pytest

from amanah.surveys import rules, selectors, services
from amanah.surveys.models import FrozenBreakdowns, Response

# (gender, age) -> respondents: 22 answers. With a minimum of 10 the ages 20-29, 30-39 and 40-49 are
# hidden (50-59 shown, 11); with a minimum of 5 computed afresh, 30-39, 40-49 and 50-59 (20-29 shown, 7).
# Hidden in both: 30-39 and 40-49, 4 respondents = 22 - 11 - 7.
PEOPLE = {("L", 25): 7, ("L", 35): 3, ("L", 45): 1, ("L", 55): 4, ("P", 55): 7}
OLD_HIDDEN = {"20–29", "30–39", "40–49"}
AGE = 2  # (service, gender, age band, education, occupation)


def _cells() -> dict:
    cells = {}
    for (gender, age), n in PEOPLE.items():
        band = next(label for label, low, high in rules.AGE_BANDS if low <= age <= high)
        key = ("", gender, band, "SMA", "Swasta")
        cells[key] = cells.get(key, 0) + n
    return cells


def _margins(cells: dict) -> list[dict]:
    margins = [{} for _ in range(5)]
    for key, n in cells.items():
        for d, value in enumerate(key):
            margins[d][value] = margins[d].get(value, 0) + n
    return margins


def test_two_minimums_hide_different_groups_and_together_give_one_away():
    cells = _cells()
    then = rules.linked_hidden(cells, 10)
    fresh = rules.linked_hidden(cells, 5)
    assert then[AGE] == OLD_HIDDEN and fresh[AGE] == {"30–39", "40–49", "50–59"}
    # Both publications side by side: a group is public if either showed it. What both hid (4
    # respondents) is then given away, though each alone was safe.
    both = [a & b for a, b in zip(then, fresh, strict=True)]
    assert rules._linked_exposure(cells, _margins(cells), both, 5, [set() for _ in range(5)])
    # Kept hidden, the groups hidden then stay hidden, and the result is safe at the new minimum.
    kept = rules.linked_hidden(cells, 5, then)
    assert all(old <= new for old, new in zip(then, kept, strict=True))
    assert rules._linked_exposure(cells, _margins(cells), kept, 5, kept) is None


def _hidden_ages(data: dict) -> set:
    return {i["value"] for i in data["by_profile"]["age"] if i["suppressed"] and not i["merged"]}


def _shown_ages(data: dict) -> dict:
    return {
        i["value"]: i["respondents"]
        for i in data["by_profile"]["age"]
        if not i["suppressed"] and not i["merged"]
    }


@pytest.mark.django_db
def test_a_period_published_at_ten_keeps_its_hidden_groups_at_five(
    make_period, org, users, today, settings
):
    settings.SKM_MIN_GROUP = 10
    p = make_period(
        unit=org["a"]["bidang"],
        start=today - dt.timedelta(days=20),
        end=today - dt.timedelta(days=1),
    )
    answers = [(gender, age) for (gender, age), n in PEOPLE.items() for _ in range(n)]
    Response.objects.bulk_create(
        [
            Response(
                period=p,
                **{f"u{i}": 1 + (n + i) % 4 for i in range(1, 10)},
                age=age,
                gender=gender,
                education="SMA",
                occupation="Swasta",
                service=org["a"]["service"],
            )
            for n, (gender, age) in enumerate(answers)
        ]
    )
    admin = users[("admin", None)]
    services.close_period(admin, p)
    p = services.publish_period(admin, p)
    then = FrozenBreakdowns.objects.get(period_id=p.pk)
    assert then.min_group == 10
    assert _hidden_ages(then.data) == OLD_HIDDEN
    shown_then = _shown_ages(then.data)

    # The operator lowers the minimum: until the sweep freezes the period again, its pages compute it.
    settings.SKM_MIN_GROUP = 5
    for data in (selectors.breakdowns(p), services.freeze_breakdowns(p)):
        assert OLD_HIDDEN <= _hidden_ages(data)
        # Nothing hidden by both publications can be had by subtracting what either showed.
        shown = {**shown_then, **_shown_ages(data)}
        hidden_in_both = len(answers) - sum(shown.values())
        assert hidden_in_both == 0 or hidden_in_both >= 5
    row = FrozenBreakdowns.objects.get(period_id=p.pk)
    assert row.min_group == 5 and row.version == selectors.BREAKDOWNS_VERSION

    # Up to 10 and down to 5 again: the row left (the only one a period has) still holds what the first
    # publication hid.
    settings.SKM_MIN_GROUP = 10
    assert services.freeze_published_breakdowns() == 1
    settings.SKM_MIN_GROUP = 5
    assert services.freeze_published_breakdowns() == 1
    again = FrozenBreakdowns.objects.get(period_id=p.pk)
    assert again.min_group == 5 and OLD_HIDDEN <= _hidden_ages(again.data)
