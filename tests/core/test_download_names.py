"""Download names are encoded by Django (RFC 6266/5987): a quote or non-ASCII letter in an uploaded file's
name can neither break the header nor reach the browser mangled."""

from types import SimpleNamespace

from amanah.core.files import download_response


def _stored(name):
    return SimpleNamespace(filename=name, content_type="application/pdf", size=3)


def test_non_ascii_name_is_encoded():
    r = download_response(_stored("bukti pungutan Rp 500 ribu – kwitansi.pdf"), b"pdf")
    assert r["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%E2%80%93" in r["Content-Disposition"]


def test_quote_in_name_is_escaped():
    r = download_response(_stored('a"b.pdf'), b"pdf")
    assert r["Content-Disposition"] == 'attachment; filename="a\\"b.pdf"'
