"""Which element says the language a piece of a page is read in: for each piece of text, the nearest
element around it with a ``lang`` attribute (``html`` when only ``<html lang>`` does).

``tests.html_lang.languages_of`` answers *which* language; this answers *where it is said*, so a test can
check that an Indonesian page does not repeat ``lang="id"`` around names its ``<html lang="id">`` covers
already, and that an English page marks them (WCAG 2.1 SC 3.1.2).

The text of a ``<title>`` (the page's, or a chart's) is left out: it holds no elements, so a name in it
cannot be marked, and the page's title is read as the page's language."""

from tests.html_lang import OpenElements


class _Marks(OpenElements):
    def __init__(self):
        super().__init__()
        self.chunks: list[tuple[str, str | None, str | None]] = []  # (text, marking tag, its lang)

    def handle_data(self, data):
        if any(tag == "title" for tag, _lang in self.stack):
            return
        marking = next(
            ((tag, lang) for tag, lang in reversed(self.stack) if lang is not None), None
        )
        self.chunks.append((data, *(marking or (None, None))))


def _chunks(page: str):
    parser = _Marks()
    parser.feed(page)
    parser.close()
    return parser.chunks


def marked_by(page: str, text: str) -> set[tuple[str | None, str | None]]:
    """``(tag, lang)`` of the element that gives the language of every piece of ``page``'s text that
    contains ``text`` (empty when ``text`` is nowhere on the page)."""
    return {(tag, lang) for chunk, tag, lang in _chunks(page) if text in chunk}


def assert_marked_indonesian(page: str, *texts: str):
    """On a page in another language: each of ``texts`` is on the page, and everywhere it is, an
    element inside ``<html>`` says ``lang="id"``."""
    assert '<html lang="id">' not in page
    for text in texts:
        marks = marked_by(page, text)
        assert marks, f"{text!r} is not on the page"
        assert all(tag != "html" and lang == "id" for tag, lang in marks), (text, marks)


def assert_not_remarked(page: str, *texts: str):
    """On an Indonesian page: each of ``texts`` is on the page, read in Indonesian because of
    ``<html lang="id">`` alone — no element repeats the language around it."""
    assert '<html lang="id">' in page
    for text in texts:
        marks = marked_by(page, text)
        assert marks == {("html", "id")}, (text, marks)
