"""Short messages to complainants' phones: Indonesian mobile numbers only, sealed in the task queue, handed to a
real HTTP gateway on 127.0.0.1 with its token and an idempotency key, tried again when the gateway cannot take
them now, never a number or a text in the task table, the logs or an error."""

import datetime as dt
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from amanah.core import notify, rules
from amanah.core.checks import public_addresses

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NUMBER = "0812-3456-7890"
E164 = "+6281234567890"


class Gateway:
    """An SMS gateway on a free port of 127.0.0.1: records each request and answers with the next of
    ``statuses`` (then 200)."""

    def __init__(self):
        self.requests, self.statuses = [], []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                gateway.requests.append({"headers": dict(self.headers), "body": json.loads(body)})
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/kirim"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    g = Gateway()
    settings.SMS_URL = g.url
    settings.SMS_TOKEN = "rahasia-gateway"
    settings.SMS_SENDER = "AMANAH"
    settings.SMS_TIMEOUT_SECONDS = 2
    yield g
    g.close()


def _raw_task_rows() -> str:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT task_path, args_kwargs, return_value, exception_class_path, traceback "
            "FROM django_tasks_database_dbtaskresult"
        )
        return json.dumps([[str(v) for v in row] for row in cur.fetchall()])


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 789", "+628123456789"),
        ("6285712345678", "+6285712345678"),
        ("(0811) 234.5678", "+628112345678"),
        ("0274 123456", None),  # a fixed line in Yogyakarta
        ("021 5551234", None),
        ("+1 415 555 0100", None),
        ("0812", None),
        ("08123456789012345", None),
        ("", None),
    ],
)
def test_only_indonesian_mobile_numbers_take_a_message(raw, expected):
    assert rules.mobile_number(raw) == expected


@given(st.text(alphabet="0123456789 +-()", max_size=25))
def test_a_mobile_number_is_always_e164_and_stable(raw):
    number = rules.mobile_number(raw)
    if number is not None:
        assert number.startswith("+628") and number[1:].isdigit() and 12 <= len(number) <= 15
        assert rules.mobile_number(number) == number


@pytest.mark.django_db(transaction=True)
def test_a_message_reaches_the_gateway_sealed_in_the_queue(settings, gateway):
    settings.TASKS = DB_BACKEND
    assert notify.sms(NUMBER, "Pengaduan Anda sudah dijawab.", "https://amanah.example.go.id/x/")
    raw = _raw_task_rows()
    assert "send_sealed_sms" in raw
    for secret in (E164, "81234567890", "sudah dijawab", "amanah.example.go.id"):
        assert secret not in raw, secret
    _run_worker()
    (got,) = gateway.requests
    assert got["body"] == {
        "to": E164,
        "text": "Pengaduan Anda sudah dijawab.\nhttps://amanah.example.go.id/x/",
        "sender": "AMANAH",
    }
    assert got["headers"]["Authorization"] == "Bearer rahasia-gateway"
    assert len(got["headers"]["Idempotency-Key"]) >= 16
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get().return_value["delivered"] == 1
    assert E164 not in _raw_task_rows()


@pytest.mark.django_db(transaction=True)
def test_a_busy_gateway_gets_the_message_again_with_the_same_key(settings, gateway, caplog):
    settings.TASKS = DB_BACKEND
    settings.SMS_RETRY_SECONDS = [0, 0]
    gateway.statuses = [503, 429]
    notify.sms(NUMBER, "Pengaduan Anda perlu dilengkapi.")
    with caplog.at_level(logging.WARNING, logger="amanah.sms"):
        for _ in range(3):
            _run_worker()
    assert len(gateway.requests) == 3
    assert len({r["headers"]["Idempotency-Key"] for r in gateway.requests}) == 1
    from django_tasks_db.models import DBTaskResult

    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL"]
    assert "HTTP 503" in caplog.text and "HTTP 429" in caplog.text
    assert E164 not in caplog.text and "81234567890" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_its_delay(settings, gateway):
    settings.TASKS = DB_BACKEND
    settings.SMS_RETRY_SECONDS = [600]
    gateway.statuses = [502]
    notify.sms(NUMBER, "Teks.")
    _run_worker()
    from django_tasks_db.models import DBTaskResult

    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "SUCCESSFUL" and retry.status == "READY"
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=590)


@pytest.mark.django_db(transaction=True)
def test_a_refused_message_fails_at_once_naming_no_number(settings, gateway, caplog):
    settings.TASKS = DB_BACKEND
    gateway.statuses = [400]
    notify.sms(NUMBER, "Pengaduan Anda ditolak.")
    with caplog.at_level(logging.ERROR, logger="amanah.sms"):
        _run_worker()
    from django_tasks_db.models import DBTaskResult

    (row,) = DBTaskResult.objects.all()
    assert row.status == "FAILED" and "SmsNotSent" in row.exception_class_path
    assert len(gateway.requests) == 1  # not tried again
    raw = _raw_task_rows()
    assert "HTTP 400" in raw
    for secret in (E164, "81234567890", "ditolak"):
        assert secret not in raw and secret not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_gateway_is_tried_again_then_given_up(settings, caplog):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.TASKS = DB_BACKEND
    settings.SMS_URL = f"http://127.0.0.1:{port}/kirim"
    settings.SMS_RETRY_SECONDS = [0]
    notify.sms(NUMBER, "Teks.")
    with caplog.at_level(logging.WARNING, logger="amanah.sms"):
        _run_worker()
        _run_worker()
    from django_tasks_db.models import DBTaskResult

    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL", "FAILED"]
    assert "not sent after 2 tries" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_nothing_is_queued_without_a_gateway_or_a_mobile_number(settings, gateway):
    settings.TASKS = DB_BACKEND
    assert not notify.sms("0274 123456", "Teks.")
    settings.SMS_URL = ""
    assert not notify.sms(NUMBER, "Teks.")
    assert "send_sealed_sms" not in _raw_task_rows()


def test_a_long_text_is_cut_and_the_link_stays_whole(
    settings, gateway, django_capture_on_commit_callbacks, db
):
    settings.SMS_MAX_CHARACTERS = 100
    link = "https://amanah.example.go.id/pengaduan/lacak/7KQ2-M9XD-4HTA-0RZB/"
    with django_capture_on_commit_callbacks(execute=True):
        notify.sms(NUMBER, "Jawaban " * 40, link)
    (got,) = gateway.requests
    text = got["body"]["text"]
    assert len(text) == 100 and text.endswith("…\n" + link)


@pytest.mark.django_db(transaction=True)
def test_key_rotation_reseals_queued_messages_and_keeps_a_retrys_try_number(settings, gateway):
    from cryptography.fernet import Fernet
    from django_tasks_db.models import DBTaskResult

    from amanah.core.tasks import seal_sms, send_sealed_sms

    settings.TASKS = DB_BACKEND
    sealed = seal_sms(E164, "Teks.", "kunci-percobaan-1")
    send_sealed_sms.enqueue(sealed, 3)
    old = list(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]
    call_command("keys_rotate", verbosity=0)
    args = DBTaskResult.objects.get().args_kwargs["args"]
    assert args[1] == 3 and args[0] != sealed
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]  # the old keys are gone: still readable
    _run_worker()
    (got,) = gateway.requests
    assert got["body"]["to"] == E164 and got["headers"]["Idempotency-Key"] == "kunci-percobaan-1"


def test_the_deploy_check_wants_the_gateway_over_https(settings):
    settings.SITE_URL = "https://amanah.example.go.id"
    settings.DEFAULT_FROM_EMAIL = "Amanah <amanah@example.go.id>"
    ids = lambda: [e.id for e in public_addresses()]  # noqa: E731
    for url, refused in [
        ("", False),
        ("https://sms.example.co.id/api", False),
        ("http://127.0.0.1:9000/relay", False),
        ("http://sms.example.co.id/api", True),
        ("console", True),
    ]:
        settings.SMS_URL = url
        assert ("amanah.E003" in ids()) is refused, url
