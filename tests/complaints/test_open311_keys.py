"""Open311 api_key values are their own credential: issued per integration by a platform admin, stored
hashed, optionally limited to one agency, revocable, good for POST /open311/v2/requests only. A staff API
token is no api_key."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from amanah.complaints import open311_keys, services
from amanah.complaints.models import Complaint, Open311Key
from amanah.core import tokens
from amanah.core.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


def _post(key, code="kab-a-ktp", fmt="json"):
    return Client().post(
        f"/open311/v2/requests.{fmt}",
        {"api_key": key, "service_code": code, "address_string": "Jl. Magelang 5"},
    )


def test_an_agency_key_files_a_request_and_only_a_hash_is_kept(org):
    key, raw = open311_keys.issue("cli", "Aplikasi Lapor Warga", agency=org["a"]["agency"])
    r = _post(raw)
    assert r.status_code == 201, r.content
    c = Complaint.objects.get(tracking_code=r.json()[0]["service_request_id"])
    assert c.channel == "api" and c.agency == org["a"]["agency"]
    key.refresh_from_db()
    assert key.last_used_at is not None and raw not in key.key_hash and key.prefix == raw[:12]
    assert AuditEntry.objects.filter(action="complaints.open311_key_issued").count() == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_staff_api_token_is_refused_as_api_key(org, users, fmt):
    staff_token = tokens.issue(users[("operator", "a")])
    r = _post(staff_token, fmt=fmt)
    assert r.status_code == 403
    body = r.content.decode()
    assert "staff API token is not an Open311 api_key" in body
    if fmt == "json":
        assert r.json()[0]["code"] == 403
    else:
        assert "<errors><error><code>403</code>" in body
    assert not Complaint.objects.exists()


def test_a_revoked_key_is_refused(org):
    key, raw = open311_keys.issue("cli", "Aplikasi lama")
    assert _post(raw).status_code == 201
    assert open311_keys.revoke("cli", key) is True
    assert open311_keys.revoke("cli", key) is False  # once is enough
    r = _post(raw)
    assert r.status_code == 403 and r.json() == [
        {"code": 403, "description": "A valid api_key is required."}
    ]
    assert Complaint.objects.count() == 1
    assert AuditEntry.objects.filter(action="complaints.open311_key_revoked").count() == 1


def test_a_key_of_agency_a_cannot_file_for_agency_b(org):
    _key, raw = open311_keys.issue("cli", "Aplikasi A", agency=org["a"]["agency"])
    r = _post(raw, code="kab-b-ktp")
    assert r.status_code == 403
    assert r.json()[0]["description"] == "This api_key may not file requests for this service_code."
    # ... also when the app names agency B as the jurisdiction.
    r = Client().post(
        URL,
        {
            "api_key": raw,
            "service_code": "kab-b-ktp",
            "jurisdiction_id": "kab-b",
            "address_string": "Jl. Magelang 5",
        },
    )
    assert r.status_code == 403 and not Complaint.objects.exists()
    # A key of no agency files for any.
    _key, everywhere = open311_keys.issue("cli", "Aplikasi nasional")
    assert _post(everywhere, code="kab-b-ktp").status_code == 201


def test_a_key_opens_no_staff_endpoint(org):
    _key, raw = open311_keys.issue("cli", "Aplikasi A")
    r = Client().get("/api/v1/staff/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 401


def test_only_a_platform_admin_issues_or_revokes(org, users):
    with pytest.raises(PermissionDenied):
        open311_keys.issue(users[("operator", "a")], "Aplikasi")
    key, _raw = open311_keys.issue(users[("admin", None)], "Aplikasi")
    with pytest.raises(PermissionDenied):
        open311_keys.revoke(users[("operator", "a")], key)


def test_the_command_creates_lists_and_revokes(org):
    out = StringIO()
    call_command("open311_key", "create", "Aplikasi Lapor", "--agency", "kab-a", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("o311_") and _post(raw).status_code == 201
    key = Open311Key.objects.get()
    assert key.agency == org["a"]["agency"] and key.name == "Aplikasi Lapor"
    out = StringIO()
    call_command("open311_key", "list", stdout=out)
    assert f"{key.prefix}\tAplikasi Lapor\tkab-a\tactive" in out.getvalue()
    call_command("open311_key", "revoke", key.prefix, stdout=StringIO())
    assert _post(raw).status_code == 403
    with pytest.raises(CommandError):
        call_command("open311_key", "create", "X", "--agency", "tidak-ada", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("open311_key", "revoke", key.prefix, stdout=StringIO())


def test_the_admin_action_revokes_with_an_audit_entry(org, users, rf):
    from django.contrib import admin

    from amanah.complaints.admin import Open311KeyAdmin

    key, raw = open311_keys.issue("cli", "Aplikasi A")
    model_admin = Open311KeyAdmin(Open311Key, admin.site)
    model_admin.message_user = lambda request, message: None
    request = rf.post("/admin/")
    request.user = users[("admin", None)]
    model_admin.revoke(request, Open311Key.objects.all())
    assert _post(raw).status_code == 403
    entry = AuditEntry.objects.get(action="complaints.open311_key_revoked")
    assert entry.object_id == str(key.pk)
    assert not model_admin.has_add_permission(request)


INTEGRATION = "Aplikasi Warga Sleman Pintar"


def test_the_case_names_the_integration_that_filed_it_to_staff_only(org, users, api_as):
    """Staff see which integration filed a case (page, API, audit entry), also after its key is revoked;
    the complainant's and the public answers never name it."""
    from django.db.models import ProtectedError

    key, raw = open311_keys.issue("cli", INTEGRATION, agency=org["a"]["agency"])
    r = Client().post(
        URL,
        {
            "api_key": raw,
            "service_code": "kab-a-ktp",
            "address_string": "Jl. Magelang 5",
            "email": "warga@example.id",  # a contact without a name: a rahasia case
        },
    )
    assert r.status_code == 201, r.content
    code = r.json()[0]["service_request_id"]
    c = Complaint.objects.get(tracking_code=code)
    assert c.open311_key == key and c.identity_mode == "rahasia"
    entry = AuditEntry.objects.get(action="complaints.submit", object_id=str(c.pk))
    assert entry.details["open311_key"] == key.pk
    assert entry.details["open311_integration"] == INTEGRATION
    # A case filed another way names none.
    web = Client().post(URL, {"api_key": raw, "service_code": "kab-a-ktp", "lat": "1", "long": "1"})
    assert web.status_code == 201
    operator = users[("operator", "a")]
    detail = api_as(operator).get(f"/api/v1/staff/complaints/{code}").json()
    assert detail["open311_integration"] == {
        "name": INTEGRATION,
        "key_prefix": key.prefix,
        "revoked": False,
    }
    staff = Client()
    staff.force_login(operator)
    assert INTEGRATION in staff.get(f"/pengaduan/staf/{code}/", follow=True).content.decode()
    # Revoked, the key still names the cases it filed, and its row cannot be deleted under them.
    open311_keys.revoke("cli", key)
    detail = api_as(operator).get(f"/api/v1/staff/complaints/{code}").json()
    assert detail["open311_integration"]["revoked"] is True
    page = staff.get(f"/pengaduan/staf/{code}/", follow=True).content.decode()
    assert INTEGRATION in page and "sudah dicabut" in page
    with pytest.raises(ProtectedError):
        key.delete()
    # The complainant's and the public answers do not name it.
    public = Client()
    for answer in (
        public.get(f"/api/v1/complaints/{code}"),
        public.get(f"/pengaduan/lacak/{code}/"),
        public.get(f"/open311/v2/requests/{code}.json"),
        public.get(f"/open311/v2/requests/{code}.xml"),
        public.get("/open311/v2/requests.json", {"service_request_id": code}),
    ):
        assert answer.status_code == 200
        body = answer.content.decode()
        assert (
            INTEGRATION not in body and key.prefix not in body and "open311_integration" not in body
        )


def test_posts_are_limited_per_key_not_per_address(org, settings):
    """An integration relays many people from one address: its posts count against its key's rate
    (OPEN311_KEY_RATE), not the public form's per-address rate; beyond it a 429 in the spec's format."""
    settings.PUBLIC_FORM_RATE = (1, 600)
    settings.OPEN311_KEY_RATE = (2, 600)
    _key, raw = open311_keys.issue("cli", "Aplikasi A")
    _other, other = open311_keys.issue("cli", "Aplikasi B")
    assert _post(raw).status_code == 201
    assert _post(raw).status_code == 201  # the same address again: the key still has room
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    r = elsewhere.post(
        URL, {"api_key": raw, "service_code": "kab-a-ktp", "address_string": "Jl. Magelang 5"}
    )
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert r.json() == [
        {"code": 429, "description": "Too many requests with this api_key; try again later."}
    ]
    r = _post(raw, fmt="xml")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "<errors><error><code>429</code>" in r.content.decode()
    # Another integration, from the same address, has its own count; reads are not counted.
    assert _post(other).status_code == 201
    assert Client().get("/open311/v2/services.json").status_code == 200
    assert Complaint.objects.count() == 3


def test_a_transferred_case_keeps_the_integration_that_filed_it(org, users, api_as):
    key, raw = open311_keys.issue("cli", INTEGRATION, agency=org["a"]["agency"])
    r = _post(raw)
    assert r.status_code == 201
    c = Complaint.objects.get(tracking_code=r.json()[0]["service_request_id"])
    new = services.transfer(users[("operator", "a")], c, agency=org["b"]["agency"]).transferred_to
    assert new.channel == "api" and new.open311_key == key
    detail = api_as(users[("pengelola", "b")]).get(f"/api/v1/staff/complaints/{new.tracking_code}")
    assert detail.status_code == 200, detail.content
    assert detail.json()["open311_integration"]["name"] == INTEGRATION
