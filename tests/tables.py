"""Reading the data tables of a rendered page, to check that they stack on a phone.

A stacked table (``table class="stack"``, the rules in core's site.css) turns each row into a block on a
narrow screen and shows each cell's ``data-label`` beside its value, so every body cell must carry the
text of its column header; the row's heading cell (``th scope="row"``) leads the block. Its box
(``div.table-wrap``, a keyboard-focusable region in case a wide table still overflows) is named by the
table's caption or heading through ``aria-labelledby``: a stacked table does not scroll sideways on a
phone, so the name must not tell anyone to swipe."""

import re
from html.parser import HTMLParser

CELLS = ("td", "th")
NAMES = ("caption", "h1", "h2", "h3", "h4", "h5", "h6")  # what names a table box


def _text(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts)).strip()


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.table = None
        self.section = None
        self.row = None
        self.cell = None
        self.caption = None
        self.wrap = None
        self.ids: dict[str, int] = {}  # every id of the page, with how often it occurs
        self.named: dict[str, list[str]] = {}  # the text of each caption and heading with an id
        self.naming: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] = self.ids.get(attrs["id"], 0) + 1
            if tag in NAMES:
                self.naming.append((tag, self.named.setdefault(attrs["id"], [])))
        if tag == "div" and "table-wrap" in (attrs.get("class") or "").split():
            self.wrap = attrs
        elif tag == "table":
            self.table = {
                "classes": (attrs.get("class") or "").split(),
                "caption": None,
                "head": [],
                "rows": [],
                "wrap": self.wrap,
            }
            self.wrap = None
            self.tables.append(self.table)
        elif self.table is None:
            return
        elif tag == "caption":
            self.caption = []
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.row = []
            if self.section == "tbody":
                self.table["rows"].append(self.row)
        elif tag in CELLS and self.row is not None:
            self.cell = {"tag": tag, "attrs": attrs, "parts": []}
            self.row.append(self.cell)

    def handle_endtag(self, tag):
        if self.naming and self.naming[-1][0] == tag:
            self.naming.pop()
        if self.table is None:
            return
        if tag == "table":
            self.table = self.section = self.row = self.cell = None
        elif tag == "caption" and self.caption is not None:
            self.table["caption"] = _text(self.caption)
            self.caption = None
        elif tag in CELLS and self.cell is not None:
            self.cell["text"] = _text(self.cell.pop("parts"))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.section == "thead":
                self.table["head"] = self.row
            self.row = None

    def handle_data(self, data):
        for _tag, parts in self.naming:
            parts.append(data)
        if self.cell is not None:
            self.cell["parts"].append(data)
        elif self.caption is not None:
            self.caption.append(data)


def tables(html: str) -> list[dict]:
    """Every table of the page: ``classes``, ``caption``, ``head`` and body ``rows``; a cell is a dict of
    ``tag``, ``attrs`` and whitespace-collapsed ``text``. ``wrap`` holds the attributes of the table's
    box (``div.table-wrap``, or None) and ``region`` the name that box gets from ``aria-labelledby``."""
    parser = _Tables()
    parser.feed(html)
    parser.close()
    for table in parser.tables:
        table["region"] = None
        refs = ((table["wrap"] or {}).get("aria-labelledby") or "").split()
        if refs:
            for ref in refs:
                assert parser.ids.get(ref) == 1, (
                    f"aria-labelledby={ref!r}: {parser.ids.get(ref)} ids"
                )
            table["region"] = " ".join(_text(parser.named.get(ref, [])) for ref in refs)
    return parser.tables


def assert_named_box(table: dict) -> None:
    """The table's box takes the keyboard focus (it may still overflow on a medium screen) and is a
    region named by the table's caption or heading, without a hint to swipe sideways."""
    wrap, where = table["wrap"], table["caption"] or " | ".join(c["text"] for c in table["head"])
    assert wrap is not None, f"no table box: {where}"
    assert wrap.get("tabindex") == "0" and wrap.get("role") == "region", f"{where}: {wrap}"
    assert "aria-label" not in wrap, f"{where}: aria-label={wrap['aria-label']!r}"
    assert table["region"], f"{where}: the table box has no name"


def assert_stacked(html: str, *, at_least: int) -> list[dict]:
    """Each table on the page stacks on a phone: class ``stack``, column headers with ``scope="col"``,
    one ``th scope="row"`` heading per body row, and every body cell labelled with its column header."""
    found = tables(html)
    assert len(found) >= at_least, f"{len(found)} tables, expected at least {at_least}"
    for table in found:
        head = [cell["text"] for cell in table["head"]]
        where = table["caption"] or " | ".join(head)
        assert "stack" in table["classes"], f"not a stacked table: {where}"
        assert_named_box(table)
        assert head and all(head), f"a column without a header: {where}"
        assert all(cell["attrs"].get("scope") == "col" for cell in table["head"]), where
        assert table["rows"], f"no rows: {where}"
        for row in table["rows"]:
            assert len(row) == len(head), f"{where}: row {[c['text'] for c in row]}"
            headings = [c for c in row if c["tag"] == "th"]
            assert len(headings) == 1 and headings[0]["attrs"].get("scope") == "row", (
                f"{where}: row {[c['text'] for c in row]} has no row heading"
            )
            for label, cell in zip(head, row, strict=True):
                assert cell["attrs"].get("data-label") == label, (
                    f"{where}: {cell['text']!r} is labelled {cell['attrs'].get('data-label')!r}, "
                    f"not {label!r}"
                )
    return found


def by_head(found: list[dict], first: str) -> dict:
    """The table whose first column header is ``first``."""
    matches = [t for t in found if t["head"] and t["head"][0]["text"] == first]
    assert len(matches) == 1, f"{len(matches)} tables start with {first!r}"
    return matches[0]
