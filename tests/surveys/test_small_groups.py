"""No public output of the SKM singles out a respondent: breakdown groups smaller than
AMANAH_SKM_MIN_GROUP show no IKM (nor does any group whose IKM would give theirs away), and the public
answers file counts each score per element, no answer's row, which is enough to recompute the IKM. The
unit's own staff get the full list."""

import datetime as dt
import io
import json
from fractions import Fraction

import pytest
from django.test import Client
from openpyxl import load_workbook

from amanah.core import rules as core_rules
from amanah.core.models import AuditEntry
from amanah.surveys import rules, selectors, services
from amanah.surveys.models import FrozenBreakdowns

from .pdftext import pdf_text

pytestmark = pytest.mark.django_db

# The one police officer, aged 67, who came on a given day and rated the officer's competence and
# behaviour 1 (IKM 83,33 alone); nine others in the private sector rated everything 3 (IKM 75,00).
POLICE = [4, 4, 4, 4, 4, 1, 1, 4, 4]


@pytest.fixture
def ten(make_period, add_answers, users, today):
    """Ten respondents of a published period, one of whom is the only one of his kind on every profile
    field, answered first (so that the order of arrival would point at him) and by paper."""
    admin = users[("admin", None)]
    p = make_period(
        start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1), population=10
    )
    add_answers(
        p,
        [POLICE],
        gender="P",
        age=67,
        education="S2",
        occupation="POLRI",
        channel="kertas",
        submitted_on=today - dt.timedelta(days=18),
    )
    add_answers(
        p,
        [[3] * 9] * 9,
        gender="L",
        age=35,
        education="SMA",
        occupation="Swasta",
        submitted_on=today - dt.timedelta(days=10),
    )
    services.close_period(admin, p)
    return services.publish_period(admin, p)


def _xlsx(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(data))


def _protected(items, threshold=rules.MIN_GROUP):
    """Whether the hidden groups of one breakdown cannot be worked out from the period's result less the
    groups shown: none hidden, or at least two holding ``threshold`` respondents together."""
    hidden = [i for i in items if i["suppressed"]]
    assert all(i["ikm"] is None for i in hidden)
    assert all(i["ikm"] is not None for i in items if not i["suppressed"])
    assert all(i["respondents"] >= threshold for i in items if i["ikm"] is not None)
    return not hidden or (len(hidden) >= 2 and sum(i["respondents"] for i in hidden) >= threshold)


def _distribution(workbook) -> dict:
    """The Sebaran sheet: element code → (counts of the scores 1–4, respondents, total)."""
    rows = list(workbook["Sebaran"].iter_rows(values_only=True))
    assert rows[0] == (
        "Unsur",
        "Nama",
        "Nilai 1",
        "Nilai 2",
        "Nilai 3",
        "Nilai 4",
        "Responden",
        "Jumlah nilai",
    )
    return {
        row[0]: (list(row[2:6]), row[6], row[7])
        for row in rows[1:]
        if row and row[0] in rules.CODES
    }


def test_the_public_answers_file_counts_each_score_per_element_and_holds_no_answer(ten):
    """His row (the only one with 1 for U6 and U7) is not in it: only how many gave each score."""
    r = Client().get(f"/skm/hasil/{ten.pk}/jawaban.xlsx")
    assert r.status_code == 200
    workbook = _xlsx(r)
    assert workbook.sheetnames == ["Sebaran", "Ringkasan", "Kelompok"]
    counts = _distribution(workbook)
    assert list(counts) == list(rules.CODES)
    assert counts["U6"] == ([1, 0, 9, 0], 10, 28) and counts["U1"] == ([0, 0, 9, 1], 10, 31)
    text = json.dumps(  # (Kelompok names the groups, with no IKM for the small ones: tested below)
        [
            list(map(str, row))
            for sheet in ("Sebaran", "Ringkasan")
            for row in workbook[sheet].iter_rows(values_only=True)
        ]
    )
    for identifying in ("POLRI", "67", "S2", "kertas", str(ten.start.year)):
        assert identifying not in text, identifying


def test_public_breakdowns_hide_the_group_of_one_and_the_group_that_would_give_it_away(ten):
    data = Client().get(f"/api/v1/surveys/periods/{ten.pk}/breakdowns").json()
    assert data["min_group"] == 5
    occupation = {i["value"]: i for i in data["by_profile"]["occupation"]}
    assert occupation["POLRI"]["respondents"] == 1 and occupation["POLRI"]["ikm"] is None
    assert occupation["POLRI"]["suppressed"] is True
    # 75,00 for the nine others and the period's 75,83 would give his 83,33: hidden as well
    assert occupation["Swasta"]["ikm"] is None and occupation["Swasta"]["suppressed"] is True
    for field, items in data["by_profile"].items():
        assert _protected(items), field
        assert not any(i["merged"] for i in items), "a merged row of everyone is the period itself"
    assert _protected(data["by_service"])
    assert all(s["unsur"] == [] for s in data["by_service"] if s["suppressed"])


def test_page_report_api_and_file_agree_and_none_shows_his_ikm(ten, manager):
    """83,33 is his IKM alone and 75,00 that of the others (the period's 75,83 less it gives his)."""
    results = Client().get(f"/api/v1/surveys/periods/{ten.pk}/results").json()
    assert results["ikm"] == 75.83
    page = Client().get(f"/skm/hasil/{ten.pk}/").content.decode()
    report = pdf_text(Client().get(f"/skm/hasil/{ten.pk}/laporan.pdf").content)
    api = Client().get(f"/api/v1/surveys/periods/{ten.pk}/breakdowns").content.decode()
    groups = _xlsx(Client().get(f"/skm/hasil/{ten.pk}/jawaban.xlsx"))["Kelompok"]
    sheet = json.dumps([list(map(str, row)) for row in groups.iter_rows(values_only=True)])
    staff_page = _staff(manager).get(f"/skm/staf/periode/{ten.pk}/").content.decode()
    for name, text in (
        ("page", page),
        ("report", report),
        ("api", api),
        ("file", sheet),
        ("staff", staff_page),
    ):
        for hidden in ("83,33", "83.33", "75,00", "75.0,", "75.0]", "75.0}"):
            assert hidden not in text, (name, hidden)
    assert "disembunyikan" in page and "kurang dari 5 responden" in page
    police = [
        row for row in groups.iter_rows(values_only=True) if row[:2] == ("Pekerjaan", "POLRI")
    ]
    assert police == [("Pekerjaan", "POLRI", 1, 10, None)]


def test_small_groups_joined_in_one_row_when_enough_together(
    make_period, add_answers, users, today
):
    admin = users[("admin", None)]
    p = make_period(start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1))
    add_answers(p, [[4] * 9] * 6, occupation="Swasta")
    add_answers(p, [[3] * 9] * 6, occupation="PNS")
    add_answers(p, [[1] * 9], occupation="POLRI")
    services.close_period(admin, p)
    services.publish_period(admin, p)
    items = Client().get(f"/api/v1/surveys/periods/{p.pk}/breakdowns").json()["by_profile"]
    occupation = {(i["value"], i["merged"]): i for i in items["occupation"]}
    assert occupation[("Swasta", False)]["ikm"] == 100.0
    # POLRI (1) is hidden; the smallest other group (PNS, 6) too, or 100 and the total give POLRI's
    assert occupation[("POLRI", False)]["ikm"] is None and occupation[("PNS", False)]["ikm"] is None
    merged = occupation[(None, True)]
    assert merged["respondents"] == 7 and merged["ikm"] == 67.85  # (6 × 75 + 25) / 7, cut
    assert merged["label"] == "Kelompok kecil (digabung)"
    assert _protected(items["occupation"])
    page = Client().get(f"/skm/hasil/{p.pk}/").content.decode()
    assert "Kelompok kecil (digabung)" in page and "67,85" in page


def test_services_below_the_minimum_show_no_ikm_on_the_page_the_report_and_the_api(
    make_period, add_answers, org, users, today
):
    from amanah.core.models import Service

    admin = users[("admin", None)]
    kk = Service.objects.create(unit=org["a"]["bidang"], code="kab-a-kk", name="Kartu Keluarga")
    p = make_period(start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1))
    add_answers(p, [[4] * 9] * 8, service=org["a"]["service"])
    add_answers(p, [[2] * 9] * 2, service=kk)
    services.close_period(admin, p)
    services.publish_period(admin, p)
    rows = Client().get(f"/api/v1/surveys/periods/{p.pk}/breakdowns").json()["by_service"]
    assert [(r["name"], r["respondents"], r["ikm"], r["mutu"]) for r in rows] == [
        ("Kartu Keluarga", 2, None, None),
        (
            "Penerbitan KTP-el",
            8,
            None,
            None,
        ),  # else the period's 90,00 less it gives Kartu Keluarga's
    ]
    report = pdf_text(Client().get(f"/skm/hasil/{p.pk}/laporan.pdf").content)
    assert "50,00" not in report and "100,00" not in report.split("Menurut jenis layanan")[1]
    assert "kurangdari5responden" in report.replace(" ", "").replace("\n", "")


def test_the_minimum_is_a_setting(ten, settings):
    url = f"/api/v1/surveys/periods/{ten.pk}/breakdowns"
    settings.SKM_MIN_GROUP = 1
    data = Client().get(url).json()
    occupation = {i["value"]: i for i in data["by_profile"]["occupation"]}
    # Published under 5, the period keeps hiding what it hid (test_hidden_across_minimums.py) ...
    assert data["min_group"] == 1 and occupation["POLRI"]["ikm"] is None
    # ... a period with no earlier breakdowns kept (as one published before they were frozen) uses 1
    FrozenBreakdowns.objects.filter(period_id=ten.pk).delete()
    data = Client().get(url).json()
    occupation = {i["value"]: i for i in data["by_profile"]["occupation"]}
    assert data["min_group"] == 1 and occupation["POLRI"]["ikm"] == 83.33
    settings.SKM_MIN_GROUP = 11  # more than the period holds: every group hidden
    data = Client().get(url).json()
    assert all(i["ikm"] is None for items in data["by_profile"].values() for i in items)


def test_hidden_groups_rule():
    assert rules.MIN_GROUP == core_rules.SUPPRESS_BELOW == 5
    assert rules.hidden_groups({"a": 9, "b": 1}) == {"a", "b"}
    assert rules.hidden_groups({"a": 6, "b": 6, "c": 1}) == {"b", "c"} or rules.hidden_groups(
        {"a": 6, "b": 6, "c": 1}
    ) == {"a", "c"}
    assert rules.hidden_groups({"a": 5, "b": 7}) == set()
    assert rules.hidden_groups({"a": 2, "b": 3, "c": 9}) == {"a", "b"}  # 5 together
    assert rules.hidden_groups({"a": 2, "b": 2, "c": 9, "d": 20}) == {"a", "b", "c"}
    assert rules.hidden_groups({"a": 1, "b": 1}, threshold=1) == set()


def _staff(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_full_answers_list_is_for_the_units_staff_only_and_audited(ten, manager, users):
    url = f"/skm/staf/periode/{ten.pk}/jawaban.xlsx"
    r = _staff(manager).get(url)
    assert r.status_code == 200
    sheet = _xlsx(r)["Jawaban"]
    rows = list(sheet.iter_rows(values_only=True))
    # a bold header, the day of each answer as a date cell (it sorts and filters as a date in Excel)
    assert sheet["A1"].font.bold and sheet["B2"].is_date and type(rows[1][1]) is dt.datetime
    assert rows[0][:8] == (
        "No",
        "Tanggal",
        "Saluran",
        "Layanan",
        "Jenis kelamin",
        "Usia",
        "Pendidikan",
        "Pekerjaan",
    )
    assert rows[1][2:8] == ("kertas", None, "P", 67, "S2", "POLRI")  # in the order received
    assert (
        AuditEntry.objects.filter(action="surveys.answers_exported", object_id=str(ten.pk)).count()
        == 1
    )
    staff_page = _staff(manager).get(f"/skm/staf/periode/{ten.pk}/").content.decode()
    assert url in staff_page
    assert Client().get(url).status_code == 302  # to the login page
    for other in (users[("unit", "b")], users[("kepegawaian", "a")]):
        assert _staff(other).get(url).status_code == 404
    # the public file is the same for staff as for anyone
    public = _xlsx(_staff(manager).get(f"/skm/hasil/{ten.pk}/jawaban.xlsx"))
    assert public.sheetnames == ["Sebaran", "Ringkasan", "Kelompok"]


def test_profile_share_rounds_half_up(period, add_answers):
    add_answers(period, [[3] * 9], gender="P")
    add_answers(period, [[3] * 9] * 15, gender="L")
    shares = {i["value"]: i["percent"] for i in selectors.by_profile(period)["gender"]}
    assert shares == {"P": 6.3, "L": 93.8}  # 6,25 % and 93,75 %: half up, not to even (6,2; 93,8)
    assert str(rules.share(1, 16)) == "6.3" and str(rules.share(0, 0)) == "0.0"


def test_a_minimum_below_one_stops_amanah_at_start(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("AMANAH_")}
    env.update(AMANAH_DATA_DIR=str(tmp_path), AMANAH_SKM_MIN_GROUP="0")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "amanah"), "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "AMANAH_SKM_MIN_GROUP is 0: it must be 1 or more" in result.stderr


# --- breakdowns published side by side ------------------------------------------------------------------
# Five civil servants, all men, rated everything 3; one other man, in the private sector, rated everything
# 1; fourteen women in the private sector rated everything 4. Alone, each breakdown is safe (men 6, women
# 14; civil servants 5, private sector 15): but "men" less "civil servants" is the one private-sector man.
LONE = [1] * 9


@pytest.fixture
def linked(make_period, add_answers, users, today):
    admin = users[("admin", None)]
    p = make_period(start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1))
    add_answers(p, [[3] * 9] * 5, gender="L", occupation="PNS")
    add_answers(p, [LONE], gender="L", occupation="Swasta")
    add_answers(p, [[4] * 9] * 14, gender="P", occupation="Swasta")
    services.close_period(admin, p)
    return services.publish_period(admin, p)


def _shown_totals(items) -> dict:
    """The groups of a breakdown whose IKM is shown, as the element-score total per respondent an
    outsider works back from it (IKM × 9 ÷ 25) and their number of respondents."""
    return {
        (i["value"], i["merged"]): (i["ikm"] * 9 / 25, i["respondents"])
        for i in items
        if i["ikm"] is not None
    }


def test_two_breakdowns_together_do_not_give_away_one_respondent(linked):
    data = Client().get(f"/api/v1/surveys/periods/{linked.pk}/breakdowns").json()
    gender = _shown_totals(data["by_profile"]["gender"])
    occupation = _shown_totals(data["by_profile"]["occupation"])
    men, civil = gender.get(("L", False)), occupation.get(("PNS", False))
    # Without the protection both are shown: 66,66 for the six men (cut), 75,00 for the five civil
    # servants, and 6 × 66,66 − 5 × 75,00 = 24,96: his 25,00.
    assert men is None or civil is None, "men less civil servants is the lone private-sector man"
    for field, items in data["by_profile"].items():
        assert _protected(items), field
    # what stays shown is still shown
    assert gender or occupation
    # the page reads the same figures
    page = Client().get(f"/skm/hasil/{linked.pk}/").content.decode()
    assert ("66,66" in page) == (men is not None) and ("75,00" in page) == (civil is not None)


def test_linked_breakdowns_of_the_answers_leave_no_small_difference(linked):
    """Whatever is shown: for every two breakdowns, no union of the groups known in one (each shown group,
    the hidden ones together) lies inside one of the other with fewer than the minimum between them."""
    from itertools import chain, combinations

    from amanah.surveys.models import Response

    parts = selectors.breakdowns(linked)
    people = list(Response.objects.filter(period=linked).values("pk", "gender", "occupation"))
    tables = {
        field: {i["value"] or "": i for i in parts["by_profile"][field] if not i["merged"]}
        for field in ("gender", "occupation")
    }

    def known(field):
        items = tables[field]
        shown = [
            {p["pk"] for p in people if (p[field] or "") == v}
            for v, i in items.items()
            if i["ikm"] is not None
        ]
        hidden = {p["pk"] for p in people if items[p[field] or ""]["ikm"] is None}
        return [*shown, *([hidden] if hidden and shown else [])]

    def unions(sets):
        return [
            set().union(*c)
            for c in chain.from_iterable(combinations(sets, k) for k in range(1, len(sets) + 1))
        ]

    for a in unions(known("gender")):
        for b in unions(known("occupation")):
            for small, large in ((a, b), (b, a)):
                if small <= large:
                    assert not 0 < len(large - small) < rules.MIN_GROUP, (small, large)


def test_breakdowns_frozen_before_are_not_shown_and_the_sweep_freezes_them_again(linked):
    """Breakdowns frozen before groups were hidden across breakdowns (version 1) are not read: the
    pages compute them (without writing) until the sweep freezes them again."""
    from amanah.surveys.models import FrozenBreakdowns

    old = {
        "by_service": selectors.by_service(linked, 5, {}),
        "by_profile": selectors.by_profile(linked, 5, {}),
    }
    assert {i["value"]: i["ikm"] for i in old["by_profile"]["occupation"]}["PNS"] == 75.0
    FrozenBreakdowns.objects.filter(period=linked).update(version=1, data=old)
    url = f"/api/v1/surveys/periods/{linked.pk}/breakdowns"

    def shown():
        data = Client().get(url).json()["by_profile"]
        return (
            _shown_totals(data["gender"]).get(("L", False)),
            _shown_totals(data["occupation"]).get(("PNS", False)),
        )

    assert None in shown()
    assert FrozenBreakdowns.objects.get(period=linked).version == 1
    assert services.freeze_published_breakdowns() == 1
    frozen = FrozenBreakdowns.objects.get(period=linked)
    assert frozen.version == selectors.BREAKDOWNS_VERSION == 4
    assert frozen.data == selectors.compute_breakdowns(linked)
    assert None in shown()
    groups = _xlsx(Client().get(f"/skm/hasil/{linked.pk}/jawaban.xlsx"))["Kelompok"]
    ikm = {row[:2]: row[4] for row in groups.iter_rows(values_only=True) if len(row) > 4}
    men, civil = ("Jenis kelamin", rules.GENDERS["L"]), ("Pekerjaan", rules.OCCUPATIONS["PNS"])
    assert ikm[men] is None or ikm[civil] is None


# Men: 4 entrepreneurs aged 65, 1 entrepreneur of 45, 5 civil servants of 35; women: 3 in the private
# sector and 1 civil servant, all 45, and one entrepreneur of 35 who rated everything 1. No two
# breakdowns single her out; (entrepreneurs + those in their thirties − men) ÷ 2 does.
THREE = [
    ("L", "Wirausaha", 65, 4, [3] * 9),
    ("L", "Wirausaha", 45, 1, [4] * 9),
    ("L", "PNS", 35, 5, [3] * 9),
    ("P", "Swasta", 45, 3, [4] * 9),
    ("P", "PNS", 45, 1, [3] * 9),
    ("P", "Wirausaha", 35, 1, [1] * 9),
]


@pytest.fixture
def three(make_period, add_answers, users, today):
    admin = users[("admin", None)]
    p = make_period(start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1))
    for gender, occupation, age, n, scores in THREE:
        add_answers(p, [scores] * n, gender=gender, occupation=occupation, age=age)
    services.close_period(admin, p)
    return services.publish_period(admin, p)


def test_three_breakdowns_together_do_not_give_away_one_respondent(three):
    data = Client().get(f"/api/v1/surveys/periods/{three.pk}/breakdowns").json()["by_profile"]
    shown = {
        field: {value: total * n for (value, merged), (total, n) in _shown_totals(items).items()}
        for field, items in data.items()
    }
    used = [
        shown["occupation"].get("Wirausaha"),
        shown["age"].get("30–39"),
        shown["gender"].get("L"),
    ]
    # Checking pairs only, all three were shown (IKM 70,83, 66,66 and 77,50, element-score totals 153,
    # 144 and 279): (153 + 144 − 279) ÷ 2 = 9, her nine 1s
    assert None in used, "entrepreneurs + thirties − men is twice the one woman entrepreneur of 35"
    for field, items in data.items():
        assert _protected(items), field
    assert sum(i["ikm"] is not None for items in data.values() for i in items) >= 4


def test_anyone_recomputes_the_published_ikm_from_the_public_answers_file(
    make_period, add_answers, users, today
):
    """From the counts alone (Σ score × count per element, ÷ respondents, × weight × 25) come the element
    totals, NRRs and IKM of the summary and of the results API, with the period's weight (here 0,111)."""
    admin = users[("admin", None)]
    p = make_period(
        start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1), weight="0.111"
    )
    add_answers(p, [[3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 3, 3, 4, 3, 4, 4, 3, 2]] * 7)
    add_answers(p, [[1, 2, 2, 4, 4, 3, 3, 3, 1]] * 3, gender="P")
    services.close_period(admin, p)
    services.publish_period(admin, p)
    workbook = _xlsx(Client().get(f"/skm/hasil/{p.pk}/jawaban.xlsx"))
    counts = _distribution(workbook)
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row}
    weight = Fraction(str(summary["Bobot per unsur"]))
    totals = [
        sum(s * n for s, n in zip(rules.SCALE, counts[code][0], strict=True))
        for code in rules.CODES
    ]
    respondents = {sum(counts[code][0]) for code in rules.CODES}
    assert respondents == {17} and [counts[c][2] for c in rules.CODES] == totals
    again = rules.compute_ikm(totals, 17, weight)
    api = Client().get(f"/api/v1/surveys/periods/{p.pk}/results").json()
    assert api["weight"] == "0.111" and weight == Fraction(111, 1000)
    assert float(again.ikm_display) == api["ikm"] == summary["IKM konversi (25–100)"]
    assert [u["total"] for u in api["unsur"]] == totals
    assert again.category.mutu == api["mutu"]
