"""Core writes: accounts, roles, tokens, closures and the organisation, each audited."""

from __future__ import annotations

import pyotp
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import audit, permissions, ratelimit, tokens
from .models import Closure, Role
from .records import translated


class LoginError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def login_attempt(request, email: str, password: str, code: str = ""):
    """Check credentials (and the TOTP code when enabled). Failures are counted per e-mail and client,
    and per client; past the limit every attempt from that client is refused until the window ends
    (``LOGIN_FAILURE_WINDOW``, which the refusal states in minutes)."""
    from django.conf import settings

    window, limit = settings.LOGIN_FAILURE_WINDOW, settings.LOGIN_FAILURE_LIMIT
    ip = ratelimit.client_ip(request)
    # Failures count per account *from this client* and per client: someone who knows an officer's
    # e-mail cannot lock the officer out from elsewhere, and one client cannot try many accounts.
    idents = [("login-email", f"{email.lower()}|{ip}"), ("login-ip", ip)]
    if any(ratelimit.reached(scope, ident, limit, window) for scope, ident in idents):
        minutes = max(1, -(-window // 60))  # the configured window, in whole minutes rounded up
        raise LoginError(
            ngettext(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(n)d menit.",
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(n)d menit.",
                minutes,
            )
            % {"n": minutes},
            "throttled",
        )
    user = authenticate(request, username=email.lower(), password=password)
    if user is None:
        for scope, ident in idents:
            ratelimit.hit(scope, ident, limit, window)
        raise LoginError(_("Email atau kata sandi salah."), "invalid")
    if user.totp_enabled:
        if not code:
            raise LoginError(_("Masukkan kode autentikasi dari aplikasi Anda."), "code_required")
        if not verify_totp(user, code):
            for scope, ident in idents:
                ratelimit.hit(scope, ident, limit, window)
            raise LoginError(_("Kode autentikasi salah."), "invalid_code")
    return user


def verify_totp(user, code: str) -> bool:
    """Accept a TOTP code once (a used time step cannot be replayed)."""
    if not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = int(timezone.now().timestamp())
    for offset in (-1, 0, 1):
        step = now // 30 + offset
        if step > user.totp_last_step and totp.at(step * 30) == code:
            user.totp_last_step = step
            user.save(update_fields=["totp_last_step"])
            return True
    return False


@transaction.atomic
def enable_totp(user, secret: str, code: str) -> bool:
    user.totp_secret = secret
    if not verify_totp(user, code):
        return False
    user.totp_enabled = True
    user.save(update_fields=["totp_secret", "totp_enabled"])
    audit.record(user, "core.totp_enabled", user)
    return True


@transaction.atomic
def assign_role(actor, user, role: str, agency=None, unit=None):
    if actor is not None:
        permissions.require(actor, [Role.ADMIN], agency=agency)
    from .models import RoleAssignment

    ra, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, agency=agency, unit=unit
    )
    audit.record(
        actor,
        "core.role_assigned",
        user,
        {"role": role, "agency": getattr(agency, "pk", None), "unit": getattr(unit, "pk", None)},
        agency_id=getattr(agency, "pk", None),
    )
    return ra


@transaction.atomic
def create_token(actor, user, name: str = "") -> str:
    raw = tokens.issue(user, name=name)
    audit.record(actor, "core.token_created", user, {"name": name})
    return raw


class ClosureExists(Exception):
    """The agency has a closure on that day already (one per agency and day): ``code`` is
    ``closure_exists``, about the field ``date``."""

    code, field = "closure_exists", "date"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def add_closure(actor, agency, date, name: str, is_working_day: bool = False):
    """Record a non-working day of ``agency`` (or, ``is_working_day``, a national day off that is a working
    day there). Raises :class:`ClosureExists` when the agency has one on that day already."""
    permissions.require(actor, [Role.ADMIN, Role.COMPLAINT_MANAGER, Role.LEADERSHIP], agency=agency)
    exists = ClosureExists(
        _("Instansi ini sudah mempunyai penutupan atau hari kerja pada tanggal itu.")
    )
    if Closure.objects.filter(agency=agency, date=date).exists():
        raise exists
    try:
        with transaction.atomic():  # the unique constraint decides between two requests at once
            closure = Closure.objects.create(
                agency=agency, date=date, name=name, is_working_day=is_working_day
            )
    except IntegrityError:
        raise exists from None
    audit.record(
        actor,
        "core.closure_added",
        closure,
        {"date": date, "name": name},
        agency_id=getattr(agency, "pk", None),
    )
    return closure


EMPLOYEE_COLUMNS = ["nip", "nama", "unit", "jabatan"]
_YES = {"ya", "y", "yes", "1", "true", "kepala"}


def import_employees(actor, agency, upload, *, filename: str | None = None) -> dict:
    """Import the ASN directory of one agency from CSV or XLSX.

    Columns: ``nip``, ``nama``, ``unit`` (unit code), ``jabatan``, optional ``email`` and ``kepala_unit``
    (``ya`` makes the person head of that unit). Existing NIPs of the same agency are updated. Every row is
    checked first; any error rejects the whole file (:class:`~amanah.core.tabular.ImportRejected` with one
    entry per problem) and nothing is written.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from . import rules, tabular
    from .models import Employee, Unit

    permissions.require(actor, [Role.HR], agency=agency)
    header, rows = tabular.read_rows(upload, filename=filename)
    tabular.require_columns(header, EMPLOYEE_COLUMNS)
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    nips = [r["nip"].replace(" ", "") for r in rows]
    existing = {e.nip: e for e in Employee.objects.filter(nip__in=nips).select_related("unit")}
    errors, seen, clean = [], {}, []
    for row in rows:
        nip, problems = row["nip"].replace(" ", ""), []
        err = problems.append  # (column, message)

        try:
            rules.parse_nip(nip)
        except rules.NIPError as exc:
            err(("nip", translated(exc)))
        if nip in seen:
            err(("nip", _("NIP sama dengan baris %(row)d.") % {"row": seen[nip]}))
        seen.setdefault(nip, row["_row"])
        if nip in existing and existing[nip].unit.agency_id != agency.pk:
            err(("nip", _("NIP ini terdaftar di instansi lain.")))
        if not row["nama"]:
            err(("nama", _("Nama wajib diisi.")))
        elif len(row["nama"]) > 200:
            err(("nama", _("Nama paling panjang 200 karakter.")))
        unit = units.get(row["unit"])
        if unit is None:
            err(
                (
                    "unit",
                    _("Kode unit '%(code)s' tidak ada di instansi ini.")
                    % {"code": row["unit"][:60]},
                )
            )
        if not row["jabatan"]:
            err(("jabatan", _("Jabatan wajib diisi.")))
        elif len(row["jabatan"]) > 200:
            err(("jabatan", _("Jabatan paling panjang 200 karakter.")))
        email = row.get("email", "")
        if len(email) > 254:
            err(("email", _("Alamat email paling panjang 254 karakter.")))
        elif email:
            try:
                validate_email(email)
            except ValidationError:
                err(("email", _("Alamat email tidak sah.")))
        errors += [tabular.RowError(row["_row"], col, msg) for col, msg in problems]
        if not problems:
            clean.append((nip, row, unit))
    tabular.raise_if_errors(errors)
    created = updated = 0
    with transaction.atomic():
        for nip, row, unit in clean:
            emp = existing.get(nip) or Employee(nip=nip)
            created += emp.pk is None
            updated += emp.pk is not None
            emp.name, emp.unit, emp.position = row["nama"], unit, row["jabatan"]
            emp.email = row.get("email", "") or emp.email
            emp.save()
            if row.get("kepala_unit", "").strip().lower() in _YES and unit.head_id != emp.pk:
                unit.head = emp
                unit.save(update_fields=["head"])
        audit.record(
            actor,
            "core.employees_imported",
            agency,
            {"created": created, "updated": updated},
            agency_id=agency.pk,
        )
    return {"created": created, "updated": updated}
