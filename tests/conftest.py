"""Shared fixtures: the demo-like organisation, one user per role in two agencies, API clients."""

import email
import email.policy
import os
import socket
import time

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    from amanah.core import memo

    cache.clear()
    memo.clear_all()  # a rolled-back test leaves no reference data behind in process memory
    from django.utils import translation

    # A request in English leaves English active in the thread: each test starts in the site language.
    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def org(db):
    """Two agencies (A = Kabupaten Sleman-like, B = another regency), each with a unit tree,
    services and employees with heads, so chains of superiors exist."""
    from amanah.core.models import Agency, Employee, Service, Unit

    out = {}
    for key, code in (("a", "kab-a"), ("b", "kab-b")):
        agency = Agency.objects.create(
            code=code, name=f"Pemerintah Kabupaten {key.upper()}", kind="kabupaten"
        )
        top = Unit.objects.create(
            agency=agency, code=f"{code}-setda", name="Sekretariat Daerah", kind="pimpinan"
        )
        insp = Unit.objects.create(
            agency=agency, parent=top, code=f"{code}-insp", name="Inspektorat", kind="inspektorat"
        )
        dinas = Unit.objects.create(
            agency=agency,
            parent=top,
            code=f"{code}-dukcapil",
            name="Dinas Kependudukan dan Pencatatan Sipil",
        )
        bidang = Unit.objects.create(
            agency=agency, parent=dinas, code=f"{code}-dafduk", name="Bidang Pendaftaran Penduduk"
        )
        service = Service.objects.create(
            unit=bidang,
            code=f"{code}-ktp",
            name="Penerbitan KTP-el",
            duration="1 hari kerja",
            cost="Gratis",
        )
        seq = 1 if key == "a" else 5
        sekda = Employee.objects.create(
            nip=f"19700512199503100{seq}",
            name=f"Sekda {key}",
            unit=top,
            position="Sekretaris Daerah",
        )
        kadis = Employee.objects.create(
            nip=f"19760915200012200{seq}", name=f"Kadis {key}", unit=dinas, position="Kepala Dinas"
        )
        kabid = Employee.objects.create(
            nip=f"19820310200604100{seq}",
            name=f"Kabid {key}",
            unit=bidang,
            position="Kepala Bidang",
        )
        staff = Employee.objects.create(
            nip=f"19910125201503100{seq}",
            name=f"Staf {key}",
            unit=bidang,
            position="Pengadministrasi",
        )
        inspektur = Employee.objects.create(
            nip=f"19781220200312100{seq}", name=f"Inspektur {key}", unit=insp, position="Inspektur"
        )
        for unit, head in ((top, sekda), (dinas, kadis), (bidang, kabid), (insp, inspektur)):
            unit.head = head
            unit.save()
        out[key] = {
            "agency": agency,
            "top": top,
            "insp": insp,
            "dinas": dinas,
            "bidang": bidang,
            "service": service,
            "sekda": sekda,
            "kadis": kadis,
            "kabid": kabid,
            "staff": staff,
            "inspektur": inspektur,
        }
    return out


ROLE_UNITS = {"operator": "dinas", "unit": "bidang"}


@pytest.fixture
def make_user(db):
    from amanah.core.models import RoleAssignment, User

    counter = {"n": 0}

    def make(role=None, agency=None, unit=None, employee=None, email=None):
        counter["n"] += 1
        user = User.objects.create_user(
            email or f"user{counter['n']}@test.id",
            "sandi-rahasia-123",
            full_name=f"User {counter['n']}",
            employee=employee,
        )
        if role:
            RoleAssignment.objects.create(user=user, role=role, agency=agency, unit=unit)
        return user

    return make


@pytest.fixture
def users(org, make_user):
    """One user per role in agency A (unit roles in A's units) and the same in agency B."""
    from amanah.core.models import Role

    out = {}
    for key in ("a", "b"):
        o = org[key]
        for role in Role:
            if role == Role.ADMIN:
                continue
            unit = o[ROLE_UNITS[role.value]] if role.value in ROLE_UNITS else None
            out[(role.value, key)] = make_user(role.value, o["agency"], unit)
    out[("admin", None)] = make_user("admin")
    return out


class ApiClient:
    """Django test client speaking JSON with an optional bearer token."""

    def __init__(self, token=None):
        from django.test import Client

        self.client = Client()
        self.token = token

    def _headers(self, extra):
        h = dict(extra or {})
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def get(self, path, data=None, headers=None):
        return self.client.get(path, data, headers=self._headers(headers))

    def post(self, path, data=None, headers=None, multipart=False):
        if multipart:
            return self.client.post(path, data or {}, headers=self._headers(headers))
        return self.client.post(
            path, data or {}, content_type="application/json", headers=self._headers(headers)
        )

    def put(self, path, data=None, headers=None):
        return self.client.put(
            path, data or {}, content_type="application/json", headers=self._headers(headers)
        )

    def patch(self, path, data=None, headers=None):
        return self.client.patch(
            path, data or {}, content_type="application/json", headers=self._headers(headers)
        )

    def delete(self, path, headers=None):
        return self.client.delete(path, headers=self._headers(headers))


@pytest.fixture
def api():
    """Anonymous API client."""
    return ApiClient()


@pytest.fixture
def api_as(db):
    """``api_as(user)`` → an API client with a fresh token for that user."""
    from amanah.core import tokens

    def make(user):
        return ApiClient(tokens.issue(user, name="test"))

    return make


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not is_pg:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass)")
            )


class Mailbox:
    """What a real SMTP server received: each message as ``{"to", "subject", "body", "raw", "ehlo"}``
    (``ehlo``: the name the sender greeted the server with)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = msg.get_body(("plain", "html"))
        self.messages.append(
            {
                "to": list(envelope.rcpt_tos),
                "subject": str(msg["Subject"] or ""),
                "body": part.get_content() if part is not None else "",
                "raw": envelope.content.decode("utf-8", "replace"),
                "ehlo": session.host_name,
            }
        )
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["to"]]

    def wait(self, count, timeout=5.0):
        """The messages, once at least ``count`` arrived (or the timeout passed)."""
        end = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < end:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1, with Django sending to it."""
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "amanah.core.mailer.SmtpBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "use_ssl": False},
        }
    }
    yield box
    controller.stop()


@pytest.fixture
def sms_gateway(settings):
    """A real SMS gateway on 127.0.0.1 (``tests/sms_gateway.py``), with Amanah sending to it."""
    from tests.sms_gateway import Gateway

    g = Gateway()
    settings.SMS_URL = g.url
    yield g
    g.close()
