"""Messages for people from the rules modules, and the core API's refusals, in the reader's language.

The rules modules stay standard library only (docs/architecture.md, "The reader's language"): they mark
their Indonesian messages with their own ``gettext_noop`` (which ``makemessages`` collects) and carry
the values in a ``rules.Text``; the caller says them with ``records.translated``."""

import ast
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy

import amanah
from amanah.core import rules, tabular
from amanah.core.models import validate_nip
from amanah.core.records import translated
from tests.i18n import client_in

PACKAGE = Path(amanah.__file__).resolve().parent


@pytest.mark.parametrize(
    "app", ["core", "complaints", "integrity", "personnel", "surveys", "transparency"]
)
def test_rules_modules_import_the_standard_library_only(app):
    tree = ast.parse((PACKAGE / app / "rules.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module)
    allowed = set(sys.stdlib_module_names) | {"__future__", "amanah.core.rules"}
    assert {m for m in imported if m.split(".")[0] not in allowed and m not in allowed} == set()


def test_a_rules_message_is_said_in_the_active_language():
    text = rules.Text(rules.gettext_noop("add harus antara 0 dan %(max)d hari kerja."), max=30)
    assert text == "add harus antara 0 dan 30 hari kerja." and text.params == {"max": 30}
    with translation.override("en"):
        assert translated(text) == "add must be from 0 to 30 working days."
        assert translated(ValueError(text)) == "add must be from 0 to 30 working days."
        assert translated("NIP harus terdiri dari 18 angka.") == "A NIP has 18 digits."
        assert (
            translated("Kalimat yang tidak dikenal katalog.")
            == "Kalimat yang tidak dikenal katalog."
        )
        assert translated("") == ""
        assert translated(gettext_lazy("Data tidak ditemukan.")) == "Not found."
        counted = ngettext_lazy(
            "Berkas tidak diimpor: %(n)d kesalahan ditemukan.",
            "Berkas tidak diimpor: %(n)d kesalahan ditemukan.",
            "n",
        )
        assert translated(counted, {"n": 1}) == "File not imported: 1 error found."
        assert translated(counted, {"n": 2}) == "File not imported: 2 errors found."
    with translation.override("id"):
        assert translated(text) == "add harus antara 0 dan 30 hari kerja."


def test_nip_refusals_are_in_the_readers_language():
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            validate_nip("12345")
    assert exc.value.messages == ["A NIP has 18 digits."]
    with translation.override("id"):
        with pytest.raises(ValidationError) as exc:
            validate_nip("198609262015051000")
    assert exc.value.messages == ["Tiga angka terakhir NIP (nomor urut) tidak boleh 000."]


def test_a_refused_import_counts_its_errors():
    with translation.override("en"):
        one = tabular.ImportRejected([tabular.RowError(2, "nip", "x")])
        two = tabular.ImportRejected(
            [tabular.RowError(2, "nip", "x"), tabular.RowError(3, "", "y")]
        )
    assert str(one) == "File not imported: 1 error found."
    assert str(two) == "File not imported: 2 errors found."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,query,field,message",
    [
        (
            "/api/v1/calendar/holidays",
            {"year": "abc"},
            "year",
            "The year must be a number from 1900 to 2100.",
        ),
        (
            "/api/v1/calendar/working-days",
            {"start": "kemarin", "add": "1"},
            "start",
            "start must be a date YYYY-MM-DD.",
        ),
        (
            "/api/v1/calendar/working-days",
            {"start": "2026-06-01", "add": "x"},
            "add",
            "add must be a whole number.",
        ),
        (
            "/api/v1/calendar/working-days",
            {"start": "2026-06-01", "add": "5000"},
            "add",
            "add must be from 0 to 1000 working days.",
        ),
        (
            "/api/v1/calendar/working-days",
            {"start": "1800-06-01", "add": "1"},
            "start",
            "The date must lie between the years 1990 and 2095.",
        ),
        (
            "/api/v1/services",
            {"q": "x" * 201},
            "q",
            "The search words may be at most 200 characters long.",
        ),
        ("/api/v1/services", {"agency": "tidak-ada"}, "agency", "Unknown agency."),
    ],
)
def test_the_core_apis_refusals_are_in_english(org, path, query, field, message):
    from amanah.core import calendar

    message = message.replace("1900", str(calendar.MIN_YEAR)).replace(
        "2100", str(calendar.MAX_YEAR)
    )
    body = client_in("en").get(path, query).json()
    assert body["message"] == message
    assert body["fields"] == ({field: message} if field else {})
