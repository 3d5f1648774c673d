"""Checks of the error summary a refused form page opens with (``core/_error_summary.html``): one
focused alert at the top, whose links lead to the fields of the form that was sent, and a title that
begins with "Kesalahan: "."""

import re


def checked_summary(page: str) -> list[str]:
    """The summary's link targets, after checking that the title says the form was refused, that the
    summary is the page's one focused alert, placed before every field it links to, and that each
    link leads to an element of the page."""
    assert re.search(r"<title>Kesalahan: ", page), "the title does not say the form was refused"
    match = re.search(r'<div[^>]*id="form-errors"[^>]*>.*?</div>', page, re.S)
    assert match, "the page has no error summary"
    summary = match.group(0)
    opening = summary[: summary.index(">") + 1]
    assert 'role="alert"' in opening and "autofocus" in opening and 'tabindex="-1"' in opening
    assert page.count("autofocus") == 1  # the summary alone takes the focus
    assert page.count('role="alert"') == 1  # and alone is announced
    targets = re.findall(r'<a href="#([^"]+)"', summary)
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    assert [t for t in targets if t not in ids] == [], "a link of the summary leads nowhere"
    top = page.index('id="form-errors"')
    assert all(top < page.index(f'id="{t}"') for t in targets)
    return targets
