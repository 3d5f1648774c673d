"""The dashboard's note on hidden whistleblowing counts follows the threshold the rules hold."""

from tests.i18n import client_in


def test_the_hidden_counts_note_says_the_rules_threshold(dataset, monkeypatch):
    """The whistleblowing section's note names the threshold :data:`rules.SUPPRESS_BELOW` holds (as the
    data dictionary does), not a number written into the page, and its "<" is escaped in the HTML."""
    from amanah.transparency import rules

    monkeypatch.setattr(rules, "SUPPRESS_BELOW", 7)
    for language, hidden, national in (
        ("id", "Jumlah 1–6 ditulis “&lt; 7”", "sedikitnya 7 laporan"),
        ("en", "A total of 1–6 is shown as “&lt; 7”", "at least 7 reports"),
    ):
        html = client_in(language).get("/transparansi/").content.decode()
        assert hidden in html and national in html
        assert "“< " not in html and "1–4" not in html
