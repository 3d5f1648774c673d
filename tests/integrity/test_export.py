"""The referral case file: the same content in the API and on the printable page, and never the
dialogue with the reporter or the identity-disclosure facts."""

import pytest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/integrity"


def test_case_file_leaves_out_the_dialogue_and_disclosures_in_the_api_and_on_the_page(
    users, make_case, api_as, client
):
    from amanah.integrity import services

    report = make_case()
    insp = users[("inspektorat", "a")]
    services.reporter_reply(report, "Saya kasir loket 3 yang menolak ikut membagi uang itu.")
    services.send_message(
        insp, report.pk, "Apakah ada bukti transfer di bagian lain?", question=True
    )
    services.report_retaliation(report, "mutasi", "Saya dipindah ke Kecamatan Turi.")
    services.request_disclosure(
        insp,
        report.pk,
        "Pelapor perlu dimintai keterangan sebagai saksi di bagian keuangan lantai 2.",
    )
    response = api_as(insp).get(f"{BASE}/cases/{report.pk}/export")
    client.force_login(insp)
    page = client.get(f"/integritas/staf/{report.pk}/ekspor/").content.decode()
    for key in ("messages", "disclosures", "reporter_identified", "may_contact", "assignments"):
        assert key not in response.json(), key
    for text in (
        "kasir loket 3",
        "bukti transfer",
        "Kecamatan Turi",
        "bagian keuangan",
        "identitas",
    ):
        assert text not in response.content.decode() and text not in page, text
    assert response.json()["incident_place"] == "Loket 3 Disdukcapil"
    assert "Loket 3 Disdukcapil" in page


def test_a_gratification_case_file_names_the_gift_in_the_api_and_on_the_page(
    org, users, api, api_as, client
):
    from amanah.integrity.models import Report

    o = org["a"]
    r = api.post(
        f"{BASE}/reports",
        {
            "kind": "gratifikasi_diri",
            "reporter_name": o["kabid"].name,
            "reported_nip": o["kabid"].nip,
            "reported_agency": o["agency"].code,
            "gift_received_on": "2026-11-02",
            "gift_giver": "Rekanan pengadaan",
            "gift_value": "Parsel, sekitar Rp1.500.000",
            "description": "Diantar ke rumah setelah penandatanganan kontrak.",
        },
    )
    assert r.status_code == 201, r.content
    report = Report.objects.get()
    insp = users[("inspektorat", "a")]
    client.force_login(insp)
    page = client.get(f"/integritas/staf/{report.pk}/ekspor/").content.decode()
    data = api_as(insp).get(f"{BASE}/cases/{report.pk}/export").json()
    assert data["gift_giver"] == "Rekanan pengadaan" and "Rekanan pengadaan" in page
    assert "Parsel, sekitar Rp1.500.000" in page and "2 November 2026" in page
