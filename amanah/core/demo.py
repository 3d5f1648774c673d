"""Demo data: real-looking agencies, units, services, employees and one account per role.
Each app adds its own demo data through its ``demo.load(ctx)``."""

from __future__ import annotations

import importlib

from django.db import transaction

from . import audit
from .models import Agency, Employee, Role, RoleAssignment, Service, Unit, User

DEMO_PASSWORD = "amanah-demo"

DEMO_ACCOUNTS = [
    ("admin@amanah.test", "Admin platform"),
    ("operator@dukcapil.test", "Petugas / operator — Disdukcapil Kab. Sleman"),
    ("unit@dukcapil.test", "Unit kerja — Bidang Pelayanan Pendaftaran Penduduk"),
    ("pengelola@sleman.test", "Pengelola pengaduan — Pemkab Sleman"),
    ("inspektorat@sleman.test", "Inspektorat — Pemkab Sleman"),
    ("kustodian@sleman.test", "Kustodian identitas — Pemkab Sleman"),
    ("bkpsdm@sleman.test", "Kepegawaian (BKPSDM) — Pemkab Sleman"),
    ("bupati@sleman.test", "Pimpinan — Pemkab Sleman"),
    ("auditor@sleman.test", "Auditor — Pemkab Sleman"),
    ("asn@dukcapil.test", "ASN (layanan mandiri) — Disdukcapil"),
]

AGENCIES = [
    ("kemenkes", "Kementerian Kesehatan", "Kemenkes", "kementerian", None, "Asia/Jakarta"),
    (
        "kemendikbudristek",
        "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",
        "Kemendikbudristek",
        "kementerian",
        None,
        "Asia/Jakarta",
    ),
    ("kemendagri", "Kementerian Dalam Negeri", "Kemendagri", "kementerian", None, "Asia/Jakarta"),
    (
        "prov-diy",
        "Pemerintah Daerah Istimewa Yogyakarta",
        "Pemda DIY",
        "provinsi",
        None,
        "Asia/Jakarta",
    ),
    (
        "kab-sleman",
        "Pemerintah Kabupaten Sleman",
        "Pemkab Sleman",
        "kabupaten",
        "prov-diy",
        "Asia/Jakarta",
    ),
]

# (agency, code, name, kind, parent code)
UNITS = [
    ("kemenkes", "kemenkes-setjen", "Sekretariat Jenderal", "sekretariat", None),
    ("kemenkes", "kemenkes-itjen", "Inspektorat Jenderal", "inspektorat", None),
    ("kemenkes", "kemenkes-yankes", "Direktorat Jenderal Pelayanan Kesehatan", "pelayanan", None),
    ("kemendikbudristek", "kemendikbud-setjen", "Sekretariat Jenderal", "sekretariat", None),
    ("kemendikbudristek", "kemendikbud-itjen", "Inspektorat Jenderal", "inspektorat", None),
    (
        "kemendikbudristek",
        "kemendikbud-dikdasmen",
        "Direktorat Jenderal PAUD, Dikdas dan Dikmen",
        "pelayanan",
        None,
    ),
    ("kemendagri", "kemendagri-setjen", "Sekretariat Jenderal", "sekretariat", None),
    ("kemendagri", "kemendagri-itjen", "Inspektorat Jenderal", "inspektorat", None),
    (
        "kemendagri",
        "kemendagri-dukcapil",
        "Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
        "pelayanan",
        None,
    ),
    ("prov-diy", "diy-setda", "Sekretariat Daerah DIY", "sekretariat", None),
    ("prov-diy", "diy-inspektorat", "Inspektorat DIY", "inspektorat", "diy-setda"),
    ("prov-diy", "diy-dinkes", "Dinas Kesehatan DIY", "pelayanan", "diy-setda"),
    ("kab-sleman", "sleman-setda", "Sekretariat Daerah Kabupaten Sleman", "pimpinan", None),
    (
        "kab-sleman",
        "sleman-inspektorat",
        "Inspektorat Kabupaten Sleman",
        "inspektorat",
        "sleman-setda",
    ),
    (
        "kab-sleman",
        "sleman-bkpsdm",
        "Badan Kepegawaian dan Pengembangan SDM",
        "kepegawaian",
        "sleman-setda",
    ),
    (
        "kab-sleman",
        "sleman-dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "pelayanan",
        "sleman-setda",
    ),
    (
        "kab-sleman",
        "sleman-dukcapil-dafduk",
        "Bidang Pelayanan Pendaftaran Penduduk",
        "pelayanan",
        "sleman-dukcapil",
    ),
    (
        "kab-sleman",
        "sleman-dukcapil-capil",
        "Bidang Pelayanan Pencatatan Sipil",
        "pelayanan",
        "sleman-dukcapil",
    ),
    ("kab-sleman", "sleman-dpmptsp", "Dinas Penanaman Modal dan PTSP", "pelayanan", "sleman-setda"),
    ("kab-sleman", "sleman-rsud", "RSUD Sleman", "pelayanan", "sleman-setda"),
]

# (unit, code, name, duration, cost, requirements)
SERVICES = [
    (
        "sleman-dukcapil-dafduk",
        "ktp-el",
        "Penerbitan KTP-el",
        "1 hari kerja",
        "Gratis",
        "Fotokopi Kartu Keluarga; berusia 17 tahun atau sudah/pernah kawin",
    ),
    (
        "sleman-dukcapil-dafduk",
        "kk",
        "Penerbitan Kartu Keluarga",
        "1 hari kerja",
        "Gratis",
        "Formulir F-1.01; KK lama; surat keterangan pindah bila pindah datang",
    ),
    (
        "sleman-dukcapil-dafduk",
        "kia",
        "Penerbitan Kartu Identitas Anak (KIA)",
        "1 hari kerja",
        "Gratis",
        "Fotokopi akta kelahiran; KK orang tua; pas foto untuk anak 5 tahun ke atas",
    ),
    (
        "sleman-dukcapil-dafduk",
        "pindah-datang",
        "Surat Keterangan Pindah",
        "1 hari kerja",
        "Gratis",
        "KK; KTP-el; formulir F-1.03",
    ),
    (
        "sleman-dukcapil-capil",
        "akta-lahir",
        "Penerbitan Akta Kelahiran",
        "1 hari kerja",
        "Gratis",
        "Surat keterangan kelahiran; KK; KTP-el orang tua",
    ),
    (
        "sleman-dukcapil-capil",
        "akta-mati",
        "Penerbitan Akta Kematian",
        "1 hari kerja",
        "Gratis",
        "Surat keterangan kematian; KK; KTP-el almarhum",
    ),
    (
        "sleman-dpmptsp",
        "pbg",
        "Persetujuan Bangunan Gedung (PBG)",
        "28 hari kerja",
        "Sesuai retribusi daerah",
        "Dokumen rencana teknis; bukti kepemilikan tanah",
    ),
    (
        "sleman-dpmptsp",
        "nib",
        "Pendampingan Nomor Induk Berusaha (NIB)",
        "1 hari kerja",
        "Gratis",
        "KTP-el; NPWP",
    ),
    (
        "sleman-rsud",
        "rawat-jalan",
        "Pelayanan Rawat Jalan",
        "Sesuai antrean",
        "Tarif BLUD / JKN",
        "Kartu JKN atau identitas; surat rujukan untuk pasien JKN",
    ),
    (
        "sleman-rsud",
        "igd",
        "Instalasi Gawat Darurat",
        "Segera",
        "Tarif BLUD / JKN",
        "Tanpa syarat dalam keadaan darurat",
    ),
    (
        "diy-dinkes",
        "izin-apotek",
        "Rekomendasi Izin Apotek",
        "14 hari kerja",
        "Gratis",
        "Dokumen apoteker; denah",
    ),
    (
        "kemenkes-yankes",
        "str-nakes",
        "Pelayanan Surat Tanda Registrasi Tenaga Kesehatan",
        "10 hari kerja",
        "Sesuai PNBP",
        "Ijazah; sertifikat kompetensi",
    ),
    (
        "kemendikbud-dikdasmen",
        "nisn",
        "Layanan Verifikasi NISN",
        "3 hari kerja",
        "Gratis",
        "Data siswa dari sekolah",
    ),
    (
        "kemendagri-dukcapil",
        "nik-verifikasi",
        "Verifikasi Data Kependudukan untuk Lembaga",
        "5 hari kerja",
        "Gratis",
        "Perjanjian kerja sama",
    ),
]

# (nip, name, unit, position, heads unit?)
EMPLOYEES = [
    ("197005121995031001", "Drs. Harda Kiswaya", "sleman-setda", "Sekretaris Daerah", True),
    (
        "197609152000122001",
        "Dra. Wahyu Setyaningsih",
        "sleman-dukcapil",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        True,
    ),
    (
        "198203102006041002",
        "Agus Santoso, S.Kom.",
        "sleman-dukcapil-dafduk",
        "Kepala Bidang Pelayanan Pendaftaran Penduduk",
        True,
    ),
    (
        "199101252015032003",
        "Rina Marlina, S.E.",
        "sleman-dukcapil-dafduk",
        "Pengadministrasi Kependudukan",
        False,
    ),
    (
        "199306082019022004",
        "Dewi Lestari, A.Md.",
        "sleman-dukcapil-dafduk",
        "Operator Layanan Operasional",
        False,
    ),
    (
        "198511302010011005",
        "Bambang Wijaya, S.H.",
        "sleman-dukcapil-capil",
        "Kepala Bidang Pelayanan Pencatatan Sipil",
        True,
    ),
    (
        "199510122020122006",
        "Siti Nurhaliza, S.Sos.",
        "sleman-dukcapil-capil",
        "Analis Pencatatan Sipil",
        False,
    ),
    (
        "197812202003121007",
        "Ir. Joko Prasetyo, M.M.",
        "sleman-inspektorat",
        "Inspektur Daerah",
        True,
    ),
    (
        "198807142012122008",
        "Fitri Handayani, S.E., Ak.",
        "sleman-inspektorat",
        "Auditor Ahli Muda",
        False,
    ),
    ("198002182005011009", "Hendra Gunawan, S.Psi.", "sleman-bkpsdm", "Kepala BKPSDM", True),
    ("199204042018011010", "Yusuf Maulana, S.Kom.", "sleman-bkpsdm", "Analis SDM Aparatur", False),
    ("198309092009011011", "dr. Andi Pratama, Sp.PD.", "sleman-rsud", "Direktur RSUD", True),
    ("199708172022032012", "Putri Ayu Kusuma, A.Md.Kep.", "sleman-rsud", "Perawat Terampil", False),
    ("198601012011011013", "Teguh Raharjo, S.T.", "sleman-dpmptsp", "Kepala Dinas PMPTSP", True),
    # Two bidang of Dukcapil with five ASN each (rules.MIN_GROUP of personnel), so the Indeks
    # Profesionalitas page shows their averages instead of hiding every unit.
    (
        "199004172014031014",
        "Andri Kurniawan, S.Kom.",
        "sleman-dukcapil-dafduk",
        "Pranata Komputer Ahli Pertama",
        False,
    ),
    (
        "199411232019032015",
        "Nur Aini Rahmawati, S.A.P.",
        "sleman-dukcapil-dafduk",
        "Analis Data Kependudukan",
        False,
    ),
    (
        "198708052011011016",
        "Slamet Riyadi, S.H.",
        "sleman-dukcapil-capil",
        "Verifikator Akta Pencatatan Sipil",
        False,
    ),
    (
        "199202142016022017",
        "Lestari Wulandari, S.Sos.",
        "sleman-dukcapil-capil",
        "Pengadministrasi Pencatatan Sipil",
        False,
    ),
    (
        "199609302020121018",
        "Dimas Aditya Nugroho, A.Md.",
        "sleman-dukcapil-capil",
        "Operator Layanan Operasional",
        False,
    ),
]

# email, name, role, agency, unit, employee nip
ACCOUNTS = [
    ("admin@amanah.test", "Admin Platform", Role.ADMIN, None, None, None),
    (
        "operator@dukcapil.test",
        "Dewi Lestari",
        Role.OPERATOR,
        "kab-sleman",
        "sleman-dukcapil",
        "199306082019022004",
    ),
    (
        "unit@dukcapil.test",
        "Agus Santoso",
        Role.UNIT,
        "kab-sleman",
        "sleman-dukcapil-dafduk",
        "198203102006041002",
    ),
    (
        "pengelola@sleman.test",
        "Pengelola Pengaduan Sleman",
        Role.COMPLAINT_MANAGER,
        "kab-sleman",
        None,
        None,
    ),
    (
        "inspektorat@sleman.test",
        "Fitri Handayani",
        Role.INSPECTORATE,
        "kab-sleman",
        None,
        "198807142012122008",
    ),
    (
        "kustodian@sleman.test",
        "Ir. Joko Prasetyo",
        Role.CUSTODIAN,
        "kab-sleman",
        None,
        "197812202003121007",
    ),
    ("bkpsdm@sleman.test", "Yusuf Maulana", Role.HR, "kab-sleman", None, "199204042018011010"),
    ("bupati@sleman.test", "Pimpinan Daerah Sleman", Role.LEADERSHIP, "kab-sleman", None, None),
    ("auditor@sleman.test", "Auditor Sleman", Role.AUDITOR, "kab-sleman", None, None),
    ("asn@dukcapil.test", "Rina Marlina", None, None, None, "199101252015032003"),
]

APPS = ["complaints", "integrity", "surveys", "personnel", "forum", "transparency"]


def is_empty() -> bool:
    return not Agency.objects.exists()


@transaction.atomic
def load_organisation() -> dict:
    agencies = {}
    for code, name, short, kind, parent, tz in AGENCIES:
        agencies[code] = Agency.objects.create(
            code=code,
            name=name,
            short_name=short,
            kind=kind,
            parent=agencies.get(parent),
            time_zone=tz,
        )
    units = {}
    for agency, code, name, kind, parent in UNITS:
        units[code] = Unit.objects.create(
            agency=agencies[agency], code=code, name=name, kind=kind, parent=units.get(parent)
        )
    services = {}
    for unit, code, name, duration, cost, req in SERVICES:
        services[code] = Service.objects.create(
            unit=units[unit], code=code, name=name, duration=duration, cost=cost, requirements=req
        )
    employees = {}
    for nip, name, unit, position, heads in EMPLOYEES:
        emp = Employee.objects.create(nip=nip, name=name, unit=units[unit], position=position)
        employees[nip] = emp
        if heads:
            units[unit].head = emp
            units[unit].save(update_fields=["head"])
    users = {}
    for email, name, role, agency, unit, nip in ACCOUNTS:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            full_name=name,
            employee=employees.get(nip),
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        if role:
            RoleAssignment.objects.create(
                user=user, role=role, agency=agencies.get(agency), unit=units.get(unit)
            )
        users[email] = user
    audit.record(
        "system", "core.demo_loaded", None, {"agencies": len(agencies), "units": len(units)}
    )
    return {
        "agencies": agencies,
        "units": units,
        "services": services,
        "employees": employees,
        "users": users,
    }


def _story_tasks() -> list[str]:
    """The tasks loading the demo queues that nobody needs once it is loaded: the mails and short
    messages of the cases' past steps (to made-up addresses, about days long gone) and the dashboard
    syncs that ``transparency.demo`` has already done by rebuilding the rollups."""
    from amanah.core.tasks import send_sealed_email, send_sealed_sms
    from amanah.integrity.tasks import notify_reporter
    from amanah.transparency.tasks import sync_complaint, sync_period, sync_report

    tasks = (send_sealed_email, send_sealed_sms, notify_reporter)
    return [t.module_path for t in (*tasks, sync_complaint, sync_report, sync_period)]


def drop_story_backlog() -> int:
    """Removes what :func:`load_all` left queued for the worker (:func:`_story_tasks`, and the mails held
    to a later day), so that the worker of ``amanah demo`` does not print some 800 mails of the cases'
    history at start-up, scrolling away the demo logins it has just printed; returns how many. Only the
    database task backend keeps such a queue (others ran the tasks already). ``load_all`` itself leaves
    them, for tests that want a queue full of real mails."""
    from django.conf import settings

    from .models import HeldMail

    held = HeldMail.objects.all().delete()[0]
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return held
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path__in=_story_tasks()
    ).delete()[0]
    return held + queued


def load_all() -> dict:
    ctx = load_organisation()
    for app in APPS:
        module = importlib.import_module(f"amanah.{app}.demo")
        module.load(ctx)
    return ctx
