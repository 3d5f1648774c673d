"""Forum forms. The API validates its bodies with the same forms, so both give the same field messages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amanah.core.forms import ValidatingForm
from amanah.core.models import Service

from . import rules

ERRORS = {
    "required": _("Bagian ini wajib diisi."),
    "max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
    "invalid_choice": _("Pilihan tidak dikenal."),
}


def _plain(value):
    if rules.contains_markup(value):
        raise ValidationError(
            _(
                "Teks tidak boleh berisi HTML atau skrip (misalnya <b> atau <script>). Hapus tanda itu lalu "
                "kirim lagi; teks Anda yang lain tetap ada."
            ),
            code="markup",
        )
    if rules.contains_control(value):
        raise ValidationError(
            _("Teks berisi karakter kendali yang tidak terlihat. Hapus lalu kirim lagi."),
            code="control_character",
        )


def _text(label, max_length, *, required=True, rows=None, help_text="", autocomplete=None):
    attrs = {"rows": rows} if rows else {}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    widget = forms.Textarea(attrs=attrs) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        widget=widget,
        validators=[_plain],
        error_messages=ERRORS,
        help_text=help_text,
    )


NAME_HELP = _(
    "Boleh dikosongkan atau diisi nama samaran. Jangan tulis nama lengkap, NIK, nomor HP atau alamat."
)


def _name():
    return _text(
        _("Nama tampilan (tidak wajib)"),
        rules.NAME_MAX,
        required=False,
        help_text=NAME_HELP,
        autocomplete="off",
    )


class TopicForm(ValidatingForm):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        label=_("Tentang layanan (tidak wajib)"),
        empty_label=_("— Umum, bukan satu layanan —"),
        error_messages=ERRORS,
    )
    title = _text(_("Judul pertanyaan"), rules.TITLE_MAX)
    body = _text(
        _("Pertanyaan atau pendapat Anda"),
        rules.BODY_MAX,
        rows=8,
        help_text=_("Paling banyak %(n)d karakter, tanpa HTML.") % {"n": rules.BODY_MAX},
    )
    author_name = _name()
    email = forms.EmailField(
        label=_("E-mail untuk kabar (tidak wajib)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            **ERRORS,
            "invalid": _(
                "Tulis alamat e-mail yang lengkap, misalnya nama@contoh.id, atau kosongkan."
            ),
        },
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (
            Service.objects.filter(unit__agency=agency, is_active=True).order_by("name")
            if agency is not None
            else Service.objects.none()
        )
        self.fields["email"].help_text = _(
            "Isi bila Anda ingin diberi tahu saat pertanyaan terbit, tidak ditampilkan, atau dijawab "
            "resmi. Alamat ini disimpan terenkripsi, tidak terlihat oleh petugas maupun publik, dan "
            "dihapus setelah topik dikunci, saat Anda berhenti berlangganan, atau setelah %(days)d hari."
        ) % {"days": settings.FORUM_CONTACT_DAYS}


class ReplyForm(ValidatingForm):
    body = _text(
        _("Balasan Anda"),
        rules.BODY_MAX,
        rows=6,
        help_text=_("Paling banyak %(n)d karakter, tanpa HTML.") % {"n": rules.BODY_MAX},
    )
    author_name = _name()


class AnswerForm(ValidatingForm):
    body = _text(_("Jawaban resmi instansi"), rules.BODY_MAX, rows=6)


ACTION_LABELS = {
    "publish": _("Terbitkan"),
    "hide": _("Sembunyikan dari publik"),
    "lock": _("Kunci topik (tidak menerima balasan warga lagi)"),
}

#: The label of an action that reads differently from a state: publishing a locked topic unlocks it.
ACTION_LABELS_FROM = {
    ("publish", "locked"): _("Buka kunci (topik menerima balasan warga lagi)"),
    ("publish", "hidden"): _("Terbitkan lagi"),
}


class ModerateForm(ValidatingForm):
    """A moderator's decision; ``actions`` are those the item's state allows (all of them for the API)."""

    action = forms.ChoiceField(
        label=_("Pilih tindakan"), choices=(), widget=forms.RadioSelect, error_messages=ERRORS
    )
    reason = _text(
        _("Alasan (wajib bila disembunyikan)"),
        rules.REASON_MAX,
        required=False,
        help_text=_(
            "Dicatat untuk audit dan tidak ditampilkan di forum. Bila penanya meminta kabar lewat "
            "e-mail, alasan menyembunyikan pertanyaannya dikirim kepadanya: tulis dengan sopan."
        ),
    )

    def __init__(self, *args, actions=("publish", "hide", "lock"), status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (a, ACTION_LABELS_FROM.get((a, status), ACTION_LABELS[a])) for a in actions
        ]

    def clean(self):
        data = super().clean()
        if data.get("action") == "hide" and not data.get("reason") and "reason" not in self.errors:
            self.add_error("reason", _("Tulis alasan menyembunyikannya."))
        return data
