"""Core's API answers are what the OpenAPI document declares for them (each checked against its schema,
``tests/core/openapi_check.py``: no key the schema does not list, dates as dates), and declaring them
changed none: the health check, the working-day calculator, the audit head and the directory import
answer what they answered before."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.core.openapi_check import answer

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/staff/employees/import"
ROWS = (
    "nip,nama,unit,jabatan,email,kepala_unit\n"
    "198805142010011003,Rina Lestari,kab-a-dafduk,Analis Kependudukan,rina@kab-a.go.id,\n"
    "197605152000121009,Budi Santoso,kab-a-insp,Auditor Ahli Madya,,ya\n"
)


def test_health(api):
    body = answer(api.get("/api/v1/health"), "get", "/api/v1/health")
    assert body == {"status": "ok", "database": connection.vendor}


def test_working_days(api, org, users):
    from amanah.core.services import add_closure

    path = "/api/v1/calendar/working-days"
    body = answer(api.get(path, {"start": "2026-11-27", "add": "3"}), "get", path)
    assert body == {"start": "2026-11-27", "add": 3, "date": "2026-12-02"}
    body = answer(api.get(path, {"start": "2026-11-27", "add": "0"}), "get", path)
    assert body == {"start": "2026-11-27", "add": 0, "date": "2026-11-27"}
    add_closure(users[("pengelola", "a")], org["a"]["agency"], dt.date(2026, 12, 1), "Rapat")
    body = answer(
        api.get(path, {"start": "2026-11-27", "add": "3", "agency": "kab-a"}), "get", path
    )
    assert body == {"start": "2026-11-27", "add": 3, "date": "2026-12-03"}


def test_audit_head_and_the_import(api, api_as, users):
    from amanah.core import audit
    from amanah.core.models import AuditEntry, Employee

    before = answer(api.get("/api/v1/audit/head"), "get", "/api/v1/audit/head")
    assert before == audit.head()
    client = api_as(users[("kepegawaian", "a")])

    def upload(text):
        r = client.post(
            f"{IMPORT}?agency=kab-a",
            {"file": SimpleUploadedFile("p.csv", text.encode(), content_type="text/csv")},
            multipart=True,
        )
        return answer(r, "post", IMPORT)

    assert upload(ROWS) == {"created": 2, "updated": 0}
    assert Employee.objects.get(nip="198805142010011003").name == "Rina Lestari"
    assert upload(ROWS.replace("Rina Lestari", '"Rina Lestari, S.Kom."')) == {
        "created": 0,
        "updated": 2,
    }
    assert Employee.objects.get(nip="198805142010011003").name == "Rina Lestari, S.Kom."
    after = answer(api.get("/api/v1/audit/head"), "get", "/api/v1/audit/head")
    last = AuditEntry.objects.filter(chain=audit.MAIN_CHAIN).order_by("-seq").first()
    assert last.action == "core.employees_imported"
    assert after == {"seq": last.seq, "hash": last.hash} and after["seq"] > before["seq"]
