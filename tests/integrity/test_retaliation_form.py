"""The retaliation form, like the report form, makes no choice for the reporter."""

import re


def test_retaliation_kind_is_not_preselected(make_case, client):
    report = make_case()
    client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt})
    html = client.get("/integritas/kasus-saya/").content.decode()
    select = re.search(r'<select name="kind".*?</select>', html, re.S).group(0)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first
    assert not re.search(r'<option value="[^"]+"[^>]*selected', select)


def test_retaliation_without_a_kind_is_refused_keeping_the_text(make_case, client):
    report = make_case()
    client.post("/integritas/tindak-lanjut/", {"receipt": report.receipt})
    text = "Saya dipindah seminggu setelah melapor."
    r = client.post("/integritas/kasus-saya/pembalasan/", {"kind": "", "description": text})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Pilih bentuk pembalasan." in html
    assert text in html
    report.refresh_from_db()
    assert not report.protection_flag
