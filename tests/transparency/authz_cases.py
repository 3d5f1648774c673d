"""Transparency staff endpoints in the authorisation matrix."""

from tests.authz import Case

CASES = [
    Case(
        "GET",
        "/api/v1/transparency/staff/overdue",
        allowed={"pimpinan", "pengelola", "auditor", "inspektorat"},
        setup=lambda org: {"query": {"agency": "kab-a"}},
    ),
    Case(
        "PUT",
        "/api/v1/transparency/staff/targets",
        allowed={"pimpinan"},
        setup=lambda org: {
            "body": {"agency": "kab-a", "code": "ikm", "year": 2026, "target": "85"}
        },
    ),
]
