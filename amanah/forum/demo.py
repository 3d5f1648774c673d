"""Demo data for this app; called by ``amanah.core.demo.load`` after the organisation exists.

Every demo agency gets a few published questions (some about one of its services), most with an official
answer and a citizen's reply; Pemkab Sleman also has a question waiting for moderation, a reply waiting, a
hidden question and a locked one, so that the moderation queue and every state can be seen."""

from __future__ import annotations

import datetime as dt

from . import services
from .models import Post, Topic

#: (question title, question, pseudonym, official answer or "", a citizen's reply or "")
QUESTIONS = (
    (
        "Apakah ada biaya untuk layanan ini?",
        "Saya mendengar dari tetangga bahwa ada pungutan untuk mengurus layanan ini. Apakah benar ada "
        "biayanya, dan kalau ada, berapa?",
        "Warga Depok",
        "Layanan ini tidak dipungut biaya. Bila ada petugas yang meminta uang, laporkan melalui menu "
        "Pengaduan atau Lapor pelanggaran; identitas Anda dapat dirahasiakan.",
        "Terima kasih atas penjelasannya, jadi jelas.",
    ),
    (
        "Berapa lama waktu penyelesaiannya?",
        "Berkas saya sudah lengkap. Biasanya butuh berapa hari sampai selesai?",
        "",
        "Sesuai standar pelayanan kami, layanan selesai dalam waktu yang tertulis di halaman layanan bila "
        "berkas sudah lengkap. Keterlambatan dapat Anda adukan melalui menu Pengaduan.",
        "",
    ),
    (
        "Jam buka loket pada hari Sabtu",
        "Apakah loket pelayanan buka pada hari Sabtu? Saya bekerja dari Senin sampai Jumat.",
        "Pekerja pabrik",
        "",
        "Saya juga ingin tahu, semoga ada layanan akhir pekan.",
    ),
)


def _ago(obj, days: int) -> None:
    type(obj).objects.filter(pk=obj.pk).update(created_on=obj.created_on - dt.timedelta(days=days))


def load(ctx):
    admin = ctx["users"]["admin@amanah.test"]
    pengelola = ctx["users"].get("pengelola@sleman.test", admin)
    by_agency: dict = {}
    for service in ctx["services"].values():
        by_agency.setdefault(service.unit.agency_id, []).append(service)
    for agency in ctx["agencies"].values():
        staff = pengelola if agency.code == "kab-sleman" else admin
        offered = sorted(by_agency.get(agency.pk, []), key=lambda s: s.code)
        for i, (title, body, name, answer, reply) in enumerate(QUESTIONS):
            service = offered[i % len(offered)] if offered and i < 2 else None
            topic = services.submit_topic(
                agency=agency, service=service, title=title, body=body, author_name=name
            )
            services.moderate_topic(staff, topic, "publish")
            if answer:
                services.answer(staff, topic, body=answer)
            if reply:
                post = services.submit_reply(topic, body=reply, author_name="")
                services.moderate_post(staff, post, "publish")
            for post in Post.objects.filter(topic=topic):
                _ago(post, 10 - 3 * i)
            _ago(topic, 12 - 3 * i)
        if agency.code != "kab-sleman":
            continue
        waiting = services.submit_topic(
            agency=agency,
            title="Cara mengganti KTP-el yang rusak",
            body="KTP-el saya patah. Apa saja yang harus dibawa untuk menggantinya?",
            author_name="",
        )
        hidden = services.submit_topic(
            agency=agency,
            title="Nomor HP petugas loket",
            body="Petugas bernama X di loket 3, nomornya 0812xxxxxxx, tolong hubungi saya.",
            author_name="",
        )
        services.moderate_topic(pengelola, hidden, "hide", "Memuat data pribadi (nomor HP).")
        locked = Topic.objects.filter(agency=agency, title=QUESTIONS[0][0]).first()
        services.submit_reply(
            Topic.objects.get(agency=agency, title=QUESTIONS[2][0]),
            body="Apakah ada layanan keliling di kecamatan?",
            author_name="Ibu RT",
        )
        services.moderate_topic(pengelola, locked, "lock")
        _ago(waiting, 1)
        _ago(hidden, 2)
