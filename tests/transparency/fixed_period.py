"""One reporting period for the dashboard tests that compare pages, the API and its CSV, and the calls
that read the transparency API over it."""

import csv
import io

PERIOD = {"start": "2025-09-01", "end": "2026-03-31"}


def api_json(api, path, **params):
    r = api.get(f"/api/v1/transparency/{path}", {**PERIOD, **params})
    assert r.status_code == 200, r.content
    return r.json()


def api_csv(api, path, **params):
    r = api.get(f"/api/v1/transparency/{path}", {**PERIOD, "format": "csv", **params})
    assert r.status_code == 200, r.content
    return list(csv.DictReader(io.StringIO(r.content.decode())))
