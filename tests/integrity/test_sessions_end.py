"""``amanah sessions end`` signs everyone out — staff and whistleblowing reporters — as the restore steps
of the deploy guide ask (sessions come back with a restored database, those ended since included)."""

import pytest
from django.core.management import call_command
from django.test import Client

from amanah.core.models import AuditEntry
from amanah.integrity.models import ReporterSession

pytestmark = pytest.mark.django_db


def test_sessions_end_signs_out_staff_and_reporters_and_is_audited(users, make_case, capsys):
    staff = Client()
    staff.force_login(users[("operator", "a")])
    assert staff.get("/pengaduan/staf/").status_code == 200

    report = make_case()
    reporter = Client()
    assert (
        reporter.post("/integritas/tindak-lanjut/", {"receipt": report.receipt}).status_code == 302
    )
    assert reporter.get("/integritas/kasus-saya/").status_code == 200
    assert ReporterSession.objects.count() == 1

    call_command("sessions_end")

    assert "1 staff session(s), 1 reporter session(s)" in capsys.readouterr().out
    # The staff browser is sent to the login page, the reporter's no longer opens the report.
    assert staff.get("/pengaduan/staf/").status_code == 302
    assert reporter.get("/integritas/kasus-saya/").status_code != 200
    assert not ReporterSession.objects.exists()
    entry = AuditEntry.objects.filter(action="core.sessions_ended").get()
    assert entry.details == {"staff": 1, "reporters": 1}
