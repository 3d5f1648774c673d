"""Demo complaints: realistic cases against the demo services (mostly the Sleman KTP-el desk) in
every state of the workflow, some of them overdue and escalated, plus a few answer templates.

Every case goes through the real services (so the timeline, audit chain and deadlines are what
production would produce), each step at the moment it would have happened (``_Clock``). A case is as old
as its state needs: one answered and confirmed took working days to get there, one still waiting for
verification came in lately. The receipts spread over the eleven months before loading (the months the
transparency dashboard shows by default), so the inbox shows today's and this week's cases, a few overdue
and escalated ones, and the months before hold the cases the desk finished, a few of them answered late.
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

#: How many working days back the oldest demo case begins: about eleven months, so that the receipts
#: spread over the months the transparency dashboard shows by default (the last 365 days).
HORIZON = 230

#: The first cases, one per line, so that even a small demo holds every state (and an overdue case, and
#: one answered late): (target state, the least and most working days it has stayed in that state since its
#: last step, whether its unit took it up after the 5 working days it had). "disanggah": answered, disputed
#: and so back in progress; "dicabut": asked for completion long ago and never completed (the sweep
#: withdraws it); "ditugaskan": in progress and assigned to an officer, with a note. A case that took a
#: step has stayed a working day at least in its state, so that its last step was before today.
PLAN = [
    ("diterima", 9, 14, False),  # never verified: overdue, up the escalation ladder
    ("diterima", 0, 0, False),  # received today
    ("menunggu_kelengkapan", 1, 15, False),
    ("diteruskan", 1, 4, False),
    ("diproses", 1, 4, False),
    ("dijawab", 1, 6, False),  # within the 10 working days the complainant has to reply
    ("selesai", 1, HORIZON, False),
    ("selesai", 1, HORIZON, True),
    ("ditolak", 1, HORIZON, False),
    ("dialihkan", 1, HORIZON, False),
    ("ditugaskan", 1, 6, False),
    ("diteruskan", 7, 12, False),  # the unit never took it up: overdue
    ("disanggah", 1, 8, False),
    ("dijawab", 11, HORIZON, False),  # nobody replied: the sweep closed it
    ("selesai", 1, HORIZON, False),
    ("dicabut", 25, HORIZON, False),  # past its 30 (calendar) days: the sweep withdraws it
    ("dirujuk", 1, HORIZON, False),
    ("diproses", 7, 15, False),  # past its resolution date
]

#: The cases after :data:`PLAN`, as a desk's year holds them: (weight, target state, least and most
#: working days in that state). Each case's receipt is drawn over the whole :data:`HORIZON` and takes a
#: state that fits its age, so the old ones are finished and the open ones recent (a few overdue).
MIX = [
    (40, "selesai", 1, HORIZON),
    (10, "dijawab", 11, HORIZON),  # closed by the sweep
    (5, "dijawab", 1, 6),
    (8, "ditolak", 1, HORIZON),
    (5, "dialihkan", 1, HORIZON),
    (3, "dirujuk", 1, HORIZON),
    (4, "dicabut", 25, HORIZON),
    (4, "menunggu_kelengkapan", 1, 15),
    (6, "diterima", 0, 2),
    (1, "diterima", 6, 12),
    (5, "diteruskan", 1, 4),
    (1, "diteruskan", 7, 12),
    (6, "diproses", 1, 4),
    (1, "diproses", 7, 15),
    (3, "ditugaskan", 1, 6),
    (2, "disanggah", 1, 8),
]

#: The steps that take a case to each target state, in order.
STEPS = {
    "diterima": (),
    "menunggu_kelengkapan": ("request_completion",),
    "dicabut": ("request_completion",),
    "ditolak": ("reject",),
    "dialihkan": ("transfer",),
    "diteruskan": ("verify",),
    "diproses": ("verify", "start"),
    "ditugaskan": ("verify", "start", "assign", "note"),
    "dijawab": ("verify", "start", "answer"),
    "selesai": ("verify", "start", "answer", "confirm"),
    "disanggah": ("verify", "start", "answer", "dispute"),
    "dirujuk": ("verify", "start", "refer"),
}

#: The working days from the step before to each step (0: the same day, an hour or two later), drawn
#: per case. "late_start": a unit that takes a case up after its 5 working days (answered late).
GAPS = {
    "request_completion": (0, 1),
    "reject": (0, 1),
    "transfer": (0, 1, 2),
    "verify": (0, 1, 1, 2),
    "start": (0, 1, 2),
    "late_start": (6, 7, 8, 9),
    "assign": (0,),
    "note": (0, 1),
    "answer": (1, 2, 3, 4),
    "confirm": (0, 1, 2, 4),
    "dispute": (1, 2),
    "refer": (1, 3),
    "publish": (0, 1),
}
#: How often a case beyond :data:`PLAN` is taken up late by its unit.
LATE_START_SHARE = 0.12


def _days(gap: int) -> int:
    """The most working days a step ``gap`` working days after the one before may move a case on: a
    same-day step may fall after office hours and so on the next working morning."""
    return max(gap, 1)


def _span(steps, choice) -> int:
    return sum(_days(choice(GAPS[s])) for s in steps)


def _steps(state: str, late: bool) -> list[str]:
    return [("late_start" if late and s == "start" else s) for s in STEPS[state]]


class _Clock:
    """The demo's clock. A case's history is played through the real services at the moments it would
    have happened — received on some morning weeks or months ago, verified the next working day, taken up
    and answered days later — so its timeline, its audit entries and the deadlines the services count from
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

    def fits(self, agency, working_days: int) -> bool:
        """Whether a step ``working_days`` working days after the last one (at most the next working
        day for a same-day step) falls on a day before today, so that it has happened already."""
        cal = Calendar(agency)
        day = cal.add(cal.local_date(self.moment), _days(working_days))
        return day < cal.local_date(self.real_now)

    def later(self, agency, working_days: int) -> dt.datetime:
        """The next step, ``working_days`` working days after the last one (the same day: an hour or
        two later, or the next working morning once the office has closed); never before the last step.
        Each case is begun early enough for all its steps (:func:`_target`), so the last one falls before
        today; the real now stays a bound all the same."""
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
        # The sweeper's rounds over those months: late cases climb the escalation ladder a step at a
        # time, answers nobody replied to close themselves and files never completed are withdrawn, on
        # the days that would have happened.
        for _moment in clock.rounds(sleman, every=3):
            services.sweep()
    services.sweep()


def _target(i: int, pace: random.Random) -> tuple[str, list[tuple[str, int]], int]:
    """Case ``i``'s target state, its steps with the working days before each, and how many working days
    back it begins: as old as its steps and its stay in that state need (so that a case received today is
    not closed already), and no older than :data:`HORIZON` allows."""
    if i < len(PLAN):
        state, least, most, late = PLAN[i]
        steps = _steps(state, late)
        gaps = [pace.choice(GAPS[s]) for s in steps]
        needed = sum(_days(g) for g in gaps)
        stay = pace.randint(least, max(least, min(most, HORIZON - needed)))
        return state, list(zip(steps, gaps, strict=True)), needed + stay
    # A moment of the year (more of them lately, as a desk becomes known: half evenly over the year,
    # half more often the more recent), then a state a case of that age can be in.
    spread = pace.random() if pace.random() < 0.5 else 1 - (1 - pace.random()) ** 0.5
    age = round(spread * HORIZON)
    late = pace.random() < LATE_START_SHARE
    fits = [
        (weight, state, least, most)
        for weight, state, least, most in MIX
        if _span(_steps(state, late), min) + least <= age <= _span(_steps(state, late), max) + most
    ]
    _weight, state, least, most = pace.choices(fits, weights=[f[0] for f in fits])[0]
    steps = _steps(state, late)
    gaps = [pace.choice(GAPS[s]) for s in steps]
    needed = sum(_days(g) for g in gaps)
    return state, list(zip(steps, gaps, strict=True)), min(max(age, needed + least), needed + most)


def _play(i, rng, pace, clock, catalogue, ctx, sleman, operator, manager, admin, unit_user):
    """One demo case, from its receipt to its target state, each step at its own moment on ``clock``."""
    code, title, desc, loss, remedy, mode = STORIES[i % len(STORIES)]
    service = catalogue[code]
    state, steps, days_back = _target(i, pace)
    name = NAMES[i % len(NAMES)]
    agency = service.unit.agency
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
    for step, gap in steps:
        clock.later(c.agency, gap)
        if step == "request_completion":
            message = (
                "Mohon sebutkan tanggal perekaman dan nomor tanda terima Anda."
                if state == "menunggu_kelengkapan"
                else "Mohon lampirkan foto tanda terima pengajuan Anda."
            )
            c = services.request_completion(verifier, c, message=message)
        elif step == "reject":
            c = services.reject(
                verifier,
                c,
                reason="tidak_jelas",
                note="Isi pengaduan tidak menyebut layanan atau kejadian yang dapat diperiksa.",
            )
        elif step == "transfer":
            target = ctx["agencies"]["kemendagri"] if in_sleman else sleman
            c = services.transfer(verifier, c, agency=target)
            _play_transferred(c, clock, ctx, sleman, manager, admin, unit_user)
        elif step == "verify":
            c = services.verify(verifier, c, tier="ringan" if i % 3 == 0 else None)
        elif step in ("start", "late_start"):
            c = services.start(handler, c, note="Sedang kami periksa ke petugas loket.")
        elif step == "assign":
            c = services.assign(verifier if not in_sleman else manager, c, user=handler)
        elif step == "note":
            services.add_note(
                handler, c, text="Sudah menghubungi petugas loket; menunggu data dari SIAK."
            )
        elif step == "answer":
            tpl = AnswerTemplate.objects.filter(agency=c.agency).first()
            c = services.answer(
                handler,
                c,
                text=tpl.body if tpl else "Sudah kami tindak lanjuti.",
                # Some answers come with the unit's signed letter, as agencies answer in practice.
                attachments=[_answer_letter(c, handler)] if i % 9 == 0 else None,
            )
        elif step == "confirm":
            c = services.confirm(c, rating=rng.choice([3, 4, 4, 5, 5]), comment="Terima kasih.")
        elif step == "dispute":
            c = services.dispute(c, reason="Di loket saya masih diminta datang lagi minggu depan.")
        elif step == "refer":
            c = services.refer(
                manager if in_sleman else admin,
                c,
                note="Dugaan maladministrasi berulang; dirujuk sesuai permintaan pengadu.",
            )
    # Staff approve publication a little after the last step, when that moment has come already.
    if c.publish_requested and i % 4 == 0 and clock.fits(c.agency, 1):
        clock.later(c.agency, pace.choice(GAPS["publish"]))
        services.set_publication(admin, c, approve=True)


#: The steps the receiving agency takes on a transferred case, with their working days, as far as the time
#: since the transfer allows: forwarded to its unit, taken up, answered (the sweep closes it when nobody
#: replies).
TRANSFERRED_STEPS = (("verify", 1), ("start", 2), ("answer", 3))


def _play_transferred(c, clock, ctx, sleman, manager, admin, unit_user):
    """The case ``c`` was passed to opens at the agency that has the authority; its desk handles it in the
    working days that follow, up to the real now, so an old transfer leaves no forgotten case behind."""
    linked = Complaint.objects.filter(transferred_from=c).select_related("agency").first()
    if linked is None:
        return
    here = clock.moment
    in_sleman = linked.agency_id == sleman.pk
    unit = ctx["units"]["sleman-dukcapil-dafduk" if in_sleman else "kemendagri-dukcapil"]
    staff = manager if in_sleman else admin
    handler = unit_user if in_sleman else admin
    for step, days in TRANSFERRED_STEPS:
        if not clock.fits(linked.agency, days):
            break
        clock.later(linked.agency, days)
        if step == "verify":
            linked = services.verify(staff, linked, unit=unit)
        elif step == "start":
            linked = services.start(handler, linked, note="Kami terima dari instansi asal.")
        else:
            linked = services.answer(handler, linked, text="Sudah kami tindak lanjuti.")
    clock.moment = here  # the first case's own steps go on from the transfer
