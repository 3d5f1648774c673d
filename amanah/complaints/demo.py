"""Demo complaints: realistic cases against the demo services (mostly the Sleman KTP-el desk) in
every state of the workflow, some of them overdue and escalated, plus a few answer templates.

Every case goes through the real services (so the timeline, audit chain and deadlines are what
production would produce), each step at the moment it would have happened (``_Clock``): cases begin
up to seven weeks back, so the inbox shows overdue and escalated cases, and answered ones the sweep
closed by itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from django.utils import timezone

from amanah.core.calendar import Calendar
from amanah.core.files import CleanFile

from . import services
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


class _Clock:
    """The demo's clock. A case's history is played through the real services at the moments it would
    have happened — received on some morning weeks ago, verified the next working day, taken up and
    answered days later — so its timeline, its audit entries and the deadlines the services count from
    those moments read like a real desk's. The services read the time from ``django.utils.timezone.now``;
    while loading, that answers the demo's moment (the loader runs alone, before the server and the
    worker start)."""

    def __init__(self, real_now: dt.datetime, rng: random.Random):
        self.real_now, self.rng, self.moment = real_now, rng, real_now
        self.earliest = real_now

    def now(self) -> dt.datetime:
        return self.moment

    def start(self, agency, days_back: int) -> dt.datetime:
        """A case's first moment: office hours ``days_back`` working days ago in the agency's zone (a few
        hours ago for a case of today)."""
        if not days_back:
            self.moment = self.real_now - dt.timedelta(hours=self.rng.randint(4, 9))
            return self.moment
        cal = Calendar(agency)
        day = cal.add(cal.local_date(self.real_now), -days_back)
        self.earliest = min(self.earliest, self._at(cal, day))
        return self.moment

    def rounds(self, agency, every: int):
        """Early mornings every ``every`` working days from the first case on, up to the real now: the
        moments of the sweeper's rounds (in production it runs hourly; the demo keeps to a few)."""
        cal = Calendar(agency)
        day = cal.local_date(self.earliest)
        while True:
            day = cal.add(day, every)
            moment = dt.datetime.combine(day, dt.time(6, 30), tzinfo=cal.tz)
            if moment >= self.real_now:
                return
            self.moment = moment
            yield moment

    def later(self, agency, working_days: int) -> dt.datetime:
        """The next step, ``working_days`` working days after the last one (the same day: an hour or
        two later, or the next working morning once the office has closed); never after the real now,
        and never before the last step."""
        cal = Calendar(agency)
        if working_days:
            moment = self._at(cal, cal.add(cal.local_date(self.moment), working_days), move=False)
        else:
            moment = self.moment + dt.timedelta(minutes=self.rng.randint(40, 150))
            if (
                timezone.localtime(moment, cal.tz).hour >= 16
            ):  # after office hours: the next morning
                moment = self._at(cal, cal.add(cal.local_date(self.moment), 1), move=False)
        limit = self.real_now - dt.timedelta(minutes=5)
        self.moment = max(self.moment + dt.timedelta(minutes=1), min(moment, limit))
        return self.moment

    def _at(self, cal: Calendar, day: dt.date, move: bool = True) -> dt.datetime:
        local = dt.datetime.combine(
            day, dt.time(self.rng.randint(8, 14), self.rng.randint(0, 59)), tzinfo=cal.tz
        )
        if move:
            self.moment = local
        return local


@contextlib.contextmanager
def _played_time(real_now: dt.datetime, rng: random.Random):
    clock = _Clock(real_now, rng)
    real = timezone.now
    timezone.now = clock.now
    try:
        yield clock
    finally:
        timezone.now = real


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
    # The moments of each case come from their own generator, so ``rng`` draws the stories as before.
    pace = random.Random(seed + 1)
    with _played_time(timezone.now(), pace) as clock:
        for i in range(count):
            _play(i, rng, pace, clock, catalogue, ctx, sleman, operator, manager, admin, unit_user)
        # The sweeper's rounds over those weeks: late cases climb the escalation ladder a step at a
        # time, and answers nobody replied to close themselves, on the days that would have happened.
        for _moment in clock.rounds(sleman, every=3):
            services.sweep()
    services.sweep()


#: How many working days back a case begins: most of them recent, some weeks old (the overdue and
#: escalated ones, and the answered ones the sweep closes by itself).
DAYS_BACK = [0, 0, 1, 2, 3, 4, 6, 9, 14, 25, 35]


def _play(i, rng, pace, clock, catalogue, ctx, sleman, operator, manager, admin, unit_user):
    """One demo case, from its receipt to its target state, each step at its own moment on ``clock``."""
    code, title, desc, loss, remedy, mode = STORIES[i % len(STORIES)]
    service = catalogue[code]
    state = PLAN[i % len(PLAN)]
    name = NAMES[i % len(NAMES)]
    agency = service.unit.agency
    # Asked for completion and never completed: past its 30 days, so the sweep withdraws it.
    days_back = 30 if state == "dicabut" else pace.choice(DAYS_BACK)
    start = clock.start(agency, days_back)
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
        "incident_date": (start - dt.timedelta(days=rng.randint(2, 45))).date(),
    }
    evidence = (
        [CleanFile("catatan.txt", "text/plain", f"Nomor antrean {rng.randint(1, 200)}".encode())]
        if i % 4 == 0
        else []
    )
    if i % 5 == 0:  # entered by an officer: a walk-in, a call, a letter, the complaint box
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
            received_at=start - dt.timedelta(hours=rng.randint(1, 30)),
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

    def after(*working_days):
        clock.later(c.agency, pace.choice(working_days))

    if state in ("menunggu_kelengkapan", "dicabut"):
        after(0, 1)
        message = (
            "Mohon sebutkan tanggal perekaman dan nomor tanda terima Anda."
            if state == "menunggu_kelengkapan"
            else "Mohon lampirkan foto tanda terima pengajuan Anda."
        )
        c = services.request_completion(verifier, c, message=message)
    elif state == "ditolak":
        after(0, 1)
        c = services.reject(
            verifier,
            c,
            reason="tidak_jelas",
            note="Isi pengaduan tidak menyebut layanan atau kejadian yang dapat diperiksa.",
        )
    elif state == "dialihkan":
        after(0, 1, 2)
        target = ctx["agencies"]["kemendagri"] if in_sleman else sleman
        c = services.transfer(verifier, c, agency=target)
    elif state != "diterima":
        after(0, 1, 1, 2)
        c = services.verify(verifier, c, tier="ringan" if i % 3 == 0 else None)
        if state in ("diproses", "ditugaskan", "dijawab", "selesai", "disanggah", "dirujuk"):
            after(0, 1, 2)
            c = services.start(handler, c, note="Sedang kami periksa ke petugas loket.")
        if state == "ditugaskan":
            after(0)
            c = services.assign(verifier if not in_sleman else manager, c, user=handler)
            after(0, 1)
            services.add_note(
                handler, c, text="Sudah menghubungi petugas loket; menunggu data dari SIAK."
            )
        if state in ("dijawab", "selesai", "disanggah"):
            after(1, 2, 3)
            tpl = AnswerTemplate.objects.filter(agency=c.agency).first()
            c = services.answer(
                handler,
                c,
                text=tpl.body if tpl else "Sudah kami tindak lanjuti.",
                # Some answers come with the unit's signed letter, as agencies answer in practice.
                attachments=[_answer_letter(c, handler)] if i % 3 == 0 else None,
            )
        if state == "selesai":
            after(0, 1, 2, 4)
            c = services.confirm(c, rating=rng.choice([3, 4, 4, 5, 5]), comment="Terima kasih.")
        if state == "disanggah":
            after(1, 2)
            c = services.dispute(c, reason="Di loket saya masih diminta datang lagi minggu depan.")
        if state == "dirujuk":
            after(1, 3)
            c = services.refer(
                manager if in_sleman else admin,
                c,
                note="Dugaan maladministrasi berulang; dirujuk sesuai permintaan pengadu.",
            )
    if c.publish_requested and i % 4 == 0:
        after(0, 1)
        services.set_publication(admin, c, approve=True)
