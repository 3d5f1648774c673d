"""Core staff endpoints in the authorisation matrix."""

from tests.authz import ALL_ROLES, Case

CSV = b"nip,nama,unit,jabatan\n198805142010011003,Rina Lestari,kab-a-dafduk,Analis Kependudukan\n"


def _import(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "query": {"agency": "kab-a"},
        "multipart": True,
        "body": {"file": SimpleUploadedFile("pegawai.csv", CSV, content_type="text/csv")},
    }


CASES = [
    # every staff account may read itself, whatever its agency
    Case("GET", "/api/v1/staff/me", allowed=set(ALL_ROLES), cross_agency=set(ALL_ROLES)),
    Case(
        "GET",
        "/api/v1/staff/employees",
        allowed={"kepegawaian", "pimpinan", "inspektorat", "auditor"},
        setup=lambda org: {"query": {"agency": "kab-a"}},
    ),
    Case("POST", "/api/v1/staff/employees/import", allowed={"kepegawaian"}, setup=_import),
    Case(
        "POST",
        "/api/v1/staff/closures",
        allowed={"pengelola", "pimpinan"},
        setup=lambda org: {
            "body": {"agency": "kab-a", "date": "2026-12-24", "name": "Rapat kerja"}
        },
    ),
]
