"""National-scale synthetic data for ``amanah seed``: complaints and SKM answers for the synthetic
agencies, written with ``COPY`` on PostgreSQL (multi-row inserts elsewhere), then the dashboard's facts and
rollups rebuilt in a few set-based statements.

The data is plausible rather than random noise: units differ in how many complaints they get (a few busy
service units, many quiet ones) and in how quickly and well they answer; older complaints are mostly closed,
recent ones still open; deadlines follow the working-day calendar (national holidays and cuti bersama)."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections.abc import Iterator

from django.db import connection, models, transaction
from django.utils import timezone

from amanah.core import calendar as core_calendar
from amanah.core import rules as core_rules
from amanah.core.models import Service, Unit

from . import rollups

KINDS = (("pengaduan", 70), ("aspirasi", 20), ("permintaan_informasi", 10))
CHANNELS = (
    ("web", 40),
    ("api", 8),
    ("datang_langsung", 15),
    ("telepon", 10),
    ("kotak_pengaduan", 4),
    ("surat", 5),
    ("media_sosial", 8),
    ("sp4n_lapor", 10),
)
TITLES = (
    "Antrean pelayanan terlalu lama",
    "Petugas tidak ramah",
    "Dimintai biaya di luar tarif resmi",
    "Persyaratan tidak jelas",
    "Dokumen belum selesai melewati janji",
    "Situs layanan tidak dapat diakses",
    "Usulan perbaikan ruang tunggu",
    "Permintaan informasi jadwal layanan",
)
BATCH = 50_000


def _pick(rng, table):
    values, weights = zip(*table, strict=True)
    cum, total = [], 0
    for w in weights:
        total += w
        cum.append(total)
    return values, cum


def _template(model, given: set[str]) -> tuple[list[str], list]:
    """Column names of ``model`` and the database value of every column not in ``given`` (its default),
    so generated rows need only the varying values."""
    names, defaults = [], []
    now = timezone.now()
    for f in model._meta.concrete_fields:
        if f.primary_key and isinstance(f, models.AutoField):
            continue
        names.append(f.column)
        if f.attname in given:
            defaults.append(None)
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif isinstance(f, (models.CharField, models.TextField)):
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{f.name} needs a value")
        defaults.append(f.get_db_prep_save(value, connection))
    return names, defaults


def _rows(names, defaults, given_order: list[str], gen: Iterator[tuple]) -> Iterator[tuple]:
    column_of = {n: i for i, n in enumerate(names)}
    positions = [column_of[c] for c in given_order]
    for values in gen:
        row = list(defaults)
        for pos, v in zip(positions, values, strict=True):
            row[pos] = v
        yield tuple(row)


class _Deadlines:
    """``add(day, n)`` in working days of the national calendar, memoised (the seed needs a few n only)."""

    def __init__(self, first_year, last_year):
        self.closed = core_calendar.Calendar(None).closed(*range(first_year, last_year + 1))
        self.cache: dict = {}

    def add(self, day: dt.date, n: int) -> dt.date:
        key = (day, n)
        if key not in self.cache:
            self.cache[key] = core_rules.add_working_days(day, n, self.closed)
        return self.cache[key]


def _complaints(rng, agencies, n: int, stdout) -> int:
    from amanah.complaints.models import Complaint

    units = list(Unit.objects.filter(agency__in=agencies).values_list("id", "agency_id"))
    if not units or not n:
        return 0
    services: dict[int, list[int]] = {}
    for sid, uid in Service.objects.filter(unit__agency__in=agencies).values_list("id", "unit_id"):
        services.setdefault(uid, []).append(sid)
    tz = {a.pk: zoneinfo.ZoneInfo(a.time_zone) for a in agencies}
    # Busy and quiet units (Pareto-like weights), and each unit's speed and quality.
    weights, cum, total = [], [], 0.0
    for _ in units:
        weights.append(rng.paretovariate(1.5))
    for w in weights:
        total += w
        cum.append(total)
    speed = [rng.uniform(0.3, 2.5) for _ in units]
    now = timezone.now()
    today = timezone.localdate()
    deadlines = _Deadlines(today.year - 2, today.year + 1)
    kinds, kind_cum = _pick(rng, KINDS)
    channels, channel_cum = _pick(rng, CHANNELS)
    token = f"{rng.randrange(36**4):04x}"[:4].upper()
    given = [
        "tracking_code",
        "agency_id",
        "unit_id",
        "service_id",
        "kind",
        "channel",
        "status",
        "title",
        "description",
        "received_at",
        "verification_due",
        "response_due",
        "resolution_due",
        "verified_at",
        "forwarded_at",
        "first_response_at",
        "answered_at",
        "closed_at",
        "rating",
    ]
    names, defaults = _template(Complaint, set(given))
    choices = rng.choices

    def gen():
        for i in range(n):
            k = choices(range(len(units)), cum_weights=cum)[0]
            uid, aid = units[k]
            age = int(rng.random() ** 1.3 * 365)
            received = now - dt.timedelta(days=age, seconds=rng.randrange(86400))
            rday = timezone.localtime(received, tz[aid]).date()
            svc = services.get(uid)
            service_id = rng.choice(svc) if svc and rng.random() < 0.8 else None
            lag = max(0, int(rng.expovariate(1 / (3 * speed[k]))))
            answer = received + dt.timedelta(days=lag * 7 / 5, hours=rng.randrange(1, 8))
            close = answer + dt.timedelta(days=rng.randint(0, 12), hours=rng.randrange(1, 8))
            verify_due, response_due = deadlines.add(rday, 3), deadlines.add(rday, 8)
            resolution_due = deadlines.add(rday, 14)
            first = answered = closed = rating = None
            verified = forwarded = received + dt.timedelta(hours=rng.randrange(2, 60))
            r = rng.random()
            if close < now and r < 0.93:
                first = answered = answer
                closed = close
                status = (
                    "selesai"
                    if r < 0.80
                    else ("ditolak" if r < 0.85 else ("dialihkan" if r < 0.9 else "dicabut"))
                )
                if status == "selesai" and rng.random() < 0.55:
                    rating = min(5, max(1, round(rng.gauss(4.6 - speed[k] * 0.5, 1.0))))
            elif answer < now and r < 0.97:
                first = answered = answer
                status = "dijawab"
            elif verified < now and rng.random() < 0.7:
                status = "diproses" if rng.random() < 0.6 else "diteruskan"
            else:
                status, verified, forwarded, response_due, resolution_due = (
                    "diterima",
                    None,
                    None,
                    None,
                    None,
                )
            yield (
                f"SYN-{token}-{i:09d}",
                aid,
                uid,
                service_id,
                kinds[choices(range(len(kinds)), cum_weights=kind_cum)[0]],
                channels[choices(range(len(channels)), cum_weights=channel_cum)[0]],
                status,
                TITLES[i % len(TITLES)],
                "Data sintetis untuk uji skala.",
                received,
                verify_due,
                response_due,
                resolution_due,
                verified,
                forwarded,
                first,
                answered,
                closed,
                rating,
            )

    started = time.monotonic()
    with transaction.atomic():
        count = rollups.bulk_insert(
            Complaint, names, _rows(names, defaults, given, gen()), batch=BATCH
        )
    stdout.write(f"  complaints: {count} in {time.monotonic() - started:.1f}s")
    return count


def _survey_answers(rng, agencies, n: int, stdout) -> int:
    from amanah.surveys.models import Response, SurveyPeriod

    units = list(
        Unit.objects.filter(agency__in=agencies, kind="pelayanan").values_list("id", "agency_id")
    )
    if not units or not n:
        return 0
    services: dict[int, list[int]] = {}
    for sid, uid in Service.objects.filter(unit__agency__in=agencies).values_list("id", "unit_id"):
        services.setdefault(uid, []).append(sid)
    today = timezone.localdate()
    token = f"{rng.randrange(36**3):03x}"
    started = time.monotonic()
    periods = []
    for i, (uid, aid) in enumerate(units):
        for back, status in ((365, "closed"), (180, "published")):
            end = today - dt.timedelta(days=back - 170 + rng.randint(0, 20))
            periods.append(
                SurveyPeriod(
                    agency_id=aid,
                    unit_id=uid,
                    start=end - dt.timedelta(days=150),
                    end=end,
                    population=rng.randint(500, 20000),
                    required_sample=380,
                    status=status,
                    short_code=f"q{token}{len(periods):x}"[:12],
                    title=f"SKM sintetis {i}",
                )
            )
    with transaction.atomic():
        SurveyPeriod.objects.bulk_create(periods, batch_size=5000)
    rows = list(
        SurveyPeriod.objects.filter(short_code__startswith=f"q{token}").values_list(
            "id", "unit_id", "end"
        )
    )
    quality = {uid: rng.uniform(2.4, 3.8) for uid, _a in units}
    given = [
        "period_id",
        "service_id",
        "u1",
        "u2",
        "u3",
        "u4",
        "u5",
        "u6",
        "u7",
        "u8",
        "u9",
        "gender",
        "age",
        "education",
        "occupation",
        "submitted_on",
        "submitted_hour",
    ]
    names, defaults = _template(Response, set(given))
    genders, educations = ("L", "P"), ("SD", "SMP", "SMA", "D1-D3", "S1", "S2", "S3")
    occupations = ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya")

    def gen():
        per = n / len(rows)
        made = 0
        for j, (pid, uid, end) in enumerate(rows):
            want = round(per * (j + 1)) - made
            q = quality[uid]
            svc = services.get(uid)
            for _ in range(want):
                answers = [
                    min(4, max(1, round(rng.gauss(q + d, 0.6))))
                    for d in (0, 0.1, -0.3, 0.4, 0, 0.1, 0.2, -0.2, -0.1)
                ]
                yield (
                    pid,
                    rng.choice(svc) if svc else None,
                    *answers,
                    rng.choice(genders),
                    rng.randint(17, 75),
                    rng.choice(educations),
                    rng.choice(occupations),
                    end - dt.timedelta(days=rng.randint(0, 150)),
                    rng.randint(8, 15),
                )
            made += want

    with transaction.atomic():
        count = rollups.bulk_insert(
            Response, names, _rows(names, defaults, given, gen()), batch=BATCH
        )
    stdout.write(
        f"  SKM: {len(rows)} periods, {count} answers in {time.monotonic() - started:.1f}s"
    )
    return count


def _snapshots(stdout) -> None:
    """Closed and published periods keep a frozen copy of their results (as the surveys app does when a
    period is closed); computed here from the pooled sums of each period's answers in one grouped query
    instead of one query per period."""
    try:
        from amanah.surveys import rules as srules
        from amanah.surveys import selectors as ssel
        from amanah.surveys.models import PeriodStatus, Response, SurveyPeriod
    except ImportError:  # pragma: no cover
        return
    from django.db.models import Count, Sum

    started = time.monotonic()
    frozen = SurveyPeriod.objects.filter(
        snapshot__isnull=True, status__in=(PeriodStatus.CLOSED, PeriodStatus.PUBLISHED)
    )
    sums = {
        row["period_id"]: row
        for row in Response.objects.filter(period__in=frozen)
        .values("period_id")
        .annotate(n=Count("id"), **{f"s{i}": Sum(f"u{i}") for i in range(1, 10)})
        .order_by()
    }
    todo = []
    for p in frozen.filter(pk__in=list(sums)).select_related("unit", "service"):
        row = sums[p.pk]
        result = srules.compute_ikm([row[f"s{i}"] for i in range(1, 10)], row["n"], p.weight_value)
        p.snapshot = ssel.serialise(result, p)
        todo.append(p)
    with transaction.atomic():
        SurveyPeriod.objects.bulk_update(todo, ["snapshot"], batch_size=2000)
    stdout.write(f"  SKM snapshots: {len(todo)} in {time.monotonic() - started:.1f}s")


def seed(command, rng, agencies, complaints: int = 0, survey_answers: int = 0, **options):
    """Called by ``amanah seed`` after the synthetic organisation exists."""
    out = command.stdout
    started = time.monotonic()
    made = _complaints(rng, agencies, int(complaints or 0), out) + _survey_answers(
        rng, agencies, int(survey_answers or 0), out
    )
    if not made:
        return
    rollups.rebuild(stdout=out)
    _snapshots(out)
    out.write(f"  transparency seed done in {time.monotonic() - started:.1f}s")
