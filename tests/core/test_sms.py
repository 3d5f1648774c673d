"""Short messages to complainants' phones: Indonesian mobile numbers only, sealed in the task queue, handed to a
real HTTP gateway on 127.0.0.1 with its token and an idempotency key, tried again when the gateway cannot take
them now, never a number or a text in the task table, the logs or an error."""

import datetime as dt
import json
import logging
import threading

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


@pytest.fixture
def gateway(settings, sms_gateway):
    settings.SMS_TOKEN = "rahasia-gateway"
    settings.SMS_SENDER = "AMANAH"
    settings.SMS_TIMEOUT_SECONDS = 2
    return sms_gateway


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
        ("+62 0812 3456 789", "+628123456789"),  # the trunk 0 kept after +62, as people write it
        ("62 0812-3456-7890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("０８１２３４５６７８９０", "+6281234567890"),  # full-width digits of another keyboard
        ("٠٨١٢٣٤٥٦٧٨٩٠", "+6281234567890"),  # Arabic-Indic digits
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


@given(st.text(max_size=25) | st.text(alphabet="0123456789 +-()", max_size=25))
def test_a_mobile_number_is_always_e164_and_stable(raw):
    number = rules.mobile_number(raw)
    if number is not None:
        assert number.startswith("+628") and number[1:].isdigit() and 12 <= len(number) <= 15
        assert rules.mobile_number(number) == number


@pytest.mark.django_db(transaction=True)
def test_a_message_reaches_the_gateway_sealed_in_the_queue(settings, gateway):
    settings.TASKS = DB_BACKEND
    assert notify.sms(
        NUMBER, "Pengaduan Anda sudah dijawab.", link="https://amanah.example.go.id/x/"
    )
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


def test_a_long_text_is_cut_and_the_code_and_link_stay_whole(
    settings, gateway, django_capture_on_commit_callbacks, db
):
    from amanah.core import sms

    settings.SMS_MAX_CHARACTERS = 140
    link = "https://amanah.example.go.id/pengaduan/lacak/7KQ2-M9XD-4HTA-0RZB/"
    with django_capture_on_commit_callbacks(execute=True):
        notify.sms(NUMBER, "Jawaban " * 40, keep="Kode lacak 7KQ2-M9XD-4HTA-0RZB.", link=link)
        # A limit below what must stay whole: the text goes, the code and the link stay.
        settings.SMS_MAX_CHARACTERS = 20
        notify.sms("081299998888", "Jawaban " * 40, keep="Kode 7KQ2.", link=link)
    first, second = (r["body"]["text"] for r in gateway.requests)
    assert first.startswith("Jawaban Jawaban")
    assert first.endswith("... Kode lacak 7KQ2-M9XD-4HTA-0RZB.\n" + link)
    # Cut with the GSM alphabet's own "...": the message stays GSM-7, within the limit.
    assert sms.septets(first) is not None and 130 <= sms.septets(first) <= 140
    assert second == "Kode 7KQ2.\n" + link


def test_a_text_outside_the_gsm_alphabet_is_cut_to_the_same_number_of_parts(
    settings, gateway, django_capture_on_commit_callbacks, db
):
    """One character outside the GSM alphabet (an Arabic name, an emoji) makes the whole message UCS-2, 67
    characters a part: two parts are then 134 characters, not 306."""
    from amanah.core import sms

    link = "https://amanah.example.go.id/pengaduan/lacak/7KQ2-M9XD-4HTA-0RZB/"
    with django_capture_on_commit_callbacks(execute=True):
        notify.sms(NUMBER, "Dinas Kependudukan Kota Tua ✓ " * 20, link=link)
    (got,) = gateway.requests
    text = got["body"]["text"]
    assert sms.septets(text) is None and len(text) <= 134 and text.endswith(link)
    assert sms.fits(text, 2) and not sms.fits(text + "x" * 10, 2)


def test_a_phone_gets_at_most_its_share_of_messages(settings, gateway, caplog, db):
    """The public form must not become a way to flood a stranger's phone at the agency's cost."""
    settings.SMS_NUMBER_RATE = (3, 3600)
    sent = [notify.sms(NUMBER, f"Pesan {i}") for i in range(5)]
    assert sent == [True, True, True, False, False]
    assert notify.sms("081299998888", "Nomor lain")  # counted per number
    assert E164 not in caplog.text


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_fails_the_message(settings, gateway, status, db):
    """Following it would send the token and the message elsewhere (urllib turns a 302 into a GET
    without body and calls that delivered)."""
    from amanah.core import sms

    gateway.statuses = [status]
    with pytest.raises(sms.GatewayError) as exc:
        sms.deliver(E164, "Teks.", "kunci")
    assert exc.value.label == f"HTTP {status}" and not exc.value.temporary
    assert len(gateway.requests) == 1


def _raw_gateway(settings, answer):
    """A gateway on 127.0.0.1 that reads the request and then runs ``answer(connection)``."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve():
        conn, _ = server.accept()
        conn.recv(65536)
        try:
            answer(conn)
        except OSError:
            pass
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    settings.SMS_URL = f"http://127.0.0.1:{server.getsockname()[1]}/kirim"
    return server


def test_a_gateway_that_trickles_its_answer_is_cut_at_the_timeout(settings):
    """The timeout bounds the whole hand-over, not each read: a gateway sending a byte every 0.2 s must not
    hold the worker."""
    import time

    from amanah.core import sms

    def trickle(conn):
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
            conn.sendall(bytes([byte]))
            time.sleep(0.2)

    server = _raw_gateway(settings, trickle)
    settings.SMS_TIMEOUT_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(sms.GatewayError) as exc:
        sms.deliver(E164, "Teks.", "kunci")
    assert exc.value.temporary and exc.value.label == "Timeout"
    assert time.monotonic() - started < 3  # 20 s of trickling, cut after about 1
    server.close()


def test_a_broken_answer_is_tried_again(settings):
    from amanah.core import sms

    server = _raw_gateway(settings, lambda conn: conn.sendall(b"NOT HTTP AT ALL\r\n\r\n"))
    with pytest.raises(sms.GatewayError) as exc:
        sms.deliver(E164, "Teks.", "kunci")
    assert exc.value.temporary
    server.close()


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
        ("https://user:rahasia@sms.example.co.id/api", True),
        ("https://sms.example.co.id:8443/api?key=rahasia", False),
    ]:
        settings.SMS_URL = url
        assert ("amanah.E003" in ids()) is refused, url
    # The error says the scheme and host only: the rest of the address may hold a key.
    settings.SMS_URL = "http://sms.example.co.id/api?key=rahasia"
    assert all("rahasia" not in e.msg for e in public_addresses())
    settings.SMS_URL = "https://user:rahasia@sms.example.co.id/api"
    assert all("rahasia" not in e.msg for e in public_addresses())
