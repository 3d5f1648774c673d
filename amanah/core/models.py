"""Core tables: organisation, ASN directory, accounts and roles, API tokens, audit chain,
agency closures and stored (evidence) files."""

from __future__ import annotations

import datetime as dt
import functools
import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from . import rules
from .crypto import EncryptedTextField
from .records import translated


@functools.cache
def _choice_labels(field) -> dict:
    return {make_hashable(value): label for value, label in field.flatchoices}


def current_time():
    """``timezone.now()``, looked up when a row is made: a field whose default is ``timezone.now`` itself
    keeps the function bound when the model loaded, so a clock set for the demo's history (or a test's)
    would not reach it."""
    return timezone.now()


class ChoiceLabels:
    """``get_FOO_display()`` from a table built once per field. Django's own rebuilds the field's choices
    dictionary on every call, hashing (and so translating) every lazy label: ten translations for one
    status shown, on every row of a list and in every intake's answer."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _choice_labels(field).get(make_hashable(value), value)
        return force_str(label, strings_only=True)


class AgencyKind(models.TextChoices):
    KEMENTERIAN = "kementerian", _("Kementerian")
    LEMBAGA = "lembaga", _("Lembaga")
    PROVINSI = "provinsi", _("Pemerintah Provinsi")
    KABUPATEN = "kabupaten", _("Pemerintah Kabupaten")
    KOTA = "kota", _("Pemerintah Kota")


class TimeZoneChoice(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class Agency(models.Model):
    """Instansi: a ministry, an institution or a regional government."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    time_zone = models.CharField(
        max_length=40, choices=TimeZoneChoice.choices, default=TimeZoneChoice.WIB
    )
    is_active = models.BooleanField(default=True)
    # Per-agency overrides of configurable rules (e.g. complaint resolution tiers); see each app.
    options = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self):
        return self.name


class UnitKind(models.TextChoices):
    PELAYANAN = "pelayanan", _("Unit pelayanan")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    INSPEKTORAT = "inspektorat", _("Inspektorat (APIP)")
    KEPEGAWAIAN = "kepegawaian", _("Kepegawaian (BKPSDM)")
    PIMPINAN = "pimpinan", _("Pimpinan")
    LAINNYA = "lainnya", _("Lainnya")


class Unit(models.Model):
    """Unit kerja: a tree inside one agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=UnitKind.choices, default=UnitKind.PELAYANAN)
    head = models.ForeignKey(
        "Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="headed_units"
    )
    address = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__name", "name"]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("Unit induk harus berada di instansi yang sama.")})
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("Struktur unit tidak boleh melingkar.")})
            seen.add(node.pk)
            node = node.parent

    def ancestors(self) -> list[Unit]:
        """Parent, grandparent … up to the root unit of the agency."""
        chain, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        """This unit and every unit below it."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(
                Unit.objects.filter(parent_id__in=frontier)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            ids.update(frontier)
        return ids


class Service(models.Model):
    """Layanan: a public service offered by a unit, with its service standard."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    requirements = models.TextField(blank=True, help_text=_("Persyaratan"))
    procedure = models.TextField(blank=True, help_text=_("Sistem, mekanisme dan prosedur"))
    duration = models.CharField(
        max_length=120, blank=True, help_text=_("Jangka waktu penyelesaian")
    )
    cost = models.CharField(max_length=120, blank=True, help_text=_("Biaya/tarif"))
    product = models.CharField(max_length=200, blank=True, help_text=_("Produk pelayanan"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        # Every service list is sorted by name (tens of thousands of services nationally); a plain
        # index (``db_index`` would add a LIKE twin on PostgreSQL that no search uses).
        indexes = [models.Index(fields=["name"], name="service_name")]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    def __str__(self):
        return self.name

    @property
    def agency(self):
        return self.unit.agency


def validate_nip(value):
    try:
        rules.parse_nip(value)
    except rules.NIPError as exc:
        raise ValidationError(translated(exc), code="invalid_nip") from None


class Employee(models.Model):
    """Pegawai (ASN) in the directory. The chain of superiors follows the unit tree's heads."""

    nip = models.CharField(max_length=18, unique=True, validators=[validate_nip])
    name = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees")
    position = models.CharField(max_length=200, help_text=_("Jabatan"))
    email = models.EmailField(blank=True)
    birth_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, blank=True)
    tmt_cpns = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")

    def __str__(self):
        return f"{self.name} ({rules.format_nip(self.nip)})"

    def save(self, *args, **kwargs):
        parsed = rules.parse_nip(self.nip)
        self.nip = rules.normalize_nip(self.nip)
        self.birth_date = parsed.birth_date
        self.gender = parsed.gender
        self.tmt_cpns = dt.date(parsed.tmt[0], parsed.tmt[1], 1)
        super().save(*args, **kwargs)

    @property
    def agency(self):
        return self.unit.agency

    def superiors(self) -> list[Employee]:
        """Every superior, nearest first: the head of the own unit (unless it is this person), then
        the heads of the parent units up to the top of the agency."""
        chain, seen = [], {self.pk}
        for unit in [self.unit, *self.unit.ancestors()]:
            head = unit.head
            if head is not None and head.pk not in seen:
                chain.append(head)
                seen.add(head.pk)
        return chain


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account, logging in by e-mail. Staff accounts link to their employee record."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    employee = models.OneToOneField(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("Dapat masuk ke admin Django."))
    date_joined = models.DateTimeField(default=timezone.now)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(default=False)
    totp_last_step = models.BigIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("akun")
        verbose_name_plural = _("akun")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    """The staff roles of the platform. Each is held in one agency and, optionally, one unit."""

    OPERATOR = "operator", _("Petugas / operator")
    UNIT = "unit", _("Unit kerja (penanganan)")
    COMPLAINT_MANAGER = "pengelola", _("Pengelola pengaduan")
    INSPECTORATE = "inspektorat", _("Inspektorat / tim integritas (APIP)")
    CUSTODIAN = "kustodian", _("Kustodian identitas pelapor")
    HR = "kepegawaian", _("Kepegawaian (BKPSDM)")
    LEADERSHIP = "pimpinan", _("Pimpinan")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Admin platform")


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency", "unit"], name="uniq_role_assignment"
            ),
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(agency__isnull=False),
                name="role_needs_agency",
            ),
        ]

    def __str__(self):
        where = self.unit or self.agency or _("seluruh platform")
        return f"{self.get_role_display()} — {where}"

    def clean(self):
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("Unit harus berada di instansi peran ini.")})


class ApiToken(models.Model):
    """Bearer token for staff and integrations. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.prefix}… ({self.user})"


class AuditEntry(models.Model):
    """One link of an audit chain. ``hash`` = SHA-256 over this entry's fields and ``prev_hash``.

    There are two chains (``chain``, each with its own ``seq`` and :class:`AuditHead` row): the main one,
    and the day-only chain of the actions kept only to the day (an anonymous whistleblower's), so that no
    entry with an exact time stands next to them (see :mod:`amanah.core.audit`)."""

    chain = models.PositiveSmallIntegerField(default=1)
    seq = models.BigIntegerField()
    created_at = models.DateTimeField()
    actor = models.CharField(max_length=200)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    agency_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    #: The canonical form ``hash`` was taken over: 1 (the default) for the entries written before the agency
    #: was hashed; ``audit.record`` writes every new entry with ``audit.CANONICAL_VERSION`` (2).
    version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["chain", "seq"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="uniq_audit_chain_seq")
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}" if self.chain == 1 else f"day#{self.seq} {self.action}"


class AuditHead(models.Model):
    """The head of one chain (``id`` = ``AuditEntry.chain``); locked while appending so writers queue up."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"


class HeldMail(models.Model):
    """A mail held back until ``release_on`` (:func:`amanah.core.notify.email` with ``hold_until``), then
    queued by :func:`amanah.core.notify.release_held`. For the mails an anonymous whistleblower's action
    causes: queued at once, the task row's ``enqueued_at`` and the mail's ``Date`` would tell the minute of
    the action. No time is stored here; what the mail says is encrypted like a queued one."""

    release_on = models.DateField(db_index=True)
    # JSON {"to", "subject", "body"}; ``amanah keys rotate`` re-encrypts it with the other columns.
    message = EncryptedTextField()

    def __str__(self):
        return f"{self.release_on}"


class ClosureKind(models.TextChoices):
    NATIONAL = "libur_nasional", _("Libur nasional")
    CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
    AGENCY = "penutupan_instansi", _("Penutupan instansi")


class Closure(models.Model):
    """A non-working day added by an agency (regional holiday, disaster), or nationally by an
    admin when the official list changes before the ``holidays`` package does (agency empty)."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="closures"
    )
    date = models.DateField()
    name = models.CharField(max_length=200)
    is_working_day = models.BooleanField(
        default=False,
        help_text=_("Centang untuk membatalkan libur (mis. cuti bersama yang dibatalkan)."),
    )

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["agency", "date"], name="uniq_closure_day")]

    def __str__(self):
        return f"{self.date} {self.name}"


def stored_file_path(instance, filename):
    return f"files/{instance.created_at:%Y/%m}/{instance.id.hex}"


class StoredFile(models.Model):
    """An uploaded file after checking and cleaning (see ``amanah.core.files``). Content may be
    encrypted at rest; the original name is kept for download only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(upload_to=stored_file_path, max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    encrypted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=current_time)

    def __str__(self):
        return self.filename


class ScheduledJob(models.Model):
    """When each periodic job (deadline sweeps, rollup rebuild) last ran. Workers claim a due job
    with one conditional UPDATE, so with several workers each run happens once."""

    name = models.CharField(max_length=100, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return self.name
