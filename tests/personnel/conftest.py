"""Fixtures for personnel tests: people with accounts (the SMTP server is in tests/conftest.py)."""

import pytest


@pytest.fixture
def people(org, make_user):
    """Accounts in agency A: HR, the ASN (staff), a colleague in the same unit, and their superiors."""
    from amanah.core.models import Employee

    a = org["a"]
    colleague = Employee.objects.create(
        nip="199203032016022001", name="Rekan a", unit=a["bidang"], position="Pengadministrasi"
    )
    for key, email in (
        ("staff", "staf@a.test"),
        ("kabid", "kabid@a.test"),
        ("kadis", "kadis@a.test"),
        ("sekda", "sekda@a.test"),
    ):
        a[key].email = email
        a[key].save()
    return {
        "hr": make_user("kepegawaian", a["agency"]),
        "asn": make_user(employee=a["staff"]),
        "colleague": make_user(employee=colleague),
        "kabid": make_user(employee=a["kabid"]),
        "kadis": make_user(employee=a["kadis"]),
        "sekda": make_user(employee=a["sekda"]),
        "inspektorat": make_user("inspektorat", a["agency"]),
        "pimpinan": make_user("pimpinan", a["agency"]),
        "hr_b": make_user("kepegawaian", org["b"]["agency"]),
        "colleague_emp": colleague,
    }


@pytest.fixture
def clock(monkeypatch):
    """The day the application takes for today, set with ``clock.set(date)``."""
    from tests.complaints.conftest import Clock

    return Clock(monkeypatch)
