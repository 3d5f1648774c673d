"""A sweep that finds a case days late climbs the escalation ladder several levels at once (one step at a
time, so that each level is told). Through a real SMTP server: each level's people get their mail, and
the officer on the case, told at every step, gets one mail for this lateness, not one per level in the
same minute."""

import datetime as dt

import pytest

from amanah.complaints import services

pytestmark = pytest.mark.django_db


def _escalations(smtp, address):
    return [m for m in smtp.to(address) if "Eskalasi" in m["subject"]]


def test_a_sweep_climbing_three_levels_mails_the_officer_on_the_case_once(
    smtp, org, users, submit, walk, clock, django_capture_on_commit_callbacks
):
    manager, unit_user = users[("pengelola", "a")], users[("unit", "a")]
    inspectorate = users[("inspektorat", "a")]
    org["a"]["kabid"].email = "kabid@test.id"
    org["a"]["kabid"].save()
    clock.set(dt.date(2026, 6, 2))
    with django_capture_on_commit_callbacks(execute=True):
        c = walk(submit(), "diteruskan")
        services.assign(manager, c, user=unit_user)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(today=dt.date(2026, 7, 15))["escalated"] == 3
    c.refresh_from_db()
    assert c.escalation_level == 3
    smtp.wait(4)
    assert len(_escalations(smtp, unit_user.email)) == 1
    for address in ("kabid@test.id", manager.email, inspectorate.email):
        assert len(_escalations(smtp, address)) == 1, address
