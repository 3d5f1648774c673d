"""Staff endpoints of the SKM API for the authorisation matrix (tests/core/test_authz_matrix.py)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.authz import Case

READ = {"unit", "pengelola", "operator", "pimpinan", "auditor", "inspektorat"}
MANAGE = {"unit", "pengelola"}
ENTRY = {"unit", "pengelola", "operator"}


def _period(org, status="open", answers=3):
    from amanah.surveys import services
    from amanah.surveys.models import Response

    today = timezone.localdate()
    unit = org["a"]["bidang"]
    admin = _admin()
    p = services.create_period(
        admin,
        unit=unit,
        start=today - dt.timedelta(days=3),
        end=today + dt.timedelta(days=10),
        population=50,
    )
    Response.objects.bulk_create(
        [Response(period=p, **{f"u{i}": 3 for i in range(1, 10)}) for _ in range(answers)]
    )
    if status in ("closed", "published"):
        services.close_period(admin, p)
    if status == "published":
        services.publish_period(admin, p)
    return p


def _admin():
    from amanah.core.models import User

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "authz-admin@test.id", "sandi-rahasia-123"
    )


def create_setup(org):
    today = timezone.localdate()
    return {
        "body": {
            "unit": org["a"]["bidang"].code,
            "start": today.isoformat(),
            "end": (today + dt.timedelta(days=30)).isoformat(),
            "population": 120,
        }
    }


def paper_setup(org):
    p = _period(org)
    csv = b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n3,3,3,3,3,3,3,3,3\n"
    return {
        "params": {"id": p.pk},
        "multipart": True,
        "body": {"file": SimpleUploadedFile("kertas.csv", csv, content_type="text/csv")},
    }


def plan_setup(org):
    p = _period(org, "closed")
    return {
        "params": {"id": p.pk},
        "body": {
            "element": "U3",
            "action": "Tambah loket",
            "owner": "Kabid",
            "due": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        },
    }


def progress_setup(org):
    from amanah.surveys import services

    p = _period(org, "closed")
    plan = services.add_plan(
        _admin(),
        p,
        element="U3",
        action="Tambah loket",
        owner="Kabid",
        due=timezone.localdate() + dt.timedelta(days=60),
    )
    return {"params": {"id": plan.pk}, "body": {"progress": 50, "note": "Separuh"}}


CASES = [
    Case("POST", "/api/v1/surveys/periods", MANAGE, create_setup),
    Case(
        "GET",
        "/api/v1/surveys/periods",
        READ,
        lambda org: {"query": {"unit": org["a"]["bidang"].code}},
    ),
    Case(
        "GET",
        "/api/v1/surveys/periods/{id}/results",
        READ,
        lambda org: {"params": {"id": _period(org).pk}},
    ),
    Case(
        "GET",
        "/api/v1/surveys/periods/{id}/breakdowns",
        READ,
        lambda org: {"params": {"id": _period(org).pk}},
    ),
    Case(
        "GET",
        "/api/v1/surveys/periods/{id}/plans",
        READ,
        lambda org: {"params": {"id": _period(org).pk}},
    ),
    Case(
        "POST",
        "/api/v1/surveys/periods/{id}/close",
        MANAGE,
        lambda org: {"params": {"id": _period(org).pk}},
    ),
    Case(
        "POST",
        "/api/v1/surveys/periods/{id}/reopen",
        MANAGE,
        lambda org: {"params": {"id": _period(org, "closed").pk}},
    ),
    Case(
        "POST",
        "/api/v1/surveys/periods/{id}/publish",
        MANAGE,
        lambda org: {"params": {"id": _period(org, "closed").pk}},
    ),
    Case("POST", "/api/v1/surveys/periods/{id}/paper", ENTRY, paper_setup),
    Case(
        "GET",
        "/api/v1/surveys/periods/{id}/suggestions",
        ENTRY,
        lambda org: {"params": {"id": _period(org).pk}},
    ),
    Case("POST", "/api/v1/surveys/periods/{id}/plans", MANAGE, plan_setup),
    Case("POST", "/api/v1/surveys/plans/{id}/progress", MANAGE, progress_setup),
]
