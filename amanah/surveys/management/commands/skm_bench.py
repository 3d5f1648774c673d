"""Benchmark: the results of one period with N answers (default one million), computed the way the app does
(one ORM aggregate, then exact fractions) against a raw SQL ``GROUP BY`` over the same table in the same run.

    amanah manage skm_bench --answers 1000000 --repeat 7

Run it against a scratch database: it creates a bench agency, unit and period, inserts the answers (COPY on
PostgreSQL, batched inserts on SQLite) and deletes them afterwards unless ``--keep``.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction


def load_periods(answers: int, seed: int, *, insert) -> tuple:
    """A bench agency and unit with a period of ``answers`` answers and an older one with a tenth as many
    (so the period filter and its index matter); ``insert(period_id, n, rng)`` writes the answers."""
    from amanah.core.models import Agency, Unit
    from amanah.surveys import rules
    from amanah.surveys.models import SurveyPeriod

    agency, _ = Agency.objects.get_or_create(
        code="skm-bench", defaults={"name": "SKM bench", "kind": "kota"}
    )
    unit, _ = Unit.objects.get_or_create(
        code="skm-bench-unit", defaults={"agency": agency, "name": "Bench"}
    )
    today = dt.date.today()
    period = SurveyPeriod.objects.create(
        agency=agency,
        unit=unit,
        start=today - dt.timedelta(days=180),
        end=today,
        population=answers * 2,
        required_sample=rules.required_sample(answers * 2),
    )
    other = SurveyPeriod.objects.create(
        agency=agency,
        unit=unit,
        start=today - dt.timedelta(days=400),
        end=today - dt.timedelta(days=200),
        population=answers,
        required_sample=rules.required_sample(answers),
    )
    rng = random.Random(seed)
    insert(period.pk, answers, rng)
    insert(other.pk, answers // 10, rng)
    return period, other


def time_queries(period, repeat: int, answers: int) -> tuple[list[float], list[float], dict]:
    """Time ``selectors.results(period)`` against the raw ``GROUP BY`` it replaces: two warm-ups, then
    ``repeat`` interleaved runs of each (alternating which goes first). Checks that both count ``answers``
    respondents and the same totals; returns the two lists of seconds and the results."""
    from amanah.surveys import selectors

    sums = ", ".join(f"SUM(u{i})" for i in range(1, 10))
    raw_sql = (
        f"SELECT period_id, COUNT(*), {sums} FROM surveys_response WHERE period_id = %s "
        "GROUP BY period_id"
    )

    def app():
        return selectors.results(period)

    def raw():
        with connection.cursor() as cur:
            cur.execute(raw_sql, [period.pk])
            return cur.fetchone()

    for _ in range(2):  # warm-up: caches, hint bits
        app(), raw()
    t_app, t_raw = [], []
    for i in range(repeat):  # bounded loop
        pair = ((app, t_app), (raw, t_raw)) if i % 2 == 0 else ((raw, t_raw), (app, t_app))
        for fn, bucket in pair:
            s = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - s)
    res, row = app(), raw()
    assert res["respondents"] == row[1] == answers, (res["respondents"], row[1], answers)
    assert [u["total"] for u in res["unsur"]] == [int(v) for v in row[2:]]
    return t_app, t_raw, res


class Command(BaseCommand):
    help = "Time the SKM results of a period with many answers against a raw SQL GROUP BY."

    def add_arguments(self, parser):
        parser.add_argument("--answers", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, answers, repeat, keep, seed, **options):
        from amanah.surveys.models import Response, SurveyPeriod

        t0 = time.perf_counter()
        period, other = load_periods(answers, seed, insert=self._insert)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        load = time.perf_counter() - t0
        self.stdout.write(
            f"{connection.vendor}: inserted {answers} + {answers // 10} answers in {load:.1f} s"
        )

        t_app, t_raw, res = time_queries(period, repeat, answers)
        m_app, m_raw = statistics.median(t_app), statistics.median(t_raw)
        self.stdout.write(
            f"results(period): median {m_app * 1000:.1f} ms; raw GROUP BY: median {m_raw * 1000:.1f} ms; "
            f"ratio {m_app / m_raw:.2f} (goal ≤ 1.5); IKM {res['ikm']} {res['mutu']}"
        )
        if not keep:
            with transaction.atomic():
                Response.objects.filter(period__in=[period, other])._raw_delete(connection.alias)
                SurveyPeriod.objects.filter(pk__in=[period.pk, other.pk]).delete()

    def _insert(self, period_id: int, n: int, rng: random.Random) -> None:
        from amanah.surveys.models import Response

        dist = (0.03, 0.14, 0.55, 0.28)
        today = dt.date.today()
        batch = 50_000
        done = 0
        while done < n:
            size = min(batch, n - done)
            rows = [[rng.choices((1, 2, 3, 4), dist)[0] for _ in range(9)] for _ in range(size)]
            if connection.vendor == "postgresql":
                cols = ", ".join(f"u{i}" for i in range(1, 10))
                with connection.cursor() as cur:
                    with cur.connection.cursor().copy(
                        f"COPY surveys_response (period_id, {cols}, gender, education, occupation, suggestion, "
                        f"channel, submitted_on) FROM STDIN"
                    ) as copy:
                        for r in rows:
                            copy.write_row([period_id, *r, "", "", "", "", "web", today])
            else:
                Response.objects.bulk_create(
                    [
                        Response(
                            period_id=period_id,
                            **{f"u{i + 1}": v for i, v in enumerate(r)},
                            submitted_on=today,
                        )
                        for r in rows
                    ],
                    batch_size=5000,
                )
            done += size
