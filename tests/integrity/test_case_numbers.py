"""Case numbers and ids say nothing about the cases someone may not see."""

import random
import re

import pytest

pytestmark = pytest.mark.django_db


def test_a_case_hidden_from_the_reported_inspektur_leaves_no_gap_in_what_he_sees(
    org, make_user, make_case, client
):
    o = org["a"]
    inspektur = make_user("inspektorat", o["agency"], employee=o["inspektur"])
    shown = [make_case()]
    about_him = make_case(
        reported_name=o["inspektur"].name,
        reported_nip=o["inspektur"].nip,
        reported_unit=o["insp"].code,
    )
    assert about_him.escalated
    shown.append(make_case())
    client.force_login(inspektur)
    assert client.get(f"/integritas/staf/{about_him.pk}/").status_code == 404
    html = client.get("/integritas/staf/").content.decode()
    for report in shown:
        assert report.case_number in html
    # Neither the numbers nor the ids in the links count the cases: nothing lies "between" the two.
    assert not re.search(r"WBS-\d{4}-\d{6}\b", html)
    ids = sorted(int(n) for n in re.findall(r"/integritas/staf/(\d+)/", html))
    assert ids and all(b - a > 1000 for a, b in zip(ids, ids[1:], strict=False)), ids
    assert {r.pk for r in shown} == set(ids)


def test_case_numbers_are_random_readable_and_say_the_year():
    from amanah.core.rules import normalize_code
    from amanah.integrity import rules

    rnd = random.Random(7)
    number = rules.new_case_number(2026, lambda n: rnd.randrange(n))
    assert re.fullmatch(r"WBS-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", number)
    code = number.removeprefix("WBS-2026-")
    assert normalize_code(code.lower().replace("0", "o"), rules.CASE_NUMBER_SYMBOLS) == code
    assert len({rules.new_case_number(2026) for _ in range(200)}) == 200


def test_a_clash_with_an_existing_number_draws_again(make_case, monkeypatch):
    from amanah.integrity import rules

    first = make_case()
    drawn = iter([first.case_number, "WBS-2026-AAAA-AAAA"])
    monkeypatch.setattr(rules, "new_case_number", lambda year: next(drawn))
    second = make_case()
    assert second.case_number == "WBS-2026-AAAA-AAAA" and second.pk != first.pk
