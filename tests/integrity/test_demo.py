import datetime as dt
import re

import pytest

pytestmark = pytest.mark.django_db


def test_demo_has_cases_in_every_stage_with_conflict_disclosure_and_protection():
    from amanah.core import demo as core_demo
    from amanah.integrity import demo, selectors, services
    from amanah.integrity.models import DisclosureRequest, Report

    ctx = core_demo.load_organisation()
    demo.load(ctx)
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {"diterima", "ditelaah", "diperiksa", "selesai", "dirujuk", "ditutup"} <= statuses
    assert DisclosureRequest.objects.filter(state="menunggu").exists()
    assert Report.objects.filter(protection_flag=True).exists()
    assert Report.objects.filter(kind="gratifikasi_diri").exists()
    escalated = Report.objects.get(escalated=True)
    inspector = ctx["users"]["inspektorat@sleman.test"]
    visible = set(selectors.visible_cases(inspector).values_list("pk", flat=True))
    assert escalated.pk not in visible
    # The unit head is the superior of the person reported in the first case: excluded.
    unit_head = ctx["users"]["unit@dukcapil.test"]
    first = Report.objects.filter(violation_type="pungutan_liar").order_by("pk").first()
    assert services._is_excluded(unit_head, first)
    token, report = services.open_session(demo.DEMO_RECEIPT, "demo")
    assert report.status == "diperiksa"


def test_demo_publishes_figures_for_the_last_closed_quarter():
    """The statistics count one closed quarter with small counts hidden: the demo has enough reports
    there for the page to show real figures."""
    from amanah.core import demo as core_demo
    from amanah.integrity import demo, selectors

    ctx = core_demo.load_organisation()
    demo.load(ctx)
    stats = selectors.statistics(ctx["agencies"]["kab-sleman"].pk)
    assert isinstance(stats["total"], int) and stats["total"] >= 18
    assert any(isinstance(n, int) and n >= 5 for n in stats["by_type"].values())
    assert "ditutup" in stats["by_status"]


def test_backdated_demo_cases_keep_the_deadlines_of_their_receipt_date():
    """A demo case filed "days ago" has the assessment deadline and case number of that day, as a
    report received then would."""
    from amanah.core import demo as core_demo
    from amanah.core.calendar import Calendar
    from amanah.integrity import demo, services
    from amanah.integrity.models import Report

    ctx = core_demo.load_organisation()
    demo.load(ctx)
    days = services.deadlines()["assessment_working_days"]
    reports = list(Report.objects.select_related("agency"))
    assert any(r.created_on < Calendar(r.agency).local_date() for r in reports)
    for r in reports:
        assert r.assessment_due == Calendar(r.agency).add(r.created_on, days), r.case_number
        assert re.fullmatch(rf"WBS-{r.created_on.year}-[0-9A-Z]{{4}}-[0-9A-Z]{{4}}", r.case_number)


def test_demo_cases_are_played_on_the_days_their_steps_would_have_happened():
    """The demo's steps carry their own days, not the day the demo was loaded: the case under
    examination was filed weeks ago, acknowledged the next working day, then assessed, questioned,
    examined and flagged on later days (before, every message and the protection flag said "today"
    on a case filed 40 days earlier)."""
    from amanah.core import demo as core_demo
    from amanah.core.calendar import Calendar
    from amanah.integrity import demo, services
    from amanah.integrity.models import Report

    ctx = core_demo.load_organisation()
    demo.load(ctx)
    report = Report.objects.get(receipt_hash=services.receipt_hash(demo.DEMO_RECEIPT))
    cal = Calendar(report.agency)
    today = cal.local_date()
    days = [m.created_on for m in report.messages.order_by("position", "id")]
    assert report.created_on == today - dt.timedelta(days=40)
    assert days[0] == cal.add(report.created_on, 1)  # the acknowledgment, the next working day
    assert days == sorted(days) and len(set(days)) >= 4, days
    assert report.created_on < report.protection_since < today
    assert all(d < today for d in days)
    summons = report.summons.get()
    assert summons.issued_on < today < summons.hearing_on  # the hearing is still to come
    for r in Report.objects.exclude(kind="gratifikasi_diri"):
        assert r.created_on < today, r.case_number
        assert all(r.created_on <= m.created_on < today for m in r.messages.all()), r.case_number
