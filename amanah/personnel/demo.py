"""Demo data for Kepegawaian, on the demo employees of Pemkab Sleman (see ``amanah.core.demo``):
a programme catalogue, trainings across two years (the demo ASN is still below 20 JP this year),
competency standards and assessments, a mentoring pair, SKP periods with ratings and one SKP waiting
for the supervisor, discipline cases, unexcused absences, awards and education for the index."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from amanah.core.calendar import Calendar

from . import rules
from .models import (
    Absence,
    Assessment,
    Award,
    CaseStatus,
    Competency,
    DisciplineCase,
    Examination,
    Mentoring,
    MentoringSession,
    PositionRequirement,
    Profile,
    Program,
    Skp,
    SkpIndicator,
    SkpPeriod,
    Summons,
    Training,
)

EDUCATION = {
    "197005121995031001": "s2",
    "197609152000122001": "s2",
    "198203102006041002": "s1",
    "199101252015032003": "s1",
    "199306082019022004": "d3",
    "198511302010011005": "s1",
    "199510122020122006": "s1",
    "197812202003121007": "s2",
    "198807142012122008": "s1",
    "198002182005011009": "s2",
    "199204042018011010": "s1",
    "198309092009011011": "s2",
    "199708172022032012": "d3",
    "198601012011011013": "s1",
    "199004172014031014": "s1",
    "199411232019032015": "s1",
    "198708052011011016": "s1",
    "199202142016022017": "s1",
    "199609302020121018": "d3",
}

# code, title, category, method, competency type, JP, provider, competencies, agency (None = national)
PROGRAMS = [
    (
        "pkp",
        "Pelatihan Kepemimpinan Pengawas (PKP)",
        "kepemimpinan",
        "pelatihan",
        "manajerial",
        279,
        "BPSDM DIY",
        ["pengambilan-keputusan", "mengelola-perubahan", "kerjasama"],
        None,
    ),
    (
        "pelayanan-prima",
        "Pelatihan Pelayanan Prima",
        "teknis",
        "pelatihan",
        "manajerial",
        24,
        "BPSDM DIY",
        ["pelayanan-publik"],
        None,
    ),
    (
        "komunikasi-efektif",
        "Komunikasi Efektif dalam Pelayanan",
        "soft_skill",
        "workshop",
        "manajerial",
        16,
        "BKPSDM Sleman",
        ["komunikasi"],
        "kab-sleman",
    ),
    (
        "manajemen-konflik",
        "Manajemen Konflik dan Penanganan Pengaduan",
        "soft_skill",
        "workshop",
        "manajerial",
        12,
        "BKPSDM Sleman",
        ["komunikasi", "pelayanan-publik"],
        "kab-sleman",
    ),
    (
        "aclc-integritas",
        "E-learning Integritas ASN (ACLC)",
        "teknis",
        "e_learning",
        "manajerial",
        10,
        "KPK",
        ["integritas"],
        None,
    ),
    (
        "seminar-antikorupsi",
        "Seminar Hari Antikorupsi Sedunia",
        "teknis",
        "seminar",
        "manajerial",
        4,
        "Inspektorat Kabupaten Sleman",
        ["integritas"],
        "kab-sleman",
    ),
    (
        "wawasan-kebangsaan",
        "Wawasan Kebangsaan dan Moderasi",
        "sosial_kultural",
        "pelatihan",
        "sosial_kultural",
        8,
        "Kesbangpol Sleman",
        ["perekat-bangsa"],
        "kab-sleman",
    ),
    (
        "siak-terpusat",
        "Operasional SIAK Terpusat",
        "teknis",
        "on_the_job",
        "teknis",
        32,
        "Ditjen Dukcapil Kemendagri",
        [],
        None,
    ),
]

# nip, programme code, completed (year offset, month, day)
TRAININGS = [
    ("199101252015032003", "komunikasi-efektif", (0, 3, 14)),
    ("199101252015032003", "pelayanan-prima", (-1, 8, 20)),
    ("199306082019022004", "siak-terpusat", (0, 2, 10)),
    ("198203102006041002", "pkp", (-1, 10, 5)),
    ("198203102006041002", "pelayanan-prima", (0, 5, 22)),
    ("198511302010011005", "aclc-integritas", (0, 4, 2)),
    ("199510122020122006", "manajemen-konflik", (0, 6, 12)),
    ("199510122020122006", "seminar-antikorupsi", (-1, 12, 9)),
    ("198807142012122008", "aclc-integritas", (0, 1, 30)),
    ("198807142012122008", "pelayanan-prima", (0, 7, 7)),
    ("199204042018011010", "wawasan-kebangsaan", (0, 2, 25)),
    ("199004172014031014", "siak-terpusat", (0, 3, 3)),
    ("199411232019032015", "pelayanan-prima", (0, 4, 20)),
    ("199411232019032015", "seminar-antikorupsi", (-1, 12, 9)),
    ("198708052011011016", "aclc-integritas", (0, 2, 5)),
    ("198708052011011016", "manajemen-konflik", (-1, 9, 18)),
    ("199202142016022017", "komunikasi-efektif", (0, 3, 14)),
    ("199609302020121018", "siak-terpusat", (-1, 11, 4)),
]


def _date(offset_month_day, today):
    off, month, day = offset_month_day
    d = dt.date(today.year + off, month, day)
    return min(d, today)


def load(ctx):
    agencies, employees, users = ctx["agencies"], ctx["employees"], ctx["users"]
    sleman = agencies["kab-sleman"]
    today = timezone.localdate()
    cal = Calendar(sleman)

    for nip, edu in EDUCATION.items():
        Profile.objects.create(employee=employees[nip], education=edu)
    comps = {c.code: c for c in Competency.objects.filter(agency=None)}
    siak = Competency.objects.create(
        agency=sleman, code="siak", type="teknis", name="Administrasi kependudukan (SIAK)"
    )
    programs = {}
    for code, title, cat, method, ctype, jp, provider, comp_codes, agency in PROGRAMS:
        p = Program.objects.create(
            code=code,
            title=title,
            category=cat,
            method=method,
            competency_type=ctype,
            jp=Decimal(jp),
            provider=provider,
            agency=agencies.get(agency) if agency else None,
        )
        p.competencies.set([comps[c] for c in comp_codes] or [siak])
        programs[code] = p
    for nip, code, when in TRAININGS:
        p, done = programs[code], _date(when, today)
        Training.objects.create(
            employee=employees[nip],
            program=p,
            title=p.title,
            category=p.category,
            method=p.method,
            jp=p.jp,
            status="selesai",
            enrolled_on=done,
            completed_on=done,
            certificate_number=f"{code.upper()}/{done.year}/{nip[-3:]}",
        )
    rina, dewi, agus = (
        employees["199101252015032003"],
        employees["199306082019022004"],
        employees["198203102006041002"],
    )
    Training.objects.create(
        employee=rina,
        program=programs["aclc-integritas"],
        title=programs["aclc-integritas"].title,
        category="teknis",
        method="e_learning",
        jp=programs["aclc-integritas"].jp,
        status="terdaftar",
        enrolled_on=today,
    )

    # Competency standard of the demo ASN's position, and assessments.
    position = rina.position
    for code, level in (
        ("komunikasi", 3),
        ("pelayanan-publik", 3),
        ("integritas", 3),
        ("perekat-bangsa", 2),
    ):
        PositionRequirement.objects.create(
            agency=sleman, position=position, competency=comps[code], level=level
        )
    PositionRequirement.objects.create(agency=sleman, position=position, competency=siak, level=3)
    for comp, level in (
        (comps["komunikasi"], 2),
        (comps["pelayanan-publik"], 3),
        (comps["integritas"], 3),
        (comps["perekat-bangsa"], 2),
        (siak, 2),
    ):
        Assessment.objects.create(
            employee=rina,
            competency=comp,
            level=level,
            method="Uji kompetensi BKPSDM",
            assessed_on=dt.date(today.year, 2, 15) if today.month > 2 else today,
        )

    # Mentoring: the head of the bidang mentors a young ASN.
    m = Mentoring.objects.create(
        mentor=agus,
        mentee=dewi,
        kind="mentoring",
        start=today - dt.timedelta(days=120),
        goals="Menguasai verifikasi berkas KK dan KTP-el secara mandiri; pelayanan ramah.",
    )
    MentoringSession.objects.create(
        mentoring=m,
        held_on=today - dt.timedelta(days=90),
        topic="Alur verifikasi dokumen",
        outcome="Memahami daftar periksa",
    )
    MentoringSession.objects.create(
        mentoring=m,
        held_on=today - dt.timedelta(days=30),
        topic="Menghadapi pemohon yang marah",
        outcome="Berlatih teknik de-eskalasi",
    )

    # SKP: last year rated for everyone in Dukcapil; this year waiting for the supervisor for Rina.
    last = SkpPeriod.objects.create(
        agency=sleman,
        name=f"Tahun {today.year - 1}",
        start=dt.date(today.year - 1, 1, 1),
        end=dt.date(today.year - 1, 12, 31),
    )
    current = SkpPeriod.objects.create(
        agency=sleman,
        name=f"Tahun {today.year}",
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
    )
    # 18 rated ASN: 7 "sangat baik", 9 "baik", 2 "butuh perbaikan", so that the dashboard's distribution
    # shows a figure beside the small counts it hides (with their protection).
    ratings = [
        ("di_atas", "di_atas"),
        ("sesuai", "sesuai"),
        ("di_atas", "di_atas"),
        ("sesuai", "di_atas"),
        ("di_bawah", "sesuai"),
        ("di_atas", "di_atas"),
        ("di_atas", "sesuai"),
        ("sesuai", "sesuai"),
        ("di_atas", "di_atas"),
        ("di_bawah", "sesuai"),
        ("sesuai", "sesuai"),
        ("di_atas", "di_atas"),
        ("sesuai", "sesuai"),
        ("sesuai", "sesuai"),
        ("di_atas", "di_atas"),
        ("sesuai", "di_atas"),
        ("di_atas", "di_atas"),
        ("sesuai", "sesuai"),
    ]
    for i, emp in enumerate(e for e in employees.values() if e.superiors()):
        hk, pk = ratings[i % len(ratings)]
        skp = Skp.objects.create(
            employee=emp,
            period=last,
            rater=emp.superiors()[0],
            hasil_kerja=hk,
            perilaku=pk,
            predicate=rules.skp_predicate(hk, pk),
            status="final",
            rated_at=timezone.now() - dt.timedelta(days=300),
        )
        SkpIndicator.objects.create(
            skp=skp,
            description="Layanan diselesaikan sesuai standar waktu",
            target=Decimal(95),
            unit="persen",
            result=Decimal(94 + i % 4),
        )
    skp = Skp.objects.create(employee=rina, period=current, rater=agus)
    SkpIndicator.objects.create(
        skp=skp,
        description="Dokumen kependudukan terbit dalam 1 hari kerja",
        target=Decimal(95),
        unit="persen",
    )
    SkpIndicator.objects.create(
        skp=skp,
        description="Pengaduan layanan dijawab dalam 5 hari kerja",
        target=Decimal(100),
        unit="persen",
    )

    # Discipline: a decided reprimand for unexcused absence, and a case from the integrity channel.
    putri, head_rsud = employees["199708172022032012"], employees["198309092009011011"]
    year_start = dt.date(today.year, 1, 1)
    days = [cal.add(year_start, n) for n in (10, 11, 25, 40, 41)]
    Absence.objects.bulk_create([Absence(employee=putri, date=d) for d in days if d < today])
    opened = cal.add(year_start, 45)
    if opened < today - dt.timedelta(days=40):
        case = DisciplineCase.objects.create(
            number=f"HD-{today.year}-DEMO01",
            employee=putri,
            agency=sleman,
            opened_on=opened,
            source="absensi",
            allegation="Tidak masuk kerja tanpa alasan yang sah selama 5 hari kerja.",
        )
        s = Summons.objects.create(
            case=case, sequence=1, sent_on=opened, examination_on=cal.add(opened, 7), attended=True
        )
        Examination.objects.create(
            case=case,
            held_on=s.examination_on,
            bap_number=f"BAP/{today.year}/RSUD/01",
            summary="Mengakui tidak masuk kerja tanpa izin.",
        )
        decided = cal.add(s.examination_on, 5)
        case.status, case.proven, case.level, case.sanction = (
            CaseStatus.DECIDED,
            True,
            "ringan",
            "teguran_tertulis",
        )
        case.decided_by, case.decided_on, case.sanction_start = head_rsud, decided, decided
        case.delivered_on = decided  # handed over the day it was decided
        case.decision_number = f"800/{today.year}/RSUD/12"
        case.save()
    DisciplineCase.objects.create(
        number=f"HD-{today.year}-DEMO02",
        employee=employees["199510122020122006"],
        agency=sleman,
        source="integritas",
        source_reference="WBS-DEMO-0001",
        opened_on=today - dt.timedelta(days=3),
        allegation="Temuan tim integritas: dugaan meminta imbalan untuk mempercepat penerbitan akta.",
    )

    # Recognition.
    hr_user = users.get("bkpsdm@sleman.test")
    Award.objects.create(
        employee=agus,
        kind="integritas",
        title="ASN Berintegritas Kabupaten Sleman",
        reason="Rekam jejak bersih dan menolak gratifikasi yang dilaporkan ke UPG.",
        year=today.year - 1,
        status="disetujui",
        proposed_by=hr_user,
        decided_by=users.get("bupati@sleman.test"),
        decided_at=timezone.now(),
    )
    Award.objects.create(
        employee=rina,
        kind="pelayanan",
        title="Pelayan Publik Teladan",
        reason="Rata-rata penilaian pengadu 4,8 dari 5 sepanjang tahun.",
        year=today.year,
        proposed_by=hr_user,
    )
