"""The reporter's own name and position on the integrity forms carry autocomplete tokens, so a browser
may fill them in (WCAG 1.3.5); the reported person's fields carry none (they are not the reporter's)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def autocomplete(page: str, field_id: str) -> str | None:
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', page).group(0)
    found = re.search(r'autocomplete="([^"]*)"', tag)
    return found.group(1) if found else None


def test_the_gratification_form_offers_the_reporters_name_and_position(org):
    page = Client().get("/integritas/gratifikasi/").content.decode()
    assert autocomplete(page, "id_reporter_name") == "name"
    assert autocomplete(page, "id_reported_position") == "organization-title"


def test_the_report_form_offers_the_reporters_name_only(org):
    page = Client().get("/integritas/lapor/").content.decode()
    assert autocomplete(page, "id_reporter_name") == "name"
    assert autocomplete(page, "id_reported_name") is None
    assert autocomplete(page, "id_reported_position") is None
