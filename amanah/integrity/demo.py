"""Demo whistleblowing cases in every stage (Pemkab Sleman), including a report about an
inspectorate member (escalated, invisible to the Sleman inspectorate), automatic exclusion of the
reported person's superiors, a pending identity-disclosure request, a protection flag and a
gratification self-report.

The case under examination opens with the demo receipt ``1111 2222 3333 4444``.

Each case is played through the real services on the days its steps would have happened (filed weeks
ago, acknowledged the next working day, assessed days later…), so its messages, flags, summons and
deadlines carry those days, as a real channel's would.
"""

from __future__ import annotations

import contextlib
import datetime as dt

DEMO_RECEIPT = "1111222233334444"


def _file(agency, unit, employee, violation, description, **extra):
    from amanah.integrity import services

    data = {
        "reported_agency": agency,
        "reported_unit": unit,
        "reported_name": employee.name if employee else "",
        "reported_nip": employee.nip if employee else "",
        "reported_position": employee.position if employee else "",
        "violation_type": violation,
        "description": description,
        "incident_place": extra.pop("place", ""),
        "witnesses": extra.pop("witnesses", ""),
        "reporter_name": extra.pop("reporter_name", ""),
        "reporter_contact": extra.pop("reporter_contact", ""),
        "may_contact": extra.pop("may_contact", False),
    }
    data.update(extra)
    report, _receipt = services.submit_report(data)
    return report


@contextlib.contextmanager
def _on(agency, day: dt.date, hour: int = 10):
    """While the block runs, the services' clock (``django.utils.timezone.now``) reads ``hour`` o'clock
    of ``day`` in the agency's zone: what they record, and the deadlines they count, are of that day
    (the loader runs alone, before the server and the worker start)."""
    from django.utils import timezone

    from amanah.core.calendar import Calendar

    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=Calendar(agency).tz)
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


def load(ctx):
    from amanah.core.calendar import Calendar
    from amanah.integrity import services
    from amanah.integrity.models import Report

    agencies, units, emp, users = ctx["agencies"], ctx["units"], ctx["employees"], ctx["users"]
    sleman = agencies["kab-sleman"]
    insp = users["inspektorat@sleman.test"]
    rina, dewi = emp["199101252015032003"], emp["199306082019022004"]
    teguh, andi = emp["198601012011011013"], emp["198309092009011011"]
    fitri = emp["198807142012122008"]
    agus = emp["198203102006041002"]
    cal = Calendar(sleman)
    today = cal.local_date()

    def filed(days_ago: int) -> dt.date:
        """A receipt day: reports come in on any day, weekends too."""
        return today - dt.timedelta(days=days_ago)

    def later(day: dt.date, working_days: int) -> dt.date:
        """A staff step ``working_days`` after ``day``, on a working day before today."""
        return min(cal.add(day, working_days), cal.add(today, -1))

    # 1. Received: pungli at the KTP counter. Agus Santoso (head of the unit) and the heads above him are
    #    excluded automatically: unit@dukcapil.test cannot see it.
    with _on(sleman, filed(2), hour=19):
        _file(
            sleman,
            units["sleman-dukcapil-dafduk"],
            rina,
            "pungutan_liar",
            "Petugas meminta Rp150.000 agar KTP-el selesai hari itu juga, tanpa kuitansi.",
            place="Loket 2",
        )

    # 2. Under assessment: gratification at the hospital, acknowledged.
    day = filed(9)
    with _on(sleman, day):
        r2 = _file(
            sleman,
            units["sleman-rsud"],
            andi,
            "gratifikasi",
            "Direktur menerima paket liburan dari distributor alat kesehatan setelah tender.",
        )
    with _on(sleman, later(day, 1)):
        services.acknowledge(insp, r2.pk)

    # 3. Under examination: abuse of authority in building permits; the reporter gave a name and asked
    #    to be contacted; a question, an answer, a BAP, a pending disclosure request, a retaliation
    #    report (protection flag) and a summons whose hearing is still to come.
    day = filed(40)
    with _on(sleman, day, hour=21):
        r3 = _file(
            sleman,
            units["sleman-dpmptsp"],
            teguh,
            "penyalahgunaan_wewenang",
            "PBG untuk proyek perumahan disetujui tanpa dokumen rencana teknis setelah pertemuan di "
            "luar kantor.",
            reporter_name="Pegawai DPMPTSP",
            reporter_contact="pelapor.demo@contoh.id",
            may_contact=True,
            witnesses="Dua staf loket perizinan",
        )
    Report.objects.filter(pk=r3.pk).update(receipt_hash=services.receipt_hash(DEMO_RECEIPT))
    with _on(sleman, later(day, 1)):
        services.acknowledge(insp, r3.pk)
    with _on(sleman, later(day, 4)):
        services.assess(
            insp,
            r3.pk,
            credibility="tinggi",
            seriousness="tinggi",
            retaliation_risk="tinggi",
            decision="periksa",
            note="Dokumen PBG dapat diperiksa di sistem.",
        )
        services.assign(insp, r3.pk, insp, lead=True)
    with _on(sleman, later(day, 5)):
        services.set_plan(
            insp,
            r3.pk,
            "1. Tarik berkas PBG. 2. Panggil dua staf loket sebagai saksi. 3. Panggil terlapor.",
        )
    with _on(sleman, later(day, 7)):
        services.send_message(
            insp, r3.pk, "Apakah Anda tahu tanggal pertemuan di luar kantor itu?", question=True
        )
    with _on(sleman, later(day, 9), hour=20):
        services.reporter_reply(
            Report.objects.get(pk=r3.pk),
            "Sekitar pertengahan bulan lalu, di sebuah rumah makan dekat kantor.",
        )
    held = later(day, 13)
    with _on(sleman, held):
        services.record_bap(
            insp,
            r3.pk,
            held_on=held,
            examined="Kepala seksi perizinan (saksi)",
            content="Saksi membenarkan berkas diproses tanpa rencana teknis atas perintah lisan.",
        )
    with _on(sleman, later(day, 16)):
        services.request_disclosure(
            insp, r3.pk, "Pelapor perlu dimintai keterangan resmi sebagai saksi kunci."
        )
    with _on(sleman, later(day, 19), hour=20):
        services.report_retaliation(
            Report.objects.get(pk=r3.pk),
            "mutasi",
            "Setelah pemeriksaan dimulai saya dipindahkan ke bagian arsip tanpa alasan.",
        )
    issued = cal.add(today, -2)
    with _on(sleman, issued):
        services.issue_summons(
            insp,
            r3.pk,
            person="Staf loket perizinan (saksi)",
            issued_on=issued,
            hearing_on=cal.add(issued, 7),
        )

    # 4. Concluded: proven, sanction sedang; personnel's discipline case opened.
    day = filed(75)
    with _on(sleman, day):
        r4 = _file(
            sleman,
            units["sleman-dukcapil-dafduk"],
            dewi,
            "pelanggaran_disiplin",
            "Operator membuka layanan di luar jam kerja dengan tarif tambahan untuk warga tertentu.",
        )
    with _on(sleman, later(day, 4)):
        services.assess(
            insp,
            r4.pk,
            credibility="tinggi",
            seriousness="sedang",
            retaliation_risk="rendah",
            decision="periksa",
        )
    held = later(day, 15)
    with _on(sleman, held):
        services.record_bap(
            insp,
            r4.pk,
            held_on=held,
            examined="Terlapor",
            content="Terlapor mengakui menerima uang tambahan dari tiga warga.",
        )
    with _on(sleman, later(day, 30)):
        try:
            services.record_finding(
                insp,
                r4.pk,
                outcome="terbukti",
                note="Terbukti menerima pembayaran tidak resmi.",
                sanction_level="sedang",
                sanction="tukin_25_6",
            )
        except Exception:  # noqa: BLE001 — the personnel app may not be loaded in a partial demo
            pass

    # 5. Referred to KPK: corruption in procurement.
    day = filed(30)
    with _on(sleman, day):
        r5 = _file(
            sleman,
            units["sleman-rsud"],
            None,
            "korupsi",
            "Harga pengadaan obat digelembungkan dua kali lipat; faktur asli berbeda dengan yang "
            "dilaporkan.",
        )
    with _on(sleman, later(day, 3)):
        services.assess(
            insp,
            r5.pk,
            credibility="tinggi",
            seriousness="tinggi",
            retaliation_risk="sedang",
            decision="rujuk",
            referral_body="kpk",
        )

    # 6. Closed without examination.
    day = filed(20)
    with _on(sleman, day):
        r6 = _file(
            sleman,
            units["sleman-dukcapil-capil"],
            None,
            "lainnya",
            "Pelayanan lambat dan petugas kurang ramah saat mengurus akta.",
        )
    with _on(sleman, later(day, 3)):
        services.assess(
            insp,
            r6.pk,
            credibility="rendah",
            seriousness="rendah",
            retaliation_risk="rendah",
            decision="tutup",
            reporter_message="Ini keluhan pelayanan, bukan pelanggaran. Silakan sampaikan "
            "lewat kanal Pengaduan agar ditangani unit layanan.",
        )

    # 7. About a member of the inspectorate: escalated to the province (Pemda DIY); the Sleman
    #    inspectorate (including inspektorat@sleman.test, who is the person reported) cannot see it.
    with _on(sleman, filed(5)):
        _file(
            sleman,
            units["sleman-inspektorat"],
            fitri,
            "konflik_kepentingan",
            "Auditor memeriksa proyek milik keluarganya sendiri dan tidak menyatakan konflik "
            "kepentingan.",
        )

    # 8. Gratification self-report by an ASN.
    _file(
        sleman,
        units["sleman-dukcapil-dafduk"],
        agus,
        "gratifikasi",
        "Menerima bingkisan dari warga setelah layanan selesai; ditolak tidak memungkinkan karena diantar ke rumah.",
        kind="gratifikasi_diri",
        reporter_name=agus.name,
        gift_received_on=cal.local_date() - dt.timedelta(days=3),
        gift_giver="Warga pengguna layanan",
        gift_value="Bingkisan makanan, sekitar Rp300.000",
    )

    # 9. The last quarter that is over: reports assessed and closed, so that the published statistics
    #    (one closed calendar quarter at a time, small counts hidden) have figures to show.
    dafduk = units["sleman-dukcapil-dafduk"]
    history = [
        ("pungutan_liar", rina, "Biaya tambahan untuk legalisir akta."),
        ("pungutan_liar", dewi, "Uang rokok diminta di loket KK."),
        ("gratifikasi", teguh, "Parsel dari pemohon menjelang hari raya."),
        ("penyalahgunaan_wewenang", rina, "Antrean didahulukan untuk kenalan petugas."),
        ("pungutan_liar", teguh, "Pungutan untuk percepatan KTP-el."),
        ("pelanggaran_disiplin", dewi, "Sering meninggalkan loket pada jam layanan."),
    ]
    from amanah.integrity.selectors import last_closed_quarter

    quarter_end = last_closed_quarter(today)[1]
    for i in range(18):
        violation, person, text = history[i % len(history)]
        day = quarter_end - dt.timedelta(days=5 * i)
        with _on(sleman, day):
            report = _file(sleman, dafduk, person, violation, f"{text} (laporan lama {i + 1})")
        with _on(sleman, later(day, 3)):
            services.assess(
                insp,
                report.pk,
                credibility="rendah",
                seriousness="rendah",
                retaliation_risk="rendah",
                decision="tutup",
                reporter_message="Telah ditelaah; petunjuk yang ada belum cukup untuk pemeriksaan.",
            )

    return None
