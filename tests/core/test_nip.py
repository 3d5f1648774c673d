"""NIP validation (REGULATIONS §6): 18 digits, a real birth date, a plausible TMT, the gender digit."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amanah.core import rules


def test_valid_nip_is_parsed():
    nip = rules.parse_nip("19860926 201505 2 001")
    assert nip.birth_date == dt.date(1986, 9, 26)
    assert nip.tmt == (2015, 5)
    assert nip.gender == "P"
    assert nip.sequence == 1
    assert rules.format_nip("198609262015052001") == "19860926 201505 2 001"


@pytest.mark.parametrize(
    "value,fragment",
    [
        ("12345", "18 angka"),
        ("19860926201505100A", "18 angka"),
        ("198602302015051001", "tanggal lahir"),  # 30 February
        ("198609262015131001", "TMT"),  # month 13
        ("198609261990051001", "tidak masuk akal"),  # appointed at 3 years old
        ("198609262015053001", "jenis kelamin"),
        ("198609262015051000", "000"),
    ],
)
def test_invalid_nips_say_what_is_wrong(value, fragment):
    with pytest.raises(rules.NIPError) as exc:
        rules.parse_nip(value)
    assert fragment in str(exc.value)


@given(
    st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2004, 12, 31)),
    st.integers(min_value=18, max_value=40),
    st.integers(min_value=1, max_value=12),
    st.sampled_from("12"),
    st.integers(min_value=1, max_value=999),
)
def test_every_well_formed_nip_round_trips(birth, age, month, gender, seq):
    digits = f"{birth:%Y%m%d}{birth.year + age}{month:02d}{gender}{seq:03d}"
    parsed = rules.parse_nip(digits)
    assert parsed.birth_date == birth
    assert parsed.tmt == (birth.year + age, month)
    assert parsed.gender == {"1": "L", "2": "P"}[gender]
    assert rules.normalize_nip(rules.format_nip(digits)) == digits


@pytest.mark.django_db
def test_employee_derives_fields_and_superiors(org):
    staff = org["a"]["staff"]
    assert staff.birth_date == dt.date(1991, 1, 25)
    assert staff.gender == "L"
    # Staf → Kepala Bidang → Kepala Dinas → Sekretaris Daerah
    assert [e.position for e in staff.superiors()] == [
        "Kepala Bidang",
        "Kepala Dinas",
        "Sekretaris Daerah",
    ]
    # A head's own chain starts above their unit.
    assert [e.position for e in org["a"]["kabid"].superiors()] == [
        "Kepala Dinas",
        "Sekretaris Daerah",
    ]


@pytest.mark.parametrize(
    "value,accepted",
    [
        ("199012152007011001", False),  # born 15 Dec 1990, TMT Jan 2007: 16 years and 1 month
        ("199012012008011001", True),  # born 1 Dec 1990, TMT Jan 2008: 17 years and 1 month
        ("199001012007011001", True),  # born 1 Jan 1990, TMT Jan 2007: 17 on the first of the month
        ("199001022007011001", False),  # born 2 Jan 1990, TMT Jan 2007: still 16 on the first
        ("195001012010121001", False),  # born 1 Jan 1950, TMT Dec 2010: 60 years and 11 months
        ("195001012010011001", True),  # born 1 Jan 1950, TMT Jan 2010: 60 that very day
        ("195001012010021001", False),  # born 1 Jan 1950, TMT Feb 2010: 60 years and 1 month
        ("195001022010011001", True),  # born 2 Jan 1950, TMT Jan 2010: 59 on the first of the month
    ],
)
def test_the_age_at_tmt_is_counted_from_the_birth_date(value, accepted):
    """docs/rules.md: on the first day of the TMT month the person has turned 17 and is not past their
    60th birthday, counted from the birth date, not by comparing calendar years."""
    if accepted:
        rules.parse_nip(value)
    else:
        with pytest.raises(rules.NIPError, match="tidak masuk akal"):
            rules.parse_nip(value)
