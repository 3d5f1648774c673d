"""The demo's rated SKPs are spread so that the dashboard's predicate distribution shows a figure beside
the small counts it hides (with the cells hidden to protect them)."""

from amanah.core.models import Agency


def test_the_demo_predicate_distribution_shows_a_figure(db):
    from amanah.core import demo as core_demo
    from amanah.personnel import demo, selectors

    demo.load(core_demo.load_organisation())
    d = selectors.skp_distribution(Agency.objects.get(code="kab-sleman"))
    assert d["total"] == 18
    assert {k: v for k, v in d["counts"].items() if v} == {"baik": 9}
    hidden = [k for k, v in d["counts"].items() if v is None]
    assert len(hidden) == 2  # "butuh perbaikan" 2, and "sangat baik" 7 hidden to protect it
