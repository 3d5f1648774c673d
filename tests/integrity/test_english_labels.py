"""The labels the whistleblowing rules name (the reporter's view of the state, the PP 94/2021
sanctions) are translated where they are shown: the rules module only marks them, so the reporter's
case, the staff case page, its finding form and the referral file say them in the reader's language."""

import pytest

from tests.i18n import client_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integrity"


def _page(user, path, language):
    c = client_in(language)
    c.force_login(user)
    return c.get(path).content.decode()


def test_the_reporter_reads_the_state_of_the_case_in_their_language(examined, reporter):
    client = reporter(examined.receipt)
    assert client.get(f"{BASE}/me").json()["status_text"] == (
        "Laporan Anda sedang diperiksa oleh tim pemeriksa."
    )
    client.client = client_in("en")
    assert client.get(f"{BASE}/me").json()["status_text"] == (
        "Your report is being examined by the examination team."
    )


def test_the_finding_form_offers_the_sanctions_in_the_readers_language(examined, users):
    path = f"/integritas/staf/{examined.pk}/"
    english = _page(users[("inspektorat", "a")], path, "en")
    assert "Performance allowance cut by 25% for 6 months" in english
    assert "Pemotongan tunjangan kinerja" not in english
    indonesian = _page(users[("inspektorat", "a")], path, "id")
    assert "Pemotongan tunjangan kinerja 25% selama 6 bulan" in indonesian


def test_the_recommended_sanction_is_named_in_the_readers_language(examined, users, api_as):
    from amanah.integrity import services

    inspector = users[("inspektorat", "a")]
    services.record_finding(
        inspector,
        examined.pk,
        outcome="terbukti",
        note="Terbukti dari bukti kuitansi.",
        sanction_level="ringan",
        sanction="teguran_lisan",
    )
    for path in (f"/integritas/staf/{examined.pk}/", f"/integritas/staf/{examined.pk}/ekspor/"):
        assert "Oral reprimand" in _page(inspector, path, "en"), path
        assert "Teguran lisan" in _page(inspector, path, "id"), path

    client = api_as(inspector)
    assert client.get(f"{BASE}/cases/{examined.pk}/export").json()["sanction_label"] == (
        "Teguran lisan"
    )
    client.client = client_in("en")
    assert client.get(f"{BASE}/cases/{examined.pk}/export").json()["sanction_label"] == (
        "Oral reprimand"
    )
