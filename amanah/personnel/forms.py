"""Forms of the Kepegawaian pages. They check types; the rules are checked in ``services``."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from amanah.core.forms import NIP_INPUT, IdsChoiceField, IsoDateField

from . import rules
from .models import Appeal, Award, Mentoring

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _tr(table: dict):
    return [(k, _(v)) for k, v in table.items()]


def _blank(choices):
    return [("", "—"), *choices]


def apply_errors(form, exc, rename=None):
    """Put a service's ValidationError on the form fields (unknown fields go to the top);
    ``rename`` maps a service's field name to the form's, e.g. ``{"objection": "text"}``."""
    rename = rename or {}
    for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        field = rename.get(field, field)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def typed_back(form) -> list[dict]:
    """What a person typed into ``form``, to hand back when the step was refused because the record
    moved on meanwhile (``services.StateConflict``) and the form is no longer on the page: each field
    filled in, with its ``label`` and its ``value`` as sent (a choice's label for a choice). ``typed``
    is true for text a person typed, which a page marks Indonesian (``personnel/_conflict.html``)."""
    kept = []
    for name, field in form.fields.items():
        raw = (form.data.get(form.add_prefix(name)) or "").strip()
        if not raw:
            continue
        if isinstance(field, forms.ChoiceField):
            kept.append({"label": field.label, "value": dict(field.choices).get(raw, raw)})
        else:
            typed = isinstance(field, forms.CharField)
            kept.append({"label": field.label, "value": raw, "typed": typed})
    return kept


#: Competency levels 1–5 as "3 — Praktisi" (PermenPANRB 38/2017).
LEVEL_CHOICES = [(k, format_lazy("{} — {}", k, _(v))) for k, v in rules.COMPETENCY_LEVELS.items()]


class CompetencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return format_lazy("{} ({})", obj.name, obj.get_type_display())


class EmployeeForm(forms.Form):
    nip = forms.CharField(
        label=_("NIP"),
        max_length=40,
        help_text=_("18 angka, boleh dengan spasi"),
        widget=NIP_INPUT,
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=None)
    position = forms.CharField(label=_("Jabatan"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"), required=False, choices=_blank(_tr(rules.EDUCATION_LEVELS))
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TrainingForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program dari katalog"),
        queryset=None,
        required=False,
        help_text=_("Atau isi nama kegiatan dan JP di bawah."),
    )
    title = forms.CharField(label=_("Nama kegiatan"), max_length=200, required=False)
    jp = forms.DecimalField(
        label=_("Jumlah JP"),
        required=False,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
    )
    category = forms.ChoiceField(label=_("Kategori"), choices=_tr(rules.PROGRAM_CATEGORIES))
    method = forms.ChoiceField(label=_("Bentuk"), choices=_tr(rules.PROGRAM_METHODS))
    completed_on = IsoDateField(label=pgettext_lazy("pelatihan", "Tanggal selesai"), widget=DATE)
    certificate_number = forms.CharField(
        label=_("Nomor sertifikat"), max_length=100, required=False
    )
    certificate = forms.FileField(label=_("Sertifikat (PDF/gambar)"), required=False)

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class RatingForm(forms.Form):
    hasil_kerja = forms.ChoiceField(
        label=_("Hasil kerja"), choices=_tr(rules.RATINGS), widget=forms.RadioSelect
    )
    perilaku = forms.ChoiceField(
        label=_("Perilaku kerja (BerAKHLAK)"), choices=_tr(rules.RATINGS), widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Catatan penilai"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ObjectionForm(forms.Form):
    """An ASN's objection to one rated SKP. The ASN's page shows one under each rated SKP, so each
    form's ids and its label name its SKP: a screen reader says which period each text box objects to."""

    text = forms.CharField(
        label=_("Alasan keberatan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, skp=None, **kwargs):
        kwargs.setdefault("auto_id", f"keberatan-{skp.pk}-%s")
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Alasan keberatan atas SKP %(period)s") % {
            "period": skp.period.name
        }


class ObjectionResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Tanggapan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    hasil_kerja = forms.ChoiceField(
        label=_("Hasil kerja (bila diubah)"), required=False, choices=_blank(_tr(rules.RATINGS))
    )
    perilaku = forms.ChoiceField(
        label=_("Perilaku kerja (bila diubah)"), required=False, choices=_blank(_tr(rules.RATINGS))
    )


class CaseForm(forms.Form):
    nip = forms.CharField(label=_("NIP pegawai"), max_length=40, widget=NIP_INPUT)
    allegation = forms.CharField(
        label=_("Dugaan pelanggaran"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )


class SummonsForm(forms.Form):
    """A summons; ``notice`` is the agency's minimum notice in working days (rule table
    ``summons_notice_working_days``), stated in the help of the examination date."""

    sent_on = IsoDateField(label=_("Tanggal surat panggilan"), widget=DATE)
    examination_on = IsoDateField(label=_("Tanggal pemeriksaan"), widget=DATE)

    def __init__(self, *args, notice: int = rules.SUMMONS_NOTICE_WORKING_DAYS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["examination_on"].help_text = ngettext_lazy(
            "Paling cepat %(n)d hari kerja sesudah surat dikirim.",
            "Paling cepat %(n)d hari kerja sesudah surat dikirim.",
            notice,
        ) % {"n": notice}


class ExaminationForm(forms.Form):
    attended = forms.ChoiceField(
        label=_("Kehadiran pada panggilan terakhir"),
        choices=[("1", _("Hadir")), ("0", _("Tidak hadir"))],
    )
    held_on = IsoDateField(label=_("Tanggal pemeriksaan"), widget=DATE)
    bap_number = forms.CharField(label=_("Nomor BAP"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("Ringkasan BAP"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )
    team = forms.CharField(
        label=_("NIP tim pemeriksa"),
        required=False,
        max_length=500,
        help_text=_(
            "Untuk hukuman sedang/berat: atasan langsung, pengawasan dan kepegawaian; "
            "pisahkan dengan koma."
        ),
    )


class DecisionForm(forms.Form):
    proven = forms.ChoiceField(
        label=_("Hasil"), choices=[("1", _("Terbukti")), ("0", _("Tidak terbukti"))]
    )
    official = forms.CharField(
        label=_("NIP pejabat yang berwenang menghukum"), max_length=40, widget=NIP_INPUT
    )
    decision_number = forms.CharField(label=_("Nomor keputusan"), max_length=100)
    decided_on = IsoDateField(label=_("Tanggal keputusan"), widget=DATE)
    level = forms.ChoiceField(
        label=_("Tingkat hukuman"), required=False, choices=_blank(_tr(rules.LEVELS))
    )
    sanction = forms.ChoiceField(
        label=_("Jenis hukuman"),
        required=False,
        choices=_blank(
            [
                (s.code, format_lazy("{} — {}", _(rules.LEVELS[s.level]), _(s.label)))
                for s in rules.SANCTIONS.values()
            ]
        ),
    )
    sanction_start = IsoDateField(label=_("Berlaku mulai"), widget=DATE, required=False)
    delivered_on = IsoDateField(
        label=_("Tanggal SK diterima pegawai"),
        widget=DATE,
        required=False,
        help_text=_(
            "Isi bila keputusan sudah diserahkan; bila belum, catat kemudian. Batas upaya "
            "administratif dihitung sejak tanggal ini."
        ),
    )


class DeliveryForm(forms.Form):
    """The day the ASN received the decision, recorded (or corrected) after the decision."""

    delivered_on = IsoDateField(label=_("Tanggal SK diterima pegawai"), widget=DATE)


class DeemedDeliveryForm(forms.Form):
    """The ASN did not attend the handing-over: the decision was sent to them, and is deemed received
    on a day the handler records from the proof of sending."""

    sent_on = IsoDateField(label=_("Tanggal SK dikirim"), widget=DATE)
    deemed_on = IsoDateField(
        label=_("Tanggal SK dianggap diterima"),
        widget=DATE,
        help_text=_(
            "Menurut bukti pengiriman (tanda terima pos atau kurir). Batas upaya administratif "
            "dihitung sejak tanggal ini."
        ),
    )
    reason = forms.CharField(
        label=_("Alasan SK dikirim"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Misalnya: pegawai tidak hadir pada panggilan penyerahan tanggal …"),
    )


class AppealForm(forms.Form):
    filed_on = IsoDateField(label=_("Tanggal pengajuan"), widget=DATE)
    grounds = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class AppealDecisionForm(forms.Form):
    """The outcome of a keberatan or banding administratif; a changed sanction names its level and
    sanction, like the decision."""

    outcome = forms.ChoiceField(
        label=_("Hasil upaya administratif"),
        choices=[(k, v) for k, v in Appeal.OUTCOMES if k],
    )
    decided_on = IsoDateField(label=_("Tanggal putusan"), widget=DATE)
    level = forms.ChoiceField(
        label=_("Tingkat hukuman (bila diubah)"),
        required=False,
        choices=_blank(_tr(rules.LEVELS)),
    )
    sanction = forms.ChoiceField(
        label=_("Jenis hukuman (bila diubah)"),
        required=False,
        choices=DecisionForm.base_fields["sanction"].choices,
    )
    official = forms.CharField(
        label=_("NIP pejabat yang memutus (wajib bila hukuman diubah)"),
        required=False,
        max_length=40,
        widget=NIP_INPUT,
    )


class SessionForm(forms.Form):
    held_on = IsoDateField(label=_("Tanggal sesi"), widget=DATE)
    topic = forms.CharField(label=_("Topik"), max_length=200)
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(
        label=_("Hasil"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MentoringForm(forms.Form):
    mentor = forms.CharField(label=_("NIP mentor"), max_length=40, widget=NIP_INPUT)
    mentee = forms.CharField(label=_("NIP peserta"), max_length=40, widget=NIP_INPUT)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Mentoring.KINDS)
    goals = forms.CharField(
        label=_("Tujuan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    start = IsoDateField(label=_("Mulai"), widget=DATE)


class AwardForm(forms.Form):
    nip = forms.CharField(label=_("NIP pegawai"), max_length=40, widget=NIP_INPUT)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Award.KINDS)
    title = forms.CharField(label=_("Nama penghargaan"), max_length=200)
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis data"),
        choices=[
            ("asn", _("Data ASN (nip, nama, unit, jabatan, pendidikan)")),
            (
                "diklat",
                _("Riwayat pelatihan (nip, kode_program/nama_kegiatan, jp, tanggal_selesai)"),
            ),
            ("skp", _("Hasil SKP (nip, periode, hasil_kerja, perilaku)")),
        ],
    )
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))


class PeriodForm(forms.Form):
    name = forms.CharField(label=_("Nama periode"), max_length=100)
    start = IsoDateField(label=_("Mulai"), widget=DATE)
    end = IsoDateField(label=_("Akhir"), widget=DATE)


class SkpForm(forms.Form):
    """An SKP with up to three indicators (more can be added through the API)."""

    period = forms.ModelChoiceField(label=_("Periode"), queryset=None)

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        for i in (1, 2, 3):
            self.fields[f"ind{i}_description"] = forms.CharField(
                label=_("Indikator %(n)d") % {"n": i}, max_length=300, required=i == 1
            )
            self.fields[f"ind{i}_target"] = forms.DecimalField(
                label=_("Target %(n)d") % {"n": i}, required=i == 1, max_digits=12, decimal_places=2
            )
            self.fields[f"ind{i}_unit"] = forms.CharField(
                label=_("Satuan %(n)d") % {"n": i}, max_length=50, required=i == 1
            )

    def indicators(self):
        d = self.cleaned_data
        return [
            {
                "description": d[f"ind{i}_description"],
                "target": d[f"ind{i}_target"],
                "unit": d[f"ind{i}_unit"],
            }
            for i in (1, 2, 3)
            if d.get(f"ind{i}_description")
        ]


class AbsenceForm(forms.Form):
    dates = forms.CharField(
        label=_("Tanggal tidak masuk tanpa alasan sah"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=_("Satu tanggal per baris atau dipisah koma, format YYYY-MM-DD."),
    )

    def clean_dates(self):
        import datetime as dt

        out = []
        for raw in self.cleaned_data["dates"].replace(",", "\n").split():
            try:
                out.append(dt.date.fromisoformat(raw.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("'%(v)s' bukan tanggal YYYY-MM-DD.") % {"v": raw[:20]}
                ) from None
        if not out:
            raise forms.ValidationError(_("Isi paling sedikit satu tanggal."))
        return out


class ProgramForm(forms.Form):
    code = forms.SlugField(label=_("Kode"), max_length=60)
    title = forms.CharField(label=_("Nama program"), max_length=200)
    category = forms.ChoiceField(label=_("Kategori"), choices=_tr(rules.PROGRAM_CATEGORIES))
    method = forms.ChoiceField(label=_("Bentuk"), choices=_tr(rules.PROGRAM_METHODS))
    competency_type = forms.ChoiceField(
        label=_("Jenis kompetensi"), choices=_tr(rules.COMPETENCY_TYPES)
    )
    competencies = IdsChoiceField(
        label=_("Kompetensi yang dikembangkan"), queryset=None, required=False
    )
    jp = forms.DecimalField(label=_("JP"), max_digits=6, decimal_places=1)
    provider = forms.CharField(label=_("Penyelenggara"), max_length=200, required=False)

    def __init__(self, *args, competencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = competencies


class RequirementForm(forms.Form):
    """The level of a competency that a position requires (HR, on the competency standards page)."""

    position = forms.CharField(
        label=_("Jabatan"),
        max_length=200,
        help_text=_("Tulis nama jabatan persis seperti di data pegawai."),
        widget=forms.TextInput(attrs={"list": "daftar-jabatan", "autocomplete": "off"}),
    )
    competency = CompetencyChoiceField(label=_("Kompetensi"), queryset=None)
    level = forms.TypedChoiceField(
        label=_("Level yang disyaratkan"), coerce=int, choices=_blank(LEVEL_CHOICES)
    )

    def __init__(self, *args, competencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies


class CompetencyForm(forms.Form):
    """A technical competency of the agency's own (HR, on the competency standards page)."""

    code = forms.SlugField(
        label=_("Kode kompetensi"),
        max_length=60,
        help_text=_("Huruf, angka, - dan _, misalnya administrasi-kependudukan."),
    )
    name = forms.CharField(label=_("Nama kompetensi"), max_length=200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "kompetensi")
        super().__init__(*args, **kwargs)


class CompetencyRenameForm(forms.Form):
    """A new name for one of the agency's own competencies; prefixed by it, so ids stay unique."""

    name = forms.CharField(label=_("Nama baru"), max_length=200)

    def __init__(self, *args, competency=None, **kwargs):
        kwargs.setdefault("prefix", f"ubah-{competency.pk}")
        kwargs.setdefault("initial", {"name": competency.name})
        super().__init__(*args, **kwargs)
        self.competency = competency
        self.fields["name"].label = _("Nama baru untuk %(code)s") % {"code": competency.code}


class AssessmentForm(forms.Form):
    """An assessed competency level of one ASN (HR, on the employee page)."""

    competency = CompetencyChoiceField(label=_("Kompetensi yang dinilai"), queryset=None)
    level = forms.TypedChoiceField(
        label=_("Level hasil asesmen"), coerce=int, choices=_blank(LEVEL_CHOICES)
    )
    assessed_on = IsoDateField(label=_("Tanggal asesmen"), widget=DATE)
    method = forms.CharField(
        label=_("Metode asesmen"),
        max_length=100,
        required=False,
        help_text=_("Misalnya uji kompetensi atau assessment center."),
    )

    def __init__(self, *args, competencies=None, **kwargs):
        kwargs.setdefault("prefix", "asesmen")
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies


class EnrolForm(forms.Form):
    """Enrol an ASN in a catalogue programme (HR, on the employee page)."""

    program = forms.ModelChoiceField(
        label=_("Program yang diikuti"),
        queryset=None,
        help_text=_("Program aktif dari katalog nasional dan instansi."),
    )

    def __init__(self, *args, programs=None, **kwargs):
        kwargs.setdefault("prefix", "daftar")
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class CompleteForm(forms.Form):
    """Mark one enrolment completed; prefixed by the training so each row has its own ids."""

    completed_on = IsoDateField(label=pgettext_lazy("pelatihan", "Tanggal selesai"), widget=DATE)
    certificate_number = forms.CharField(
        label=_("Nomor sertifikat"), max_length=100, required=False
    )
    certificate = forms.FileField(label=_("Sertifikat (PDF/gambar)"), required=False)

    def __init__(self, *args, training=None, **kwargs):
        kwargs.setdefault("prefix", f"selesai-{training.pk}")
        super().__init__(*args, **kwargs)
        self.training = training


class TransferForm(forms.Form):
    """The receiving agency's request for an ASN of another agency to move in (mutasi)."""

    nip = forms.CharField(
        label=_("NIP"),
        max_length=40,
        help_text=_("18 angka, boleh dengan spasi"),
        widget=NIP_INPUT,
    )
    unit = forms.ModelChoiceField(label=_("Unit kerja tujuan"), queryset=None)
    position = forms.CharField(label=_("Jabatan di instansi tujuan"), max_length=200)
    sk_number = forms.CharField(label=_("Nomor SK mutasi"), max_length=100)
    sk_date = IsoDateField(label=_("Tanggal SK mutasi"), widget=DATE)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TransferDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila permintaan ditolak."),
    )
