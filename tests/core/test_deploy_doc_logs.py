"""docs/deploy.md's nginx site keeps tracking codes, Open311 ids and tokens out of nginx's access log: nginx's
default `combined` format records the request line (/pengaduan/lacak/<code>/, ?code=,
/open311/v2/requests/<code>.json, /open311/v2/tokens/<token>.json) and the Referer."""

import re
import textwrap
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
# Variables that hold the query string, the whole request line or the referring page.
LEAKY = re.compile(
    r"\$(request(?![_a-z])|request_uri|args|arg_\w+|query_string|http_referer|remote_addr)"
)


def _nginx():
    blocks = re.findall(r"```nginx\n(.*?)```", DOC.read_text(), re.S)
    return "\n".join(textwrap.dedent(b) for b in blocks)


def _formats(nginx):
    return dict(re.findall(r"log_format\s+(\w+)\s+'([^']*)'", nginx))


def test_every_log_format_leaves_out_query_referer_and_address():
    formats = _formats(_nginx())
    assert formats, "no log_format in the nginx site"
    for name, fmt in formats.items():
        assert not LEAKY.search(fmt), (name, fmt)


def test_the_site_names_its_log_format():
    nginx = _nginx()
    formats = _formats(nginx)
    server_logs = re.findall(r"^\s{4}access_log\s+\S+\s+(\w+);", nginx, re.M)
    assert server_logs and all(f in formats for f in server_logs), server_logs


def test_code_bearing_paths_are_logged_without_their_path():
    nginx = _nginx()
    formats = _formats(nginx)
    without_path = {
        name for name, fmt in formats.items() if "$uri" not in fmt and not LEAKY.search(fmt)
    }
    quiet = []
    for regex, body in re.findall(r"location ~ (\S+) \{(.*?)\n\s*\}", nginx, re.S):
        logged = re.search(r"access_log\s+(?:off|\S+\s+(\w+));", body)
        if logged and (logged.group(1) is None or logged.group(1) in without_path):
            quiet.append(re.compile(regex))
    for path in (
        "/pengaduan/lacak/R04G-AAAA-BBBB-CCCC/",
        "/pengaduan/lacak/R04G-AAAA-BBBB-CCCC/tanda-terima.pdf",
        "/pengaduan/staf/R04G-AAAA-BBBB-CCCC/",
        "/api/v1/complaints/R04G-AAAA-BBBB-CCCC",
        "/open311/v2/requests/R04G-AAAA-BBBB-CCCC.json",
        "/open311/v2/tokens/R04G-AAAA-BBBB-CCCC.xml",
    ):
        assert any(r.match(path) for r in quiet), path


def test_the_doc_says_why():
    text = DOC.read_text()
    assert "Access logs" in text and "Referer" in text and "tracking code" in text
    assert "logmask" in text  # the application's own log masks the code
