"""A quarter the statistics page cannot show is said on the page (400), as the API says it."""


def test_statistics_page_says_why_a_quarter_is_refused(db, client):
    r = client.get("/integritas/statistik/?quarter=2026-Q5")
    assert r.status_code == 400
    html = r.content.decode()
    assert "Triwulan ditulis TTTT-Qn (misalnya 2026-Q3) dan harus sudah berakhir." in html
    assert 'aria-describedby="quarter_error"' in html
    assert "Jumlah laporan" in html  # the latest quarter is still shown


def test_statistics_page_without_quarter_is_fine(db, client):
    r = client.get("/integritas/statistik/")
    assert r.status_code == 200
    assert "quarter_error" not in r.content.decode()


def test_a_refused_quarter_is_summed_up_at_the_top_and_focused(db, client):
    from tests.error_summary import checked_summary

    page = client.get("/integritas/statistik/?quarter=2030-Q9").content.decode()
    assert checked_summary(page) == ["quarter"]
