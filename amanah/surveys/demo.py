"""Demo data: past (published) periods and an open one for several Sleman service units, with answers drawn
from realistic distributions (waiting time and facilities score lowest at first, then improve after the
follow-up plan; the free KTP-el service scores high on cost) and, from about one respondent in eight, a
suggestion about the element they scored lowest."""

from __future__ import annotations

import datetime as dt
import random

from . import rules, selectors, services
from .models import Channel, Response

# Probability of answering 1, 2, 3, 4 for each element; "before" and "after" the follow-up.
TYPICAL = (0.02, 0.10, 0.58, 0.30)
WEAK = (0.08, 0.30, 0.45, 0.17)
IMPROVED = (0.03, 0.14, 0.55, 0.28)
FREE = (0.00, 0.02, 0.18, 0.80)

PROFILE = {
    "gender": (("L", 0.48), ("P", 0.52)),
    "education": (
        ("SD", 0.08),
        ("SMP", 0.14),
        ("SMA", 0.42),
        ("D1-D3", 0.10),
        ("D4-S1", 0.22),
        ("S2", 0.035),
        ("S3", 0.005),
    ),
    "occupation": (
        ("PNS", 0.08),
        ("TNI", 0.01),
        ("POLRI", 0.01),
        ("Swasta", 0.34),
        ("Wirausaha", 0.26),
        ("Lainnya", 0.30),
    ),
}


#: What respondents write in the free "saran dan masukan" field, about the element they scored lowest
#: (staff read them on the period's page); about one respondent in eight writes something.
SUGGESTIONS = {
    "U1": (
        "Daftar persyaratan di situs web berbeda dengan yang diminta di loket.",
        "Mohon persyaratan ditempel di depan loket supaya tidak bolak-balik.",
    ),
    "U2": (
        "Alurnya membingungkan, saya disuruh pindah loket tiga kali.",
        "Perlu petugas informasi di pintu masuk untuk mengarahkan.",
    ),
    "U3": (
        "Antrean terlalu lama, saya menunggu hampir tiga jam.",
        "Tolong tambah loket pada pagi hari, antrean sudah panjang sejak jam 7.",
        "Nomor antrean daring sangat membantu, semoga dipertahankan.",
    ),
    "U4": ("Terima kasih layanannya gratis dan tidak ada pungutan.",),
    "U5": ("Hasilnya ada salah ketik pada nama, harus kembali lagi untuk perbaikan.",),
    "U6": ("Petugas baru belum paham prosedur, harus bertanya ke petugas lain.",),
    "U7": (
        "Petugas kurang ramah saat menjelaskan berkas yang kurang.",
        "Petugas di loket sangat sopan dan sabar, terima kasih.",
    ),
    "U8": (
        "Kursi ruang tunggu kurang, banyak yang berdiri.",
        "Ruang tunggu panas, mohon kipas angin atau AC diperbaiki.",
        "Perlu ruang laktasi dan toilet yang lebih bersih.",
    ),
    "U9": (
        "Tidak tahu ke mana harus menyampaikan keluhan, kotak saran tidak ada.",
        "Keluhan saya lewat telepon tidak pernah dijawab.",
    ),
}
SUGGESTION_SHARE = 0.12


def _suggestion(rng, values) -> str:
    """What a respondent writes, if anything: a remark about the element they scored lowest."""
    if rng.random() >= SUGGESTION_SHARE:
        return ""
    lowest = min(rules.CODES, key=lambda code: (values[code.lower()], rng.random()))
    return rng.choice(SUGGESTIONS[lowest])


def _pick(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _answers(
    rng, n, weak: set[str], free: set[str], improved: set[str], period, services_, start, end
):
    # The suggestions draw from a generator of their own, so that the scores stay those the demo always had.
    written = random.Random(f"{period.unit.code}-{start}")
    days = max((end - start).days, 0)
    rows = []
    for _ in range(n):
        values = {}
        for code in rules.CODES:
            dist = (
                FREE
                if code in free
                else IMPROVED
                if code in improved
                else WEAK
                if code in weak
                else TYPICAL
            )
            values[code.lower()] = rng.choices(rules.SCALE, dist)[0]
        rows.append(
            Response(
                period=period,
                service=rng.choice(services_) if services_ else None,
                **values,
                gender=_pick(rng, PROFILE["gender"]) if rng.random() > 0.05 else "",
                age=rng.randint(17, 72) if rng.random() > 0.08 else None,
                education=_pick(rng, PROFILE["education"]) if rng.random() > 0.08 else "",
                occupation=_pick(rng, PROFILE["occupation"]) if rng.random() > 0.08 else "",
                suggestion=_suggestion(written, values),
                channel=Channel.PAPER if rng.random() < 0.25 else Channel.WEB,
                submitted_on=start + dt.timedelta(days=rng.randint(0, days)),
                submitted_hour=rng.randint(8, 15),
            )
        )
    Response.objects.bulk_create(rows, batch_size=1000)


# unit code, population per half-year, elements weak at first, elements that are free
UNITS = [
    ("sleman-dukcapil-dafduk", 2400, {"U3", "U8", "U9"}, {"U4"}),
    ("sleman-rsud", 5200, {"U2", "U3", "U7"}, set()),
    ("sleman-dpmptsp", 900, {"U1", "U3"}, set()),
]

PLANS = {
    "U1": "Menyederhanakan dan mengumumkan daftar persyaratan di loket dan situs web",
    "U2": "Menata ulang alur antrean dan memasang petunjuk alur pelayanan",
    "U3": "Menambah loket pada jam sibuk dan memberi nomor antrean daring",
    "U7": "Pelatihan pelayanan prima bagi petugas garis depan",
    "U8": "Menambah kursi tunggu, kipas angin dan ruang laktasi",
    "U9": "Membuka kotak saran dan kanal pengaduan yang dijawab paling lama 5 hari kerja",
}


def load(ctx):
    rng = random.Random(14_2017)
    admin = ctx["users"]["admin@amanah.test"]
    units, all_services = ctx["units"], ctx["services"]
    for unit_code, population, weak, free in UNITS:
        unit = units[unit_code]
        today = selectors.local_today(unit.agency)
        windows = [
            (today - dt.timedelta(days=395), today - dt.timedelta(days=215)),
            (today - dt.timedelta(days=210), today - dt.timedelta(days=35)),
        ]
        svc = [s for s in all_services.values() if s.unit_id == unit.pk]
        previous_low: set[str] = set()
        for i, (start, end) in enumerate(windows):
            period = services.create_period(
                admin,
                unit=unit,
                start=start,
                end=end,
                population=population,
                title=f"SKM {unit.name} semester {('I', 'II')[i]}",
            )
            n = period.required_sample + rng.randint(5, 60)
            _answers(
                rng, n, weak - previous_low, free, weak & previous_low, period, svc, start, end
            )
            services.close_period(admin, period)
            res = selectors.compute(period)
            low = [s.code for s in rules.lowest_elements(res)]
            for code in low:
                plan = services.add_plan(
                    admin,
                    period,
                    element=code,
                    action=PLANS.get(code, "Evaluasi dan perbaikan unsur " + code),
                    owner=f"Kepala {unit.name}",
                    due=end + dt.timedelta(days=60),
                )
                if i == 0:
                    services.report_progress(admin, plan, progress=100, note="Sudah dilaksanakan.")
            services.set_analysis(
                admin,
                period,
                "Unsur terendah: "
                + ", ".join(low)
                + ". Rencana tindak lanjut disusun untuk ketiganya.",
            )
            services.publish_period(admin, period)
            previous_low = set(low)
        start = today - dt.timedelta(days=20)
        period = services.create_period(
            admin,
            unit=unit,
            start=start,
            end=today + dt.timedelta(days=70),
            population=population,
            title=f"SKM {unit.name} semester berjalan",
        )
        _answers(rng, rng.randint(40, 90), set(), free, weak, period, svc, start, today)
