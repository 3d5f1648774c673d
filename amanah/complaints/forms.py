"""Forms of the complaint desk. The intake form also validates the API's JSON and multipart bodies,
so the page and the API give the same field errors."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from amanah.core import selectors
from amanah.core.calendar import latest_local_date
from amanah.core.forms import IsoDateField, ValidatingForm
from amanah.core.models import Agency

from . import rules, services
from .models import Channel, IdentityMode, Kind, RejectReason, Tier

#: The intake page's one-time submission token (``secrets.token_urlsafe``); anything else is ignored.
SUBMISSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")

ERRORS = {
    "required": _("Bagian ini wajib diisi."),
    "max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
    "invalid_choice": _("Pilihan tidak dikenal."),
    "invalid": _("Isian tidak valid."),
}


def _no_markup(value):
    if value and rules.contains_markup(value):
        raise ValidationError(_("Teks tidak boleh berisi HTML atau skrip."), code="markup")
    if value and rules.contains_control(value):
        raise ValidationError(
            _("Teks berisi karakter kendali yang tidak terlihat. Hapus lalu kirim lagi."),
            code="control_character",
        )


#: Strings a form may send for a yes/no choice (a checkbox sends "on"); anything else is an error rather
#: than a guess: Django's checkbox reads every non-empty string but "false" as yes, so "no" or "0" would
#: have opted a person in to publication.
_YES = frozenset({"1", "true", "on", "ya", "yes", "y"})
_NO = frozenset({"", "0", "false", "off", "tidak", "no", "n"})


class OneTimeToken:
    """A hidden token made when a form is shown and sent back with it, so that the same form sent twice
    (a double tap, a browser resending after a dropped connection, a retry on a slow line) is carried out
    once. A form declares ``submission = OneTimeToken.submission`` in its own place among its fields,
    calls :meth:`issue` from ``__init__`` and takes ``clean_submission``; a token that is not one of ours
    is ignored (the form is then carried out as sent)."""

    submission = forms.CharField(required=False, widget=forms.HiddenInput, strip=True)

    @staticmethod
    def issue(form) -> None:
        if not form.is_bound:
            form.initial.setdefault("submission", secrets.token_urlsafe(24))

    @staticmethod
    def clean_submission(form) -> str:
        token = form.cleaned_data.get("submission") or ""
        return token if SUBMISSION_TOKEN.fullmatch(token) else ""


class _RawCheckbox(forms.CheckboxInput):
    def value_from_datadict(self, data, files, name):
        return data.get(name)


class StrictBooleanField(forms.BooleanField):
    widget = _RawCheckbox

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _YES | _NO:
            return value.strip().lower() in _YES
        raise ValidationError(_("Isi ya atau tidak (true/false)."), code="invalid_boolean")


def _text(label, max_length, *, required=False, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        strip=True,
        validators=[_no_markup],
        error_messages=ERRORS,
        help_text=help_text,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A repeatable file field; the real checks happen in :meth:`IntakeForm.clean_evidence`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        return data


def _evidence_help() -> str:
    """The limits as configured (``UPLOAD_MAX_BYTES``, ``UPLOAD_MAX_FILES``), said when the page is drawn."""
    from django.conf import settings

    from amanah.core import files

    return _(
        "Paling besar %(mb)s MB per berkas, sampai %(n)s berkas. Metadata foto (lokasi GPS, kamera) dihapus "
        "otomatis. Di sinyal lemah, foto yang besar bisa butuh beberapa menit untuk terkirim."
    ) % {"mb": files.max_megabytes(), "n": settings.UPLOAD_MAX_FILES}


def _attachments_help() -> str:
    from django.conf import settings

    from amanah.core import files

    return _(
        "Paling besar %(mb)s MB per berkas, sampai %(n)s berkas. Pengadu mengunduhnya di halaman lacak; "
        "metadata berkas (lokasi, penulis, perangkat lunak) dihapus otomatis."
    ) % {"mb": files.max_megabytes(), "n": settings.UPLOAD_MAX_FILES}


def _check_email(value: str) -> None:
    """An e-mail address, with one message for its first mistake, saying how to put it right (Django's
    validator and ours would each report an address such as ``büdi@…``, the same words twice)."""
    # Django's validator accepts control characters inside a quoted local part, which no mail server
    # takes (and the mail backend would refuse it only in the background worker).
    if re.search(r"[\x00-\x1f\x7f]", value):
        raise ValidationError(
            _("Alamat email memuat karakter tak terlihat. Ketik ulang alamatnya."),
            code="control_characters",
        )
    # A letter outside ASCII before the @ is refused by mail servers without SMTPUTF8 (nearly all), and
    # some fold into ASCII ones (the Kelvin sign is a "k"): such an address would pass for another
    # person's when codes are sent again.
    if "@" in value and not value.rpartition("@")[0].isascii():
        raise ValidationError(
            _("Bagian sebelum @ hanya boleh huruf Latin tanpa aksen."), code="non_ascii_local_part"
        )
    validate_email(value)  # "invalid": the field's own message, with an example


class _EmailField(forms.EmailField):
    default_validators = [_check_email]


def sent_as_text(data, field: str) -> bool:
    """Whether ``field``, where files belong, came as text: a value in JSON or a form field. A browser
    sends a file field left empty as a part with an empty file name, which the server reads as a form
    field with no text: that is no file, and no mistake either."""
    values = data.getlist(field) if hasattr(data, "getlist") else [data.get(field)]
    return any(str(v).strip() for v in values if v is not None)


#: Evidence sent as text where a file belongs.
EVIDENCE_NOT_A_FILE = _(
    "Bukti harus dikirim sebagai berkas (isian evidence pada multipart/form-data), bukan teks."
)


class IntakeForm(ValidatingForm):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=Kind.choices,
        initial=Kind.PENGADUAN,
        required=False,
        widget=forms.RadioSelect,
        error_messages=ERRORS,
    )
    service = forms.CharField(
        label=_("Layanan yang diadukan"),
        required=False,
        max_length=60,
        help_text=_(
            "Pilih layanan dari daftar. Jika tidak tahu, kosongkan dan pilih instansinya saja."
        ),
        error_messages=ERRORS,
    )
    agency = forms.CharField(
        label=_("Instansi (jika layanan tidak diketahui)"),
        required=False,
        max_length=60,
        error_messages=ERRORS,
    )
    title = _text(_("Judul singkat"), 200, required=True)
    description = _text(
        _("Apa yang terjadi?"),
        5000,
        required=True,
        rows=6,
        help_text=_("Ceritakan kejadiannya: apa, siapa (jabatan petugas bila tahu), bagaimana."),
    )
    incident_date = IsoDateField(
        label=_("Tanggal kejadian"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal harus berformat TTTT-BB-HH.")},
    )
    incident_place = _text(_("Tempat kejadian"), 200)
    loss = _text(_("Kerugian yang dialami"), 2000, rows=3)
    remedy = _text(_("Penyelesaian yang diharapkan"), 2000, rows=3)
    identity_mode = forms.ChoiceField(
        label=_("Identitas Anda"),
        choices=IdentityMode.choices,
        initial=IdentityMode.BIASA,
        widget=forms.RadioSelect,
        error_messages=ERRORS,
        required=False,
    )
    name = _text(
        _("Nama"), 200, help_text=_("Tidak perlu diisi jika memilih anonim; tidak akan disimpan.")
    )
    name.widget.attrs["autocomplete"] = "name"
    email = _EmailField(
        label=_("Email untuk kabar perkembangan (opsional)"),
        required=False,
        max_length=200,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Alamat email tidak valid. Contoh yang benar: nama@contoh.id")
        },
    )
    phone = forms.RegexField(
        label=_("Nomor telepon/WhatsApp (opsional)"),
        required=False,
        max_length=20,
        regex=r"^\+?[0-9][0-9 \-]{6,18}$",
        error_messages={"invalid": _("Nomor telepon hanya boleh angka, spasi, - dan +.")},
        # The phone's number pad, and the browser may offer the number it knows.
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    evidence = MultipleFileField(
        label=_("Bukti (foto, PDF atau teks; boleh lebih dari satu)"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf,text/plain"}
        ),
        help_text=lazy(_evidence_help, str)(),
    )
    publish = StrictBooleanField(
        label=_("Saya setuju pengaduan ini ditampilkan di daftar publik tanpa identitas saya"),
        required=False,
        help_text=_("Pengaduan rahasia tidak pernah ditampilkan."),
    )
    # The same form sent twice files one complaint (``Complaint.submission_key``).
    submission = OneTimeToken.submission

    def __init__(self, *args, agency_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolved_service = None
        self.resolved_agency = None
        self.clean_evidence_files = []
        OneTimeToken.issue(self)

    clean_submission = OneTimeToken.clean_submission

    def clean_service(self):
        value = self.cleaned_data.get("service")
        if value:
            self.resolved_service = selectors.active_service(value)
            if self.resolved_service is None:
                raise ValidationError(
                    _("Layanan tidak dikenal. Pilih dari daftar layanan."), code="unknown_service"
                )
        return value

    def clean_agency(self):
        value = self.cleaned_data.get("agency")
        if value:
            self.resolved_agency = selectors.active_agency(value)
            if self.resolved_agency is None:
                raise ValidationError(_("Instansi tidak dikenal."), code="unknown_agency")
        return value

    def clean_incident_date(self):
        value = self.cleaned_data.get("incident_date")
        # Against the easternmost time zone's date (WIT): the agency may be there. services.submit checks
        # the exact date in the agency's own zone.
        if value and value > latest_local_date():
            raise ValidationError(_("Tanggal kejadian tidak boleh di masa depan."), code="future")
        return value

    def clean(self):
        data = super().clean()
        if not self.errors.get("service") and not self.errors.get("agency"):
            if self.resolved_service is None and self.resolved_agency is None:
                self.add_error(
                    "service",
                    ValidationError(
                        _("Pilih layanan yang diadukan, atau setidaknya instansinya."),
                        code="required",
                    ),
                )
            elif (
                self.resolved_service
                and self.resolved_agency
                and self.resolved_service.unit.agency_id != self.resolved_agency.pk
            ):
                self.add_error(
                    "agency",
                    ValidationError(
                        _("Layanan itu bukan layanan instansi yang dipilih."), code="mismatch"
                    ),
                )
        data["kind"] = data.get("kind") or Kind.PENGADUAN
        mode = data["identity_mode"] = data.get("identity_mode") or IdentityMode.BIASA
        if (
            mode in (IdentityMode.BIASA, IdentityMode.RAHASIA)
            and not data.get("name")
            and "name" not in self.errors
        ):
            self.add_error(
                "name",
                ValidationError(
                    _(
                        "Nama wajib diisi untuk identitas biasa atau rahasia. Pilih anonim bila tidak ingin memberi nama."
                    ),
                    code="required",
                ),
            )
        return data

    def clean_evidence(self):
        if sent_as_text(self.data, "evidence"):
            # A name or a link where a file belongs (JSON, a form field, a multipart part without a file
            # name): the complaint would be filed without the photo the person meant to send.
            raise ValidationError(EVIDENCE_NOT_A_FILE, code="not_a_file")
        uploads = self.files.getlist("evidence") if hasattr(self.files, "getlist") else []
        try:
            self.clean_evidence_files = services.clean_files(uploads)
        except services.ComplaintError as exc:
            raise ValidationError(exc.text, code=exc.code) from None
        return [cf.filename for cf in self.clean_evidence_files]

    def service_data(self) -> dict:
        """The values for :func:`services.submit`."""
        d = dict(self.cleaned_data)
        d.pop("submission", None)
        d["service"] = self.resolved_service
        d["agency"] = (
            self.resolved_service.unit.agency if self.resolved_service else self.resolved_agency
        )
        if d.get("identity_mode") == IdentityMode.ANONIM:
            d["name"] = d["email"] = d["phone"] = ""
        return d


class AssistedIntakeForm(IntakeForm):
    channel = forms.ChoiceField(
        label=_("Saluran"),
        choices=[(c, label) for c, label in Channel.choices if c in rules.ASSISTED_CHANNELS],
        error_messages=ERRORS,
    )
    received_at = forms.DateTimeField(
        label=_("Waktu pengaduan diterima"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=[
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ],
        help_text=_(
            "Waktu setempat instansi tujuan (WIB/WITA/WIT). Kosongkan bila baru saja diterima. "
            "Tenggat dihitung dari waktu ini."
        ),
        error_messages={"invalid": _("Waktu harus berformat TTTT-BB-HHTjj:mm.")},
    )

    field_order = ["channel", "received_at"]

    def clean(self):
        """The officer types the wall-clock time of the agency that receives the complaint: read it
        in that agency's time zone (WITA/WIT agencies would otherwise be off by one or two hours)."""
        data = super().clean()
        value = data.get("received_at")
        if value is None or "received_at" in self.errors:
            return data
        if (
            value.year < services.EARLIEST_RECEIVED_YEAR
        ):  # before any zone arithmetic (year 1 overflows)
            self.add_error(
                "received_at", ValidationError(services.too_old_message(), code="too_old")
            )
            return data
        agency = (
            self.resolved_service.unit.agency if self.resolved_service else self.resolved_agency
        )
        typed = isinstance(self.data.get("received_at"), str)  # the API passes an aware value
        if typed and agency is not None and agency.time_zone:
            wall = timezone.make_naive(value)
            value = timezone.make_aware(wall, zoneinfo.ZoneInfo(agency.time_zone))
            data["received_at"] = value
        if value > timezone.now() + dt.timedelta(minutes=1):
            self.add_error(
                "received_at",
                ValidationError(_("Waktu diterima tidak boleh di masa depan."), code="future"),
            )
        return data


PUBLIC_TEXT_HELP = _(
    "Tampil di halaman lacak pengadu. Catatan internal ditulis di Catatan internal."
)
INTERNAL_TEXT_HELP = _("Hanya dibaca petugas; tidak pernah tampil untuk pengadu.")


def _text_form(name: str, doc: str, label, max_length: int, help_text, *, required=False, rows=3):
    """A form of one field, ``text``: the staff actions that carry a message for the complainant or an
    internal note, each with the length its service takes."""
    field = _text(label, max_length, required=required, rows=rows, help_text=help_text)
    return type(name, (forms.Form,), {"__doc__": doc, "__module__": __name__, "text": field})


InternalNoteForm = _text_form(
    "InternalNoteForm",
    "A text only staff read.",
    _("Catatan internal"),
    5000,
    INTERNAL_TEXT_HELP,
    required=True,
    rows=4,
)
CompletionRequestForm = _text_form(
    "CompletionRequestForm",
    "What the complainant must add (the clock pauses); shown on their timeline.",
    _("Pesan untuk pengadu: apa yang perlu dilengkapi"),
    2000,
    _("Tampil di halaman lacak pengadu; jam tenggat berhenti sampai dilengkapi."),
    required=True,
    rows=4,
)
StepMessageForm = _text_form(
    "StepMessageForm",
    "An optional public text with a step (taking the case up, referring it).",
    _("Pesan untuk pengadu (opsional)"),
    2000,
    PUBLIC_TEXT_HELP,
)
CompletionRecordForm = _text_form(
    "CompletionRecordForm",
    "How the complainant completed the file outside the web (phone, counter).",
    _("Apa yang dilengkapi pengadu, dan lewat saluran apa"),
    2000,
    _("Tampil di halaman lacak pengadu; verifikasi dilanjutkan."),
    required=True,
)
EscalateForm = _text_form(
    "EscalateForm",
    "The reason of an escalation, for staff only.",
    _("Catatan internal: alasan eskalasi (opsional)"),
    1000,
    INTERNAL_TEXT_HELP,
)


class ReplyForm(forms.Form):
    text = _text(_("Tambahan informasi atau tanggapan"), 5000, rows=4)
    # The same reply sent twice is stored once (``services.reply_key``).
    submission = OneTimeToken.submission

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        OneTimeToken.issue(self)

    clean_submission = OneTimeToken.clean_submission


class ConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai jawaban (1 = sangat buruk, 5 = sangat baik)"),
        required=False,
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        error_messages=ERRORS,
    )
    comment = _text(_("Komentar (opsional)"), 2000, rows=3)


class RateForm(ConfirmForm):
    rating = forms.TypedChoiceField(
        label=_("Nilai jawaban (1 = sangat buruk, 5 = sangat baik)"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        error_messages=ERRORS,
        widget=forms.RadioSelect,
    )


class DisputeForm(forms.Form):
    reason = _text(_("Mengapa jawaban belum menyelesaikan masalah?"), 5000, required=True, rows=4)


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Kode lacak"),
        max_length=40,
        error_messages=ERRORS,
        help_text=_(
            "Kode lacak terdiri dari 16 huruf dan angka, misalnya 7KQ2-M9XD-4HTA-0RZB. Huruf besar atau "
            "kecil sama saja."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ResendForm(forms.Form):
    contact = forms.CharField(
        label=_("Email atau nomor HP yang Anda isi saat mengadu"),
        max_length=254,
        error_messages=ERRORS,
        help_text=_(
            "Kode lacak semua pengaduan yang diajukan dengan kontak ini dikirim ke kontak itu saja, "
            "tidak ditampilkan di sini."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


def _unit_field(label):
    return forms.ModelChoiceField(
        label=label, queryset=None, error_messages=ERRORS, empty_label=_("— Pilih unit —")
    )


class _AgencyUnits:
    """A form whose ``unit`` lists the active units of the case's agency."""

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        from amanah.core.models import Unit

        self.fields["unit"].queryset = Unit.objects.filter(agency=agency, is_active=True)


class VerifyForm(_AgencyUnits, forms.Form):
    unit = _unit_field(_("Unit penanganan"))
    tier = forms.ChoiceField(
        label=_("Kategori penyelesaian"), choices=Tier.choices, error_messages=ERRORS
    )
    note = _text(_("Catatan internal (opsional)"), 2000, rows=2)


class _OtherUnitField(forms.ModelChoiceField):
    """The unit to move a case to: the case's own unit is not offered (the move would be refused), and
    when a page left open still sends it, the refusal says why."""

    current = None

    def to_python(self, value):
        if self.current is not None and str(value) == str(self.current.pk):
            raise ValidationError(
                _("Pengaduan sudah berada di unit itu; pilih unit lain."), code="same_unit"
            )
        return super().to_python(value)


class ReassignForm(_AgencyUnits, forms.Form):
    unit = _OtherUnitField(
        label=_("Unit penanganan yang baru"),
        queryset=None,
        error_messages=ERRORS,
        empty_label=_("— Pilih unit —"),
    )
    note = _text(_("Catatan internal (opsional)"), 2000, rows=2)

    def __init__(self, *args, current=None, **kwargs):
        """``current``: the case's unit, left out of the choices."""
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.current = current
        if current is not None:
            field.queryset = field.queryset.exclude(pk=current.pk)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Alasan"), choices=RejectReason.choices, error_messages=ERRORS
    )
    duplicate_of = forms.CharField(
        label=_("Nomor pengaduan asli (untuk duplikat)"),
        help_text=_("Misalnya AMN-1234; kode lacaknya juga diterima."),
        required=False,
        max_length=40,
    )
    note = _text(_("Penjelasan untuk pengadu"), 2000, rows=2)


class TransferForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Instansi yang berwenang"),
        queryset=Agency.objects.filter(is_active=True),
        error_messages=ERRORS,
        empty_label=_("— Pilih instansi —"),
    )
    note = _text(_("Catatan internal (opsional)"), 2000, rows=2)


class TypedChoicesSelect(forms.Select):
    """A select whose choices are texts people typed (an agency's answer templates): each is marked
    Indonesian, as typed text is on an English page; the empty choice is the system's own words."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value is not None and str(value) != "":
            option["attrs"]["lang"] = "id"
        return option


class AnswerForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Pakai templat jawaban (opsional)"),
        queryset=None,
        required=False,
        widget=TypedChoicesSelect,
        empty_label=_("— Tanpa templat —"),
        error_messages=ERRORS,
        help_text=_("Jika teks jawaban dikosongkan, isi templat yang dipilih dikirim."),
    )
    text = _text(_("Jawaban untuk pengadu"), 5000, rows=6)
    attachments = MultipleFileField(
        label=_("Lampiran jawaban (opsional): surat jawaban resmi, foto hasil perbaikan"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf,text/plain"}
        ),
        help_text=lazy(_attachments_help, str)(),
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import AnswerTemplate

        self.fields["template"].queryset = AnswerTemplate.objects.filter(agency=agency)
        self.clean_attachment_files = []

    def clean_attachments(self):
        uploads = self.files.getlist("attachments") if hasattr(self.files, "getlist") else []
        try:
            self.clean_attachment_files = services.clean_attachments(uploads)
        except services.ComplaintError as exc:
            raise ValidationError(exc.text, code=exc.code) from None
        return [cf.filename for cf in self.clean_attachment_files]

    def clean(self):
        data = super().clean()
        if not data.get("text") and not data.get("template") and "text" not in self.errors:
            self.add_error(
                "text", ValidationError(_("Tulis jawaban atau pilih templat."), code="required")
            )
        return data


class TemplateForm(forms.Form):
    """An answer template of the agency, as the staff templates page adds or changes it (the service
    cleans the text again)."""

    title = _text(
        _("Judul templat"),
        120,
        required=True,
        help_text=_("Untuk memilih templat saat menjawab, misalnya “KTP-el sudah dapat diambil”."),
    )
    body = _text(
        _("Teks jawaban"),
        5000,
        required=True,
        rows=5,
        help_text=_("Dikirim kepada pengadu apa adanya; tanpa HTML."),
    )
