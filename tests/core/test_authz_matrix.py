"""Walks every staff endpoint with every role, from its own agency and from another one."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.db import transaction

import tests
from tests.authz import ALL_ROLES, Case


def _modules():
    root = Path(tests.__file__).parent
    for info in pkgutil.iter_modules([str(root)]):
        if (root / info.name / "authz_cases.py").exists():
            yield importlib.import_module(f"tests.{info.name}.authz_cases")


def _cases() -> list[Case]:
    return [c for m in _modules() for c in m.CASES]


def _other_auth() -> set[tuple[str, str]]:
    return {(m.upper(), p) for mod in _modules() for m, p in getattr(mod, "OTHER_AUTH", [])}


def _staff_operations() -> set[tuple[str, str]]:
    from amanah.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    ops = set()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            if op.get("security"):
                ops.add((method.upper(), path))
    return ops


def test_every_staff_endpoint_has_a_matrix_case():
    covered = {c.key for c in _cases()} | _other_auth()
    missing = _staff_operations() - covered
    assert not missing, f"staff endpoints without an authorisation case: {sorted(missing)}"
    stale = {c.key for c in _cases()} - _staff_operations()
    assert not stale, f"cases for endpoints that no longer exist or need no token: {sorted(stale)}"


class _Rollback(Exception):
    pass


def _call(client, case: Case, org):
    spec = case.setup(org) if case.setup else {}
    path = case.path.format(**spec.get("params", {}))
    query = spec.get("query")
    if query:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode(query)}"
    method = case.method.lower()
    if method == "get":
        return client.get(path)
    if method == "delete":
        return client.delete(path)
    if spec.get("multipart"):
        return client.post(path, spec.get("body"), multipart=True)
    return getattr(client, method)(path, spec.get("body"))


def _declared(case: Case) -> set[int]:
    """The statuses the OpenAPI document declares for the case's operation."""
    from amanah.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return {int(s) for s in schema["paths"][case.path][case.method.lower()]["responses"]}


@pytest.mark.parametrize("case", _cases(), ids=str)
def test_authorisation_matrix(case: Case, org, users, api_as, api):
    declared = _declared(case)
    clients = {key: api_as(user) for key, user in users.items()}
    failures = []
    combos = [(role, side) for role in ALL_ROLES for side in ("a", "b")] + [
        ("admin", None),
        (None, None),
    ]
    for role, side in combos:
        if role is None:
            client, expected = api, False  # no token at all
        else:
            client = clients[(role, side)]
            expected = (
                role == "admin"
                or (role in case.allowed and side == "a")
                or (role in case.cross_agency)
            )
        try:
            with transaction.atomic():
                response = _call(client, case, org)
                raise _Rollback
        except _Rollback:
            pass
        good = case.ok if expected else case.refused
        if response.status_code not in declared:  # each answer, refusals too, is in the document
            failures.append(
                f"{role}@{side}: {response.status_code} not declared ({sorted(declared)})"
            )
        if response.status_code not in good:
            failures.append(
                f"{role}@{side}: {response.status_code} (expected {'ok' if expected else 'refused'}) "
                f"{response.content[:200]!r}"
            )
    assert not failures, f"{case}:\n" + "\n".join(failures)
