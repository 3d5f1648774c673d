"""An escalation whose level has nobody to tell (the agency's inspectorate or complaint manager has no
active account in Amanah) falls back along the chain — the agency's leadership, then the platform's
administrators — so that the step reaches someone; it says so in the log, and its audit entry records
how many addresses were mailed."""

import datetime as dt
import logging

import pytest

from amanah.complaints import services
from amanah.core import notify
from amanah.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(monkeypatch):
    """The recipients of each e-mail sent, in order."""
    sent = []
    monkeypatch.setattr(notify, "email", lambda to, subject, body, *a, **kw: sent.append(list(to)))
    return sent


def _off(*accounts):
    for user in accounts:
        user.is_active = False
        user.save()


def _escalation(c):
    return AuditEntry.objects.filter(action="complaints.escalate", object_id=str(c.pk)).latest("pk")


def _warned(caplog, text):
    return any(r.levelno == logging.WARNING and text in r.getMessage() for r in caplog.records)


@pytest.fixture
def late(clock, submit, walk):
    clock.set(dt.date(2026, 6, 2))
    return walk(submit(), "diteruskan")


def test_an_escalation_to_an_inspectorate_without_accounts_reaches_the_leadership(
    late, users, mailed, caplog
):
    _off(users[("inspektorat", "a")])  # the agency's only inspectorate account
    caplog.set_level(logging.WARNING, logger="amanah.complaints.services")
    c = services.escalate(None, late, level=3)
    assert c.escalation_level == 3
    assert mailed == [[users[("pimpinan", "a")].email]]
    assert _escalation(c).details == {
        "from": "diteruskan",
        "to": "diteruskan",
        "level": 3,
        "notified": 1,
        "fallback": "pimpinan",
    }
    assert _warned(caplog, "nobody to tell at that level (inspektorat); told pimpinan instead")


def test_without_manager_nor_leadership_the_platform_administrators_hear_of_it(
    late, users, mailed, caplog
):
    _off(users[("pengelola", "a")], users[("pimpinan", "a")])
    c = services.escalate(None, late, level=2)
    assert mailed == [[users[("admin", None)].email]]
    details = _escalation(c).details
    assert details["notified"] == 1 and details["fallback"] == "admin"


def test_an_escalation_that_reaches_nobody_says_so(late, users, mailed, caplog):
    _off(users[("inspektorat", "a")], users[("pimpinan", "a")], users[("admin", None)])
    caplog.set_level(logging.WARNING, logger="amanah.complaints.services")
    c = services.escalate(None, late, level=3)
    assert c.escalation_level == 3 and mailed == []
    details = _escalation(c).details
    assert details["notified"] == 0 and "fallback" not in details
    assert _warned(caplog, "nobody above the case was told")


def test_an_escalation_that_reaches_its_level_records_how_many_it_told(late, users, mailed):
    c = services.escalate(None, late, level=2)
    assert mailed == [[users[("pengelola", "a")].email]]
    details = _escalation(c).details
    assert details["notified"] == 1 and "fallback" not in details


def test_the_sweep_escalating_to_an_inspectorate_without_accounts_is_not_silent(
    late, users, clock, mailed
):
    _off(users[("inspektorat", "a")])
    clock.set(dt.date(2026, 6, 15))  # four working days late: unit head, then complaint manager
    services.sweep()
    clock.set(dt.date(2026, 6, 19))  # eight working days late: the inspectorate
    mailed.clear()
    assert services.sweep()["escalated"] == 1
    late.refresh_from_db()
    assert late.escalation_level == 3
    assert mailed == [[users[("pimpinan", "a")].email]]
