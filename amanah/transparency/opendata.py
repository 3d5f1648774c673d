"""The open-data tables: one definition per dashboard table (its columns and what they mean), shared by the
API (JSON and CSV), the data dictionary page and the CSV links on the dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from . import selectors

#: The names of the column types in the documentation page (the files themselves carry no type names);
#: marked here so that the page can show them in its reader's language.
COLUMN_TYPES = (
    gettext_noop("teks"),
    gettext_noop("tanggal"),
    gettext_noop("bilangan"),
    gettext_noop("nilai"),
    gettext_noop("persen"),
    gettext_noop("hari kerja"),
    gettext_noop("ya/tidak"),
)

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.id",
    "attribution": "Sumber: Amanah — dasbor transparansi pelayanan publik",
}


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[tuple[str, str, str], ...]  # (name, type, meaning)
    scopes: tuple[str, ...] = ("n", "a", "u")


SCOPE_COLUMNS = (
    ("level", "teks", _("Tingkat: nasional, instansi atau unit.")),
    ("agency", "teks", _("Kode instansi (kosong untuk nasional).")),
    ("unit", "teks", _("Kode unit (kosong bila bukan unit).")),
    ("start", "tanggal", _("Awal periode (TTTT-BB-HH), termasuk.")),
    ("end", "tanggal", _("Akhir periode (TTTT-BB-HH), termasuk.")),
)

SUMMARY_COLUMNS = (
    ("complaints_received", "bilangan", _("Pengaduan yang diterima dalam periode.")),
    ("complaints_closed", "bilangan", _("Pengaduan yang selesai (ditutup) dalam periode.")),
    (
        "answered_on_time",
        "bilangan",
        _(
            "Pengaduan dengan batas waktu tanggapan dalam periode yang ditanggapi pada "
            "atau sebelum batas waktu."
        ),
    ),
    ("answered_late", "bilangan", _("… yang ditanggapi setelah batas waktu.")),
    (
        "not_answered_past_deadline",
        "bilangan",
        _("… yang belum ditanggapi padahal batas waktunya sudah lewat."),
    ),
    ("deadline_cases", "bilangan", _("Jumlah tiga angka di atas: dasar persentase tepat waktu.")),
    (
        "answered_within_deadline_pct",
        "persen",
        _("Tepat waktu ÷ dasar × 100 (kosong bila dasarnya 0)."),
    ),
    ("complaints_answered", "bilangan", _("Pengaduan yang pertama kali ditanggapi dalam periode.")),
    (
        "median_days_to_first_response",
        "hari kerja",
        _(
            "Median hari kerja dari diterima sampai tanggapan pertama, "
            "untuk pengaduan yang ditanggapi dalam periode."
        ),
    ),
    (
        "median_days_to_closure",
        "hari kerja",
        _(
            "Median hari kerja dari diterima sampai selesai, untuk pengaduan "
            "yang selesai dalam periode."
        ),
    ),
    ("open", "bilangan", _("Pengaduan yang masih terbuka saat ini (tidak bergantung periode).")),
    ("overdue", "bilangan", _("Pengaduan terbuka yang saat ini melewati batas waktu tahapnya.")),
    (
        "ratings",
        "bilangan",
        _("Penilaian jawaban oleh pengadu (1–5) untuk pengaduan yang selesai dalam periode."),
    ),
    ("mean_rating", "nilai", _("Rata-rata penilaian jawaban.")),
    (
        "ikm",
        "nilai",
        _(
            "IKM konversi (25–100) dari semua kuesioner periode SKM yang berakhir dalam periode dan "
            "sudah dipublikasikan (PermenPANRB 14/2017)."
        ),
    ),
    ("ikm_mutu", "teks", _("Mutu pelayanan A–D menurut IKM.")),
    ("ikm_respondents", "bilangan", _("Jumlah kuesioner SKM yang dihitung.")),
)

CHILD_COLUMNS = (
    ("id", "bilangan", _("Nomor instansi atau unit.")),
    ("code", "teks", _("Kode instansi atau unit.")),
    ("name", "teks", _("Nama.")),
    ("received", "bilangan", _("Pengaduan diterima dalam periode.")),
    ("closed", "bilangan", _("Pengaduan selesai dalam periode.")),
    ("answered_on_time", "bilangan", _("Ditanggapi tepat waktu.")),
    (
        "deadline_cases",
        "bilangan",
        _("Dasar persentase tepat waktu (jumlah kasus di samping angka persen)."),
    ),
    ("answered_within_deadline_pct", "persen", _("Persentase tepat waktu.")),
    ("open", "bilangan", _("Terbuka saat ini.")),
    ("overdue", "bilangan", _("Melewati batas waktu saat ini.")),
    ("ikm", "nilai", _("IKM dari SKM yang berakhir dalam periode.")),
    ("ikm_respondents", "bilangan", _("Kuesioner SKM yang dihitung.")),
    (
        "rank",
        "bilangan",
        _("Peringkat menurut persentase tepat waktu; kosong bila kasusnya di bawah batas minimum."),
    ),
)

#: The last column of the agencies and units tables (added after the others, so that files read by
#: position keep their columns).
ACTIVE_COLUMN = (
    "active",
    "ya/tidak",
    _(
        "Masih aktif. Yang sudah tidak aktif tetap tercantum selama ada angkanya dalam periode, "
        "pengaduannya yang masih terbuka, atau (unit) unit aktif di bawahnya."
    ),
)

TABLES = {
    t.name: t
    for t in (
        Table(
            "summary", _("Ringkasan"), _("Angka utama satu cakupan dan periode."), SUMMARY_COLUMNS
        ),
        Table(
            "breakdown",
            _("Rincian pengaduan"),
            _(
                "Pengaduan yang diterima menurut jenis (kind), kanal (channel) atau status saat ini (status); "
                "pilih dengan parameter dimension."
            ),
            (
                ("dimension", "teks", _("kind, channel atau status.")),
                ("value", "teks", _("Kode kategori.")),
                ("label", "teks", _("Nama kategori.")),
                ("count", "bilangan", _("Jumlah pengaduan.")),
                ("share_pct", "persen", _("Bagian dari seluruh pengaduan cakupan ini.")),
            ),
        ),
        Table(
            "services",
            _("Layanan paling banyak diadukan"),
            _(
                "Sepuluh layanan dengan pengaduan terbanyak dalam periode (tingkat nasional, instansi "
                "atau unit)."
            ),
            (
                ("service_id", "bilangan", _("Nomor layanan.")),
                ("service", "teks", _("Nama layanan.")),
                ("agency", "teks", _("Instansi penyelenggara.")),
                ("agency_code", "teks", _("Kode instansi.")),
                ("unit", "teks", _("Unit penyelenggara.")),
                ("unit_code", "teks", _("Kode unit.")),
                ("count", "bilangan", _("Jumlah pengaduan.")),
            ),
        ),
        Table(
            "monthly",
            _("Pengaduan per bulan"),
            _("Diterima dan selesai per bulan dalam periode."),
            (
                ("month", "teks", _("Bulan (TTTT-BB).")),
                ("received", "bilangan", _("Diterima.")),
                ("closed", "bilangan", _("Selesai.")),
            ),
        ),
        Table(
            "ratings",
            _("Penilaian jawaban"),
            _("Sebaran penilaian 1–5 oleh pengadu."),
            (
                ("rating", "bilangan", _("Nilai 1–5.")),
                ("count", "bilangan", _("Jumlah penilaian.")),
                ("share_pct", "persen", _("Bagian dari semua penilaian.")),
            ),
        ),
        Table(
            "agencies",
            _("Kinerja per instansi"),
            _(
                "Satu baris per instansi, diperingkat hanya bila jumlah kasusnya mencapai batas minimum."
            ),
            CHILD_COLUMNS + (ACTIVE_COLUMN,),
            scopes=("n",),
        ),
        Table(
            "units",
            _("Kinerja per unit"),
            _(
                "Satu baris per unit langsung di bawah cakupan (angka unit termasuk sub-unitnya). "
                "Pengaduan yang tidak dipegang unit mana pun di tabel ada di baris terakhir, tanpa id, "
                "kode, peringkat dan active: pada tingkat instansi pengaduan yang belum atau tidak "
                "diteruskan ke unit, pada tingkat unit pengaduan unit itu sendiri (langsung, bukan "
                "sub-unit). Jumlah baris sama dengan tabel summary."
            ),
            CHILD_COLUMNS
            + (
                (
                    "latest_ikm",
                    "nilai",
                    _("IKM periode SKM terakhir unit yang sudah dipublikasikan."),
                ),
                ("latest_mutu", "teks", _("Mutu periode SKM terakhir.")),
                ("ikm_trend", "teks", _("naik, turun atau tetap dibanding periode sebelumnya.")),
                ACTIVE_COLUMN,
            ),
            scopes=("a", "u"),
        ),
        Table(
            "ikm",
            _("IKM terakhir per unit"),
            _("Hasil SKM terakhir yang sudah dipublikasikan setiap unit, dengan tren."),
            (
                ("unit_id", "bilangan", _("Nomor unit.")),
                ("unit_code", "teks", _("Kode unit.")),
                ("unit", "teks", _("Nama unit.")),
                ("ikm", "nilai", _("IKM konversi.")),
                ("mutu", "teks", _("Mutu A–D.")),
                ("kinerja", "teks", _("Kinerja unit.")),
                ("respondents", "bilangan", _("Jumlah responden.")),
                ("period_end", "tanggal", _("Akhir periode.")),
                ("previous_ikm", "nilai", _("IKM periode sebelumnya.")),
                ("trend", "teks", _("Tren.")),
                (
                    "period_id",
                    "bilangan",
                    _("Nomor periode SKM; hasilnya dipublikasikan di /skm/hasil/<period_id>/."),
                ),
            ),
            scopes=("a", "u"),
        ),
        Table(
            "integrity",
            _("Laporan pelanggaran (WBS)"),
            _(
                "Laporan yang diterima dalam periode menurut jenis, status, hasil dan tingkat sanksi. Angka 1–4, "
                "dan angka lain yang dapat dipakai untuk menghitungnya dari jumlah, dikosongkan (tampil "
                '"disembunyikan") agar pelapor dan terlapor tidak dapat dikenali. Tidak tersedia per unit.'
            ),
            (
                (
                    "period_start",
                    "tanggal",
                    _("Awal triwulan yang dihitung (angka WBS per triwulan yang sudah berakhir)."),
                ),
                ("period_end", "tanggal", _("Akhir triwulan yang dihitung.")),
                ("dimension", "teks", _("type, status, outcome atau sanction.")),
                ("value", "teks", _("Kode.")),
                ("label", "teks", _("Nama.")),
                ("count", "bilangan", _("Jumlah; kosong bila disembunyikan.")),
                ("display", "teks", _("Angka seperti tampil di dasbor.")),
            ),
            scopes=("n", "a"),
        ),
        Table(
            "indicators",
            _("Indikator keberhasilan"),
            _(
                "Tantangan — solusi — indikator keberhasilan instansi, dengan target yang ditetapkan instansi."
            ),
            (
                ("code", "teks", _("Kode indikator.")),
                ("challenge", "teks", _("Tantangan.")),
                ("solution", "teks", _("Solusi.")),
                ("name", "teks", _("Indikator keberhasilan.")),
                ("definition", "teks", _("Definisi.")),
                ("source", "teks", _("Sumber data.")),
                ("unit", "teks", _("Satuan.")),
                ("target", "nilai", _("Target tahun ini.")),
                (
                    "target_set_by_agency",
                    "ya/tidak",
                    _("Target ditetapkan instansi (bukan bawaan)."),
                ),
                ("year", "bilangan", _("Tahun target.")),
                (
                    "value",
                    "nilai",
                    _(
                        "Nilai dari data Amanah; kosong bila belum ada data atau bila disembunyikan."
                    ),
                ),
                ("cases", "bilangan", _("Jumlah kasus dasar nilai.")),
                (
                    "hidden",
                    "ya/tidak",
                    _(
                        "Nilai disembunyikan: dari nilai itu dapat dihitung angka WBS yang "
                        "disembunyikan di dasbor."
                    ),
                ),
                ("achieved", "ya/tidak", _("Target tercapai.")),
            ),
            scopes=("a",),
        ),
    )
}

DIMENSIONS = ("kind", "channel", "status")


class TableError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def rows(
    name: str, scope: selectors.Scope, start: dt.date, end: dt.date, dimension: str | None = None
) -> list[dict]:
    """The rows of one table (raises :class:`TableError` for a table that does not exist or does not
    apply to the scope)."""
    table = TABLES.get(name)
    if table is None:
        raise TableError(404, "unknown_table", str(_("Tabel tidak dikenal.")), "table")
    if scope.kind not in table.scopes:
        need = {"n": _("nasional"), "a": _("instansi"), "u": _("unit")}
        levels = ", ".join(str(need[s]) for s in table.scopes)
        raise TableError(
            400,
            "scope_not_supported",
            str(_("Tabel ini hanya tersedia untuk tingkat: %(levels)s.") % {"levels": levels}),
            "agency",
        )
    if name == "summary":
        return [selectors.summary(scope, start, end)]
    if name == "breakdown":
        if dimension not in DIMENSIONS:
            raise TableError(
                400,
                "invalid_dimension",
                str(_("dimension harus salah satu dari: kind, channel, status.")),
                "dimension",
            )
        return selectors.breakdown(scope, start, end, dimension)
    if name == "services":
        return selectors.top_services(scope, start, end)
    if name == "monthly":
        return selectors.monthly(scope, start, end)
    if name == "ratings":
        return selectors.ratings(scope, start, end)
    if name in ("agencies", "units"):
        return selectors.children(scope, start, end)["rows"]
    if name == "ikm":
        return selectors.ikm_units(scope)
    if name == "integrity":
        return selectors.integrity(scope, start, end)["rows"]
    if name == "indicators":
        return selectors.indicators(scope.agency, start, end)
    raise TableError(
        404, "unknown_table", str(_("Tabel tidak dikenal.")), "table"
    )  # pragma: no cover


def to_csv(
    name: str, scope: selectors.Scope, start: dt.date, end: dt.date, data: list[dict]
) -> str:
    """CSV with the scope and period on every row, so a file stands on its own."""
    cols = [c for c, _t, _d in SCOPE_COLUMNS] + [c for c, _t, _d in TABLES[name].columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    s = scope.as_dict()
    head = [s["level"], s["agency"] or "", s["unit"] or "", start.isoformat(), end.isoformat()]
    for row in data:
        writer.writerow(head + [_cell(row.get(c)) for c in cols[len(head) :]])
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "ya"
    if value is False:
        return "tidak"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def filename(name: str, scope: selectors.Scope, start: dt.date, end: dt.date) -> str:
    who = scope.unit.code if scope.unit else scope.agency.code if scope.agency else "nasional"
    return f"amanah-{name}-{who}-{start.isoformat()}-{end.isoformat()}.csv"
