"""A lost tracking code: sent again to the e-mail address or mobile number the complaint was filed with (real
SMTP server, real HTTP SMS gateway), never shown to whoever asks; the same answer whether or not anything was
found; a few reminders a day per contact; anonim complaints have nothing to match."""

import pytest
from django.test import Client

from amanah.complaints import services
from amanah.complaints.models import Complaint
from amanah.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SAME_ANSWER = "Jika ada pengaduan yang diajukan dengan"


@pytest.fixture
def gateway(sms_gateway):
    return sms_gateway


def _ask(contact, client=None):
    client = client or Client()
    r = client.post("/pengaduan/lacak/lupa/", {"contact": contact}, follow=True)
    return r


def test_the_codes_go_to_the_address_they_were_filed_with_and_nowhere_else(
    smtp, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = [
            submit(email="Siti.Aminah@Example.id", title="KTP-el belum dicetak"),
            submit(email="siti.aminah@example.id", title="Antrean akta kelahiran", phone=""),
        ]
        other = submit(email="orang.lain@example.id", title="Jalan rusak")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = _ask("  SITI.aminah@example.id ")
    assert r.status_code == 200 and SAME_ANSWER in r.content.decode()
    # The page itself shows no code.
    assert all(c.tracking_code not in r.content.decode() for c in (*mine, other))
    (mail,) = smtp.messages
    # To the address as the newest complaint gave it.
    assert mail["to"] == ["siti.aminah@example.id"]
    for c in mine:
        assert c.tracking_code in mail["body"] and c.title in mail["body"]
        assert f"/pengaduan/lacak/{c.tracking_code}/" in mail["body"]
    assert other.tracking_code not in mail["body"]
    # Newest first.
    assert mail["body"].index(mine[1].tracking_code) < mail["body"].index(mine[0].tracking_code)
    entry = AuditEntry.objects.filter(action="complaints.codes_resent").get()
    assert "siti" not in str(entry.details).lower()


def test_an_unknown_contact_gets_the_same_answer_and_nothing_is_sent(
    smtp, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(email="siti@example.id")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask("siti@example.id").content.decode()
        unknown = _ask("bukan.siapa.siapa@example.id").content.decode()
    assert SAME_ANSWER in known and SAME_ANSWER in unknown
    assert [m["to"] for m in smtp.messages] == [["siti@example.id"]]


def test_anonim_complaints_collect_nothing_to_match(
    smtp, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(identity_mode="anonim", name="", email="anon@example.id", phone="081234567890")
    assert (c.email_key, c.phone_key) == ("", "")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_codes("anon@example.id")
    assert services.send_codes_now("email", "anon@example.id") == 0
    assert smtp.messages == []


def test_by_sms_the_number_matches_however_it_is_written(
    gateway, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(phone="0812-3456-7890", email="")
    gateway.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = _ask("+62 812 3456 7890")
    assert SAME_ANSWER in r.content.decode()
    (sent,) = gateway.requests
    assert sent["body"]["to"] == "+6281234567890"
    assert c.tracking_code in sent["body"]["text"] and sent["body"]["text"].endswith(
        "/pengaduan/lacak/"
    )


def test_by_phone_without_a_gateway_the_page_asks_for_the_email(settings, submit):
    settings.SMS_URL = ""
    submit(phone="081234567890")
    r = Client().post("/pengaduan/lacak/lupa/", {"contact": "081234567890"})
    assert r.status_code == 400 and "SMS belum tersedia" in r.content.decode()
    page = Client().get("/pengaduan/lacak/lupa/").content.decode()
    assert "nomor HP" not in page.split("<form")[0]  # only e-mail is offered


def test_nonsense_is_refused_with_a_specific_error_and_kept(submit):
    r = Client().post("/pengaduan/lacak/lupa/", {"contact": "siti"})
    html = r.content.decode()
    assert r.status_code == 400 and "Tulis alamat email yang Anda isi" in html
    assert 'value="siti"' in html
    # Half an address is no address either.
    for half in ("siti@", "@example.id", "siti@@example.id"):
        r = Client().post("/pengaduan/lacak/lupa/", {"contact": half})
        assert r.status_code == 400 and "Tulis alamat email yang Anda isi" in r.content.decode()


def test_a_contact_gets_a_few_reminders_a_day(
    settings, smtp, submit, django_capture_on_commit_callbacks
):
    settings.COMPLAINT_RESEND_RATE = (2, 86400)
    with django_capture_on_commit_callbacks(execute=True):
        submit(email="siti@example.id")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_ask("siti@example.id", Client(REMOTE_ADDR=f"10.0.0.{i}")) for i in range(4)]
    assert all(SAME_ANSWER in a.content.decode() for a in answers)  # the same answer every time
    assert len(smtp.messages) == 2


def test_the_page_is_rate_limited_per_client(settings, submit):
    settings.PUBLIC_FORM_RATE = (2, 600)
    client = Client()
    codes = [client.post("/pengaduan/lacak/lupa/", {"contact": "x@example.id"}).status_code]
    codes += [client.post("/pengaduan/lacak/lupa/", {"contact": "x@example.id"}).status_code]
    codes += [client.post("/pengaduan/lacak/lupa/", {"contact": "x@example.id"}).status_code]
    assert codes == [302, 302, 429]


def test_api_answers_202_the_same_for_known_and_unknown_contacts(
    api, smtp, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(email="siti@example.id")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = api.post("/api/v1/complaints/codes", {"contact": "siti@example.id"})
        unknown = api.post("/api/v1/complaints/codes", {"contact": "lain@example.id"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert c.tracking_code not in known.content.decode()
    assert len(smtp.messages) == 1
    bad = api.post("/api/v1/complaints/codes", {"contact": "siti"})
    assert bad.status_code == 422 and bad.json()["fields"] == {
        "contact": "Tulis alamat email yang Anda isi saat mengadu."  # no SMS gateway here
    }
    huge = api.post("/api/v1/complaints/codes", {"contact": "a" * 300 + "@example.id"})
    assert huge.status_code == 422 and "contact" in huge.json()["fields"]


def test_a_transferred_case_is_found_too(
    smtp, submit, users, org, django_capture_on_commit_callbacks
):
    c = submit(email="siti@example.id")
    services.transfer(users[("pengelola", "a")], c, agency=org["b"]["agency"])
    new = Complaint.objects.get(transferred_from=c)
    smtp.messages.clear()
    assert (new.email_key, new.phone_key) == (c.email_key, c.phone_key)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_codes_now("email", "siti@example.id") == 2
    assert new.tracking_code in smtp.messages[0]["body"]


def test_existing_complaints_get_their_keys_from_the_backfill(submit):
    c = submit(email="Siti@Example.id", phone="0812 3456 7890")
    keys = (c.email_key, c.phone_key)
    assert all(keys)
    Complaint.objects.filter(pk=c.pk).update(email_key="", phone_key="")
    assert services.backfill_contact_keys(Complaint) == 1
    c.refresh_from_db()
    assert (c.email_key, c.phone_key) == keys
    # A keyed hash: not the plain SHA-256 of the address a stolen database could be tested against.
    import hashlib

    assert hashlib.sha256(b"siti@example.id").hexdigest()[:32] != c.email_key


def test_the_receipt_and_tracking_form_say_whether_a_code_can_be_sent_again(submit):
    import re

    from tests.surveys.pdftext import pdf_text

    def receipt_text(c):
        pdf = Client().get(f"/pengaduan/lacak/{c.tracking_code}/tanda-terima.pdf").content
        return re.sub(r"\s+", "", pdf_text(pdf))

    named = submit(email="siti@example.id")
    anonymous = submit(identity_mode="anonim", name="")
    assert "mintadikirimulang" in receipt_text(named)
    assert "Kodetidakdapatdipulihkanjikahilang" in receipt_text(anonymous)
    form = Client().get("/pengaduan/lacak/").content.decode()
    assert 'href="/pengaduan/lacak/lupa/"' in form


@pytest.mark.django_db(transaction=True)
def test_known_and_unknown_contacts_cost_the_request_the_same_work(settings, submit):
    """The look-up, the mail and the audit entry happen in the worker: the request for a contact that filed
    complaints writes exactly what the request for an unknown one writes — one sealed task row — so its
    timing cannot tell them apart."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    submit(email="siti@example.id")
    DBTaskResult.objects.all().delete()
    audit_before = AuditEntry.objects.count()
    for contact in ("siti@example.id", "tidak.ada@example.id"):
        r = Client().post("/pengaduan/lacak/lupa/", {"contact": contact})
        assert r.status_code == 302
    rows = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.task_path for r in rows] == ["amanah.complaints.tasks.send_lost_codes"] * 2
    assert AuditEntry.objects.count() == audit_before
    raw = str([r.args_kwargs for r in rows])
    # Sealed: neither address is in the row. Whole addresses are looked for, since a short piece such as "siti"
    # turns up by chance in base64 ciphertext (one CI run in several); "@" and "." never do.
    assert "siti@example.id" not in raw and "tidak.ada@example.id" not in raw
    # The worker then sends one mail (to the known contact) and records one audit entry.
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    paths = [r.task_path for r in DBTaskResult.objects.order_by("enqueued_at")]
    assert paths.count("amanah.core.tasks.send_sealed_email") == 1
    assert AuditEntry.objects.filter(action="complaints.codes_resent").count() == 1


def test_a_look_alike_address_is_refused_at_intake_and_never_matches(org, submit, smtp):
    from amanah.complaints.forms import IntakeForm
    from tests.complaints.conftest import BASE

    form = IntakeForm(
        dict(BASE, service="kab-a-ktp", email="\u212aevin@example.id"), agency_choices=None
    )
    assert not form.is_valid() and "email" in form.errors
    # An older row with such an address (filed before the check), whose key folds into kevin@…'s, is
    # not listed in kevin's reminder, and the reminder goes to the address typed.
    submit(email="kevin@example.id")
    odd = submit(title="Lain", email="kevin@example.id")
    Complaint.objects.filter(pk=odd.pk).update(email="\u212aevin@example.id")  # encrypted on save
    odd.refresh_from_db()
    assert odd.email == "\u212aevin@example.id"
    assert services.send_codes_now("email", "kevin@example.id") == 1


def test_plus_addresses_share_the_mailboxs_daily_limit(
    settings, smtp, submit, django_capture_on_commit_callbacks
):
    settings.COMPLAINT_RESEND_RATE = (2, 86400)
    for i in range(4):
        submit(title=f"Kasus {i}", email=f"korban+{i}@example.id")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(4):
            services.resend_codes(f"korban+{i}@example.id")
    assert len(smtp.messages) == 2


def test_after_the_hash_key_changes_the_command_finds_old_complaints_again(
    settings, smtp, submit, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    c = submit(email="siti@example.id")
    settings.HASH_KEY = "kunci-hash-yang-baru-" + "x" * 20
    assert services.send_codes_now("email", "siti@example.id") == 0
    call_command("complaints_contact_keys", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_codes_now("email", "siti@example.id") == 1
    assert c.tracking_code in smtp.messages[-1]["body"]


def test_without_a_gateway_the_page_speaks_of_e_mail_only(settings):
    settings.SMS_URL = ""
    r = Client().post("/pengaduan/lacak/lupa/", {"contact": "siti"})
    html = r.content.decode()
    assert "Tulis alamat email yang Anda isi" in html and "nomor HP (08" not in html
    done = Client().post("/pengaduan/lacak/lupa/", {"contact": "s@example.id"}, follow=True)
    assert "SMS" not in done.content.decode().split("<main")[1]


def test_the_openapi_schema_describes_the_answer(api):
    op = api.get("/api/v1/openapi.json").json()["paths"]["/api/v1/complaints/codes"]["post"]
    ref = op["responses"]["202"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ResendOut")


def test_api_answer_is_in_the_readers_language(org):
    from tests.i18n import client_in

    path = "/api/v1/complaints/codes"
    body = {"contact": "someone@example.id"}
    english = client_in("en").post(path, body, content_type="application/json")
    indonesian = client_in("id").post(path, body, content_type="application/json")
    assert english.status_code == indonesian.status_code == 202
    assert english.json()["message"].startswith("If any complaint was filed"), english.json()
    assert indonesian.json()["message"].startswith("Jika ada pengaduan"), indonesian.json()
