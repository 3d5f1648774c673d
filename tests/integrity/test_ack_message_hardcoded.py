"""The default acknowledgment promises news within the configured feedback period
(rules.DEADLINES["feedback_months"], INTEGRITY_DEADLINES; EU Directive 2019/1937 Art. 9(1)(f)), not a
literal "three months"; the number is counted (singular or plural in English) and each reader sees the
stored message in their own language."""

import json

import pytest

from tests.i18n import client_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"


def _acknowledged(make_case, users):
    from amanah.integrity import services
    from amanah.integrity.models import Message

    report = make_case()
    services.acknowledge(users[("inspektorat", "a")], report.pk)
    return report, Message.objects.get(report=report)


def _english(reporter, receipt) -> str:
    client = reporter(receipt)
    client.client = client_in("en")
    return client.get(f"{BASE}/me").json()["messages"][0]["body"]


@pytest.mark.parametrize(
    ("months", "english"),
    [(1, "within 1 month at the latest"), (3, "within 3 months at the latest")],
)
def test_the_acknowledgment_states_the_configured_feedback_period(
    make_case, users, reporter, settings, months, english
):
    from amanah.integrity.models import Report

    settings.INTEGRITY_DEADLINES = {"feedback_months": months}
    report, message = _acknowledged(make_case, users)
    # The case is due for feedback after that many months, and the reporter is told so.
    case = Report.objects.get(pk=report.pk)
    assert 28 * months <= (case.feedback_due - case.acknowledged_on).days <= 31 * months
    assert f"paling lambat {months} bulan lagi" in message.body
    assert "tiga bulan" not in message.body
    assert json.loads(message.body_parts)[0]["params"] == {"n": str(months)}
    assert english in _english(reporter, report.receipt)


def test_an_acknowledgment_stored_before_still_reads_in_english(make_case, users, reporter):
    """Messages recorded with the former sentence ("tiga bulan") keep their English."""
    from amanah.integrity.models import Message

    report, message = _acknowledged(make_case, users)
    old = (
        "Laporan Anda sudah diterima oleh tim integritas dan sedang ditelaah. Kami akan memberi "
        "kabar paling lambat tiga bulan lagi. Simpan nomor tanda terima Anda."
    )
    Message.objects.filter(pk=message.pk).update(
        body=old, body_parts=json.dumps([{"id": old, "params": {}}])
    )
    assert "within three months" in _english(reporter, report.receipt)
