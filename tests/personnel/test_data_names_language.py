"""Names of agencies, units and positions stay Indonesian on the English personnel pages: an element
around each says ``lang="id"`` there, and so do the options of the unit selects (the empty choice left in
the page's language); the Indonesian pages leave it to ``<html lang="id">`` (WCAG 2.1 SC 3.1.2)."""

import datetime as dt
import re

import pytest

from amanah.personnel import services
from tests.i18n import client_in
from tests.lang_marks import assert_marked_indonesian, assert_not_remarked

pytestmark = pytest.mark.django_db

AGENCY = "Pemerintah Kabupaten A"
OTHER_AGENCY = "Pemerintah Kabupaten B"
UNIT = "Bidang Pendaftaran Penduduk"
POSITION = "Pengadministrasi"
NEW_POSITION = "Analis Kependudukan"


def _page(language, path, user):
    client = client_in(language)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (language, path)
    return response.content.decode()


def _both(path, user, *texts):
    assert_marked_indonesian(_page("en", path, user), *texts)
    assert_not_remarked(_page("id", path, user), *texts)


def _options(page, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return re.findall(r"<option[^>]*>", select.group(1))


@pytest.fixture
def transfer(people, org):
    """Agency A's HR asks to move B's staff member into A's Bidang."""
    return services.request_transfer(
        people["hr"],
        nip=org["b"]["staff"].nip,
        to_unit=org["a"]["bidang"],
        position=NEW_POSITION,
        sk_number="821/45/BKPSDM/2026",
        sk_date=dt.date.today() - dt.timedelta(days=3),
    )


@pytest.mark.parametrize(
    "path, texts",
    [
        ("/kepegawaian/staf/?instansi=kab-a", (AGENCY,)),
        ("/kepegawaian/pegawai/?instansi=kab-a", (AGENCY, UNIT, POSITION)),
        ("/kepegawaian/jp/?instansi=kab-a", (UNIT,)),
        ("/kepegawaian/indeks/?instansi=kab-a", (AGENCY, UNIT)),
        ("/kepegawaian/kompetensi/?instansi=kab-a", (AGENCY,)),
    ],
)
def test_the_agency_pages_mark_the_agency_units_and_positions(people, path, texts):
    _both(path, people["hr"], *texts)


def test_an_employees_page_and_ones_own_mark_the_unit_and_position(people, org):
    _both(f"/kepegawaian/pegawai/{org['a']['staff'].nip}/", people["hr"], UNIT, POSITION)
    _both("/kepegawaian/saya/", people["asn"], UNIT, POSITION)


def test_the_transfer_pages_mark_both_agencies_and_units(people, transfer):
    _both("/kepegawaian/mutasi/?instansi=kab-a", people["hr"], AGENCY, OTHER_AGENCY)
    _both(f"/kepegawaian/mutasi/{transfer.pk}/", people["hr"], AGENCY, OTHER_AGENCY, UNIT)


@pytest.mark.parametrize(
    "path", ["/kepegawaian/mutasi/?instansi=kab-a", "/kepegawaian/pegawai/baru/?instansi=kab-a"]
)
def test_the_unit_options_are_marked_but_not_the_empty_choice(people, path):
    english = _options(_page("en", path, people["hr"]), "unit")
    assert len(english) > 2, english
    assert 'lang="id"' not in english[0]  # "---------": not a name
    assert all('lang="id"' in o for o in english[1:]), english
    assert not any("lang=" in o for o in _options(_page("id", path, people["hr"]), "unit"))
