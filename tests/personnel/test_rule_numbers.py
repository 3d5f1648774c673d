"""The pages state the numbers of the agency's own rule tables (Agency.options["personnel"], see
docs/personnel.md), not the defaults written into a template or form."""

from . import helpers


def _override(agency, **values):
    agency.options = {"personnel": values}
    agency.save()


def test_jp_minimum_on_dashboard_nav_and_behind_list(people, org, client):
    a = org["a"]
    _override(a["agency"], jp_minimum=24)
    client.force_login(people["hr"])
    for url in ("/kepegawaian/staf/", "/kepegawaian/jp/", "/kepegawaian/pegawai/"):
        page = client.get(url, {"instansi": a["agency"].code}).content.decode()
        assert "20 JP" not in page and "24 JP" in page, url


def test_profile_and_unit_index_show_the_configured_weights(people, org, client):
    a = org["a"]
    _override(
        a["agency"],
        index_weights={"kualifikasi": 20, "kompetensi": 45, "kinerja": 30, "disiplin": 5},
    )
    client.force_login(people["hr"])
    page = client.get(f"/kepegawaian/pegawai/{a['staff'].nip}/").content.decode()
    assert "/ 20" in page and "/ 45" in page and "/ 25" not in page and "/ 40" not in page
    page = client.get("/kepegawaian/indeks/", {"instansi": a["agency"].code}).content.decode()
    assert "kualifikasi 20, kompetensi 45" in page


def test_summons_help_states_the_configured_notice(people, org, client):
    a = org["a"]
    _override(a["agency"], summons_notice_working_days=10)
    c = helpers.case(a["staff"])
    client.force_login(people["hr"])
    page = client.get(f"/kepegawaian/disiplin/{c.number}/").content.decode()
    assert "Paling cepat 10 hari kerja" in page and "Paling cepat 7 hari kerja" not in page
