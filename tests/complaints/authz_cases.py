"""Complaint staff endpoints in the authorisation matrix. Each setup files a complaint about agency
A's KTP-el service (unit ``bidang``) and walks it to the state the endpoint needs."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz import Case

VIEW = {"operator", "unit", "pengelola", "inspektorat", "pimpinan", "auditor"}
INTAKE = {"operator", "pengelola"}
HANDLERS = {"operator", "unit", "pengelola"}

P = "/api/v1/staff/complaints"


def _admin():
    from amanah.core.models import User

    return User.objects.create_superuser(f"matrix-admin-{User.objects.count()}@test.id", "x")


def _case(org, state="diterima", **over):
    from amanah.complaints import services
    from amanah.core.files import CleanFile

    data = {
        "service": org["a"]["service"],
        "kind": "pengaduan",
        "title": "Pungutan liar di loket",
        "description": "Petugas meminta uang Rp50.000 untuk mempercepat KTP-el.",
        "identity_mode": "biasa",
        "name": "Warga",
        "publish": True,
    }
    data.update(over)
    c = services.submit(None, data, [CleanFile("catatan.txt", "text/plain", b"bukti")])
    admin = _admin()
    if state == "menunggu_kelengkapan":
        return services.request_completion(admin, c, message="Lengkapi tanggal kejadian.")
    if state in ("diteruskan", "diproses"):
        c = services.verify(admin, c, unit=org["a"]["bidang"])
    if state == "diproses":
        c = services.start(admin, c)
    return c


def _code(state="diterima", body=None):
    def setup(org):
        c = _case(org, state)
        return {
            "params": {"tracking_code": c.tracking_code},
            "body": body(org) if callable(body) else (body or {}),
        }

    return setup


def _template(org, body=None):
    from amanah.complaints.models import AnswerTemplate

    t = AnswerTemplate.objects.create(
        agency=org["a"]["agency"], title="KTP siap", body="KTP-el Anda siap diambil."
    )
    return {"params": {"template_id": t.pk}, "body": body or {}}


def _evidence(org):
    c = _case(org)
    return {"params": {"tracking_code": c.tracking_code, "evidence_id": c.evidence.get().pk}}


def _assignee(org):
    from amanah.core.models import RoleAssignment, User

    u = User.objects.create_user(f"petugas-{User.objects.count()}@test.id", "x")
    RoleAssignment.objects.create(
        user=u, role="unit", agency=org["a"]["agency"], unit=org["a"]["bidang"]
    )
    return {"user": u.pk}


def _front_office(org):
    from amanah.core.models import RoleAssignment, User

    u = User.objects.create_user(f"loket-{User.objects.count()}@test.id", "x")
    RoleAssignment.objects.create(
        user=u, role="operator", agency=org["a"]["agency"], unit=org["a"]["dinas"]
    )
    return {"user": u.pk}


def _intake(org):
    return {
        "multipart": True,
        "body": {
            "channel": "datang_langsung",
            "service": "kab-a-ktp",
            "kind": "pengaduan",
            "title": "Antrean tidak jelas",
            "description": "Nomor antrean dilewati berkali-kali.",
            "identity_mode": "rahasia",
            "name": "Ibu Sri",
            "received_at": "2026-03-02T09:30:00+07:00",
            "evidence": [
                SimpleUploadedFile("catatan.txt", b"nomor antrean 12", content_type="text/plain")
            ],
        },
    }


CASES = [
    Case("POST", P, allowed=INTAKE, setup=_intake),
    Case("GET", P, allowed=VIEW, cross_agency=VIEW),
    Case("GET", P + "/{tracking_code}", allowed=VIEW, setup=_code()),
    Case("GET", P + "/{tracking_code}/evidence/{evidence_id}", allowed=VIEW, setup=_evidence),
    Case(
        "POST",
        P + "/{tracking_code}/verify",
        allowed={"operator", "pengelola"},
        setup=_code(body={"unit": "kab-a-dafduk", "tier": "normatif"}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/request-completion",
        allowed={"operator", "pengelola"},
        setup=_code(body={"message": "Mohon lampirkan tanda terima."}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/complete",
        allowed={"operator", "pengelola"},
        setup=_code("menunggu_kelengkapan", {"note": "Pengadu melengkapi lewat telepon."}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/transfer",
        allowed={"operator", "pengelola"},
        setup=_code(body={"agency": "kab-b"}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/reject",
        allowed={"operator", "pengelola"},
        setup=_code(body={"reason": "spam"}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/start",
        allowed={"unit", "pengelola"},
        setup=_code("diteruskan"),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/reassign",
        allowed={"pengelola"},
        setup=_code("diteruskan", {"unit": "kab-a-dukcapil"}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/answer",
        allowed={"unit", "pengelola"},
        setup=_code("diproses", {"text": "Sudah kami tindak lanjuti."}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/escalate",
        allowed={"pengelola"},
        setup=_code(body={"reason": "Lambat"}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/refer",
        allowed={"pengelola", "inspektorat"},
        setup=_code("diproses"),
    ),
    # Forwarded: a unit officer takes assignments once the case is at their unit.
    Case(
        "POST",
        P + "/{tracking_code}/assign",
        allowed=HANDLERS,
        setup=_code("diteruskan", body=_assignee),
    ),
    # Not yet forwarded: the front office's alone (rules.identity_roles), to one of its own.
    Case(
        "POST",
        P + "/{tracking_code}/assign",
        allowed={"operator", "pengelola"},
        setup=_code(body=_front_office),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/notes",
        allowed=HANDLERS | {"inspektorat"},
        setup=_code(body={"text": "Sudah dicek ke loket."}),
    ),
    Case(
        "POST",
        P + "/{tracking_code}/publish",
        allowed={"pengelola"},
        setup=_code(body={"approve": True}),
    ),
    Case(
        "GET",
        "/api/v1/staff/answer-templates",
        allowed=HANDLERS,
        setup=lambda org: {"query": {"agency": "kab-a"}},
    ),
    Case(
        "POST",
        "/api/v1/staff/answer-templates",
        allowed={"pengelola"},
        setup=lambda org: {
            "body": {"agency": "kab-a", "title": "KTP siap", "body": "KTP-el Anda siap diambil."}
        },
    ),
    Case(
        "PUT",
        "/api/v1/staff/answer-templates/{template_id}",
        allowed={"pengelola"},
        setup=lambda org: _template(org, {"title": "KTP jadi", "body": "Silakan ambil."}),
    ),
    Case(
        "PATCH",
        "/api/v1/staff/answer-templates/{template_id}",
        allowed={"pengelola"},
        setup=lambda org: _template(org, {"body": "Silakan ambil di loket 3."}),
    ),
    Case(
        "DELETE",
        "/api/v1/staff/answer-templates/{template_id}",
        allowed={"pengelola"},
        setup=lambda org: _template(org),
    ),
]
