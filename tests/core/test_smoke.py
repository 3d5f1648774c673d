def test_health_reports_database(api, db):
    r = api.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_services_search_returns_unit_and_agency(api, org):
    r = api.get("/api/v1/services", {"q": "KTP"})
    assert r.status_code == 200
    body = r.json()["items"]
    assert {s["code"] for s in body} == {"kab-a-ktp", "kab-b-ktp"}
    first = next(s for s in body if s["code"] == "kab-a-ktp")
    assert first["unit"] == {
        "id": org["a"]["bidang"].id,
        "code": "kab-a-dafduk",
        "name": "Bidang Pendaftaran Penduduk",
    }
    assert first["agency"]["code"] == "kab-a"
