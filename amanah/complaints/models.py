"""Complaint tables: the case, its timeline, its evidence and the agencies' answer templates."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amanah.core import records
from amanah.core.crypto import EncryptedTextField
from amanah.core.models import ChoiceLabels, Role, current_time

from . import rules


class Kind(models.TextChoices):
    PENGADUAN = "pengaduan", pgettext_lazy("satu pengaduan", "Pengaduan")
    ASPIRASI = "aspirasi", _("Aspirasi")
    INFO = "permintaan_informasi", _("Permintaan informasi")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    API = "api", _("API / aplikasi")
    WALK_IN = "datang_langsung", _("Datang langsung")
    PHONE = "telepon", _("Telepon")
    BOX = "kotak_pengaduan", _("Kotak pengaduan")
    LETTER = "surat", _("Surat")
    SOCIAL = "media_sosial", _("Media sosial")
    LAPOR = "sp4n_lapor", _("SP4N-LAPOR!")


class IdentityMode(models.TextChoices):
    BIASA = "biasa", _("Biasa (nama diketahui petugas)")
    RAHASIA = "rahasia", _("Rahasia (identitas hanya dilihat petugas penanganan)")
    ANONIM = "anonim", _("Anonim (tanpa identitas)")


class Status(models.TextChoices):
    RECEIVED = rules.RECEIVED, _("Diterima, menunggu verifikasi")
    INCOMPLETE = rules.INCOMPLETE, _("Menunggu kelengkapan dari pengadu")
    FORWARDED = rules.FORWARDED, _("Diverifikasi dan diteruskan ke unit")
    IN_PROGRESS = rules.IN_PROGRESS, _("Sedang ditangani")
    ANSWERED = rules.ANSWERED, _("Sudah dijawab")
    CLOSED = rules.CLOSED, _("Selesai")
    TRANSFERRED = rules.TRANSFERRED, _("Dialihkan ke instansi lain (bukan wewenang)")
    REJECTED = rules.REJECTED, _("Ditolak")
    WITHDRAWN = rules.WITHDRAWN, _("Dianggap dicabut")
    REFERRED = rules.REFERRED, _("Dirujuk ke Ombudsman RI")


class Tier(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    NORMATIF = "normatif", _("Normatif")
    TANPA_PEMERIKSAAN = "tanpa_pemeriksaan", _("Tidak memerlukan pemeriksaan")
    PEMERIKSAAN = "pemeriksaan", _("Memerlukan pemeriksaan")


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Spam atau tidak patut")
    DUPLICATE = "duplikat", _("Duplikat pengaduan lain")
    UNCLEAR = "tidak_jelas", _("Tidak jelas dan tidak dapat ditindaklanjuti")
    OTHER = "lainnya", _("Lainnya")


@deconstructible(path="amanah.complaints.models.StatusLiteral")
class StatusLiteral(models.Value):
    """A status written into the SQL as a literal (``'diterima'``), not sent as a bound parameter. SQLite
    uses an index on an expression only for the same expression *text*: with ``status = ?`` in the query
    and ``status = 'diterima'`` in the index it sorts instead. (PostgreSQL's driver sends literals either
    way.) Statuses are short lowercase words, so quoting them needs no escaping; anything else is refused."""

    def as_sql(self, compiler, connection):
        if not (isinstance(self.value, str) and re.fullmatch(r"[a-z_]{1,24}", self.value)):
            raise ValueError(f"not a status: {self.value!r}")
        return f"'{self.value}'", []


def stage_due_expression() -> models.Case:
    """:attr:`Complaint.stage_due` in SQL: the due date of the stage the case is in
    (``rules.STAGE_DUE_FIELD``), NULL while its clock is paused or stopped (waiting for completion,
    answered, closed). The inbox's "nearest deadline first" sorts by it, and the ``*_stage_due`` indexes
    below hold exactly this expression: a change to the stages changes both (``makemigrations`` then
    writes the new indexes)."""
    return models.Case(
        *(
            models.When(status=StatusLiteral(status), then=models.F(field))
            for status, field in rules.STAGE_DUE_FIELD.items()
            if field
        ),
        default=None,
        output_field=models.DateField(),
    )


#: A published complaint (``selectors.published`` asks the same).
PUBLISHED = models.Q(publish_requested=True, publish_approved=True) & ~models.Q(
    identity_mode=IdentityMode.RAHASIA
)


class Complaint(ChoiceLabels, models.Model):
    """One complaint, aspiration or information request. Saved with ``.save()`` on every change so
    ``post_save`` fires (transparency keeps its rollups from it)."""

    # Indexes are chosen for the write path as much as for reads (every intake updates each of them):
    # the foreign keys that lead a composite index below get no index of their own, the rarely-set ones
    # get a partial index (``WHERE … IS NOT NULL``, which ``= id`` lookups still use), and the unique
    # tracking code and the status get no ``varchar_pattern_ops`` twin (nothing searches them with LIKE).
    tracking_code = models.CharField(max_length=24)
    # SHA-256 of the sender's one-time submission key (the intake form's hidden token, an API client's
    # ``Idempotency-Key``): the same submission sent twice — a double tap, a retry after a dropped
    # connection — finds this complaint instead of filing a second one. Empty when none was sent.
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="complaints", db_index=False
    )
    unit = models.ForeignKey(
        "core.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,
    )
    service = models.ForeignKey(
        "core.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,
    )
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.PENGADUAN)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.RECEIVED)
    identity_mode = models.CharField(
        max_length=10, choices=IdentityMode.choices, default=IdentityMode.BIASA
    )

    title = models.CharField(max_length=200)
    description = models.TextField()
    incident_date = models.DateField(null=True, blank=True)
    incident_place = models.CharField(max_length=200, blank=True)
    loss = models.TextField(blank=True)
    remedy = models.TextField(blank=True)
    # Open311 location (optional).
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Open311 ``media_url``: a photo the filing app keeps on its own server. Only a link, never fetched by
    # Amanah (no third-party requests); shown to the handlers, never in a public answer.
    media_url = models.URLField(max_length=500, blank=True)

    # Identity: encrypted at rest, empty for *anonim*.
    name = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    # Keyed hashes of the e-mail address and of the mobile number (``services.contact_key``), the only way
    # to find a person's complaints by contact — the contact itself is encrypted — so that someone who lost
    # the tracking code can have it sent again to the address or phone they gave. Empty when none.
    email_key = models.CharField(max_length=32, blank=True, default="", editable=False)
    phone_key = models.CharField(max_length=32, blank=True, default="", editable=False)

    publish_requested = models.BooleanField(default=False)
    publish_approved = models.BooleanField(default=False)
    late_filing = models.BooleanField(
        default=False, help_text=_("Layanan diterima lebih dari 30 hari sebelumnya.")
    )

    received_at = models.DateTimeField(default=current_time, db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # The Open311 integration (its ``api_key``) that filed the complaint, for the handlers and the audit
    # chain; never in a public, complainant's or Open311 answer. PROTECT: a key is revoked, never deleted
    # (the admin offers no deletion), and its row — name, agency, when issued and revoked — is the record
    # of where the complaint came from, which deleting it would erase.
    open311_key = models.ForeignKey(
        "Open311Key",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,
        editable=False,
        verbose_name=_("integrasi Open311"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    tier = models.CharField(max_length=24, choices=Tier.choices, blank=True)
    verification_due = models.DateField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    resolution_due = models.DateField(null=True, blank=True)
    auto_close_due = models.DateField(null=True, blank=True)
    # Where each due date above is counted from: {field: [ISO start date, working days]}, so that it can
    # be counted again when a closure is added to the calendar after it was set.
    deadline_basis = models.JSONField(default=dict, blank=True, editable=False)
    completion_due = models.DateField(null=True, blank=True)
    paused_on = models.DateField(null=True, blank=True)
    paused_remaining = models.PositiveIntegerField(null=True, blank=True)

    verified_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=24, blank=True)

    reject_reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    transferred_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
        db_index=False,
    )

    escalation_level = models.PositiveSmallIntegerField(default=0)
    due_soon_notified = models.DateField(null=True, blank=True)

    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        indexes = [
            # The inboxes (an agency's, a unit's) list newest first and filter the status on the way.
            models.Index(fields=["agency", "received_at"], name="complaint_agency_received"),
            models.Index(fields=["unit", "received_at"], name="complaint_unit_received"),
            models.Index(fields=["service", "received_at"]),
            # "Nearest deadline first" (``selectors.inbox(order="due")``) of an agency's and of a unit's
            # inbox: read in index order, a page at a time, instead of sorting every matching case. The
            # stage's due date is an expression of the row (status and the three due dates), so it
            # follows every transition, pause, escalation and recount by itself.
            *(
                models.Index(
                    models.F(scope),
                    stage_due_expression(),
                    models.F("received_at"),
                    models.F("id"),
                    name=f"complaint_{scope}_stage_due",
                )
                for scope in ("agency", "unit")
            ),
            # The same order over every agency: a platform admin's national inbox by deadline, and the
            # overdue and due-soon filters of it (a range on the expression), read a page at a time.
            models.Index(
                stage_due_expression(),
                models.F("received_at"),
                models.F("id"),
                name="complaint_stage_due",
            ),
            # The public list, nationally and per agency: partial, so a complaint enters these indexes
            # only once it is published (an intake never does).
            *(
                models.Index(fields=fields, name=name, condition=PUBLISHED)
                for fields, name in (
                    (["received_at"], "complaint_published"),
                    (["agency", "received_at"], "complaint_published_agency"),
                )
            ),
            models.Index(fields=["status"], name="complaint_status"),
            *(
                models.Index(
                    fields=[fk],
                    name=f"complaint_{fk}",
                    condition=models.Q(**{f"{fk}__isnull": False}),
                )
                for fk in (
                    "entered_by",
                    "assignee",
                    "duplicate_of",
                    "transferred_from",
                    "open311_key",
                )
            ),
            *(
                models.Index(
                    fields=[key], name=f"complaint_{key}", condition=~models.Q(**{key: ""})
                )
                for key in ("email_key", "phone_key")
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_code"], name="complaint_tracking_code_unique"
            ),
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~models.Q(submission_key=""),
                name="complaint_submission_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_5",
            ),
        ]

    # Set by ``services.submit`` on the complaint it returns for a repeated submission key (not stored).
    replayed = False

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    @property
    def stage_due(self):
        """The due date of the stage the case is in (None when the clock is paused or stopped);
        :func:`stage_due_expression` is the same in SQL."""
        field = rules.STAGE_DUE_FIELD.get(self.status)
        return getattr(self, field) if field else None

    @property
    def verification_due_now(self):
        """``verification_due`` while it holds: None while the file waits for completion (the clock
        is stopped; a new date is set once the file is complete)."""
        return None if self.status == rules.INCOMPLETE else self.verification_due

    def is_overdue_on(self, today) -> bool:
        due = self.stage_due
        return due is not None and today > due

    @property
    def is_overdue(self) -> bool:
        from amanah.core.calendar import Calendar

        return self.is_overdue_on(Calendar(self.agency).local_date())

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATUSES

    @property
    def has_identity(self) -> bool:
        return self.identity_mode != IdentityMode.ANONIM and bool(
            self.name or self.email or self.phone
        )


class EventKind(models.TextChoices):
    STATUS = "status", _("Perubahan status")
    MESSAGE = "pesan", _("Pesan dari pengadu")
    ANSWER = "jawaban", _("Jawaban")
    NOTE = "catatan", _("Catatan internal")
    ESCALATION = "eskalasi", _("Eskalasi")
    ASSIGNMENT = "penugasan", _("Penugasan")
    RATING = "penilaian", _("Penilaian")


class ComplaintEvent(ChoiceLabels, models.Model):
    """A step on the case's timeline. ``public`` steps appear on the tracking page; internal notes,
    assignments and escalations never do."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=current_time)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    action = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)  # warga, sistem or the staff role used
    public = models.BooleanField(default=True)
    status_from = models.CharField(max_length=24, blank=True)
    status_to = models.CharField(max_length=24, blank=True)
    text = models.TextField(
        blank=True
    )  # as written, in the site language (see amanah.core.records)
    # The messages and parameters ``text`` was made of, to show it in the reader's language; null for a
    # text a person typed (and for steps recorded before this column existed).
    text_parts = models.JSONField(null=True, blank=True)
    # SHA-256 of a complainant's reply's one-time key (the tracking page's hidden token, an API client's
    # ``Idempotency-Key``) with what it said: the same reply sent twice is stored once. Empty otherwise.
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.action}"

    @property
    def actor_label(self) -> str:
        """Who took the step when no account is named: the complainant, the system, or a staff role."""
        if self.actor_role == rules.CITIZEN:
            return str(_("Pengadu"))
        if self.actor_role == rules.SYSTEM:
            return str(_("Sistem"))
        return str(dict(Role.choices).get(self.actor_role, self.actor_role))

    @property
    def shown_text(self) -> str:
        """``text`` in the language active now."""
        return records.shown(self.text, self.text_parts)

    @property
    def shown_pieces(self) -> list[tuple[str, bool]]:
        """``shown_text`` as ``(piece, typed)`` pairs (:func:`amanah.core.records.shown_pieces`): what a
        person typed is marked Indonesian on an English page, the system's sentences are not. A reader's
        masked copy (:func:`amanah.complaints.selectors.staff_timeline`) sets its own."""
        masked = self.__dict__.get("masked_pieces")
        if masked is not None:
            return masked
        return records.shown_pieces(self.text, self.text_parts)


class Evidence(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    # A transferred case shares its evidence with the original, so one stored file may have two rows.
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    added_by_citizen = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=current_time)
    # The timeline step the file came with (an answer's attachments: its official letter, a photo of the
    # repair), when it came with one.
    event = models.ForeignKey(
        "ComplaintEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    # Whoever holds the tracking code may download it: only the agency's attachments to a public step
    # (an answer). The complainant's own evidence never is — a receipt or a tracking link that leaks must
    # not hand out the photo of someone's KTP.
    shared = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.complaint_id}: {self.file_id}"


class AnswerTemplate(models.Model):
    """A reusable answer text of an agency (e.g. "KTP-el sudah dapat diambil")."""

    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=120)
    body = models.TextField()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Open311Key(models.Model):
    """An Open311 ``api_key`` of one integration (a civic app): it files service requests through
    ``POST /open311/v2/requests`` and does nothing else (it is no staff token and opens no ``/api/v1``
    endpoint). Issued by a platform admin (``amanah open311-key create``); only a SHA-256 of the key is
    stored. With an ``agency`` it files only for that agency's services."""

    name = models.CharField(_("integrasi"), max_length=100)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi"),
    )
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=current_time)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("kunci Open311")
        verbose_name_plural = _("kunci Open311")

    def __str__(self):
        return f"{self.prefix}… ({self.name})"
