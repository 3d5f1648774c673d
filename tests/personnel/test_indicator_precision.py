"""SKP indicator numbers are checked as the numeric(12, 2) columns store them: a target that rounds
to 0.00 is refused on ``indicators`` (the column's CHECK target > 0 would fail on PostgreSQL, a 500,
and SQLite would keep a zero target), a result beyond the column's range is refused on ``results``
(an overflow on PostgreSQL), and stored values are rounded to two places. Runs on SQLite and in the
PostgreSQL pass."""

from decimal import Decimal

from amanah.personnel.models import SkpIndicator

from . import helpers

P = "/api/v1/personnel"


def _create(client, org, target):
    p = helpers.period(org["a"]["agency"], name=f"P {target}")
    return client.post(
        f"{P}/employees/{org['a']['staff'].nip}/skp",
        {"period": p.pk, "indicators": [{"description": "Dokumen", "target": target, "unit": "x"}]},
    )


def test_target_that_rounds_to_zero_is_refused_on_the_field(people, org, api_as):
    client = api_as(people["hr"])
    for bad in ("0.004", "0", "-1", "1e12"):
        r = _create(client, org, bad)
        assert r.status_code == 422 and "indicators" in r.json()["fields"], (bad, r.content)
    assert not SkpIndicator.objects.exists()
    r = _create(client, org, "2.005")
    assert r.status_code == 201, r.content
    assert SkpIndicator.objects.get().target == Decimal("2.01")
    assert r.json()["indicators"][0]["target"] == "2.01"


def test_result_beyond_the_column_is_refused_on_the_field(people, org, api_as):
    s = helpers.skp(org["a"]["staff"])
    ind = s.indicators.get()
    client = api_as(people["kabid"])
    for bad in ("1e12", "10000000000", "-0.5"):
        r = client.post(
            f"{P}/skp/{s.pk}/rating",
            {"hasil_kerja": "sesuai", "perilaku": "sesuai", "results": {str(ind.pk): bad}},
        )
        assert r.status_code == 422 and "results" in r.json()["fields"], (bad, r.content)
    r = client.post(
        f"{P}/skp/{s.pk}/rating",
        {"hasil_kerja": "sesuai", "perilaku": "sesuai", "results": {str(ind.pk): "9999999999.994"}},
    )
    assert r.status_code == 200, r.content
    ind.refresh_from_db()
    assert ind.result == Decimal("9999999999.99")
