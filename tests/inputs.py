"""The attributes of a rendered page's form inputs, to check what keyboard and autofill a phone offers."""

from html.parser import HTMLParser


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def inputs_named(page: str, name: str) -> list[dict]:
    """The attributes of every ``<input>`` of ``page`` whose name is ``name`` (a form's prefix included)."""
    parser = _Inputs()
    parser.feed(page)
    parser.close()
    return [attrs for attrs in parser.inputs if attrs.get("name") == name]


def assert_nip_input(page: str, name: str):
    """The NIP input called ``name`` is on ``page`` and opens the number pad without autofill."""
    found = inputs_named(page, name)
    assert found, f"no input {name!r} on the page"
    for attrs in found:
        assert attrs.get("inputmode") == "numeric", (name, attrs)
        assert attrs.get("autocomplete") == "off", (name, attrs)
