"""Forms for the public questionnaire and the staff pages."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amanah.core.forms import IsoDateField

from . import rules, services
from .models import PlanStatus


class QuestionnaireForm(forms.Form):
    """The nine elements as radio groups (no JavaScript), the optional profile and suggestion, and a
    honeypot field people never see."""

    def __init__(self, *args, services=(), fixed_service=None, **kwargs):
        super().__init__(*args, **kwargs)
        for element in rules.ELEMENTS:
            self.fields[element.code.lower()] = forms.TypedChoiceField(
                label=gettext(element.question),
                choices=[
                    (str(i), gettext(label))
                    for i, label in zip(rules.SCALE, element.labels, strict=True)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih salah satu jawaban untuk pertanyaan ini.")},
            )
        self.fields["gender"] = forms.ChoiceField(
            label=_("Jenis kelamin"),
            required=False,
            widget=forms.RadioSelect,
            choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))],
        )
        self.fields["age"] = forms.IntegerField(
            label=_("Usia (tahun)"),
            required=False,
            min_value=rules.AGE_MIN,
            max_value=rules.AGE_MAX,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        self.fields["education"] = forms.ChoiceField(
            label=_("Pendidikan terakhir"),
            required=False,
            choices=[("", _("— pilih —")), *[(k, gettext(v)) for k, v in rules.EDUCATION.items()]],
        )
        self.fields["occupation"] = forms.ChoiceField(
            label=_("Pekerjaan utama"),
            required=False,
            choices=[
                ("", _("— pilih —")),
                *[(k, gettext(v)) for k, v in rules.OCCUPATIONS.items()],
            ],
        )
        if fixed_service is None:
            self.fields["service"] = forms.ChoiceField(
                label=_("Jenis layanan yang diterima"),
                required=False,
                choices=[("", _("— pilih —")), *[(str(s.pk), s.name) for s in services]],
            )
        self.fields["suggestion"] = forms.CharField(
            label=_("Saran dan masukan (tidak wajib)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Jangan menulis nama, NIK atau nomor telepon. Untuk pengaduan gunakan menu Pengaduan."
            ),
        )
        self.fields["website"] = forms.CharField(
            label=_("Jangan diisi"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def element_fields(self):
        return [(e, self[e.code.lower()]) for e in rules.ELEMENTS]

    def answers(self) -> dict:
        return {e.code: self.cleaned_data[e.code.lower()] for e in rules.ELEMENTS}

    def profile(self) -> dict:
        d = self.cleaned_data
        return {
            "gender": d.get("gender") or "",
            "age": d.get("age"),
            "education": d.get("education") or "",
            "occupation": d.get("occupation") or "",
            "service": d.get("service") or "",
        }


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit pelayanan"))
    service = forms.ModelChoiceField(
        queryset=None, label=_("Layanan (kosongkan untuk seluruh layanan unit)"), required=False
    )
    title = forms.CharField(label=_("Judul (tidak wajib)"), required=False, max_length=200)
    start = IsoDateField(label=_("Tanggal mulai"), widget=DateInput)
    end = IsoDateField(label=_("Tanggal selesai"), widget=DateInput)
    population = forms.IntegerField(
        label=_("Populasi (jumlah pengguna layanan dalam periode)"),
        min_value=1,
        max_value=rules.POPULATION_MAX,
        help_text=_("Jumlah sampel minimum dihitung dari populasi dengan tabel Krejcie & Morgan."),
        error_messages={
            "min_value": _("Populasi harus lebih dari nol."),
            "max_value": lazy(services.population_too_large, str)(),
        },
    )

    def __init__(self, *args, units=None, service_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["service"].queryset = service_qs

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if data.get("service") and data.get("unit") and data["service"].unit_id != data["unit"].pk:
            self.add_error("service", _("Layanan ini bukan layanan unit yang dipilih."))
        return data


class ReopenForm(forms.Form):
    """The end date a closed period is opened again with (``services.reopen_period``): required when its
    end has passed, else it may stay as it is."""

    end = IsoDateField(label=_("Tanggal selesai"), widget=DateInput, required=False)

    def __init__(self, *args, period=None, today=None, **kwargs):
        kwargs.setdefault("auto_id", "reopen-%s")
        ended = period is not None and today is not None and period.end < today
        if period is not None and not ended:
            kwargs.setdefault("initial", {"end": period.end})
        super().__init__(*args, **kwargs)
        if ended:
            self.fields["end"].required = True
            self.fields["end"].error_messages["required"] = _(
                "Isi tanggal selesai baru, hari ini atau sesudahnya."
            )
            self.fields["end"].label = _("Tanggal selesai baru")
            self.fields["end"].help_text = _(
                "Tanggal selesai periode ini (%(end)s) sudah lewat. Isi tanggal selesai baru, hari ini "
                "atau sesudahnya, agar survei menerima jawaban lagi."
            ) % {"end": date_format(period.end, "j F Y")}
        elif period is not None:
            self.fields["end"].help_text = _(
                "Survei menerima jawaban sampai tanggal ini; ubah untuk memperpanjang."
            )


class PaperForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX atau CSV"),
        help_text=_(
            "Kolom wajib U1–U9 (nilai 1–4); tidak wajib: jenis_kelamin, usia, "
            "pendidikan, pekerjaan, layanan, saran, tanggal."
        ),
    )


def _element_choices():
    """The nine elements, named in the reader's language (read when the form is shown)."""
    return [(e.code, f"{e.code} {gettext(e.name)}") for e in rules.ELEMENTS]


class PlanForm(forms.Form):
    element = forms.ChoiceField(label=_("Unsur"), choices=_element_choices)
    action = forms.CharField(
        label=_("Kegiatan perbaikan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    owner = forms.CharField(label=_("Penanggung jawab"), max_length=200)
    due = IsoDateField(label=_("Target waktu"), widget=DateInput)


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Kemajuan (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices, required=False)
    note = forms.CharField(
        label=_("Catatan kemajuan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,  # services.NOTE_MAX
    )


class AnalysisForm(forms.Form):
    analysis = forms.CharField(
        label=_("Analisis hasil survei"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )
