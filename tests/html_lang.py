"""The language a screen reader reads a piece of a rendered page in: the ``lang`` of the nearest element
around it that has one (``<html lang>`` at the top). Text people typed (a complaint, a whistleblower's
message) is Indonesian whatever language the page is in, so it must say so (WCAG 3.1.2)."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class OpenElements(HTMLParser):
    """Keeps ``stack``, the ``(tag, lang)`` of each element open at this point of the page (void
    elements never open; an end tag closes its element and any left open inside it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


class _Langs(OpenElements):
    def __init__(self):
        super().__init__()
        self.chunks: list[tuple[str, str | None]] = []  # (text, its language)

    def handle_data(self, data):
        lang = next((lang for _tag, lang in reversed(self.stack) if lang is not None), None)
        self.chunks.append((data, lang))


def languages_of(page: str, text: str) -> set[str | None]:
    """The languages every piece of ``page``'s text that contains ``text`` is read in (empty when
    ``text`` is nowhere on the page)."""
    parser = _Langs()
    parser.feed(page)
    parser.close()
    return {lang for chunk, lang in parser.chunks if text in chunk}
