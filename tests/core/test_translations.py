"""The English catalogues: complete, consistent with their source strings, compiled, and used.

Each app keeps its own ``locale/en/LC_MESSAGES/django.po``. A catalogue must translate every
string (nothing empty or fuzzy), keep the placeholders and HTML tags of its msgid, and cover the
strings the app marks today (checked by running ``makemessages`` on a copy of the app).
"""

import ast
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

import amanah
from amanah.core.management.commands import compilemessages_if_needed

PACKAGE = Path(amanah.__file__).resolve().parent
APPS = ["core", "complaints", "integrity", "surveys", "personnel", "forum", "transparency"]

PLACEHOLDER = re.compile(
    r"%\(\w+\)[#0+ -]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %(name)s
    r"|%[#0+-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %s, %d (not "25% selama")
    r"|\{\w*\}"  # {name}, {0}, {}
)
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")


def po_path(app: str) -> Path:
    return PACKAGE / app / "locale" / "en" / "LC_MESSAGES" / "django.po"


# --- Reading .po files (polib when installed, else a small parser) ------------------------------


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (list, one per form), flags, refs
    (the source files named in ``#:`` comments) and line.

    The header (empty msgid) is included; obsolete (``#~``) entries are not."""
    try:
        import polib
    except ImportError:
        return _parse_po(path)
    entries = []
    po = polib.pofile(str(path))
    header = polib.POEntry(msgid="", msgstr=po.metadata_as_entry().msgstr)
    header.flags = list(po.metadata_is_fuzzy and ["fuzzy"] or [])
    for e in [header, *po]:
        if e.obsolete:
            continue
        forms = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)] if e.msgid_plural else None
        entries.append(
            {
                "msgctxt": e.msgctxt,
                "msgid": e.msgid,
                "msgid_plural": e.msgid_plural or None,
                "msgstr": forms if forms is not None else [e.msgstr],
                "flags": set(e.flags),
                "refs": {path for path, _line in e.occurrences},
                "line": e.linenum,
            }
        )
    return entries


def _parse_po(path: Path) -> list[dict]:
    entries, entry, key = [], None, None

    def new(lineno):
        return {
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": {},
            "flags": set(),
            "refs": set(),
            "line": lineno,
        }

    def finish():
        if entry is not None and entry["msgid"] is not None:
            entry["msgstr"] = [entry["msgstr"][k] for k in sorted(entry["msgstr"])]
            entries.append(entry)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and entry["msgstr"]:
                finish()
                entry = None
            entry = entry or new(lineno)
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#:"):
                entry["refs"].update(ref.rsplit(":", 1)[0] for ref in line[2:].split())
            continue
        m = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")', line)
        if m:
            name = m.group(1)
            if name in ("msgctxt", "msgid") and entry is not None and entry["msgstr"]:
                finish()
                entry = None
            entry = entry or new(lineno)
            value = ast.literal_eval(m.group(3))
            if name.startswith("msgstr"):
                key = int(m.group(2) or 0)
                entry["msgstr"][key] = value
            else:
                key = name
                entry[name] = value
        elif line.startswith('"') and entry is not None and key is not None:
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            raise AssertionError(f"{path}:{lineno}: cannot parse {raw!r}")
    finish()
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


def describe(path: Path, entry: dict) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{entry['line']}: {entry['msgid'][:70]!r}"


# --- The catalogues themselves ------------------------------------------------------------------


@pytest.mark.parametrize("app", APPS)
def test_catalogue_is_complete_and_consistent(app):
    path = po_path(app)
    assert path.exists(), f"{app} has no English catalogue"
    entries = parse_po(path)
    header = entries[0]
    assert header["msgid"] == "", "the header must come first"
    assert "fuzzy" not in header["flags"], "a fuzzy header drops the charset and plural forms"
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Plural-Forms:" in header["msgstr"][0]

    problems = []
    for e in entries[1:]:
        where = describe(path, e)
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {where}")
        if not e["msgstr"] or not all(s.strip() for s in e["msgstr"]):
            problems.append(f"untranslated: {where}")
            continue
        if e["msgid_plural"] is None:
            if len(e["msgstr"]) != 1:
                problems.append(f"plural forms for a singular msgid: {where}")
            sources = [(e["msgid"], e["msgstr"][0])]
        else:
            if len(e["msgstr"]) != 2:
                problems.append(f"English needs two plural forms: {where}")
            # The singular form may spell the number out ("one request"); the plural form may not.
            allowed = set(placeholders(e["msgid"])) | set(placeholders(e["msgid_plural"]))
            for form in e["msgstr"][:-1]:
                if not set(placeholders(form)) <= allowed:
                    problems.append(f"unknown placeholder {placeholders(form)}: {where}")
            sources = [(e["msgid_plural"], e["msgstr"][-1])]
        for source, translation in sources:
            if placeholders(source) != placeholders(translation):
                problems.append(
                    f"placeholders {placeholders(source)} != {placeholders(translation)}: {where}"
                )
            if tags(source) != tags(translation):
                problems.append(f"HTML tags {tags(source)} != {tags(translation)}: {where}")
    assert not problems, "\n".join(problems)


def test_apps_agree_on_shared_strings():
    """Django merges the apps' catalogues into one, and for a (msgctxt, msgid) that two apps both
    translate only the app earlier in INSTALLED_APPS wins. So the same string must have the same
    English everywhere; where the meaning differs, one of the usages needs a context (pgettext,
    ``{% translate "…" context "…" %}``)."""
    seen: dict[tuple, dict[str, tuple]] = {}
    for app in APPS:
        for e in parse_po(po_path(app))[1:]:
            key = (e["msgctxt"], e["msgid"])
            seen.setdefault(key, {})[app] = (e["msgid_plural"], tuple(e["msgstr"]))
    clashes = [
        f"{'[' + ctxt + '] ' if ctxt else ''}{msgid[:70]!r}: "
        + ", ".join(f"{app}={' | '.join(forms)!r}" for app, (_plural, forms) in by_app.items())
        for (ctxt, msgid), by_app in seen.items()
        if len(set(by_app.values())) > 1
    ]
    assert not clashes, (
        f"{len(clashes)} string(s) translated differently by different apps (only one wins):\n"
        + "\n".join(clashes)
    )


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("app", APPS)
def test_catalogue_passes_msgfmt_check(app):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(po_path(app))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What ``makemessages`` collects today from a copy of each app, keyed by app."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed")
    root = tmp_path_factory.mktemp("makemessages")
    # Without settings makemessages uses only the app's own locale folder. ``-P``: the app's
    # modules (selectors.py, tasks.py …) must not shadow the standard library's.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    procs = {}
    for app in APPS:
        copy = root / app
        shutil.copytree(PACKAGE / app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
        (copy / "locale").mkdir()
        procs[app] = subprocess.Popen(
            [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
            cwd=copy,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    out = {}
    for app, proc in procs.items():
        _stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        out[app] = parse_po(root / po_path(app).relative_to(PACKAGE))
    return out


@pytest.mark.parametrize("app", APPS)
def test_catalogue_covers_the_marked_strings(app, extracted):
    have = {(e["msgctxt"], e["msgid"]) for e in parse_po(po_path(app))}
    missing = [
        f"{e['msgid'][:80]!r}" for e in extracted[app][1:] if (e["msgctxt"], e["msgid"]) not in have
    ]
    assert not missing, (
        f"{len(missing)} string(s) of {app} are not in its English catalogue; run makemessages "
        f"in amanah/{app} and translate them:\n" + "\n".join(missing)
    )


# --- Compiling ---------------------------------------------------------------------------------


def _write_catalogue(folder: Path, msgstr: str) -> Path:
    po = folder / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "Halo"\nmsgstr "{msgstr}"\n',
        encoding="utf-8",
    )
    return po


def test_stale_catalogues_are_those_with_an_older_or_missing_mo(tmp_path):
    fresh = _write_catalogue(tmp_path / "fresh", "Hello")
    fresh.with_suffix(".mo").write_bytes(b"")
    older = _write_catalogue(tmp_path / "older", "Hello")
    older.with_suffix(".mo").write_bytes(b"")
    os.utime(older.with_suffix(".mo"), (older.stat().st_mtime - 60,) * 2)
    missing = _write_catalogue(tmp_path / "missing", "Hello")
    os.utime(fresh, (fresh.with_suffix(".mo").stat().st_mtime - 60,) * 2)
    assert compilemessages_if_needed.stale_catalogues(tmp_path) == [missing, older]


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
def test_compilemessages_if_needed_recompiles_a_newer_po_from_any_directory(tmp_path, monkeypatch):
    root = tmp_path / "package"
    po = _write_catalogue(root / "app", "Hello")
    monkeypatch.setattr(compilemessages_if_needed, "ROOT", root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # as when ``amanah demo`` starts in a home directory

    call_command("compilemessages_if_needed", verbosity=0)
    mo = po.with_suffix(".mo")
    assert mo.exists()
    first = mo.read_bytes()
    assert b"Hello" in first

    po.write_text(po.read_text(encoding="utf-8").replace("Hello", "Hi there"), encoding="utf-8")
    os.utime(mo, (po.stat().st_mtime - 10,) * 2)  # the .mo is older than its .po
    call_command("compilemessages_if_needed", verbosity=0)
    assert b"Hi there" in mo.read_bytes()
    assert compilemessages_if_needed.stale_catalogues(root) == []
    assert Path.cwd() == elsewhere


# --- Pages in English --------------------------------------------------------------------------


@pytest.fixture
def english(client, settings, db):
    """A client that chose English, with compiled catalogues loaded afresh."""
    if compilemessages_if_needed.stale_catalogues() and not shutil.which("msgfmt"):
        pytest.skip("catalogues need compiling and GNU gettext (msgfmt) is not installed")
    call_command("compilemessages_if_needed", verbosity=0)
    # Changing LOCALE_PATHS makes Django drop the translations it has already loaded.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


PAGES = {
    "/": (
        "core",
        "templates/core/home.html",
        "Public services that are honest and accountable",
        "Layanan publik yang jujur dan bisa dipertanggungjawabkan",
    ),
    "/integritas/": (
        "integrity",
        "templates/integrity/index.html",
        "How is your identity protected?",
        "Bagaimana identitas Anda dilindungi?",
    ),
    "/pengaduan/": (
        "complaints",
        "templates/complaints/new.html",
        "File a public service complaint",
        "Sampaikan pengaduan pelayanan publik",
    ),
}


@pytest.mark.parametrize("url", PAGES)
def test_public_page_in_english(english, url):
    app, template, english_text, indonesian_text = PAGES[url]
    response = english.get(url)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert '<html lang="en"' in page
    assert english_text in page
    assert indonesian_text not in page
    # Shared navigation from core's base template.
    assert "Report a violation" in page
    assert "Lapor pelanggaran" not in page

    # No longer sentence of the page's template or of the base template is left in Indonesian.
    sources = [(app, template), ("core", "templates/base.html")]
    left = [
        e["msgid"]
        for app_name, name in sources
        for e in parse_po(po_path(app_name))[1:]
        if name in e["refs"] and len(e["msgid"]) >= 20 and e["msgid"] in page
    ]
    assert not left, left


def test_language_switch_then_integrity_page(client, settings, db):
    call_command("compilemessages_if_needed", verbosity=0)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/integritas/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Who can report?" in page
    assert "Siapa yang boleh melapor?" not in page

    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    page = html.unescape(client.get("/integritas/").content.decode())
    assert "Siapa yang boleh melapor?" in page
    assert "Who can report?" not in page


def test_browser_language_does_not_decide(client, settings, db):
    """A phone set to English still gets Indonesian until its owner picks English in the menu."""
    call_command("compilemessages_if_needed", verbosity=0)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    response = client.get("/integritas/", **english_browser)
    page = html.unescape(response.content.decode())
    assert '<html lang="id"' in page
    assert "Siapa yang boleh melapor?" in page
    assert response["Content-Language"] == "id"
    # The API's form errors are in the same language as its own messages.
    api = client.post(
        "/api/v1/complaints", data="{}", content_type="application/json", **english_browser
    )
    assert api.status_code == 422
    assert "Data pengaduan belum benar" in api.json()["message"]
    assert "This field is required" not in api.content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html.unescape(client.get("/integritas/", **english_browser).content.decode())
    assert "Who can report?" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = (
        "xx"  # an unknown choice falls back to Indonesian
    )
    page = html.unescape(client.get("/integritas/").content.decode())
    assert "Siapa yang boleh melapor?" in page
