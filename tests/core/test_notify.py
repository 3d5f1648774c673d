"""Queued e-mails are sealed: the task table never holds a recipient, subject or body in clear, the real
worker still delivers them, and key rotation re-encrypts the queue."""

import contextlib
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection, transaction

from amanah.core import notify
from tests.complaints.conftest import BASE

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _raw_task_rows() -> str:
    """Every queued task row as the database stores it (JSON text of the arguments)."""
    with connection.cursor() as cur:
        cur.execute("SELECT task_path, args_kwargs FROM django_tasks_database_dbtaskresult")
        return json.dumps([[str(v) for v in row] for row in cur.fetchall()])


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_confidential_complaints_mail_is_sealed_in_the_queue_and_delivered(settings, org, smtp):
    from amanah.complaints import services

    settings.TASKS = DB_BACKEND
    data = dict(
        BASE,
        service=org["a"]["service"],
        agency=None,
        identity_mode="rahasia",
        email="rahasia.pengadu@example.id",
        title="Pungutan liar di loket tiga",
    )
    c = services.submit(None, data, [], channel="web")
    raw = _raw_task_rows()
    assert "send_sealed_email" in raw
    for secret in ("rahasia.pengadu@example.id", "Pungutan liar", c.tracking_code, "Siti Aminah"):
        assert secret not in raw, secret
    _run_worker()
    smtp.wait(1)
    mail = smtp.to("rahasia.pengadu@example.id")[0]
    assert c.tracking_code in mail["subject"]
    assert "Pungutan liar di loket tiga" in mail["body"]


@pytest.mark.django_db(transaction=True)
def test_a_mail_is_sent_only_after_its_change_commits(smtp):
    # conftest selects the immediate backend: the sealed task runs after the commit, never on a rollback.
    with transaction.atomic():
        notify.email(["satu@example.id", ""], "Subjek satu", "Isi satu")
        assert smtp.messages == []
    smtp.wait(1)
    assert smtp.to("satu@example.id")[0]["subject"] == "Subjek satu"
    with pytest.raises(RuntimeError), transaction.atomic():
        notify.email("dua@example.id", "Subjek dua", "Isi dua")
        raise RuntimeError
    assert not smtp.to("dua@example.id")


@pytest.mark.django_db(transaction=True)
def test_key_rotation_re_encrypts_queued_mails(settings, smtp):
    settings.TASKS = DB_BACKEND
    old = list(settings.ENCRYPTION_KEYS)
    notify.email("antre@example.id", "Masih di antrean", "Isi")
    before = _raw_task_rows()
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]
    call_command("keys_rotate", verbosity=0)
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS[:1]  # the old key is gone
    assert _raw_task_rows() != before
    _run_worker()
    smtp.wait(1)
    assert smtp.to("antre@example.id")[0]["subject"] == "Masih di antrean"


@pytest.mark.django_db(transaction=True)
def test_mails_queued_in_clear_by_earlier_versions_are_sealed_and_still_sent(settings, smtp):
    from django_tasks_db.models import DBTaskResult

    from amanah.core.tasks import seal_clear_emails, send_email

    settings.TASKS = DB_BACKEND
    send_email.enqueue(["lama@example.id"], "Antrean lama", "Isi lama")
    assert "lama@example.id" in _raw_task_rows()
    assert seal_clear_emails(DBTaskResult) == 1
    raw = _raw_task_rows()
    assert "lama@example.id" not in raw and "Antrean lama" not in raw and "send_sealed_email" in raw
    _run_worker()
    smtp.wait(1)
    assert smtp.to("lama@example.id")[0]["subject"] == "Antrean lama"


def _smtp_at(settings, port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "amanah.core.mailer.SmtpBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "use_ssl": False},
        }
    }


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _mail_server(settings, handler):
    """A real SMTP server (aiosmtpd) answering with ``handler``, Django's mailer and the database task
    queue pointed at it, for the block."""
    from aiosmtpd.controller import Controller

    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _smtp_at(settings, port)
        settings.TASKS = DB_BACKEND
        yield
    finally:
        controller.stop()


class _RefusesEveryone:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 mailbox unavailable"


@pytest.mark.django_db(transaction=True)
def test_a_refused_mail_leaves_no_address_in_the_task_table(settings):
    """An SMTP server that refuses the recipient: Django raises an error quoting the address; the failed
    task keeps only a neutral message."""
    from django_tasks_db.models import DBTaskResult

    with _mail_server(settings, _RefusesEveryone()):
        notify.email("ditolak@example.id", "Tidak sampai", "Isi")
        _run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED"
    assert row.exception_class_path == "amanah.core.tasks.MailNotSent"
    assert "SMTPRecipientsRefused" in row.traceback
    assert "ditolak@example.id" not in _raw_task_rows() + row.traceback


@pytest.mark.django_db(transaction=True)
def test_an_address_the_mail_backend_cannot_use_leaves_no_trace_either(settings, smtp):
    """Not only SMTP errors quote addresses: Django's backend refuses a control character in an address
    with a ValueError that names it. The failed task still keeps only the neutral message."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_BACKEND
    notify.email('"siti\x01aminah"@example.id', "Tidak sampai", "Isi")
    _run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED"
    assert row.exception_class_path == "amanah.core.tasks.MailNotSent"
    assert "ValueError" in row.traceback
    assert "aminah" not in _raw_task_rows() + row.traceback


class _BusyOnce:
    """A mail server that answers its first recipient with 451 (try again later), then takes mail."""

    def __init__(self):
        self.busy = 1
        self.box = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.busy:
            self.busy -= 1
            return "451 4.3.2 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.box.append(envelope.content.decode())
        return "250 OK"


@pytest.mark.django_db(transaction=True)
def test_a_mail_turned_away_for_now_is_tried_again_and_delivered(settings):
    """451 is "not now": the mail is queued again after the first retry delay (here none) and arrives, with
    the header that keeps out-of-office replies away."""
    from django_tasks_db.models import DBTaskResult

    server = _BusyOnce()
    settings.MAIL_RETRY_SECONDS = [0, 0]
    with _mail_server(settings, server):
        notify.email("sabar@example.id", "Coba lagi", "Isi")
        _run_worker()
    assert len(server.box) == 1 and "Auto-Submitted: auto-generated" in server.box[0]
    rows = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in rows] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert "sabar@example.id" not in _raw_task_rows()  # the new try is as sealed as the first


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_its_delay(settings):
    """With the server down the new try is queued for later, not run at once."""
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    _smtp_at(settings, _free_port())  # nothing listens there
    settings.TASKS = DB_BACKEND
    settings.MAIL_RETRY_SECONDS = [600]
    notify.email("nanti@example.id", "Server mati", "Isi")
    _run_worker()
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "SUCCESSFUL" and retry.status == "READY"
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=590)


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_down_for_good_fails_after_the_last_try(settings, caplog):
    from django_tasks_db.models import DBTaskResult

    _smtp_at(settings, _free_port())
    settings.TASKS = DB_BACKEND
    settings.MAIL_RETRY_SECONDS = [0, 0]
    notify.email("hilang@example.id", "Server mati", "Isi")
    with caplog.at_level("WARNING", logger="amanah.mail"):
        _run_worker()
    assert [r.status for r in DBTaskResult.objects.order_by("enqueued_at")] == [
        "SUCCESSFUL",
        "SUCCESSFUL",
        "FAILED",
    ]
    assert "given up" in caplog.text and "hilang@example.id" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_final_refusal_is_not_tried_again(settings):
    from django_tasks_db.models import DBTaskResult

    settings.MAIL_RETRY_SECONDS = [0, 0]
    with _mail_server(settings, _RefusesEveryone()):
        notify.email("tidak-ada@example.id", "550", "Isi")
        _run_worker()
    assert [r.status for r in DBTaskResult.objects.all()] == ["FAILED"]


class _OneMailboxFullOnce:
    """A server where one mailbox is full the first time (452, try later) and every other one takes mail."""

    def __init__(self, full: str):
        self.full, self.box = full, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.full:
            self.full = None
            return "452 4.2.2 mailbox full"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.box.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.mark.django_db(transaction=True)
def test_one_recipient_turned_away_gets_the_mail_later_and_the_others_once(settings):
    from django_tasks_db.models import DBTaskResult

    server = _OneMailboxFullOnce("penuh@example.id")
    settings.MAIL_RETRY_SECONDS = [0]
    with _mail_server(settings, server):
        notify.email(["penuh@example.id", "ada@example.id"], "Dua penerima", "Isi")
        _run_worker()
    assert sorted(server.box) == ["ada@example.id", "penuh@example.id"]  # each exactly once
    assert [r.status for r in DBTaskResult.objects.order_by("enqueued_at")] == [
        "SUCCESSFUL",
        "SUCCESSFUL",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_server_without_the_configured_tls_is_a_final_error(settings, smtp):
    """STARTTLS asked of a server that offers none is a configuration error: no day of retries."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_BACKEND
    settings.MAILERS["default"]["OPTIONS"]["use_tls"] = True
    settings.MAIL_RETRY_SECONDS = [0, 0]
    notify.email("tls@example.id", "TLS", "Isi")
    _run_worker()
    assert [r.status for r in DBTaskResult.objects.all()] == ["FAILED"]


@pytest.mark.django_db(transaction=True)
def test_key_rotation_keeps_a_retrys_try_number(settings):
    from django_tasks_db.models import DBTaskResult

    from amanah.core.tasks import seal_email, send_sealed_email

    settings.TASKS = DB_BACKEND
    send_sealed_email.enqueue(seal_email(["lagi@example.id"], "Percobaan", "Isi"), 4)
    old = list(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]
    call_command("keys_rotate", verbosity=0)
    args = DBTaskResult.objects.get().args_kwargs["args"]
    assert len(args) == 2 and args[1] == 4


@pytest.mark.django_db(transaction=True)
def test_someone_listed_twice_gets_one_mail(settings, smtp):
    """A leader holding the role for the agency and for a unit is listed twice: one mail."""
    settings.TASKS = DB_BACKEND
    notify.email(["pimpinan@example.id", "pimpinan@example.id"], "Sekali saja", "Isi")
    _run_worker()
    smtp.wait(1)
    assert len(smtp.to("pimpinan@example.id")) == 1


@pytest.mark.django_db(transaction=True)
def test_ssl_asked_of_a_plain_server_is_a_final_error(settings, smtp):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_BACKEND
    settings.MAILERS["default"]["OPTIONS"]["use_ssl"] = True
    settings.MAIL_RETRY_SECONDS = [600]
    notify.email("ssl@example.id", "SSL", "Isi")
    _run_worker()
    assert [r.status for r in DBTaskResult.objects.all()] == ["FAILED"]


def _task_rows_in_full() -> str:
    """Every column of every task row (arguments, result, error, traceback) as the database stores it."""
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM django_tasks_database_dbtaskresult")
        return json.dumps([[str(v) for v in row] for row in cur.fetchall()])


class _Answers:
    """A server answering RCPT for some addresses with a fixed reply (``once``: only the first time) and
    taking mail for the others; ``box`` lists who got a mail, once per delivery."""

    def __init__(self, replies, once=()):
        self.replies, self.once, self.box, self.raw = dict(replies), set(once), [], []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.replies.get(address)
        if reply:
            if address in self.once:
                del self.replies[address]
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.box.extend(envelope.rcpt_tos)
        self.raw.append(envelope.content.decode())
        return "250 OK"


@pytest.mark.django_db(transaction=True)
def test_one_refused_for_good_and_one_for_now_the_retry_is_queued_and_the_task_says_so(
    settings, caplog
):
    """550 for one recipient and 451 for the other: the second alone is tried again, and the first try
    does not claim to have failed (its retry is on its way); the refusal is logged as an error, without
    the address, and the task table holds only counts."""
    from django_tasks_db.models import DBTaskResult

    from amanah.core import crypto

    server = _Answers(
        {"tetap@example.id": "550 5.1.1 no such user", "sementara@example.id": "451 4.3.2 later"},
        once={"sementara@example.id"},
    )
    settings.MAIL_RETRY_SECONDS = [600]
    with _mail_server(settings, server), caplog.at_level("WARNING", logger="amanah.mail"):
        notify.email(["tetap@example.id", "sementara@example.id"], "Campuran", "Isi")
        _run_worker()
        first, retry = DBTaskResult.objects.order_by("enqueued_at")
        assert first.status == "SUCCESSFUL"
        assert first.return_value == {
            "try": 1,
            "delivered": 0,
            "retry_queued": 1,
            "refused": 1,
            "given_up": 0,
            "errors": ["SMTPRecipientsRefused 451", "SMTPRecipientsRefused 550"],
            "next_try_at": first.return_value["next_try_at"],
        }
        assert retry.status == "READY"
        sealed = json.loads(crypto.decrypt_text(retry.args_kwargs["args"][0]))
        assert sealed["to"] == ["sementara@example.id"] and retry.args_kwargs["args"][1] == 1
        errors = [r for r in caplog.records if r.levelname == "ERROR"]
        assert len(errors) == 1 and "1 of 2 recipient(s) refused for good" in errors[0].message
        assert str(first.id) in errors[0].message  # the operator finds the task row from the log
        assert "tetap@" not in caplog.text and "sementara@" not in caplog.text
        assert "@example.id" not in _task_rows_in_full()
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=first.enqueued_at)
        _run_worker()
    assert server.box == [
        "sementara@example.id"
    ]  # delivered once, the refused one never tried again
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL" and retry.return_value["delivered"] == 1


@pytest.mark.django_db(transaction=True)
def test_one_delivered_and_one_refused_for_good_is_not_a_failed_task(settings, caplog):
    """The delivered recipient's mail went out: a FAILED task would say nobody got it (and invite a re-run
    that mails them twice). The task succeeds with the counts, and the refusal is an error in the log."""
    from django_tasks_db.models import DBTaskResult

    server = _Answers({"tidak-ada@example.id": "550 5.1.1 no such user"})
    settings.MAIL_RETRY_SECONDS = [0]
    with _mail_server(settings, server), caplog.at_level("WARNING", logger="amanah.mail"):
        notify.email(["ada@example.id", "tidak-ada@example.id"], "Sebagian", "Isi")
        _run_worker()
    assert server.box == ["ada@example.id"]
    row = DBTaskResult.objects.get()
    assert row.status == "SUCCESSFUL"
    assert row.return_value["delivered"] == 1 and row.return_value["refused"] == 1
    assert row.return_value["retry_queued"] == 0
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "1 of 2 recipient(s) refused for good" in errors[0].message
    assert "@example.id" not in caplog.text + _task_rows_in_full()


@pytest.mark.django_db(transaction=True)
def test_nothing_delivered_and_nothing_to_retry_fails_with_counts_only(settings):
    from django_tasks_db.models import DBTaskResult

    server = _Answers({"a@example.id": "550 5.1.1 no", "b@example.id": "553 5.1.3 bad"})
    with _mail_server(settings, server):
        notify.email(["a@example.id", "b@example.id"], "Tidak ada", "Isi")
        _run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED" and "2 of 2 recipient(s)" in row.traceback
    assert "@example.id" not in _task_rows_in_full()


def _message_id_domain(raw: str) -> str:
    import email
    import email.policy

    msg = email.message_from_string(raw, policy=email.policy.default)
    return str(msg["Message-ID"]).strip().rstrip(">").rpartition("@")[2]


@pytest.mark.django_db(transaction=True)
def test_the_message_id_and_the_greeting_name_the_public_site_not_the_machine(settings, smtp):
    """The Message-ID and the SMTP greeting (EHLO, which the relay writes into the first Received:
    header every recipient sees) carry the public site's name, not the internal machine's."""
    from django.core.mail.utils import DNS_NAME

    settings.SITE_URL = "https://Amanah.Example.go.id:8443"
    notify.email("warga@example.id", "Message-ID", "Isi")
    smtp.wait(1)
    assert _message_id_domain(smtp.messages[0]["raw"]) == "amanah.example.go.id"
    assert smtp.messages[0]["ehlo"] == "amanah.example.go.id" != str(DNS_NAME)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "site", ["http://127.0.0.1:8000", "http://localhost:8000", "http://10.1.2.3"]
)
def test_without_a_public_site_address_the_message_id_takes_the_senders_domain(
    settings, smtp, site
):
    settings.SITE_URL = site
    settings.DEFAULT_FROM_EMAIL = "Amanah <amanah@Kab-A.go.id>"
    notify.email("warga@example.id", "Message-ID", "Isi")
    smtp.wait(1)
    assert _message_id_domain(smtp.messages[0]["raw"]) == "kab-a.go.id"
    assert smtp.messages[0]["ehlo"] == "kab-a.go.id"


@pytest.mark.django_db(transaction=True)
def test_with_neither_a_public_site_nor_a_sender_domain_the_machine_name_stays(settings, smtp):
    from django.core.mail.utils import DNS_NAME

    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.DEFAULT_FROM_EMAIL = "amanah@localhost"
    notify.email("warga@example.id", "Message-ID", "Isi")
    smtp.wait(1)
    assert _message_id_domain(smtp.messages[0]["raw"]) == str(DNS_NAME)
    assert smtp.messages[0]["ehlo"] == DNS_NAME.get_fqdn()


@pytest.mark.django_db(transaction=True)
def test_a_blank_or_broken_address_queues_nothing_and_fails_no_task(settings, smtp, caplog):
    """An officer's account or an ASN without an address, or an import that put a name in the e-mail
    column: nothing is queued for them (the task would fail as if the mail reached nobody); the others
    still get theirs, and the log counts what was left out without quoting it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_BACKEND
    with caplog.at_level("WARNING", logger="amanah.mail"):
        notify.email("", "Kosong", "Isi")
        notify.email("   ", "Spasi", "Isi")
        notify.email("budi.santoso@", "Rusak", "Isi")
        notify.email(["Budi Santoso", " warga@example.id "], "Satu sah", "Isi")
    assert DBTaskResult.objects.count() == 1
    _run_worker()
    smtp.wait(1)
    assert [m["to"] for m in smtp.messages] == [["warga@example.id"]]
    assert [r.status for r in DBTaskResult.objects.all()] == ["SUCCESSFUL"]
    assert "budi" not in caplog.text.lower()
    assert caplog.text.count("mail not sent to 1 address(es) that are no e-mail address") == 2


@pytest.mark.django_db(transaction=True)
def test_one_mailbox_written_two_ways_gets_one_mail(settings, smtp):
    """The unit head's address in the ASN directory and on their account differ only in case: one event,
    one mail, also when held back for a later day."""
    import datetime as dt

    from django.utils import timezone

    settings.TASKS = DB_BACKEND
    notify.email(["Kabid@Dinas.Example.id", "kabid@dinas.example.id"], "Sekali", "Isi")
    notify.email(
        ["Inspektur@Example.id", "inspektur@example.id"],
        "Ditahan",
        "Isi",
        hold_until=timezone.now().date(),
    )
    notify.release_held(timezone.now().date() + dt.timedelta(days=1))
    _run_worker()
    smtp.wait(2)
    assert len(smtp.messages) == 2
    assert [m["subject"] for m in smtp.messages if "kabid@" in m["to"][0].lower()] == ["Sekali"]
    assert [m["subject"] for m in smtp.messages if "inspektur@" in m["to"][0].lower()] == [
        "Ditahan"
    ]
