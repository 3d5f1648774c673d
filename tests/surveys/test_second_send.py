"""A questionnaire refused as a whole is not presented as a form to fix.

A second send from the same browser the same day (a double tap on a slow connection) finds the answer
already recorded: the page says so, without the questionnaire, the error summary or an error title. A
send refused for another reason (too many from the network) keeps the choices to send again, but does not
say that a field needs fixing when none does.
"""

import re

import pytest
from django.test import Client

from amanah.surveys import services
from amanah.surveys.models import Response

pytestmark = pytest.mark.django_db
FIX_FIELDS = "Ada isian yang perlu diperbaiki"


def _form():
    return {f"u{i}": "3" for i in range(1, 10)}


def test_a_second_send_says_the_answer_is_recorded_without_the_form(period):
    client = Client()
    url = f"/skm/s/{period.short_code}/"
    client.get(url)
    assert client.post(url, _form()).status_code == 302
    r = client.post(url, _form())
    html = r.content.decode()
    assert Response.objects.count() == 1
    assert r.status_code == 409
    assert "sudah mengisi survei" in html and 'role="status"' in html
    assert FIX_FIELDS not in html and 'id="form-errors"' not in html
    assert "<title>Kesalahan" not in html
    assert 'name="u1"' not in html and '<form method="post" class="form"' not in html


def test_a_second_send_in_english_is_in_english(period):
    client = Client()
    client.cookies["amanah_lang"] = "en"
    url = f"/skm/s/{period.short_code}/"
    client.get(url)
    client.post(url, _form())
    html = client.post(url, _form()).content.decode()
    assert "sudah mengisi" not in html and "Terima kasih" not in html


def test_a_throttled_send_keeps_the_choices_without_asking_to_fix_a_field(period, settings):
    settings.SKM_ANSWER_RATE = (1, 600)
    url = f"/skm/s/{period.short_code}/"
    assert Client().post(url, _form()).status_code == 302
    r = Client().post(url, dict(_form(), u2="4"))
    html = r.content.decode()
    assert r.status_code == 429 and Response.objects.count() == 1
    assert FIX_FIELDS not in html
    assert "belum terkirim" in html and "Coba lagi nanti" in html
    assert re.search(r'name="u2" value="4"[^>]*checked', html)


def test_a_period_that_closes_during_the_send_shows_the_closed_page(period, monkeypatch):
    def closed(*args, **kwargs):
        raise services.SurveyError("period_ended", "Survei periode ini sudah berakhir.", 409)

    monkeypatch.setattr(services, "record_response", closed)
    r = Client().post(f"/skm/s/{period.short_code}/", _form())
    html = r.content.decode()
    assert r.status_code == 410 and FIX_FIELDS not in html and 'name="u1"' not in html
