"""The reporter's session slides with activity (INTEGRITY_SESSION_SECONDS without activity, at most
INTEGRITY_SESSION_MAX_SECONDS from its opening), and when it has ended while the reporter was writing,
nothing they typed is lost: the session-ended page asks for the receipt again in a form that carries
the text (nothing is stored on the server) and sends it once the case is open."""

import re
import types

import pytest

from amanah.integrity import services
from amanah.integrity.models import Message, ReporterSession

pytestmark = pytest.mark.django_db
TEXT = "Saya dipindah ke kecamatan terpencil seminggu setelah melapor; ini rinciannya."


def _open(client, report):
    r = client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt})
    assert r.status_code == 302
    return r


def _from_reporter(report):
    return list(Message.objects.filter(report=report, direction=Message.Direction.FROM_REPORTER))


def test_a_reply_typed_in_an_ended_session_is_carried_and_sent(make_case, client):
    report = make_case()
    _open(client, report)
    ReporterSession.objects.all().delete()  # the session ended while the reporter was typing
    r = client.post("/integritas/kasus-saya/balas/", {"body": TEXT})
    assert r.status_code == 401
    html = r.content.decode()
    form = re.search(
        r'<form class="form" method="post" action="/integritas/tindak-lanjut/".*?</form>',
        html,
        re.S,
    )
    assert form, "a form that asks for the receipt again"
    assert 'name="resume" value="balas"' in form.group(0)
    assert TEXT in form.group(0) and 'name="receipt"' in form.group(0)
    assert not _from_reporter(report)
    r = client.post(
        "/integritas/tindak-lanjut/", {"receipt": report.receipt, "resume": "balas", "body": TEXT}
    )
    assert r.status_code == 302 and r["Location"] == "/integritas/kasus-saya/"
    assert [m.body for m in _from_reporter(report)] == [TEXT]
    assert client.get("/integritas/kasus-saya/").status_code == 200  # and the session is open


def test_a_retaliation_report_is_carried_with_its_kind(make_case, client):
    report = make_case()
    _open(client, report)
    ReporterSession.objects.all().delete()
    r = client.post("/integritas/kasus-saya/pembalasan/", {"kind": "demosi", "description": TEXT})
    assert r.status_code == 401
    html = r.content.decode()
    assert TEXT in html and re.search(r'<option value="demosi"[^>]*selected', html)
    r = client.post(
        "/integritas/tindak-lanjut/",
        {"receipt": report.receipt, "resume": "pembalasan", "kind": "demosi", "description": TEXT},
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.protection_flag
    assert TEXT in _from_reporter(report)[0].body


def test_a_wrong_receipt_keeps_the_text_and_sends_nothing(make_case, client):
    report = make_case()
    r = client.post(
        "/integritas/tindak-lanjut/",
        {"receipt": "1234 5678 9012 3456", "resume": "balas", "body": TEXT},
    )
    assert r.status_code == 401
    html = r.content.decode()
    assert "Nomor tanda terima tidak cocok" in html
    assert TEXT in html and 'name="resume" value="balas"' in html
    assert "1234 5678 9012 3456" not in html  # a receipt is never echoed
    assert not _from_reporter(report)


def test_a_carried_text_refused_comes_back_on_the_case_page_with_the_session(make_case, client):
    report = make_case()
    long_text = "x" * 10001
    r = client.post(
        "/integritas/tindak-lanjut/",
        {"receipt": report.receipt, "resume": "balas", "body": long_text},
    )
    assert r.status_code == 400
    assert long_text in r.content.decode()
    assert r.cookies["wbs"].value  # the case is open: the reporter shortens it and sends again
    assert not _from_reporter(report)


def test_an_ended_session_without_typing_just_asks_to_sign_in_again(make_case, client):
    report = make_case()
    _open(client, report)
    ReporterSession.objects.all().delete()
    r = client.get("/integritas/kasus-saya/")
    assert r.status_code == 401
    assert 'name="resume"' not in r.content.decode()


@pytest.fixture
def clock(monkeypatch):
    """One clock for the sessions' limit and the (local-memory) cache's expiry."""
    now = {"t": 1_800_000_000.0}
    fake = types.SimpleNamespace(time=lambda: now["t"])
    monkeypatch.setattr("django.core.cache.backends.locmem.time", fake)
    monkeypatch.setattr("django.core.cache.backends.base.time", fake)
    monkeypatch.setattr(services, "clock", fake.time)

    def advance(seconds):
        now["t"] += seconds

    return advance


def test_the_session_slides_with_activity_up_to_its_limit(make_case, settings, clock):
    settings.INTEGRITY_SESSION_SECONDS = 900
    settings.INTEGRITY_SESSION_MAX_SECONDS = 3600
    report = make_case()
    token, _report = services.open_session(report.receipt, "203.0.113.7")
    for _step in range(5):  # active every 10 minutes: 50 minutes in all, well past 15
        clock(600)
        assert services.session_report(token) == report
    clock(600)  # 60 minutes since it opened: the limit, however active
    assert services.session_report(token) is None


def test_the_session_ends_after_a_while_without_activity(make_case, settings, clock):
    settings.INTEGRITY_SESSION_SECONDS = 900
    report = make_case()
    token, _report = services.open_session(report.receipt, "203.0.113.7")
    clock(600)
    assert services.session_report(token) == report
    clock(901)
    assert services.session_report(token) is None


def test_the_cookie_lasts_as_long_as_the_session_may(make_case, client, settings):
    settings.INTEGRITY_SESSION_MAX_SECONDS = 5400
    r = _open(client, make_case())
    assert r.cookies["wbs"]["max-age"] == 5400
