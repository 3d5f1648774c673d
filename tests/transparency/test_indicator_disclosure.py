"""The indicators of success give away no whistleblowing count the dashboard hides."""

from django.urls import reverse

from .conftest import make_reports


def _get(api, path, **params):
    r = api.get(f"/api/v1/transparency/{path}", params)
    assert r.status_code == 200, r.content
    return r.json()


def test_indicators_do_not_reveal_hidden_status_or_outcome_cells(
    db, org, api, client, django_capture_on_commit_callbacks
):
    """15 reports: status selesai 3 is hidden, but a share of 20.0 % of 15 would give 3; the hidden
    outcome cells hold 7 (15 − dirujuk 8) and 6 proven would give tidak_terbukti = 1."""
    reports = (
        [("korupsi", "selesai", "terbukti", "berat", 5)] * 3
        + [("korupsi", "diterima", "terbukti", None, 5)] * 1
        + [("korupsi", "diterima", "sebagian", None, 5)] * 1
        + [("korupsi", "diperiksa", "sebagian", None, 5)] * 1
        + [("korupsi", "diperiksa", "tidak_terbukti", None, 5)] * 1
        + [("korupsi", "diperiksa", "dirujuk", None, 5)] * 8
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_reports(org, reports)
    rows = _get(api, "integrity", agency="kab-a")["rows"]
    by = {(r["dimension"], r["value"]): r["count"] for r in rows}
    assert by[("status", "selesai")] is None and by[("outcome", "tidak_terbukti")] is None
    ind = {r["code"]: r for r in _get(api, "indicators", agency="kab-a")["rows"]}
    for code in ("integritas_selesai", "integritas_terbukti"):
        r = ind[code]
        assert r["value"] is None and r["achieved"] is None, r
        assert r["hidden"] is True and r["value_display"] == "disembunyikan", r
        assert r["cases"] == 15  # the number of reports is published on the dashboard too
    page = client.get(reverse("transparency:indicators", args=["kab-a"]), HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200
    html = page.content.decode()
    assert "20,0" not in html and html.count("disembunyikan") >= 2


def test_indicators_built_from_published_cells_are_shown(
    db, org, api, django_capture_on_commit_callbacks
):
    """Every cell an indicator adds up is published: its value gives nothing new, so it is shown."""
    reports = [("korupsi", "selesai", "terbukti", "berat", 5)] * 6 + [
        ("korupsi", "diperiksa", "tidak_terbukti", None, 5)
    ] * 6
    with django_capture_on_commit_callbacks(execute=True):
        make_reports(org, reports)
    ind = {r["code"]: r for r in _get(api, "indicators", agency="kab-a")["rows"]}
    assert ind["integritas_selesai"]["value"] == 50.0 and not ind["integritas_selesai"]["hidden"]
    assert ind["integritas_terbukti"]["value"] == 6 and not ind["integritas_terbukti"]["hidden"]


def test_the_csv_says_which_indicator_is_hidden(db, org, api, django_capture_on_commit_callbacks):
    """The open-data CSV carries the ``hidden`` column its data dictionary describes, empty value."""
    import csv
    import io

    reports = [("korupsi", "selesai", "terbukti", "berat", 5)] * 3 + [
        ("korupsi", "diperiksa", "dirujuk", None, 5)
    ] * 12
    with django_capture_on_commit_callbacks(execute=True):
        make_reports(org, reports)
    r = api.get("/api/v1/transparency/indicators", {"agency": "kab-a", "format": "csv"})
    assert r.status_code == 200, r.content
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))}
    assert rows["integritas_selesai"]["hidden"] == "ya"
    assert rows["integritas_selesai"]["value"] == ""
