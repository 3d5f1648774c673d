"""Demo whistleblowing cases in every stage (Pemkab Sleman), including a report about an
inspectorate member (escalated, invisible to the Sleman inspectorate), automatic exclusion of the
reported person's superiors, a pending identity-disclosure request, a protection flag and a
gratification self-report.

The case under examination opens with the demo receipt ``1111 2222 3333 4444``.
"""

from __future__ import annotations

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


def _backdate(report, days):
    """File the report ``days`` earlier: the receipt date and what follows from it (the assessment
    deadline, the year in the case number), as if it had come in on that day."""
    from amanah.core.calendar import Calendar
    from amanah.integrity import services

    report.created_on = report.created_on - dt.timedelta(days=days)
    report.assessment_due = Calendar(report.agency).add(
        report.created_on, services.deadlines()["assessment_working_days"]
    )
    random_part = report.case_number.split("-", 2)[2]
    report.case_number = f"WBS-{report.created_on.year}-{random_part}"
    report.save()


def load(ctx):
    from amanah.integrity import services
    from amanah.integrity.models import Report

    agencies, units, emp, users = ctx["agencies"], ctx["units"], ctx["employees"], ctx["users"]
    sleman = agencies["kab-sleman"]
    insp = users["inspektorat@sleman.test"]
    rina, dewi = emp["199101252015032003"], emp["199306082019022004"]
    teguh, andi = emp["198601012011011013"], emp["198309092009011011"]
    fitri = emp["198807142012122008"]
    agus = emp["198203102006041002"]

    # 1. Received: pungli at the KTP counter. Agus Santoso (head of the unit) and the heads above him are
    #    excluded automatically: unit@dukcapil.test cannot see it.
    r1 = _file(
        sleman,
        units["sleman-dukcapil-dafduk"],
        rina,
        "pungutan_liar",
        "Petugas meminta Rp150.000 agar KTP-el selesai hari itu juga, tanpa kuitansi.",
        place="Loket 2",
    )
    _backdate(r1, 2)

    # 2. Under assessment: gratification at the hospital, acknowledged.
    r2 = _file(
        sleman,
        units["sleman-rsud"],
        andi,
        "gratifikasi",
        "Direktur menerima paket liburan dari distributor alat kesehatan setelah tender.",
    )
    _backdate(r2, 9)
    services.acknowledge(insp, r2.pk)

    # 3. Under examination: abuse of authority in building permits; the reporter gave a name and asked
    #    to be contacted; a question, an answer, summons, a BAP, a pending disclosure request and a
    #    retaliation report (protection flag).
    r3 = _file(
        sleman,
        units["sleman-dpmptsp"],
        teguh,
        "penyalahgunaan_wewenang",
        "PBG untuk proyek perumahan disetujui tanpa dokumen rencana teknis setelah pertemuan di luar kantor.",
        reporter_name="Pegawai DPMPTSP",
        reporter_contact="pelapor.demo@contoh.id",
        may_contact=True,
        witnesses="Dua staf loket perizinan",
    )
    r3.receipt_hash = services.receipt_hash(DEMO_RECEIPT)
    _backdate(r3, 40)
    services.acknowledge(insp, r3.pk)
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
    services.set_plan(
        insp,
        r3.pk,
        "1. Tarik berkas PBG. 2. Panggil dua staf loket sebagai saksi. 3. Panggil terlapor.",
    )
    services.send_message(
        insp, r3.pk, "Apakah Anda tahu tanggal pertemuan di luar kantor itu?", question=True
    )
    report3 = Report.objects.get(pk=r3.pk)
    services.reporter_reply(
        report3, "Sekitar pertengahan bulan lalu, di sebuah rumah makan dekat kantor."
    )
    from amanah.core.calendar import Calendar

    cal = Calendar(sleman)
    issued = cal.local_date()
    services.issue_summons(
        insp,
        r3.pk,
        person="Staf loket perizinan (saksi)",
        issued_on=issued,
        hearing_on=cal.add(issued, 7),
    )
    services.record_bap(
        insp,
        r3.pk,
        held_on=issued,
        examined="Kepala seksi perizinan (saksi)",
        content="Saksi membenarkan berkas diproses tanpa rencana teknis atas perintah lisan.",
    )
    services.request_disclosure(
        insp, r3.pk, "Pelapor perlu dimintai keterangan resmi sebagai saksi kunci."
    )
    services.report_retaliation(
        Report.objects.get(pk=r3.pk),
        "mutasi",
        "Setelah pemeriksaan dimulai saya dipindahkan ke bagian arsip tanpa alasan.",
    )

    # 4. Concluded: proven, sanction sedang; personnel's discipline case opened.
    r4 = _file(
        sleman,
        units["sleman-dukcapil-dafduk"],
        dewi,
        "pelanggaran_disiplin",
        "Operator membuka layanan di luar jam kerja dengan tarif tambahan untuk warga tertentu.",
    )
    _backdate(r4, 75)
    services.assess(
        insp,
        r4.pk,
        credibility="tinggi",
        seriousness="sedang",
        retaliation_risk="rendah",
        decision="periksa",
    )
    services.record_bap(
        insp,
        r4.pk,
        held_on=cal.local_date(),
        examined="Terlapor",
        content="Terlapor mengakui menerima uang tambahan dari tiga warga.",
    )
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
    r5 = _file(
        sleman,
        units["sleman-rsud"],
        None,
        "korupsi",
        "Harga pengadaan obat digelembungkan dua kali lipat; faktur asli berbeda dengan yang dilaporkan.",
    )
    _backdate(r5, 30)
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
    r6 = _file(
        sleman,
        units["sleman-dukcapil-capil"],
        None,
        "lainnya",
        "Pelayanan lambat dan petugas kurang ramah saat mengurus akta.",
    )
    _backdate(r6, 20)
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
    r7 = _file(
        sleman,
        units["sleman-inspektorat"],
        fitri,
        "konflik_kepentingan",
        "Auditor memeriksa proyek milik keluarganya sendiri dan tidak menyatakan konflik kepentingan.",
    )
    _backdate(r7, 5)

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

    quarter_end = last_closed_quarter(cal.local_date())[1]
    for i in range(18):
        violation, person, text = history[i % len(history)]
        report = _file(sleman, dafduk, person, violation, f"{text} (laporan lama {i + 1})")
        _backdate(report, (cal.local_date() - quarter_end).days + 5 * i)
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
