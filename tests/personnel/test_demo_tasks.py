"""Demo data loads and is consistent; the yearly reminder sweep runs only near the year's end."""

from amanah.personnel import selectors
from amanah.personnel.models import DisciplineCase, Reminder, Skp
from amanah.personnel.tasks import jp_reminder_sweep

from . import helpers


def test_demo_data(db):
    from amanah.core import demo as core_demo
    from amanah.personnel import demo

    ctx = core_demo.load_organisation()
    demo.load(ctx)
    rina = ctx["employees"]["199101252015032003"]
    year = helpers.today().year
    dev = selectors.development(rina, year)
    assert 0 < dev["jp_total"] < 20 and not dev["meets_minimum"]
    assert selectors.competency_profile(rina)["gaps"]
    assert Skp.objects.filter(employee=rina, status="draf").exists()
    assert DisciplineCase.objects.filter(source="integritas").exists()
    assert selectors.index_for(rina, year)["total"] > 0
    assert selectors.mentoring_for(ctx["users"]["unit@dukcapil.test"]).exists()


def test_sweep_runs_only_in_the_last_quarter(people, org):
    year = helpers.today().year
    assert jp_reminder_sweep.call(f"{year}-06-30") == 0
    assert not Reminder.objects.exists()
    sent = jp_reminder_sweep.call(f"{year}-10-15")
    assert sent == 11  # everyone in both test agencies (5 + 5 + the colleague) is below 20 JP
    assert jp_reminder_sweep.call(f"{year}-10-16") == 0
    assert Reminder.objects.filter(year=year).count() == 11
