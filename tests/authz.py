"""The authorisation matrix: every staff endpoint × every role × own agency / another agency.

Each app lists its staff endpoints in ``tests/<app>/authz_cases.py`` as ``CASES = [Case(...), ...]``.
``tests/core/test_authz_matrix.py`` checks that every operation of the OpenAPI schema that needs a staff
token has a case, and runs each case once per role and agency: the object is created in agency A by
``setup``; a user holding the role in agency A (or B) calls the endpoint; the answer must be a success
when the role is allowed there and a refusal (401/403/404) otherwise. Each call runs inside a rolled-back
savepoint, so one call's change does not affect the next.

Operations that authenticate by something other than a staff token (the whistleblower's session
token, for example) are listed in ``OTHER_AUTH = [("GET", "/api/v1/integrity/me"), ...]`` in the same
module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ROLES = (
    "operator",
    "unit",
    "pengelola",
    "inspektorat",
    "kustodian",
    "kepegawaian",
    "pimpinan",
    "auditor",
)


@dataclass
class Case:
    method: str
    #: the OpenAPI path template, e.g. ``/api/v1/staff/complaints/{id}``
    path: str
    #: roles that may call it on an object of their own agency (the platform admin always may)
    allowed: set[str]
    #: ``setup(org) -> {"params": {...}, "body": {...}, "query": {...}, "multipart": bool}``; the
    #: object it creates belongs to agency A (``org["a"]``), in the unit ``org["a"]["bidang"]`` when unit-scoped
    setup: Callable[[dict], dict] | None = None
    #: roles that may also call it on another agency's object (rare: e.g. a read of public data)
    cross_agency: set[str] = field(default_factory=set)
    ok: tuple[int, ...] = (200, 201, 202, 204)
    refused: tuple[int, ...] = (401, 403, 404)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method.upper(), self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"
