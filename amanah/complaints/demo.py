"""Demo complaints: realistic cases against the demo services (mostly the Sleman KTP-el desk) in
every state of the workflow, some of them overdue and escalated, plus a few answer templates.

Every case goes through the real services (so the timeline, audit chain and deadlines are what
production would produce); afterwards the case's clock is shifted back by a number of days, as if
it had been filed earlier, so the inbox shows overdue and escalated cases.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from amanah.core.calendar import Calendar
from amanah.core.files import CleanFile

from . import rules, services
from .models import AnswerTemplate, Complaint

# (service code, title, description, loss, remedy, identity mode)
STORIES = [
    (
        "ktp-el",
        "KTP-el belum dicetak setelah tiga bulan",
        "Saya melakukan perekaman KTP-el pada bulan Juli di kantor Disdukcapil. Petugas bilang blangko habis dan "
        "sampai sekarang KTP-el belum dicetak. Setiap kali datang saya diminta kembali minggu depan.",
        "Tidak bisa membuka rekening bank dan mendaftar kerja.",
        "KTP-el dicetak dan diberi kepastian tanggal.",
        "biasa",
    ),
    (
        "ktp-el",
        "Diminta uang Rp100.000 agar KTP-el cepat jadi",
        "Seorang petugas di loket 2 menawarkan KTP-el jadi hari itu juga jika membayar Rp100.000. Padahal layanan "
        "ini gratis menurut papan standar pelayanan.",
        "Rp100.000 bila saya bayar.",
        "Pungutan dihentikan dan petugas ditegur.",
        "rahasia",
    ),
    (
        "ktp-el",
        "Antrean daring tidak bisa diakses",
        "Situs antrean daring Disdukcapil selalu gagal memuat sejak Senin. Akibatnya saya harus datang jam 5 pagi.",
        "Kehilangan setengah hari kerja.",
        "Perbaiki situs antrean.",
        "anonim",
    ),
    (
        "kk",
        "Kartu Keluarga salah nama ayah",
        "Nama ayah saya tertulis salah di KK baru. Saat minta perbaikan saya diminta mengulang dari awal.",
        "Akta kelahiran anak tertunda.",
        "Perbaikan KK tanpa mengulang proses.",
        "biasa",
    ),
    (
        "akta-lahir",
        "Akta kelahiran anak tertahan karena syarat tambahan",
        "Petugas meminta surat pengantar RT/RW padahal tidak tercantum dalam persyaratan di standar pelayanan.",
        "Anak belum bisa didaftarkan BPJS.",
        "Akta diterbitkan sesuai persyaratan resmi.",
        "biasa",
    ),
    (
        "rawat-jalan",
        "Petugas pendaftaran RSUD membentak pasien lansia",
        "Ibu saya (72 tahun) dibentak petugas pendaftaran karena lambat mengisi formulir.",
        "Ibu trauma dan enggan berobat.",
        "Permintaan maaf dan pelatihan pelayanan untuk petugas.",
        "rahasia",
    ),
    (
        "pbg",
        "Permohonan PBG tidak ada kabar 40 hari",
        "Berkas PBG saya sudah lengkap sejak dua bulan lalu, status di sistem tidak berubah.",
        "Pembangunan rumah tertunda.",
        "Kepastian jadwal penerbitan PBG.",
        "biasa",
    ),
    (
        "kia",
        "Usul layanan KIA jemput bola di sekolah",
        "Banyak orang tua bekerja tidak sempat ke kantor. Mohon ada layanan KIA keliling ke sekolah-sekolah.",
        "",
        "Layanan jemput bola KIA.",
        "biasa",
    ),
    (
        "igd",
        "Menunggu dua jam di IGD tanpa triase",
        "Anak saya demam tinggi dan menunggu dua jam tanpa diperiksa perawat triase.",
        "Kondisi anak memburuk.",
        "Perbaikan alur triase IGD.",
        "anonim",
    ),
    (
        "nib",
        "Informasi syarat NIB untuk UMKM",
        "Saya ingin tahu apakah usaha rumahan tanpa tempat usaha tetap bisa mendapatkan NIB.",
        "",
        "",
        "biasa",
    ),
    (
        "izin-apotek",
        "Izin apotek tertahan tanpa penjelasan",
        "Berkas izin apotek kami lengkap sejak dua bulan lalu, tetapi status di sistem tidak berubah.",
        "Apotek belum bisa dibuka; sewa tempat tetap berjalan.",
        "Kejelasan status dan jadwal penerbitan izin.",
        "biasa",
    ),
    (
        "str-nakes",
        "STR perawat belum terbit",
        "Pengajuan STR saya sudah diverifikasi organisasi profesi tetapi belum terbit setelah enam minggu.",
        "Belum dapat bekerja di rumah sakit yang menerima saya.",
        "STR diterbitkan.",
        "rahasia",
    ),
    (
        "nisn",
        "NISN anak tidak ditemukan",
        "NISN anak saya tidak ditemukan saat pendaftaran sekolah lanjutan, padahal terdaftar di sekolah lama.",
        "Pendaftaran sekolah terancam gagal.",
        "Data NISN diperbaiki sebelum batas pendaftaran.",
        "biasa",
    ),
    (
        "nik-verifikasi",
        "NIK ditolak saat verifikasi bank",
        "NIK saya ditolak sistem verifikasi saat membuka rekening, padahal KTP-el saya berlaku.",
        "Tidak bisa membuka rekening untuk menerima gaji.",
        "Data NIK diperbaiki.",
        "anonim",
    ),
]

NAMES = [
    "Siti Aminah",
    "Budi Santoso",
    "Wahyuni",
    "Agus Prasetyo",
    "Dwi Rahayu",
    "Slamet Riyadi",
    "Endang Sri",
    "Yohanes Kristanto",
    "Nur Hidayah",
    "Made Wirawan",
]

# Target states, in the order the demo cycles through them.
# "disanggah": answered, disputed and so back in progress; "dicabut": asked for completion long ago and never
# completed (the sweep withdraws it); "ditugaskan": in progress and assigned to an officer, with a note.
PLAN = [
    "diterima",
    "diterima",
    "menunggu_kelengkapan",
    "diteruskan",
    "diproses",
    "dijawab",
    "selesai",
    "selesai",
    "ditolak",
    "dialihkan",
    "ditugaskan",
    "diteruskan",
    "disanggah",
    "dijawab",
    "selesai",
    "dicabut",
    "dirujuk",
    "diproses",
]


def _shift(c: Complaint, days: int):
    """Move a case's history ``days`` back (demo only), then count its deadlines again from the moved
    dates on the agency's working-day calendar (moving them by calendar days would put them on weekends
    and holidays). A transferred case moves with the case it came from."""
    delta = dt.timedelta(days=days)
    if c.incident_date:
        c.incident_date -= delta
    for field in (
        "received_at",
        "verified_at",
        "forwarded_at",
        "first_response_at",
        "answered_at",
        "closed_at",
    ):
        value = getattr(c, field)
        if value:
            setattr(c, field, value - delta)
    for field in (
        "verification_due",
        "response_due",
        "resolution_due",
        "auto_close_due",
        "completion_due",
        "paused_on",
    ):
        value = getattr(c, field)
        if value:
            setattr(c, field, value - delta)
    _recount(c)
    c.save()
    for ev in c.events.all():
        ev.at -= delta
        ev.save(update_fields=["at"])
    new = Complaint.objects.filter(transferred_from=c).first()
    if new is not None:
        _shift(new, days)


def _recount(c: Complaint):
    """The deadlines of a (moved) demo case, as the services would have set them on those dates."""
    cal, cfg = Calendar(c.agency), services.config(c.agency)
    received_on = cal.local_date(c.received_at)
    c.late_filing = rules.late_filing(c.incident_date, received_on, cfg)
    c.deadline_basis = {}
    if c.verification_due:  # (the demo resumes no paused case, so it runs from receipt)
        add = services.counting(c, "verification_due", cal)
        c.verification_due = rules.verification_due(received_on, add, cfg)
    if c.forwarded_at:
        forwarded_on = cal.local_date(c.forwarded_at)
        c.response_due = rules.response_due(
            forwarded_on, services.counting(c, "response_due", cal), cfg
        )
        if c.tier:
            add = services.counting(c, "resolution_due", cal)
            c.resolution_due = rules.resolution_due(forwarded_on, c.tier, add, cfg)
    if c.auto_close_due and c.answered_at:
        add = services.counting(c, "auto_close_due", cal)
        c.auto_close_due = rules.auto_close_due(cal.local_date(c.answered_at), add, cfg)


def _answer_letter(c: Complaint, officer) -> CleanFile:
    """A short answer letter (surat jawaban) as a PDF, the kind a unit attaches to its answer."""
    from django.utils.html import escape

    from amanah.core import documents

    unit = c.unit.name if c.unit else c.agency.name
    html = f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Surat jawaban</title>
<style>body{{font-family:sans-serif;font-size:11pt;margin:2cm}}h1{{font-size:13pt}}</style></head><body>
<h1>{escape(c.agency.name)}<br>{escape(unit)}</h1>
<p>Nomor: 800/{c.pk:04d}/2026<br>Perihal: Jawaban atas pengaduan {escape(c.tracking_code)}</p>
<p>Menindaklanjuti pengaduan Saudara tentang "{escape(c.title)}", bersama ini kami sampaikan bahwa
permasalahan tersebut sudah kami periksa dan tindak lanjuti sebagaimana dijelaskan pada jawaban di halaman
lacak. Terima kasih atas kepedulian Saudara.</p>
<p>{escape(officer.get_full_name())}</p></body></html>"""
    return CleanFile(f"lampiran-surat-{c.pk}.pdf", "application/pdf", documents.pdf(html))


def load(ctx, count: int = 320, seed: int = 2026):
    rng = random.Random(seed)
    users = ctx["users"]
    catalogue = ctx["services"]
    operator = users["operator@dukcapil.test"]
    manager = users["pengelola@sleman.test"]
    admin = users["admin@amanah.test"]
    unit_user = users["unit@dukcapil.test"]
    sleman = ctx["agencies"]["kab-sleman"]
    AnswerTemplate.objects.create(
        agency=sleman,
        title="KTP-el siap diambil",
        body="KTP-el Anda sudah dicetak dan dapat diambil di loket pengambilan dengan membawa tanda terima perekaman.",
    )
    AnswerTemplate.objects.create(
        agency=sleman,
        title="Pungutan liar ditindaklanjuti",
        body="Terima kasih atas laporan Anda. Petugas yang bersangkutan telah diperiksa oleh atasannya dan "
        "laporan diteruskan ke Inspektorat. Layanan ini gratis; laporkan bila diminta biaya.",
    )
    now = timezone.now()
    for i in range(count):
        code, title, desc, loss, remedy, mode = STORIES[i % len(STORIES)]
        service = catalogue[code]
        state = PLAN[i % len(PLAN)]
        name = NAMES[i % len(NAMES)]
        data = {
            "service": service,
            "kind": "aspirasi"
            if code == "kia"
            else ("permintaan_informasi" if code == "nib" else "pengaduan"),
            "title": title if i < len(STORIES) else f"{title} ({i // len(STORIES) + 1})",
            "description": desc,
            "loss": loss,
            "remedy": remedy,
            "identity_mode": mode,
            "name": "" if mode == "anonim" else name,
            "email": f"warga{i}@contoh.id" if mode != "anonim" and i % 3 else "",
            "phone": "",
            "incident_place": service.unit.name,
            "publish": mode == "biasa" and i % 2 == 0,
            "incident_date": (now - dt.timedelta(days=rng.randint(2, 45))).date(),
        }
        evidence = (
            [
                CleanFile(
                    "catatan.txt", "text/plain", f"Nomor antrean {rng.randint(1, 200)}".encode()
                )
            ]
            if i % 4 == 0
            else []
        )
        assisted = i % 5 == 0
        if assisted:
            officer = (
                operator
                if service.unit.code.startswith("sleman-dukcapil")
                else manager
                if service.unit.agency == sleman
                else admin
            )
            c = services.submit(
                officer,
                data,
                evidence,
                channel=rng.choice(["datang_langsung", "telepon", "surat", "kotak_pengaduan"]),
                received_at=now - dt.timedelta(hours=rng.randint(1, 30)),
            )
        else:
            c = services.submit(None, data, evidence, channel="web")
        in_sleman = c.agency_id == sleman.pk
        verifier = (
            operator
            if in_sleman and c.unit and c.unit.code.startswith("sleman-dukcapil")
            else (manager if in_sleman else admin)
        )
        handler = (
            unit_user
            if c.unit and c.unit.code == "sleman-dukcapil-dafduk"
            else (manager if in_sleman else admin)
        )
        if state == "menunggu_kelengkapan":
            c = services.request_completion(
                verifier, c, message="Mohon sebutkan tanggal perekaman dan nomor tanda terima Anda."
            )
        elif state == "ditolak":
            c = services.reject(
                verifier,
                c,
                reason="tidak_jelas",
                note="Isi pengaduan tidak menyebut layanan atau kejadian yang dapat diperiksa.",
            )
        elif state == "dialihkan":
            target = ctx["agencies"]["kemendagri"] if in_sleman else sleman
            c = services.transfer(verifier, c, agency=target)
        elif state == "dicabut":
            c = services.request_completion(
                verifier, c, message="Mohon lampirkan foto tanda terima pengajuan Anda."
            )
        elif state != "diterima":
            c = services.verify(verifier, c, tier="ringan" if i % 3 == 0 else None)
            if state in ("diproses", "ditugaskan", "dijawab", "selesai", "disanggah", "dirujuk"):
                c = services.start(handler, c, note="Sedang kami periksa ke petugas loket.")
            if state == "ditugaskan":
                c = services.assign(verifier if not in_sleman else manager, c, user=handler)
                services.add_note(
                    handler, c, text="Sudah menghubungi petugas loket; menunggu data dari SIAK."
                )
            if state in ("dijawab", "selesai", "disanggah"):
                tpl = AnswerTemplate.objects.filter(agency=c.agency).first()
                c = services.answer(
                    handler,
                    c,
                    text=tpl.body if tpl else "Sudah kami tindak lanjuti.",
                    # Some answers come with the unit's signed letter, as agencies answer in practice.
                    attachments=[_answer_letter(c, handler)] if i % 3 == 0 else None,
                )
            if state == "selesai":
                c = services.confirm(c, rating=rng.choice([3, 4, 4, 5, 5]), comment="Terima kasih.")
            if state == "disanggah":
                c = services.dispute(
                    c, reason="Di loket saya masih diminta datang lagi minggu depan."
                )
            if state == "dirujuk":
                c = services.refer(
                    manager if in_sleman else admin,
                    c,
                    note="Dugaan maladministrasi berulang; dirujuk sesuai permintaan pengadu.",
                )
        if c.publish_requested and i % 4 == 0:
            services.set_publication(admin, c, approve=True)
        # Spread the history over the last two months: older cases are the overdue ones.
        days_back = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 35, 50])
        if state == "dicabut":
            days_back = 40  # past its 30 days to complete: the sweep below withdraws it
        if days_back:
            _shift(c, days_back)
    services.sweep()
