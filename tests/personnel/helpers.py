"""Small builders for personnel tests and authorisation cases (agency A objects by default)."""

import contextlib
import datetime as dt
import itertools
import re
from decimal import Decimal

from amanah.personnel import models as m


def today():
    return dt.date.today()


def period(agency, year=None, name=None):
    year = year or today().year
    return m.SkpPeriod.objects.create(
        agency=agency,
        name=name or f"Tahun {year}",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )


def skp(employee, p=None, rater=None):
    p = p or period(employee.unit.agency)
    s = m.Skp.objects.create(employee=employee, period=p, rater=rater or employee.superiors()[0])
    m.SkpIndicator.objects.create(
        skp=s, description="Dokumen KTP-el terbit tepat waktu", target=Decimal(95), unit="persen"
    )
    return s


_seq = itertools.count(1)


def case(employee, **kw):
    return m.DisciplineCase.objects.create(
        number=kw.pop("number", f"HD-TEST-{next(_seq)}"),
        employee=employee,
        agency=employee.unit.agency,
        allegation="Pungutan liar di loket",
        opened_on=kw.pop("opened_on", today() - dt.timedelta(days=60)),
        **kw,
    )


def decided_case(a, day, level="sedang", sanction="tukin_25_6", **kw):
    """A proven case of org's agency ``a``'s staff member, decided by its Kadis on ``day``."""
    return case(
        a["staff"],
        opened_on=day - dt.timedelta(days=30),
        status=m.CaseStatus.DECIDED,
        proven=True,
        level=level,
        sanction=sanction,
        decided_on=day,
        sanction_start=day,
        decision_number="800/1",
        decided_by=a["kadis"],
        **kw,
    )


def examined_case(
    employee,
    team=(),
    *,
    opened_on=None,
    sent_on=None,
    held_on=None,
    bap_number="BAP/1",
    summary="Mengakui menerima uang",
):
    """A case of ``employee`` examined by ``team``: summoned on ``sent_on`` (50 days ago unless given),
    attended and examined on ``held_on`` (two weeks later unless given)."""
    c = case(employee, **({"opened_on": opened_on} if opened_on else {}))
    sent = sent_on or today() - dt.timedelta(days=50)
    held = held_on or sent + dt.timedelta(days=14)
    m.Summons.objects.create(case=c, sequence=1, sent_on=sent, examination_on=held, attended=True)
    exam = m.Examination.objects.create(
        case=c, held_on=held, bap_number=bap_number, summary=summary
    )
    exam.team.set(team)
    c.status = m.CaseStatus.EXAMINED
    c.save()
    return c


#: The day of the sanction decisions of the delivery and appeal tests (a Thursday), and the day agency A
#: closes that month (a Wednesday, a regional holiday: a day off the working-day counts must skip).
OCTOBER_DECISION = dt.date(2026, 10, 1)
OCTOBER_CLOSURE = dt.date(2026, 10, 7)


def examined_in_august(org, bap_number="BAP/7"):
    """A case of agency A's staff member opened on 3 August 2026, summoned on the 4th and examined on
    the 19th by a complete team, in an agency closed on :data:`OCTOBER_CLOSURE`."""
    from amanah.core.models import Closure

    a = org["a"]
    Closure.objects.get_or_create(
        agency=a["agency"], date=OCTOBER_CLOSURE, defaults={"name": "Hari jadi kabupaten"}
    )
    return examined_case(
        a["staff"],
        exam_team(a),
        opened_on=dt.date(2026, 8, 3),
        sent_on=dt.date(2026, 8, 4),
        held_on=dt.date(2026, 8, 19),
        bap_number=bap_number,
        summary="Mengakui",
    )


def decide_sedang(
    people, org, clock, case, *, decision_number, delivered_on=None, today=None, capture=None
):
    """``case`` proven: a sedang sanction (tukin cut, open to keberatan) decided by agency A's Kadis on
    :data:`OCTOBER_DECISION`, recorded by HR on ``today`` (the decision day unless given) and handed to
    the ASN on ``delivered_on`` (None: not yet); the mails it queues are sent when ``capture``
    (django_capture_on_commit_callbacks) is given. The case is returned as stored."""
    import contextlib

    from amanah.personnel import services

    clock.set(today or OCTOBER_DECISION)
    with capture(execute=True) if capture else contextlib.nullcontext():
        services.decide_case(
            people["hr"],
            case,
            proven=True,
            official=org["a"]["kadis"],
            decision_number=decision_number,
            decided_on=OCTOBER_DECISION,
            level="sedang",
            sanction="tukin_25_6",
            delivered_on=delivered_on,
        )
    case.refresh_from_db()
    return case


def exam_team(a):
    """A complete examination team for a sedang or berat case of the staff member of agency ``a``
    (PP 94/2021 Pasal 27): the direct supervisor, the inspektur (oversight unit) and an official of
    the agency holding the kepegawaian role (made once)."""
    from amanah.core.models import Employee, Role, RoleAssignment, User

    seq = a["sekda"].nip[-1]
    hr, made = Employee.objects.get_or_create(
        nip=f"19880505201212200{seq}",
        defaults={"name": "Analis SDM", "unit": a["top"], "position": "Analis SDM Aparatur"},
    )
    if made:
        user = User.objects.create_user(
            f"sdm-{a['agency'].code}@test.id", "sandi-rahasia-123", employee=hr
        )
        RoleAssignment.objects.create(user=user, role=Role.HR, agency=a["agency"])
    return [a["kabid"], a["inspektur"], hr]


def training(employee, jp=8, completed_on=None, **kw):
    return m.Training.objects.create(
        employee=employee,
        title=kw.pop("title", "Pelatihan pelayanan prima"),
        category=kw.pop("category", "teknis"),
        method=kw.pop("method", "pelatihan"),
        jp=Decimal(str(jp)),
        status="selesai",
        enrolled_on=completed_on or today(),
        completed_on=completed_on or today(),
        **kw,
    )


def program(
    code="pelayanan-prima", agency=None, *, jp=24, competency_type="manajerial", active=True
):
    """A training programme of the catalogue (national when ``agency`` is None)."""
    return m.Program.objects.create(
        agency=agency,
        code=code,
        title=f"Pelatihan {code}",
        category="teknis",
        method="pelatihan",
        competency_type=competency_type,
        jp=jp,
        is_active=active,
    )


def field_error(html: str, field_id: str) -> str:
    """The error text rendered right below the field ``field_id`` (empty if none): the field's one error
    element (``<id>_error``, which its ``aria-describedby`` names), its messages joined by a space."""
    found = re.search(
        rf'<div class="error" id="{re.escape(field_id)}_error">(.*?)</div>', html, re.S
    )
    return " ".join(re.findall(r"<p>([^<]*)</p>", found.group(1))) if found else ""


def hr_tables(org):
    """A row for every HR table of agency A: a short training with a certificate number, a rated SKP,
    a discipline case, a proposed award, an own programme, and competency standards with an assessment
    of the staff member's position (a national and an own technical competency)."""
    a = org["a"]
    staff = a["staff"]
    training(staff, jp=4, certificate_number="SERT/2026/001")
    s = skp(staff)
    s.hasil_kerja, s.perilaku, s.predicate, s.status = "sesuai", "sesuai", "baik", "dinilai"
    s.save()
    case(staff)
    m.Award.objects.create(
        employee=staff, kind="pelayanan", title="Pelayan prima", reason="Antrean tertib", year=2026
    )
    program("arsip-digital", a["agency"])
    # Migration 0002 writes the national dictionary; a transactional test (a browser test) starts after
    # another one emptied the tables, so the row is made again when it is gone.
    from amanah.personnel.rules import STANDARD_COMPETENCIES

    code, type_, name = next(c for c in STANDARD_COMPETENCIES if c[0] == "komunikasi")
    national, _made = m.Competency.objects.get_or_create(
        code=code, agency=None, defaults={"type": type_, "name": name}
    )
    own = m.Competency.objects.create(
        agency=a["agency"], code="adminduk", type="teknis", name="Administrasi kependudukan"
    )
    for comp, level in ((national, 3), (own, 2)):
        m.PositionRequirement.objects.create(
            agency=a["agency"], position=staff.position, competency=comp, level=level
        )
    m.Assessment.objects.create(
        employee=staff, competency=national, level=2, assessed_on=today(), method="Wawancara"
    )
    return {"skp": s}


def migrate(targets):
    """Migrate the test database to ``targets`` (a list of ``(app, migration)``), from a fresh
    executor each time (the graph is read again)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def migrate_to_latest():
    """Bring the test database back to the latest migrations after a test that migrated it back, so the
    tests after it find every column the models have."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@contextlib.contextmanager
def upgraded(before, after):
    """Inside the block the test database is as an upgrade left it: migrated back to ``before``, then
    forward to ``after`` (lists of ``(app, migration)``); the latest migrations again afterwards, so the
    tests after it find every column the models have."""
    try:
        migrate(before)
        migrate(after)
        yield
    finally:
        migrate_to_latest()
