"""A diklat export is imported as it is: the import takes the export's column names (JENIS_DIKLAT,
NAMA_DIKLAT, JUMLAH_JP) and, in ``kategori``/JENIS_DIKLAT and ``bentuk``/BENTUK, the stored value or its
label, Indonesian or English, in any case — the export writes the label in the exporter's language."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amanah.core import tabular
from amanah.personnel import rules, services
from amanah.personnel.models import Training
from tests.i18n import client_in

from . import helpers

pytestmark = pytest.mark.django_db

FIELDS = ("employee_id", "title", "category", "method", "jp", "completed_on", "certificate_number")


def _recorded():
    return sorted(Training.objects.values_list(*FIELDS))


def _trainings(org):
    a = org["a"]
    # Every category and every method, one of them with a fractional JP and a certificate.
    for i, (category, method) in enumerate(
        zip(
            list(rules.PROGRAM_CATEGORIES) * 2,
            list(rules.PROGRAM_METHODS) + ["pelatihan"],
            strict=True,
        )
    ):
        helpers.training(
            a["staff"] if i % 2 else a["kabid"],
            jp=7.5 if i == 0 else 8,
            title=f"Kegiatan {i}",
            category=category,
            method=method,
            certificate_number="SERT/001" if i == 0 else "",
        )


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_diklat_file_imports_as_it_is(org, people, language, fmt):
    _trainings(org)
    before = _recorded()
    client = client_in(language)
    client.force_login(people["hr"])
    year = helpers.today().year
    r = client.get(f"/kepegawaian/ekspor/diklat/?format={fmt}&tahun={year}")
    assert r.status_code == 200
    data = r.content
    if language == "en":  # the labels are the English ones
        assert "On-the-job training / internship" in str(
            tabular.read_rows(data, filename=f"d.{fmt}")
        )
    Training.objects.all().delete()
    result = services.import_trainings(
        people["hr"], org["a"]["agency"], SimpleUploadedFile(f"diklat.{fmt}", data)
    )
    assert result == {"created": len(before)}
    assert _recorded() == before


@pytest.mark.parametrize(
    ("kategori", "bentuk"),
    [
        ("soft_skill", "on_the_job"),
        ("SOFT_SKILL", "On_The_Job"),
        (
            "Keterampilan nonteknis (komunikasi efektif, manajemen konflik, …)",
            "pelatihan di tempat kerja / MAGANG",
        ),
        (
            "soft skills (effective communication, conflict management, …)",
            "On-the-job training / internship",
        ),
    ],
)
def test_the_import_takes_a_value_or_a_label_in_any_case(org, people, kategori, bentuk):
    nip = org["a"]["staff"].nip
    out = io.StringIO()
    out.write("nip,nama_kegiatan,jp,tanggal_selesai,kategori,bentuk\n")
    out.write(f'{nip},Magang,8,{helpers.today().isoformat()},"{kategori}","{bentuk}"\n')
    services.import_trainings(
        people["hr"],
        org["a"]["agency"],
        SimpleUploadedFile("d.csv", out.getvalue().encode()),
    )
    t = Training.objects.get()
    assert (t.category, t.method) == ("soft_skill", "on_the_job")


def test_an_unknown_label_is_refused_naming_the_files_column(org, people):
    nip = org["a"]["staff"].nip
    data = (
        "NIP,NAMA_DIKLAT,JUMLAH_JP,TANGGAL_SELESAI,JENIS_DIKLAT,BENTUK\n"
        f"{nip},Magang,8,{helpers.today().isoformat()},Memasak,Lokakarya\n"
    ).encode()
    with pytest.raises(tabular.ImportRejected) as exc:
        services.import_trainings(
            people["hr"], org["a"]["agency"], SimpleUploadedFile("d.csv", data)
        )
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "jenis_diklat")]
    assert not Training.objects.exists()


def test_a_file_with_both_names_of_a_column_is_refused(org, people):
    nip = org["a"]["staff"].nip
    data = (
        "nip,nama_kegiatan,nama_diklat,jp,tanggal_selesai\n"
        f"{nip},Magang,Lain,8,{helpers.today().isoformat()}\n"
    ).encode()
    with pytest.raises(tabular.ImportRejected) as exc:
        services.import_trainings(
            people["hr"], org["a"]["agency"], SimpleUploadedFile("d.csv", data)
        )
    assert [e.column for e in exc.value.errors] == ["nama_diklat"]
    assert not Training.objects.exists()
