"""The leadership target form hands the service what was typed, whole: a note over 300 characters is
refused at its field (and shown again, uncut) instead of being cut and saved, and a NUL character in
the note is a field error rather than a database error (a 500 on PostgreSQL)."""

import pytest
from django.test import Client

from amanah.transparency import services
from amanah.transparency.models import IndicatorTarget
from tests.error_summary import checked_summary

pytestmark = pytest.mark.django_db

URL = "/transparansi/pimpinan/target/"


def _post(users, **data):
    c = Client(raise_request_exception=False)
    c.force_login(users[("pimpinan", "a")])
    form = {"agency": "kab-a", "code": "tepat_waktu", "year": "2026", "target": "90"}
    return c.post(URL, {**form, **data})


def test_a_too_long_note_is_refused_whole_not_cut(users):
    note = "Naik dari tahun lalu karena loket baru. " * 10  # 400 characters
    r = _post(users, note=note)
    assert r.status_code == 400
    page = r.content.decode()
    assert checked_summary(page) == ["t-note"]
    assert "Catatan paling panjang 300 karakter." in page
    assert note.strip() in page  # shown again as typed, to shorten
    assert not IndicatorTarget.objects.exists()


def test_a_note_of_300_characters_is_saved(users):
    r = _post(users, note="n" * 300)
    assert r.status_code == 302
    assert len(IndicatorTarget.objects.get().note) == 300


def test_a_nul_character_in_the_note_is_refused_at_its_field(users):
    r = _post(users, note="a\x00b")
    assert r.status_code == 400
    assert checked_summary(r.content.decode()) == ["t-note"]
    assert not IndicatorTarget.objects.exists()


def test_the_service_refuses_nul_and_overlong_values(users):
    with pytest.raises(services.TargetError) as exc:
        services.clean_target("tepat_waktu", "2026", "90", "a\x00b")
    assert set(exc.value.fields) == {"note"}
    with pytest.raises(services.TargetError) as exc:
        services.clean_target("tepat_waktu", "2026" + " " * 400 + "1", "9" * 5000, "")
    assert set(exc.value.fields) == {"year", "target"}
