"""Forms of the whistleblowing channel. ``ReportForm`` validates both the page and the API, so the two
give the same specific messages."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amanah.core import rules as core_rules
from amanah.core.calendar import latest_local_date
from amanah.core.forms import NIP_INPUT, IsoDateField
from amanah.core.models import Agency, Unit
from amanah.core.records import translated

from . import rules
from .models import Level, ReferralBody, SanctionLevel, ViolationType

MAX_TEXT = 20000


def _resolve(model, value, **filters):
    value = (value or "").strip()
    if not value:
        return None
    q = Q(code=value)
    if value.isdecimal():
        q |= Q(pk=int(value))
    return model.objects.filter(q, is_active=True, **filters).first()


#: Digits of an Indonesian fixed-line number after the trunk prefix 0: an area code of 1–3 digits not
#: beginning with 8 (mobile) and the subscriber's digits, 8–11 in all (0274 123456, 021 1234 5678).
LANDLINE_DIGITS = range(8, 12)


def contact_address(raw: str) -> str | None:
    """``raw`` as one e-mail address, or one Indonesian telephone number in E.164 form (``+62…``;
    mobile by ``core.rules.mobile_number``, or a fixed line), or None when it is neither."""
    raw = raw.strip()
    if "@" in raw:
        local = raw.rpartition("@")[0]
        if not local.isascii() or re.search(r"[\x00-\x20\x7f\"]", raw):
            return None
        try:
            validate_email(raw)
        except forms.ValidationError:
            return None
        return raw
    mobile = core_rules.mobile_number(raw)
    if mobile:
        return mobile
    digits = re.sub(r"[ \-.()/\u00a0]", "", raw)
    if digits.startswith("+62"):
        national = digits[3:].removeprefix("0")
    elif digits.startswith("0") and not digits.startswith("00"):
        national = digits[1:]
    else:
        return None
    if (
        national.isascii()
        and national.isdigit()
        and national[:1] not in ("0", "8")
        and len(national) in LANDLINE_DIGITS
    ):
        return f"+{core_rules.COUNTRY_CODE}{national}"
    return None


def _contact_refused() -> forms.ValidationError:
    """The error for a contact that is not one e-mail address or one Indonesian telephone number."""
    return forms.ValidationError(
        _(
            "Tulis satu alamat email (misalnya nama@contoh.id) atau satu nomor telepon "
            "Indonesia (misalnya 0812 3456 7890), tanpa teks lain."
        ),
        code="invalid_contact",
    )


class _Common(forms.Form):
    reported_agency = forms.CharField(label=_("Instansi"), max_length=60)
    reported_unit = forms.CharField(label=_("Unit kerja"), max_length=60, required=False)
    reporter_contact = forms.CharField(
        label=_("Kontak (email atau nomor telepon)"),
        max_length=200,
        required=False,
        help_text=_(
            "Hanya jika Anda ingin dihubungi. Tulis satu alamat email atau satu nomor telepon. "
            "Kabar lewat email hanya dikirim ke alamat email. Jangan memakai email kantor: pengelola "
            "email instansi dapat membacanya. Disimpan terenkripsi."
        ),
    )
    may_contact = forms.BooleanField(
        label=_("Saya bersedia dihubungi oleh tim pemeriksa"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = list(Agency.objects.filter(is_active=True).order_by("name"))
        self.fields["reported_agency"].widget = forms.Select(
            choices=[("", _("— pilih instansi —"))] + [(a.code, a.name) for a in agencies]
        )
        units = Unit.objects.filter(is_active=True)
        # A national installation has tens of thousands of units: the list then holds only the units of
        # the agency chosen (the "show units" button sends the form back with what was typed).
        self.units_narrowed = units.count() > settings.INTEGRITY_UNIT_LIST_LIMIT
        placeholder = _("— tidak tahu / tidak dipilih —")
        if self.units_narrowed:
            chosen = _resolve(Agency, str((self.data or self.initial).get("reported_agency") or ""))
            units = units.filter(agency=chosen) if chosen else units.none()
            self.fields["reported_unit"].help_text = _(
                "Pilih instansinya dulu, lalu tekan “Tampilkan unit kerja” di bawah formulir. Boleh "
                "dikosongkan."
            )
            if chosen is None:
                placeholder = _("— pilih instansi dulu —")
        groups = {}
        for u in units.select_related("agency").order_by("agency__name", "name"):
            groups.setdefault(u.agency.short_name or u.agency.name, []).append((u.code, u.name))
        self.fields["reported_unit"].widget = forms.Select(
            choices=[("", placeholder)] + list(groups.items())
        )

    def clean_reporter_contact(self):
        """One e-mail address (where the news mails go) or one Indonesian telephone number, stored
        normalised (``+62…``): anything else, such as both at once, would be kept and then every news
        mail would fail without the reporter knowing."""
        raw = (self.cleaned_data.get("reporter_contact") or "").strip()
        if not raw:
            return ""
        contact = contact_address(raw)
        if contact is None:
            raise _contact_refused()
        return contact

    def clean_reported_agency(self):
        agency = _resolve(Agency, self.cleaned_data.get("reported_agency"))
        if agency is None:
            raise forms.ValidationError(
                _("Pilih instansi tempat orang itu bekerja."), code="unknown_agency"
            )
        return agency

    def clean(self):
        data = super().clean()
        agency = data.get("reported_agency")
        raw_unit = data.get("reported_unit")
        if agency is not None and raw_unit:
            unit = _resolve(Unit, raw_unit, agency=agency)
            if unit is None:
                self.add_error(
                    "reported_unit",
                    forms.ValidationError(
                        _("Unit kerja tidak ditemukan di instansi yang dipilih."),
                        code="unknown_unit",
                    ),
                )
            data["reported_unit"] = unit
        else:
            data["reported_unit"] = None
        if (
            data.get("may_contact")
            and not data.get("reporter_contact")
            and "reporter_contact" not in self.errors  # written, but refused: said once
        ):
            self.add_error(
                "reporter_contact",
                forms.ValidationError(
                    _(
                        "Tuliskan kontak agar tim dapat menghubungi Anda, atau hapus centang bersedia dihubungi."
                    ),
                    code="contact_required",
                ),
            )
        return data

    def clean_reported_nip(self):
        nip = (self.cleaned_data.get("reported_nip") or "").replace(" ", "")
        if not nip:
            return ""
        try:
            core_rules.parse_nip(nip)
        except core_rules.NIPError as exc:
            raise forms.ValidationError(translated(exc), code="invalid_nip") from None
        return core_rules.normalize_nip(nip)


class ReportForm(_Common):
    reported_name = forms.CharField(label=_("Nama orang yang dilaporkan"), max_length=200)
    reported_nip = forms.CharField(
        label=_("NIP (jika tahu)"), max_length=25, required=False, widget=NIP_INPUT
    )
    reported_position = forms.CharField(
        label=_("Jabatan (jika tahu)"), max_length=200, required=False
    )
    # No choice made for the reporter: a pre-selected first type would file careless reports under it.
    violation_type = forms.ChoiceField(
        label=_("Jenis pelanggaran"),
        choices=[("", _("— Pilih jenis pelanggaran —")), *ViolationType.choices],
    )
    description = forms.CharField(
        label=_("Apa yang terjadi?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_TEXT,
        help_text=_(
            "Ceritakan apa yang dilakukan, bagaimana caranya, dan berapa nilainya bila ada. "
            "Jangan menulis nama Anda di sini bila ingin tetap anonim."
        ),
    )
    incident_date = IsoDateField(
        label=_("Kapan terjadi (perkiraan)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    incident_place = forms.CharField(label=_("Di mana"), max_length=300, required=False)
    witnesses = forms.CharField(
        label=_("Siapa lagi yang tahu"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reporter_name = forms.CharField(
        label=_("Nama Anda (boleh dikosongkan)"),
        max_length=200,
        required=False,
        # The reporter's own name: the browser may offer it (WCAG 1.3.5).
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_(
            "Kosongkan untuk melapor tanpa nama. Bila diisi, nama Anda disimpan terenkripsi dan hanya "
            "dapat dibuka dengan persetujuan kustodian."
        ),
    )

    field_order = [
        "reported_name",
        "reported_nip",
        "reported_position",
        "reported_agency",
        "reported_unit",
        "violation_type",
        "description",
        "incident_date",
        "incident_place",
        "witnesses",
        "reporter_name",
        "reporter_contact",
        "may_contact",
    ]

    def clean_description(self):
        text = (self.cleaned_data.get("description") or "").strip()
        if len(text) < 20:
            raise forms.ValidationError(
                _("Ceritakan lebih lengkap: paling sedikit 20 karakter tentang apa yang terjadi."),
                code="too_short",
            )
        return text

    def clean_incident_date(self):
        day = self.cleaned_data.get("incident_date")
        # Against the easternmost time zone's date (WIT): the reporter may be there, hours ahead of WIB.
        if day and day > latest_local_date():
            raise forms.ValidationError(
                _("Tanggal kejadian tidak boleh di masa depan."), code="future_date"
            )
        return day


class GratificationForm(_Common):
    """Gratification self-report by the ASN who received it (UU 20/2001 Pasal 12C)."""

    # The reporter's own name and position: the browser may offer them (WCAG 1.3.5).
    reporter_name = forms.CharField(
        label=_("Nama Anda"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reported_nip = forms.CharField(label=_("NIP Anda"), max_length=25, widget=NIP_INPUT)
    reported_position = forms.CharField(
        label=_("Jabatan Anda"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    gift_received_on = IsoDateField(
        label=_("Tanggal menerima"), widget=forms.DateInput(attrs={"type": "date"})
    )
    gift_giver = forms.CharField(
        label=_("Pemberi dan hubungannya dengan tugas Anda"), max_length=500
    )
    gift_value = forms.CharField(label=_("Bentuk dan perkiraan nilai"), max_length=300)
    description = forms.CharField(
        label=_("Keterangan (peristiwa, tempat, alasan pemberian)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT,
    )

    field_order = [
        "reporter_name",
        "reported_nip",
        "reported_position",
        "reported_agency",
        "reported_unit",
        "gift_received_on",
        "gift_giver",
        "gift_value",
        "description",
        "reporter_contact",
        "may_contact",
    ]

    def clean_gift_received_on(self):
        day = self.cleaned_data.get("gift_received_on")
        latest = latest_local_date()  # the easternmost time zone's (WIT), as for the incident date
        if day and day > latest:
            raise forms.ValidationError(
                _("Tanggal menerima tidak boleh di masa depan."), code="future_date"
            )
        if day and day < latest - dt.timedelta(days=3650):
            raise forms.ValidationError(_("Tanggal menerima terlalu lama."), code="too_old")
        return day

    def clean(self):
        data = super().clean()
        data["reported_name"] = data.get("reporter_name", "")
        data["violation_type"] = "gratifikasi"
        data["kind"] = "gratifikasi_diri"
        return data


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Nomor tanda terima (16 angka)"),
        max_length=40,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_receipt(self):
        try:
            return rules.normalise_receipt(self.cleaned_data["receipt"])
        except rules.RuleError as exc:
            raise forms.ValidationError(translated(exc.text), code=exc.code) from None


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Pesan Anda"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
    )


class RetaliationForm(forms.Form):
    # No choice made for the reporter (as the report form's type): a pre-selected first kind would file
    # a careless report as a transfer.
    kind = forms.ChoiceField(
        label=_("Bentuk pembalasan"),
        choices=[
            ("", _("— Pilih bentuk pembalasan —")),
            *[(key, _(label)) for key, label in rules.RETALIATION_KINDS.items()],
        ],
        error_messages={"required": _("Pilih bentuk pembalasan.")},
    )
    description = forms.CharField(
        label=_("Apa yang terjadi"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )


class ContactForm(forms.Form):
    """A reporter's new contact for the news about their report (their case page)."""

    contact = forms.CharField(
        label=_("Kontak baru (email atau nomor telepon)"),
        max_length=200,
        help_text=_(
            "Tulis satu alamat email atau satu nomor telepon. Kabar lewat email hanya dikirim ke "
            "alamat email. Jangan memakai email kantor: pengelola email instansi dapat membacanya. "
            "Disimpan terenkripsi."
        ),
        error_messages={"required": _("Tulis alamat email atau nomor telepon yang baru.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_contact(self):
        contact = contact_address(self.cleaned_data.get("contact") or "")
        if contact is None:
            raise _contact_refused()
        return contact


# --- staff ------------------------------------------------------------------------------------


class AssessForm(forms.Form):
    credibility = forms.ChoiceField(label=_("Kredibilitas"), choices=Level.choices)
    seriousness = forms.ChoiceField(label=_("Tingkat keseriusan"), choices=Level.choices)
    retaliation_risk = forms.ChoiceField(
        label=_("Risiko pembalasan terhadap pelapor"), choices=Level.choices
    )
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            ("periksa", _("Periksa")),
            ("tutup", _("Tutup tanpa pemeriksaan")),
            ("rujuk", _("Rujuk ke lembaga lain")),
        ],
    )
    referral_body = forms.ChoiceField(
        label=_("Lembaga tujuan (bila dirujuk)"),
        required=False,
        choices=[("", "—"), *ReferralBody.choices],
    )
    note = forms.CharField(
        label=_("Catatan penilaian (internal)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reporter_message = forms.CharField(
        label=_("Pesan untuk pelapor"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Pesan untuk pelapor"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    question = forms.BooleanField(
        label=_("Ini pertanyaan yang perlu dijawab pelapor"), required=False
    )


class PlanForm(forms.Form):
    plan = forms.CharField(
        label=_("Rencana pemeriksaan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )


class SummonsForm(forms.Form):
    person = forms.CharField(label=_("Yang dipanggil (nama dan kedudukan)"), max_length=300)
    number = forms.TypedChoiceField(
        label=_("Panggilan ke"), coerce=int, choices=[(1, "1"), (2, "2")]
    )
    issued_on = IsoDateField(
        label=_("Tanggal surat"), widget=forms.DateInput(attrs={"type": "date"})
    )
    hearing_on = IsoDateField(
        label=_("Tanggal pemeriksaan"), widget=forms.DateInput(attrs={"type": "date"})
    )


class BapForm(forms.Form):
    held_on = IsoDateField(
        label=_("Tanggal pemeriksaan"), widget=forms.DateInput(attrs={"type": "date"})
    )
    examined = forms.CharField(label=_("Yang diperiksa"), max_length=500)
    content = forms.CharField(
        label=_("Isi berita acara"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000
    )


class FindingForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hasil"),
        choices=[
            ("terbukti", _("Terbukti")),
            ("sebagian", _("Terbukti sebagian")),
            ("tidak_terbukti", _("Tidak terbukti")),
        ],
    )
    sanction_level = forms.ChoiceField(
        label=_("Tingkat hukuman (PP 94/2021)"),
        required=False,
        choices=[("", "—"), *SanctionLevel.choices],
    )
    sanction = forms.ChoiceField(
        label=_("Rekomendasi hukuman"),
        required=False,
        choices=[("", "—")]
        + [
            (level, [(code, _(label)) for code, label in items])
            for level, items in rules.SANCTIONS.items()
        ],
    )
    note = forms.CharField(
        label=_("Uraian temuan"), widget=forms.Textarea(attrs={"rows": 5}), max_length=50000
    )


class ReferralForm(forms.Form):
    body = forms.ChoiceField(label=_("Lembaga tujuan"), choices=ReferralBody.choices)
    note = forms.CharField(
        label=_("Catatan rujukan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportedForm(forms.Form):
    nip = forms.CharField(
        label=_("NIP pegawai yang dilaporkan"),
        max_length=25,
        widget=NIP_INPUT,
        help_text=_(
            "Pegawai ini dan atasannya tidak lagi dapat melihat kasus. Bila ia anggota inspektorat "
            "atau pimpinannya, kasus dialihkan ke tingkat atas."
        ),
    )


class DisclosureForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan meminta identitas pelapor"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
