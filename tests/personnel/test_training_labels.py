"""The training categories and methods are labelled in Indonesian, each label one language (no
"On-the-job training / magang"), with the English one through the catalogue; what is stored are the
unchanged keys, which the training import's ``bentuk`` and ``kategori`` columns take (as they take the
labels: test_training_round_trip)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from amanah.personnel import rules
from amanah.personnel.models import Training
from tests.i18n import client_in

from . import helpers

P = "/api/v1/personnel"
ENGLISH_WORDS = ("training", "workshop", "soft skill", "e-learning", "coaching", "on-the-job")


@pytest.mark.parametrize("table", ["PROGRAM_METHODS", "PROGRAM_CATEGORIES"])
def test_each_label_is_indonesian_with_an_english_translation(table):
    labels = getattr(rules, table)
    for key, label in labels.items():
        assert not any(w in label.lower() for w in ENGLISH_WORDS), (key, label)
        with translation.override("en"):
            english = translation.gettext(label)
        assert english != label, (key, label)  # translated, not shown as is


def test_the_stored_values_are_unchanged():
    assert set(rules.PROGRAM_CATEGORIES) == {
        "teknis",
        "kepemimpinan",
        "sosial_kultural",
        "soft_skill",
    }
    assert set(rules.PROGRAM_METHODS) == {
        "pelatihan",
        "workshop",
        "seminar",
        "on_the_job",
        "off_the_job",
        "e_learning",
        "coaching",
    }


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("id", "Pelatihan di tempat kerja / magang", "On-the-job"),
        ("en", "On-the-job training / internship", "di tempat kerja"),
    ],
)
def test_the_catalogue_form_offers_the_methods_in_the_readers_language(
    people, language, shown, not_shown
):
    client = client_in(language)
    client.force_login(people["hr"])
    page = client.get("/kepegawaian/program/").content.decode()
    assert f'<option value="on_the_job">{shown}</option>' in page
    assert not_shown not in page


def test_the_import_takes_the_stored_values_and_the_export_shows_the_label(people, api_as, org):
    nip = org["a"]["staff"].nip
    data = (
        "nip,nama_kegiatan,jp,tanggal_selesai,kategori,bentuk\n"
        f"{nip},Magang di Disdukcapil,8,{helpers.today().isoformat()},soft_skill,on_the_job\n"
    ).encode()
    hr = api_as(people["hr"])
    r = hr.post(
        f"{P}/imports/diklat",
        {"file": SimpleUploadedFile("d.csv", data, "text/csv")},
        multipart=True,
    )
    assert r.status_code == 201, r.content
    t = Training.objects.get()
    assert (t.method, t.category) == ("on_the_job", "soft_skill")
    export = hr.get(f"{P}/exports/diklat", {"year": helpers.today().year}).content.decode()
    row = next(line for line in io.StringIO(export) if "Magang di Disdukcapil" in line)
    assert "Pelatihan di tempat kerja / magang" in row and "Keterampilan nonteknis" in row
