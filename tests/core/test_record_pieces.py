"""A recorded text is shown piece by piece (``records.shown_pieces``): what a person typed marked as
typed, the system's sentences in the reader's language; the pieces put together give ``shown``'s text.
A system sentence may quote what a person typed (``said(..., typed=...)``): that parameter is a typed
piece, wherever the reader's language puts it, and is never looked up in the catalogue."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_noop

from amanah.core.records import joined, parts_of, said, shown, shown_pieces

ASKED = gettext_noop(
    "Pemeriksa meminta izin untuk melihat identitas Anda dengan alasan: %(r)s. Identitas Anda hanya "
    "dibuka bila Anda menyetujuinya, lalu kustodian identitas juga menyetujui. Jawab pada halaman "
    "laporan Anda: pilih “Saya setuju” atau “Saya keberatan”. Selama Anda belum menjawab, identitas "
    "Anda tetap tertutup."
)


def _pieces(text):
    return shown_pieces(str(text), parts_of(text))


def test_a_typed_parameter_is_its_own_piece_in_each_language():
    text = said(ASKED, {"r": "Saksi kunci"}, typed=("r",))
    for language, before in (("id", "dengan alasan: "), ("en", "for this reason: ")):
        with translation.override(language):
            pieces = _pieces(text)
            assert "".join(p for p, _typed in pieces) == shown(str(text), parts_of(text))
        assert [typed for _p, typed in pieces] == [False, True, False], language
        assert pieces[0][0].endswith(before) and pieces[1][0] == "Saksi kunci", language
        assert pieces[2][0].startswith(". "), language


def test_a_typed_parameter_is_not_translated():
    # "Kepegawaian" is a msgid ("Personnel"): typed by a person, it stays as typed.
    text = said(ASKED, {"r": "Kepegawaian"}, typed=("r",))
    with translation.override("en"):
        assert "for this reason: Kepegawaian." in shown(str(text), parts_of(text))
        assert ("Kepegawaian", True) in _pieces(text)


def test_joined_parts_keep_their_space_and_typed_text_after_a_sentence():
    text = joined(said(gettext_noop("Bentuk pembalasan: %(kind)s."), {"kind": "Mutasi"}), "Diancam")
    pieces = _pieces(text)
    assert pieces == [("Bentuk pembalasan: Mutasi. ", False), ("Diancam", True)]
    assert "".join(p for p, _typed in pieces) == str(text)
    two_typed = joined("Satu", "Dua")
    assert _pieces(two_typed) == [("Satu", True), (" ", False), ("Dua", True)]


def test_a_typed_name_without_a_value_is_refused():
    with pytest.raises(ValueError):
        said(ASKED, {}, typed=("r",))
