"""Texts that go on the record — a case's timeline steps and the e-mails about it — written in one language
and shown in the reader's.

A service may run inside a request in English (``/i18n/setlang/`` or the browser's language). What it writes
must not depend on that: the timeline of one case would otherwise switch language from step to step, and a
complainant who filed in English would get Indonesian and English mails mixed. So writes run in the site
language (:func:`in_site_language`, Indonesian by default), and a timeline text made with :func:`said`
remembers its message and parameters, from which a page shows it in its reader's language (:func:`shown`).
A text a person typed is stored as typed and shown as typed.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext


class Said(str):
    """A recorded text (a ``str`` in the language it was written in) with the pieces it was made of:
    ``parts`` is a list of ``{"id": msgid, "params": {...}}`` and ``{"text": typed}`` items."""

    parts: list


def said(message, params: dict | None = None, *, typed=()) -> Said:
    """``gettext(message) % params`` now, remembering both. ``message`` is the msgid (mark it with
    ``gettext_noop`` so that ``makemessages`` collects it); parameters are kept as the strings they were
    (choice labels in the site language, whose msgids they are, so :func:`shown` can translate them).

    ``typed`` names the parameters that are what a person typed (an officer's reason quoted in the
    sentence): they are shown as typed, never looked up in the catalogue, and a page marks them as
    typed text (:func:`shown_pieces`) while the sentence around them follows the reader's language.

    A sentence that counts something is ``ngettext_lazy(singular, plural, "n")`` (the name of the counting
    parameter as the third argument): it is said, and shown again, in the form that fits ``params["n"]``.
    """
    values = {k: str(v) for k, v in (params or {}).items()}
    unknown = set(typed) - set(values)
    if unknown:
        raise ValueError(f"said(): typed parameters without a value: {sorted(unknown)}")
    plural = _plural_msgids(message)
    if plural is not None:
        singular, plural_id, count = plural
        part = {"id": singular, "plural": plural_id, "count": count, "params": values}
        out = Said(ngettext(singular, plural_id, int(values[count])) % values)
    else:
        part = {"id": message, "params": values}
        out = Said(gettext(message) % values if values else gettext(message))
    if typed:
        part["typed"] = sorted(typed)
    out.parts = [part]
    return out


def _plural_msgids(message) -> tuple[str, str, str] | None:
    """``(singular, plural, counting parameter)`` of a message made with ``ngettext_lazy(singular,
    plural, "n")``, read through its pickling hook (the one public way a lazy plural tells what it was
    made of); None for any other message."""
    if not isinstance(message, Promise):
        return None
    try:
        _unpickle, (func, _resultclass, count, msgids) = message.__reduce__()
    except (TypeError, ValueError):
        return None
    if func is not ngettext:
        return None
    if not isinstance(count, str):
        raise TypeError("said() takes a plural made with ngettext_lazy(singular, plural, 'n').")
    return msgids["singular"], msgids["plural"], count


def joined(*pieces) -> str:
    """The non-empty ``pieces`` (:class:`Said` or typed ``str``) joined by a space, still showable in the
    reader's language."""
    pieces = [p for p in pieces if p]
    out = Said(" ".join(str(p) for p in pieces))
    out.parts = [part for p in pieces for part in getattr(p, "parts", None) or [{"text": str(p)}]]
    return out


def parts_of(text) -> list | None:
    """What to store beside a recorded text (``None`` for a text a person typed)."""
    return getattr(text, "parts", None)


def _sentence(part: dict) -> tuple[str, dict]:
    """A system part's sentence in the language active now, still with its placeholders, and the values
    to fill them with: a parameter is translated (a choice label is its own msgid), unless a person
    typed it (the part's ``typed``)."""
    raw = part.get("params") or {}
    typed = set(part.get("typed") or ())
    params = {k: v if k in typed or not v else gettext(v) for k, v in raw.items()}
    if "plural" in part:
        return ngettext(part["id"], part["plural"], int(raw[part["count"]])), params
    return gettext(part["id"]), params


def _show_part(part: dict) -> str:
    if "id" not in part:
        return part.get("text", "")
    sentence, params = _sentence(part)
    return sentence % params if params else sentence


#: A named parameter of a sentence (``%(name)s``).
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _part_pieces(part: dict) -> list[tuple[str, bool]]:
    """One part as ``(text, typed)`` pieces: a person's text whole; a system sentence whole, or, when it
    quotes what a person typed (its ``typed`` parameters), cut around those, wherever the reader's
    language puts them."""
    if "id" not in part:
        return [(part.get("text", ""), True)]
    typed = set(part.get("typed") or ())
    if not typed:
        return [(_show_part(part), False)]
    sentence, params = _sentence(part)
    out, start = [], 0
    for found in _PLACEHOLDER.finditer(sentence):
        if found.group(1) in typed:
            out.append((sentence[start : found.start()] % params, False))
            out.append((params[found.group(1)], True))
            start = found.end()
    out.append((sentence[start:] % params, False))
    return out


def shown(text: str, parts: list | None) -> str:
    """A recorded text in the language active now (the reader's); the stored text when it has no parts,
    or when a catalogue no longer fits the stored parameters."""
    if not parts:
        return text
    try:
        return " ".join(s for s in (_show_part(p) for p in parts) if s)
    except (KeyError, TypeError, ValueError):
        return text


def shown_pieces(text: str, parts: list | None) -> list[tuple[str, bool]]:
    """:func:`shown` cut into its pieces, as ``(text, typed)`` pairs: ``typed`` is true for what a person
    typed (shown as typed, in the language it was typed in: a page marks it ``lang="id"``), also when a
    system sentence quotes it (``said(..., typed=...)``), and false for what the system wrote (shown in
    the reader's language). The pieces carry their own spaces: put together as they are, they give
    :func:`shown`'s text (``core/_recorded.html``). A text without parts is one typed piece: a person's
    text, or a step recorded before parts were kept (in the site language, as typed text is)."""
    if not parts:
        return [(text, True)] if text else []
    out: list[tuple[str, bool]] = []
    try:
        for part in parts:
            pieces = [(s, typed) for s, typed in _part_pieces(part) if s]
            if pieces and out:
                pieces.insert(0, (" ", False))  # the parts are joined by a space, as in shown()
            for s, typed in pieces:
                if out and out[-1][1] == typed:
                    out[-1] = (out[-1][0] + s, typed)
                else:
                    out.append((s, typed))
    except (KeyError, TypeError, ValueError):
        return [(text, True)]
    return out


def translated(text, params: dict | None = None) -> str:
    """A message for people in the language active now (the reader's, outside :func:`in_site_language`).

    ``text`` is a msgid (an Indonesian sentence marked for translation), a ``rules.Text`` (a msgid with its
    values, as the rules modules raise them), a lazy translation, or an exception raised with one of these;
    ``params`` are filled in after translating, or the finished sentence would match no entry of the
    catalogue. A sentence the catalogue does not know is returned as it is."""
    if isinstance(text, BaseException):
        text = text.args[0] if text.args else ""
    if isinstance(text, Promise):
        return str(text % params) if params else str(text)
    msgid = getattr(text, "msgid", None)
    if msgid is not None:
        params = {**text.params, **(params or {})}
    else:
        msgid = str(text)
    if not msgid:
        return ""  # gettext("") is the catalogue's header
    out = gettext(msgid)
    return out % params if params else out


def in_site_language(fn):
    """Run a service in the site language (``LANGUAGE_CODE``), whatever the request's language."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return wrapper
