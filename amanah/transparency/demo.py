"""Demo data for the dashboard: Pemkab Sleman's targets for its indicators of success, and the rollups
rebuilt once the other apps have loaded their demo cases (so the dashboard is complete at first start,
without waiting for the background worker)."""

from django.utils import timezone

from .models import IndicatorTarget
from .rollups import rebuild

TARGETS = (
    ("tepat_waktu", "95", "Target RPJMD: pengaduan dijawab tepat waktu"),
    ("median_tanggapan", "3", ""),
    ("ikm", "85", "Mutu B atau lebih baik di semua unit"),
    ("penilaian_jawaban", "4.2", ""),
    ("integritas_selesai", "90", ""),
    ("diselesaikan", "85", ""),
    ("terlambat", "0", ""),
)


def load(ctx):
    agency = ctx["agencies"].get("kab-sleman")
    if agency is not None:
        year = timezone.localdate().year
        for code, target, note in TARGETS:
            IndicatorTarget.objects.update_or_create(
                agency=agency, code=code, year=year, defaults={"target": target, "note": note}
            )
    rebuild()
