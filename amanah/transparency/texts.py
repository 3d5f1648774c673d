"""Indicator texts from :data:`rules.INDICATORS`, marked for translation (``rules.py`` stays free of
Django). Keep in step with that table; ``tests/transparency/test_rules.py`` checks it."""

from django.utils.translation import gettext_noop

TEXTS = (
    gettext_noop("Kualitas pelayanan publik"),
    gettext_noop("Pengelolaan pengaduan dengan tenggat hari kerja"),
    gettext_noop("Pengaduan dijawab tepat waktu"),
    gettext_noop(
        "Tanggapan pertama pada atau sebelum batas waktu, dibagi pengaduan yang batas waktunya sudah lewat atau sudah ditanggapi."
    ),
    gettext_noop("Pengaduan (Amanah)"),
    gettext_noop("%"),
    gettext_noop("Median hari kerja sampai tanggapan pertama"),
    gettext_noop(
        "Nilai tengah jumlah hari kerja dari pengaduan diterima sampai tanggapan pertama."
    ),
    gettext_noop("hari kerja"),
    gettext_noop("Kepuasan masyarakat"),
    gettext_noop("Survei Kepuasan Masyarakat (PermenPANRB 14/2017)"),
    gettext_noop("Indeks Kepuasan Masyarakat (IKM)"),
    gettext_noop(
        "IKM konversi dari seluruh kuesioner periode SKM yang dipublikasikan dalam periode."
    ),
    gettext_noop("SKM (Amanah)"),
    gettext_noop("nilai"),
    gettext_noop("Konfirmasi dan penilaian jawaban oleh pengadu"),
    gettext_noop("Rata-rata penilaian jawaban oleh pengadu"),
    gettext_noop(
        "Rata-rata nilai 1–5 yang diberikan pengadu atas jawaban pengaduan yang selesai dalam periode."
    ),
    gettext_noop("Berkurangnya pelanggaran etika dan kasus korupsi"),
    gettext_noop("Saluran pelaporan pelanggaran (WBS) yang aman dan ditindaklanjuti"),
    gettext_noop("Laporan pelanggaran yang sudah diselesaikan"),
    gettext_noop(
        "Laporan yang selesai, dirujuk atau ditutup dibagi seluruh laporan yang diterima dalam periode."
    ),
    gettext_noop("Laporan integritas (Amanah)"),
    gettext_noop("Pemeriksaan dan sanksi disiplin (PP 94/2021)"),
    gettext_noop("Pelanggaran terbukti"),
    gettext_noop(
        "Jumlah laporan yang diterima dalam periode dan terbukti (seluruhnya atau sebagian); makin sedikit makin baik."
    ),
    gettext_noop("kasus"),
    gettext_noop("Akuntabilitas"),
    gettext_noop("Dasbor publik dan data terbuka"),
    gettext_noop("Pengaduan yang diselesaikan"),
    gettext_noop(
        "Pengaduan yang selesai dalam periode dibagi pengaduan yang diterima dalam periode."
    ),
    gettext_noop("Pemantauan tenggat dan eskalasi otomatis"),
    gettext_noop("Pengaduan terbuka yang melewati batas waktu"),
    gettext_noop("Jumlah pengaduan terbuka yang saat ini melewati batas waktu tahapnya."),
)
