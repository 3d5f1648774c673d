"""Synthetic organisation data at a chosen scale (agencies, units, services, employees), for
benchmarks. Apps extend it with complaints and survey answers."""

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from amanah.core.models import Agency, Employee, Service, Unit


def synthetic_nip(i: int, rng: random.Random) -> str:
    year = rng.randint(1965, 1998)
    birth = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    tmt = f"{year + rng.randint(22, 30)}{rng.randint(1, 12):02d}"
    return f"{birth}{tmt}{rng.choice('12')}{(i % 999) + 1:03d}"


class Command(BaseCommand):
    help = "Create synthetic agencies, units, services and employees (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=20)
        parser.add_argument("--units", type=int, default=10)
        parser.add_argument("--employees", type=int, default=20)
        parser.add_argument("--complaints", type=int, default=0)
        parser.add_argument("--survey-answers", type=int, default=0)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, agencies, units, employees, seed, **options):
        rng = random.Random(seed)
        started = time.monotonic()
        base = Agency.objects.count()
        with transaction.atomic():
            new_agencies = Agency.objects.bulk_create(
                [
                    Agency(
                        code=f"syn-{base + i}",
                        name=f"Instansi Sintetis {base + i}",
                        kind="kabupaten",
                    )
                    for i in range(agencies)
                ]
            )
            if not all(a.pk for a in new_agencies):
                new_agencies = list(
                    Agency.objects.filter(code__startswith="syn-").order_by("-pk")[:agencies]
                )
            unit_rows = [
                Unit(agency=a, code=f"{a.code}-u{j}", name=f"Unit {j} {a.name}")
                for a in new_agencies
                for j in range(units)
            ]
            Unit.objects.bulk_create(unit_rows, batch_size=2000)
            unit_objs = list(Unit.objects.filter(agency__in=new_agencies))
            Service.objects.bulk_create(
                [
                    Service(unit=u, code=f"{u.code}-s{k}", name=f"Layanan {k} {u.name}")
                    for u in unit_objs
                    for k in range(2)
                ],
                batch_size=2000,
            )
            seen, emp_rows, i = set(Employee.objects.values_list("nip", flat=True)), [], 0
            for u in unit_objs:
                for _ in range(employees):
                    nip = synthetic_nip(i, rng)
                    i += 1
                    while nip in seen:
                        nip = synthetic_nip(i + rng.randint(0, 10**6), rng)
                    seen.add(nip)
                    emp_rows.append(
                        Employee(nip=nip, name=f"Pegawai {i}", unit=u, position="Pelaksana")
                    )
            for e in emp_rows:  # bulk_create skips save(): fill the derived fields here
                import datetime as dt

                from amanah.core.rules import parse_nip

                p = parse_nip(e.nip)
                e.birth_date, e.gender, e.tmt_cpns = (
                    p.birth_date,
                    p.gender,
                    dt.date(p.tmt[0], p.tmt[1], 1),
                )
            Employee.objects.bulk_create(emp_rows, batch_size=5000)
        from amanah.core.seeding import run_extensions

        run_extensions(self, rng=rng, agencies=new_agencies, **options)
        self.stdout.write(
            f"seeded {len(new_agencies)} agencies, {len(unit_objs)} units, {len(emp_rows)} employees "
            f"in {time.monotonic() - started:.1f}s"
        )
