"""The demo's SKM periods have suggestions (saran dan masukan) to read: about one respondent in eight
writes one, about the element they scored lowest, so the period's staff page shows its suggestions
section filled (it said "Belum ada responden yang menulis saran" for every demo period)."""

import pytest
from django.db.models import Count, Sum
from django.urls import reverse

from amanah.core import demo as core_demo
from amanah.surveys import demo, rules
from amanah.surveys.models import Response, SurveyPeriod

pytestmark = pytest.mark.django_db


def test_every_demo_period_has_suggestions_about_its_respondents_lowest_element(client):
    ctx = core_demo.load_organisation()
    demo.load(ctx)
    periods = list(SurveyPeriod.objects.all())
    assert len(periods) == 3 * len(demo.UNITS)
    for period in periods:
        answers = list(period.responses.all())
        written = [a for a in answers if a.suggestion]
        assert 0.05 < len(written) / len(answers) < 0.25, (period, len(written), len(answers))
        for a in written:
            scores = {code: getattr(a, code.lower()) for code in rules.CODES}
            lowest = {code for code, v in scores.items() if v == min(scores.values())}
            assert any(a.suggestion in demo.SUGGESTIONS[code] for code in lowest), a.suggestion

    period = SurveyPeriod.objects.filter(unit__code="sleman-dukcapil-dafduk").order_by("start")[0]
    client.force_login(ctx["users"]["operator@dukcapil.test"])
    page = client.get(reverse("surveys:staff-period", args=[period.pk])).content.decode()
    newest = period.responses.exclude(suggestion="").order_by("-submitted_on", "-pk")[0]
    assert "Belum ada responden yang menulis saran" not in page
    assert newest.suggestion in page


def test_the_suggestions_leave_the_scores_as_they_were():
    """The suggestions come from a generator of their own: the answers of every demo unit, and so its
    IKM, are those the demo drew before it wrote suggestions."""
    ctx = core_demo.load_organisation()
    demo.load(ctx)
    for unit, expected in SCORES.items():
        answers = Response.objects.filter(period__unit__code=unit)
        totals = answers.aggregate(n=Count("id"), **{f"u{i}": Sum(f"u{i}") for i in range(1, 10)})
        assert tuple(totals.values()) == expected, unit


#: Per demo unit, the number of answers over its three periods and the sum of each of U1…U9, as the demo
#: drew them before it had suggestions.
SCORES = {
    "sleman-dukcapil-dafduk": (815, 2581, 2575, 2375, 3100, 2556, 2569, 2610, 2377, 2342),
    "sleman-rsud": (854, 2700, 2424, 2454, 2695, 2707, 2680, 2471, 2711, 2721),
    "sleman-dpmptsp": (689, 1957, 2161, 2001, 2186, 2198, 2168, 2187, 2164, 2184),
}
