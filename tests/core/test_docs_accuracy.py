"""The documentation says what the code does, for the parts a machine can compare:

- every ``AMANAH_*`` variable the code reads (settings.py, the ``amanah`` command) has a row in
  docs/configuration.md, every row names a variable the code reads, and a row's default (there and in
  README's table) matches the code's where the code's is a plain number, word or flag;
- every ``AMANAH_*`` name written anywhere in README.md and docs/ is one that something reads;
- every ``amanah …`` command, ``amanah manage <command>`` and ``make <target>`` written in a code span or
  a code block exists, with its action word and its ``--options``;
- every relative link between the documents leads to a file that exists and, with ``#anchor``, to one of
  its headings;
- every API path written in full (``/api/v1/…``) is an operation of the OpenAPI document, with the
  method it is written with, and every ``METHOD /path`` below a section's base ends some operation;
- every field listed after an operation (`` `POST …/verify` `{unit?, tier?}` ``) is one it takes or
  answers;
- every file of the repository, module of an app and migration the text names exists, and every page
  address (``/pengaduan/…``, ``/skm/…`` …) is taken by a URL pattern;
- the regulation figures the documents state (deadlines, tiers, SKM elements and categories, the
  disclosure threshold …) are those of the `rules.py` tables;
- the scheduled jobs of docs/configuration.md are those of ``core.schedule.JOBS``, at their times;
- README.md opens with exactly the two set-up commands and links every document of docs/.

Each check is a function of the text, so that the last tests can show it refusing a made-up name."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CONFIGURATION = ROOT / "docs" / "configuration.md"

ENV_READERS = {"env", "env_bool", "env_list", "env_int", "env_json"}
# Where tools outside amanah/ read variables: the scripts, the tests (the browser's path) and the benchmarks.
TOOLS = [
    *(ROOT / "scripts").glob("*.sh"),
    *(ROOT / "bench").glob("*.py"),
    *(ROOT / "tests").rglob("conftest.py"),
]


# --- What the code reads ------------------------------------------------------------------------


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        try:  # 10 * 1024 * 1024, 24 * 3600, 5 * 365
            return eval(compile(ast.Expression(node), "<default>", "eval"), {"__builtins__": {}})  # noqa: S307
        except Exception:
            return None


@functools.cache
def variables_read() -> dict[str, object]:
    """Each ``AMANAH_*`` variable settings.py and cli.py read, with its default when that is a literal
    (None when it has none or it is computed)."""
    found: dict[str, object] = {}
    tree = ast.parse((ROOT / "amanah" / "settings.py").read_text())
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        default = _literal(node.args[1]) if len(node.args) > 1 else None
        if node.func.id in ENV_READERS:
            if node.func.id == "env_bool" and len(node.args) > 1:
                default = default if isinstance(default, bool) else None
            name = f"AMANAH_{first.value}"
            # Read once without a default too (``if env("X"): X = env_int("X", 0)``): the default is
            # elsewhere.
            found[name] = None if name in found and found[name] is None else default
            if default is None:
                found[name] = None
        elif node.func.id == "env_rate":
            starred = len(node.args) < 3
            found[f"AMANAH_{first.value}_COUNT"] = None if starred else _literal(node.args[1])
            found[f"AMANAH_{first.value}_SECONDS"] = None if starred else _literal(node.args[2])
    cli = ast.parse((ROOT / "amanah" / "cli.py").read_text())
    for node in ast.walk(cli):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).startswith("AMANAH_")
        ):
            found[node.args[0].value] = _literal(node.args[1]) if len(node.args) > 1 else None
    return found


@functools.cache
def tool_variables() -> frozenset[str]:
    """The ``AMANAH_*`` variables the scripts, benchmarks and test fixtures read (``os.environ.get("…")``,
    ``os.environ["…"]``, ``${…}`` in a shell script), besides those of settings.py and cli.py."""
    found = set()
    for path in TOOLS:
        text = path.read_text()
        found |= set(re.findall(r'environ(?:\.get)?[(\[]\s*"(AMANAH_\w+)"', text))
        found |= set(re.findall(r"\$\{(AMANAH_\w+)", text))
    return frozenset(found)


def read_anywhere(name: str) -> bool:
    return name in variables_read() or name in tool_variables()


# --- What the documents say ----------------------------------------------------------------------


def table_rows(text: str) -> list[tuple[list[str], str]]:
    """(variables named in the first cell, the second cell) of each table row naming a variable.
    ``AMANAH_X_COUNT` / `_SECONDS``: a short form after a full name replaces its last word."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("| `AMANAH_"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names: list[str] = []
        for token in re.findall(r"`([A-Z_][A-Z0-9_]*)`", cells[0]):
            if token.startswith("AMANAH_"):
                names.append(token)
            elif token.startswith("_") and names:
                names.append(names[-1].rsplit("_", 1)[0] + token)
            else:
                names.append(token)
        rows.append((names, cells[1] if len(cells) > 1 else ""))
    return rows


def documented_variables(text: str) -> set[str]:
    return {name for names, _ in table_rows(text) for name in names}


def undocumented(text: str) -> list[str]:
    documented = documented_variables(text)
    return sorted(name for name in variables_read() if name not in documented)


def unread(text: str) -> list[str]:
    return sorted(name for name in documented_variables(text) if not read_anywhere(name))


def _default_shown(default, cell: str) -> bool:
    words = cell.lower()
    if isinstance(default, bool):
        return ("true" if default else "false") in words or ("on" if default else "off") in words
    if isinstance(default, int):
        numbers = re.sub(r"(?<=\d)[,_](?=\d{3})", "", words)
        return re.search(rf"(?<![\d.]){default}(?![\d.])", numbers) is not None
    if isinstance(default, str):
        return (
            (default.lower() in words) if default else re.search(r"empty|none|—", words) is not None
        )
    return True


def wrong_defaults(text: str) -> list[str]:
    out = []
    read = variables_read()
    for names, cell in table_rows(text):
        for name in names:
            default = read.get(name)
            if default is not None and not _default_shown(default, cell):
                out.append(f"{name}: code {default!r}, documented {cell!r}")
    return out


def code_texts(text: str) -> list[str]:
    """The code spans and the lines of the code blocks of a Markdown text."""
    out, block = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            block = not block
            continue
        if block:
            out.append(line)
        else:
            out.extend(re.findall(r"`([^`]+)`", line))
    return out


def unknown_variables(text: str) -> list[str]:
    """``AMANAH_*`` names no code reads; ``AMANAH_X_*`` and ``AMANAH_X_…`` stand for any of a family."""
    out = []
    for match in re.finditer(r"AMANAH_[A-Z0-9_]*[A-Z0-9](_\*|_…|_)?", text):
        name = match.group(0)
        if match.group(1):
            prefix = name.rstrip("*…")
            if not any(n.startswith(prefix) for n in [*variables_read(), *tool_variables()]):
                out.append(name)
        elif not read_anywhere(name):
            out.append(name)
    return sorted(set(out))


# --- Commands ------------------------------------------------------------------------------------


@functools.cache
def cli_commands() -> dict[str, tuple[set[str] | None, set[str]]]:
    """Each subcommand of ``amanah`` with the choices of its action word (None if it has none) and
    its options, read from the parser built in amanah/cli.py."""
    tree = ast.parse((ROOT / "amanah" / "cli.py").read_text())
    commands: dict[str, tuple[set[str] | None, set[str]]] = {}
    current = None
    for node in ast.walk(next(n for n in tree.body if getattr(n, "name", "") == "main")):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "add_parser":
            current = node.args[0].value
            commands[current] = (None, {"-h", "--help"})
        elif node.func.attr == "add_argument" and current:
            choices, options = commands[current]
            name = node.args[0].value
            if name.startswith("-"):
                options.add(name)
            for kw in node.keywords:
                if kw.arg == "choices":
                    choices = set(ast.literal_eval(kw.value))
            commands[current] = (choices, options)
    return commands


def _manage_options(command: str) -> set[str] | None:
    from django.core.management import get_commands, load_command_class

    app = get_commands().get(command)
    if app is None:
        return None
    if not isinstance(app, str):
        return set()
    parser = load_command_class(app, command).create_parser("amanah", command)
    return {opt for action in parser._actions for opt in action.option_strings}


@functools.cache
def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][\w-]*):", text, re.M))


COMMAND = re.compile(r"(?:(?<![\w./-])|(?<=\.venv/bin/))amanah[ \t]+([a-z][\w-]*)([^|;&)`]*)")
# Subcommands that pass the options they do not know on to a management command.
PASSED_ON = {
    ("audit", "verify"): "audit_verify",
    ("audit", "head"): "audit_head",
    ("seed", None): "seed",
    ("migrate", None): "migrate",
    ("createsuperuser", None): "createsuperuser",
}


def _starts_command(before: str) -> bool:
    """Whether ``amanah`` after this text is the command (not a database or user named amanah)."""
    before = before.rstrip()
    if before == "" or before.endswith(("&&", ";", "|", "(", "bin/", "exec", "then", "do")):
        return True
    words = before.split()
    return (
        "=" in words[-1]
        and not words[-1].startswith("-")
        or re.search(r"sudo( -u \S+)?$", before) is not None
    )


def unknown_commands(text: str) -> list[str]:
    out = []
    for code in code_texts(text):
        for match in COMMAND.finditer(code):
            if not _starts_command(code[: match.start()]):
                continue
            sub, rest = match.group(1), match.group(2).split()
            words = [w for w in rest if not w.startswith(("<", "'", '"', "$", "…"))]
            shown = f"amanah {sub} {' '.join(rest)}".strip()
            if sub == "manage":
                if not words or words[0].startswith("-"):
                    continue
                options = _manage_options(words[0])
                if options is None:
                    out.append(f"{shown}: no management command {words[0]!r}")
                    continue
                extra = {w.split("=")[0] for w in words[1:] if w.startswith("-")} - options
            else:
                if sub not in cli_commands():
                    out.append(f"{shown}: no subcommand {sub!r}")
                    continue
                choices, options = cli_commands()[sub]
                if choices is not None and words and not words[0].startswith("-"):
                    if words[0] not in choices:
                        out.append(f"{shown}: {words[0]!r} is not one of {sorted(choices)}")
                extra = {w.split("=")[0] for w in words if w.startswith("-")} - options
                action = words[0] if choices is not None and words else None
                passed_on = PASSED_ON.get((sub, action))
                if extra and passed_on:
                    extra -= _manage_options(passed_on) or set()
            if extra:
                out.append(f"{shown}: no option {sorted(extra)}")
        for match in re.finditer(r"(?<![\w-])make[ \t]+([a-z][\w-]*)", code):
            if match.group(1) not in make_targets():
                out.append(f"make {match.group(1)}: no such target")
    return out


# --- Links ---------------------------------------------------------------------------------------


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    heading = re.sub(r"`|\*|_(?=\W)|(?<=\W)_|\[|\]\([^)]*\)", "", heading.strip()).lower()
    heading = re.sub(r"[^\w\- ]", "", heading)
    return heading.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    block = False
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("```"):
            block = not block
        if block or not line.startswith("#"):
            continue
        base = anchor(line.lstrip("#"))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def broken_links(path: Path, text: str) -> list[str]:
    out = []
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    prose = re.sub(r"`[^`]*`", "", prose)
    for target in re.findall(r"\]\(([^)\s]+)\)", prose):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, fragment = target.partition("#")
        where = (path.parent / file).resolve() if file else path
        if not where.exists():
            out.append(f"{target}: no file {file}")
        elif fragment and where.suffix == ".md" and fragment not in anchors(where):
            out.append(f"{target}: no heading #{fragment} in {where.name}")
    return out


# --- API paths -----------------------------------------------------------------------------------

NOT_OPERATIONS = {"/api/v1", "/api/v1/docs", "/api/v1/openapi.json"}


@functools.cache
def operations() -> list[tuple[re.Pattern, set[str]]]:
    from tests.core.openapi_check import document

    out = []
    for path, item in document()["paths"].items():
        pattern = re.escape(path)
        pattern = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", pattern)
        out.append((re.compile(pattern + "$"), {m.upper() for m in item}))
    return out


def _ends_with(full: list[str], tail: list[str]) -> bool:
    """Whether the segments of an operation's path end with these, a ``{parameter}`` matching any."""
    if len(tail) > len(full):
        return False
    ends = full[len(full) - len(tail) :]
    return all(
        a == b or a.startswith("{") or b.startswith("{") for a, b in zip(ends, tail, strict=True)
    )


@functools.cache
def api_operations() -> list[tuple[list[str], set[str]]]:
    from tests.core.openapi_check import document

    return [
        (path.strip("/").split("/"), {m.upper() for m in item})
        for path, item in document()["paths"].items()
    ]


@functools.cache
def bases() -> list[str]:
    from tests.core.openapi_check import document

    return list(document()["paths"])


API_PATH = re.compile(
    r"(?:((?:GET|POST|PUT|PATCH|DELETE)(?:[/|](?:GET|POST|PUT|PATCH|DELETE))*)\s+)?"
    r"(?:https?://[^/\s]+)?(/api/v1[^\s?`\"',)]*)"
)


def unknown_api_paths(text: str) -> list[str]:
    out = []
    for code in code_texts(text):
        for match in API_PATH.finditer(code):
            methods = set(re.split("[/|]", match.group(1))) if match.group(1) else set()
            raw = match.group(2).rstrip("/.:")
            if "…" in raw:
                continue
            path = re.sub(r"<[^>]+>", "{x}", raw)
            paths = [""]
            for segment in path.strip("/").split("/"):
                paths = [f"{p}/{alt}" for p in paths for alt in segment.split("|")]
            for one in paths:
                if one in NOT_OPERATIONS:
                    continue
                known = [ms for pattern, ms in operations() if pattern.match(one)]
                if not known and not methods and any(p.startswith(one + "/") for p in bases()):
                    continue  # the base of a group of operations
                if not known:
                    out.append(f"{raw}: not in the OpenAPI document")
                elif methods - set().union(*known):
                    out.append(f"{' '.join(sorted(methods))} {raw}: not an operation")
    return out


RELATIVE = re.compile(
    r"^((?:GET|POST|PUT|PATCH|DELETE)(?:[/|](?:GET|POST|PUT|PATCH|DELETE))*)\s+(/[^\s?`]*)"
)


def unknown_relative_paths(text: str) -> list[str]:
    """``METHOD /path`` written below a section's base (``GET /me`` under ``/api/v1/integrity``): some
    operation with that method ends with that path. ``/open311/…`` paths are resolved by Django's URLs."""
    from django.urls import Resolver404, resolve

    out = []
    for code in code_texts(text):
        match = RELATIVE.match(code.strip())
        if not match or match.group(2).startswith("/api/v1") or "…" in match.group(2):
            continue
        methods, raw = set(re.split("[/|]", match.group(1))), match.group(2).rstrip("/.:")
        if raw.startswith("/open311/"):
            try:
                resolve(raw)
            except Resolver404:
                out.append(f"{raw}: no such URL")
            continue
        paths = [[]]
        for segment in raw.strip("/").split("/"):
            paths = [[*p, alt] for p in paths for alt in segment.split("|")]
        for one in paths:
            known = [ms for full, ms in api_operations() if _ends_with(full, one)]
            if not known or methods - set().union(*known):
                out.append(f"{' '.join(sorted(methods))} {raw}: no such operation")
    return out


# --- Page addresses ------------------------------------------------------------------------------

PAGE = re.compile(
    r"(?<![\w./])(/(?:pengaduan|integritas|skm|kepegawaian|transparansi|akun|staf|layanan|admin|open311)"
    r"(?![\w-])(?:/(?:[\w.-]|<[^<>]*>|\{[^{}]*\})*)*)"
)
#: What a placeholder of a page address may stand for: a number, a case number, a word, a tracking code.
SAMPLES = ("1", "AMN-1", "abc", "7KQ2-M9XD-4HTA-0RZB")


def unknown_pages(text: str) -> list[str]:
    """Page addresses (``/pengaduan/lacak/<code>/``, ``/skm/u/<unit code>/hasil/``) that no URL pattern
    takes, a placeholder standing for any of :data:`SAMPLES`."""
    from django.urls import Resolver404, resolve

    out = []
    for code in code_texts(text):
        for raw in PAGE.findall(code):
            if "…" in raw:
                continue
            path = re.sub(r"AMN-<[^>]*>", "AMN-1", raw)
            for sample in SAMPLES:
                try:
                    resolve(re.sub(r"<[^>]*>|\{[^}]*\}", sample, path))
                    break
                except Resolver404:
                    continue
            else:
                out.append(raw)
    return out


# --- Scheduled jobs ------------------------------------------------------------------------------


def _when(job) -> str:
    if job.every is not None:
        minutes = int(job.every.total_seconds() // 60)
        return "every hour" if minutes == 60 else f"every {minutes} minutes"
    return f"daily {job.daily_at:%H:%M}"


def schedule_drift(text: str) -> list[str]:
    """The jobs of docs/configuration.md's *Scheduled work* table against ``core.schedule.JOBS``: each
    job in both, at the time it runs (``every 15 minutes``, ``every hour``, ``daily 01:30``)."""
    from amanah.core.schedule import JOBS

    section = text.split("## Scheduled work", 1)[-1]
    documented = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \|", section, re.M))
    out = []
    for job in JOBS:
        if job.name not in documented:
            out.append(f"{job.name}: not documented")
        elif documented[job.name].strip() != _when(job):
            out.append(
                f"{job.name}: runs {_when(job)}, documented {documented[job.name].strip()!r}"
            )
    out += [f"{name}: no such job" for name in documented if name not in {j.name for j in JOBS}]
    return out


# --- Regulation figures ---------------------------------------------------------------------------


def _flat(text: str) -> str:
    """The text with its line breaks and runs of spaces as single spaces, and without ``**`` bold."""
    return re.sub(r"\s+", " ", text.replace("**", ""))


def _comma(value) -> str:
    """A decimal as the documents write the regulation's figures: with a decimal comma."""
    return str(value).replace(".", ",")


def regulation_phrases() -> dict[str, list[str]]:
    """For each document, phrases stating the figures of the ``rules.py`` tables: a changed table (or a
    changed text) no longer matches."""
    from amanah.complaints import rules as complaints
    from amanah.core import rules as core
    from amanah.integrity import rules as integrity
    from amanah.surveys import rules as surveys
    from amanah.transparency import rules as transparency

    c, d = complaints.DEFAULTS, integrity.DEADLINES
    tiers = c["tiers"]
    ladder = c["escalation_ladder"]
    grades = "; ".join(
        f"{cat.mutu} ({cat.kinerja}) from {_comma(cat.lower)}" for cat in surveys.CATEGORIES[:-1]
    )
    bottom = surveys.CATEGORIES[-1]
    elements = [f"| {e.code} | {e.name} | {' | '.join(e.labels)} |" for e in surveys.ELEMENTS]
    return {
        "README.md": [
            f"Verify within {c['verification_days']} working days",
            f"after {c['completion_days']} days without an answer it counts as withdrawn",
            f"First response within {c['response_days']} working days",
            f"({tiers['ringan']}, {tiers['normatif']}, {tiers['tanpa_pemeriksaan']} or "
            f"{tiers['pemeriksaan']} working days by default",
            f"closes by itself {c['auto_close_days']} working days after the answer",
            f"counts below {core.SUPPRESS_BELOW}",
        ],
        "complaints.md": [
            f"has {c['verification_days']} working days",
            f"the complainant has {c['completion_days']} days to add what is missing",
            f"due {c['response_days']} working days after forwarding",
            f"(default: ringan {tiers['ringan']}, normatif {tiers['normatif']}, tidak memerlukan "
            f"pemeriksaan {tiers['tanpa_pemeriksaan']}, memerlukan pemeriksaan {tiers['pemeriksaan']})",
            f"closes automatically {c['auto_close_days']} working days after the answer",
            f"more than {ladder[1]} working days late to the agency's complaint manager, more than "
            f"{ladder[2]} to the inspectorate",
            f"within {c['statutory_answer_days']} days of receipt",
            f"within {c['statutory_decision_days']} days of the file being complete",
            f"Resolution tiers {tiers['ringan']} / {tiers['normatif']} / {tiers['tanpa_pemeriksaan']} / "
            f"{tiers['pemeriksaan']} working days",
            f"Complaint within {c['filing_window_days']} days of the service",
        ],
        "integrity.md": [
            f"UPG {d['gratification_upg_working_days']}, KPK {d['gratification_kpk_working_days']} "
            "working days",
            f"summons ≥ {d['summons_notice_working_days']} working days ahead",
            f"second summons within {d['second_summons_within_working_days']} working days of a missed "
            "hearing",
            f"acknowledge within {d['acknowledge_days']} days; feedback within {d['feedback_months']} "
            "months of the acknowledgment",
            f"the initial assessment within {d['assessment_working_days']} working days of receipt",
        ],
        "surveys.md": [
            *elements,
            f"the weight is exactly {surveys.WEIGHT_EXACT} by default",
            f"IKM unit × {surveys.CONVERSION}",
            f"The regulation prints the weight as {_comma(float(surveys.WEIGHT_PRINTED))}",
            f"{grades}; {bottom.mutu} ({bottom.kinerja}) below",
            f"χ² = {_comma(surveys.KM_CHI2.numerator / surveys.KM_CHI2.denominator)}, "
            f"P = {_comma(float(surveys.KM_P))}, d = {_comma(float(surveys.KM_D))}",
        ],
        "rules.md": [
            f"(`SUPPRESS_BELOW` = {core.SUPPRESS_BELOW}",
            f"(`PUBLISH_MONTHS` = {core.PUBLISH_MONTHS}",
            f"(χ² = {surveys.KM_CHI2.numerator / surveys.KM_CHI2.denominator}, "
            f"P = {float(surveys.KM_P)}, d = {float(surveys.KM_D)})",
            f"between {core.NIP_MIN_AGE_AT_TMT} and {core.NIP_MAX_AGE_AT_TMT} years of age",
        ],
        "transparency.md": [f"`TRANSPARENCY_MIN_CASES` cases (default {transparency.MIN_CASES}"],
    }


def missing_figures(name: str, text: str) -> list[str]:
    flat = _flat(text)
    return [phrase for phrase in regulation_phrases()[name] if _flat(phrase) not in flat]


# --- Files and migrations -------------------------------------------------------------------------

APPS = ("core", "complaints", "integrity", "surveys", "personnel", "forum", "transparency")


def missing_files(text: str) -> list[str]:
    """Repository paths (``amanah/…``, ``tests/…``, ``bench/…``, ``scripts/…``, ``docs/…``), an app's
    modules and templates (``core/files.py``, ``core/_field.html``) and migrations (``complaints/0017``,
    ``integrity.0006``) named in the text that do not exist. Paths with a placeholder are skipped."""
    out = []
    for code in code_texts(text):
        for path in re.findall(
            r"(?<![\w./-])((?:amanah|tests|bench|scripts|docs)/[\w./<>{}*…-]*[\w*>}])", code
        ):
            if not re.search(r"[<>{}*…]", path) and not (ROOT / path).exists():
                out.append(path)
        for path in re.findall(rf"(?<![\w./-])((?:{'|'.join(APPS)})/[\w/]+\.(?:py|html))\b", code):
            app = path.split("/")[0]
            if (
                not (ROOT / "amanah" / path).exists()
                and not (ROOT / "amanah" / app / "templates" / path).exists()
            ):
                out.append(path)
    for app, number in re.findall(rf"(?<![\w-])({'|'.join(APPS)})[./](\d{{4}})\b", text):
        if not list((ROOT / "amanah" / app / "migrations").glob(f"{number}_*.py")):
            out.append(f"{app} migration {number}")
    return out


# --- API fields ----------------------------------------------------------------------------------


@functools.cache
def operation_fields() -> list[tuple[list[str], str, frozenset[str]]]:
    """Each operation's path segments, method and the names it knows: its parameters and every property,
    nested ones included, of its request bodies and successful answers."""
    from tests.core.openapi_check import document

    schemas = document()["components"]["schemas"]

    def names(schema, seen):
        out = set()
        if isinstance(schema, dict):
            ref = schema.get("$ref")
            if ref:
                name = ref.rsplit("/", 1)[-1]
                return set() if name in seen else names(schemas[name], seen | {name})
            out |= set(schema.get("properties", {}))
            for value in schema.values():
                out |= names(value, seen)
        elif isinstance(schema, list):
            for value in schema:
                out |= names(value, seen)
        return out

    out = []
    for path, item in document()["paths"].items():
        for method, op in item.items():
            known = {p["name"] for p in op.get("parameters", [])}
            bodies = [c["schema"] for c in op.get("requestBody", {}).get("content", {}).values()]
            for status, answer in op["responses"].items():
                if status.startswith("2"):
                    bodies += [c["schema"] for c in answer.get("content", {}).values()]
            for body in bodies:
                known |= names(body, frozenset())
            out.append((path.strip("/").split("/"), method.upper(), frozenset(known)))
    return out


OPERATION_SPAN = re.compile(
    r"^(?:((?:GET|POST|PUT|PATCH|DELETE)(?:[/|](?:GET|POST|PUT|PATCH|DELETE))*)\s+)?"
    r"(…?/[^\s?`{]*(?:\{[^}]*\}[^\s?`{]*)*)"
)


def unknown_fields(text: str) -> list[str]:
    """Field lists written after an operation on the same line (`` `POST …/verify` `{unit?, tier?}` ``,
    `` `POST /session {"receipt"}` ``): each name is a parameter or a property of that operation's body
    or answer (of any operation the path may be, when ``…/verify`` fits several)."""
    out = []
    for line in text.splitlines():
        current = None
        for span in re.findall(r"`([^`]+)`", line):
            match = OPERATION_SPAN.match(span) if not span.startswith("{") else None
            if match:
                methods = set(re.split("[/|]", match.group(1))) if match.group(1) else None
                tail = [part for part in match.group(2).lstrip("…").strip("/").split("/") if part]
                current = (
                    span,
                    [
                        known
                        for full, method, known in operation_fields()
                        if _ends_with(full, tail) and (methods is None or method in methods)
                    ],
                )
                rest = span[match.end() :].strip()
                lists = [rest] if rest.startswith("{") else []
            else:
                lists = [span] if span.startswith("{") else []
            for listed in lists:
                if current is None or not current[1]:
                    continue
                inner = listed.strip()[1:].rstrip("}")
                fields = re.findall(
                    r'(?:^|[,{]\s*)"?([a-z_][a-z0-9_]*)"?\??(?=\s*(?:[,}:]|$))', inner
                )
                allowed = frozenset().union(*current[1])
                out += [f"{current[0]} {listed}: {f}" for f in fields if f not in allowed]
    return out


# --- The tests -----------------------------------------------------------------------------------


def test_every_variable_the_code_reads_is_documented():
    assert undocumented(CONFIGURATION.read_text()) == []


def test_every_documented_variable_is_read():
    assert unread(CONFIGURATION.read_text()) == []


def test_every_variable_the_tools_read_is_documented():
    documented = documented_variables(CONFIGURATION.read_text())
    readme = (ROOT / "README.md").read_text()
    assert (
        sorted(n for n in tool_variables() if n not in documented and f"`{n}" not in readme) == []
    )


def test_documented_defaults_are_the_codes():
    assert wrong_defaults(CONFIGURATION.read_text()) == []
    readme = (ROOT / "README.md").read_text()
    assert wrong_defaults(readme) == []
    assert unread(readme) == []


@pytest.mark.parametrize(
    "name",
    ["README.md", "complaints.md", "integrity.md", "surveys.md", "rules.md", "transparency.md"],
)
def test_regulation_figures_are_the_rules_tables(name):
    path = ROOT / name if name == "README.md" else ROOT / "docs" / name
    assert missing_figures(name, path.read_text()) == []


def test_readme_keeps_two_set_up_commands_and_links_every_document():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```\w*\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    linked = {Path(t).name for t in re.findall(r"\]\((docs/[^)#]+)", readme)}
    assert linked == {p.name for p in (ROOT / "docs").glob("*.md")}


def test_scheduled_jobs_are_documented_as_they_run():
    assert schedule_drift(CONFIGURATION.read_text()) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_variables_named_exist(path):
    assert unknown_variables(path.read_text()) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_commands_named_exist(path):
    assert unknown_commands(path.read_text()) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_files_and_migrations_named_exist(path):
    assert missing_files(path.read_text()) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_api_fields_named_exist(path):
    assert unknown_fields(path.read_text()) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_page_addresses_named_exist(path):
    assert unknown_pages(path.read_text()) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_links_resolve(path):
    assert broken_links(path, path.read_text()) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_api_paths_named_exist(path):
    assert unknown_api_paths(path.read_text()) == []
    assert unknown_relative_paths(path.read_text()) == []


# --- The checks refuse what is made up ------------------------------------------------------------


def test_a_made_up_or_missing_variable_is_caught():
    text = CONFIGURATION.read_text()
    made_up = text + "\n| `AMANAH_NO_SUCH_THING` | `3` | Nothing. |\n"
    assert unread(made_up) == ["AMANAH_NO_SUCH_THING"]
    assert unknown_variables("Set `AMANAH_NO_SUCH_THING=1`.") == ["AMANAH_NO_SUCH_THING"]
    without = "\n".join(
        line for line in text.splitlines() if "`AMANAH_UPLOAD_MAX_FILES`" not in line
    )
    assert undocumented(without) == ["AMANAH_UPLOAD_MAX_FILES"]
    wrong = text.replace(
        "| `AMANAH_UPLOAD_MAX_FILES` | `5` |", "| `AMANAH_UPLOAD_MAX_FILES` | `6` |"
    )
    assert [w.split(":")[0] for w in wrong_defaults(wrong)] == ["AMANAH_UPLOAD_MAX_FILES"]
    pair = text.replace("| `20` / `600` | Public form", "| `20` / `60` | Public form")
    assert [w.split(":")[0] for w in wrong_defaults(pair)] == ["AMANAH_PUBLIC_FORM_RATE_SECONDS"]


def test_a_changed_regulation_figure_is_caught():
    text = (ROOT / "docs" / "complaints.md").read_text()
    assert missing_figures("complaints.md", text) == []
    changed = text.replace("memerlukan pemeriksaan 60)", "memerlukan pemeriksaan 90)")
    assert len(missing_figures("complaints.md", changed)) == 1
    surveys = (ROOT / "docs" / "surveys.md").read_text()
    assert (
        len(missing_figures("surveys.md", surveys.replace("Kurang kompeten", "Cukup kompeten")))
        == 1
    )


def test_a_job_documented_wrongly_is_caught():
    text = CONFIGURATION.read_text()
    moved = text.replace("| `tasks_prune` | daily 02:30 |", "| `tasks_prune` | daily 04:30 |")
    assert [d.split(":")[0] for d in schedule_drift(moved)] == ["tasks_prune"]
    made_up = text.replace("| `tasks_prune` |", "| `tasks_purge` |")
    assert sorted(d.split(":")[0] for d in schedule_drift(made_up)) == [
        "tasks_prune",
        "tasks_purge",
    ]


def test_a_made_up_command_is_caught():
    assert unknown_commands("Run `amanah keys rotate` then `make demo PORT=8080`.") == []
    assert len(unknown_commands("Run `amanah keys spin`.")) == 1
    assert len(unknown_commands("Run `amanah frobnicate`.")) == 1
    assert (
        len(unknown_commands("```\nsudo -u amanah .venv/bin/amanah manage no_such_sweep\n```")) == 1
    )
    assert len(unknown_commands("Run `amanah manage skm_sweep --no-such-flag`.")) == 1
    assert len(unknown_commands("Run `amanah worker --no-such-flag`.")) == 1
    assert len(unknown_commands("Run `make deploy`.")) == 1


def test_a_missing_file_or_migration_is_caught():
    named = "`amanah/core/schedule.py`, `core/files.py`, `core/_field.html`, migration `complaints/0017`"
    assert missing_files(named) == []
    assert missing_files("`bench/<name>.py` and `amanah/<app>/rules.py`") == []
    assert missing_files("see `amanah/core/no_such_module.py`") == ["amanah/core/no_such_module.py"]
    assert missing_files("`bench/no_such_bench.py`") == ["bench/no_such_bench.py"]
    assert missing_files("`core/no_such.py`") == ["core/no_such.py"]
    assert missing_files("migration `integrity.0999`") == ["integrity migration 0999"]


def test_a_made_up_api_field_is_caught():
    row = "| `POST …/verify` `{unit?, tier?, note?}`, `…/transfer` `{agency, note?}` | operator |"
    assert unknown_fields(row) == []
    assert unknown_fields('`POST /session {"receipt"}` and `GET /me` `{contact_given}`') == []
    assert len(unknown_fields("| `POST …/verify` `{unit?, colour?}` |")) == 1
    assert len(unknown_fields('`POST /session {"password"}`')) == 1


def test_a_made_up_page_is_caught():
    named = "`/pengaduan/lacak/<code>/`, `/skm/u/<unit code>/hasil/`, `/pengaduan/staf/AMN-<n>/`"
    assert unknown_pages(named) == []
    assert unknown_pages("`/pengaduan/riwayat/`") == ["/pengaduan/riwayat/"]
    assert unknown_pages("`/integritas/laporan-saya/`") == ["/integritas/laporan-saya/"]


def test_a_broken_link_is_caught():
    here = ROOT / "docs" / "deploy.md"
    assert broken_links(here, "See [c](configuration.md#files) and [r](../README.md).") == []
    assert len(broken_links(here, "See [c](no-such-file.md).")) == 1
    assert len(broken_links(here, "See [c](configuration.md#no-such-heading).")) == 1


def test_a_made_up_api_path_is_caught():
    assert unknown_api_paths("`GET /api/v1/complaints/{tracking_code}` and `/api/v1/docs`") == []
    assert unknown_api_paths("`POST /api/v1/integrity/me/disclosures/{id}/consent|objection`") == []
    assert len(unknown_api_paths("`GET /api/v1/complaints/{code}/history`")) == 1
    assert len(unknown_api_paths("`DELETE /api/v1/complaints`")) == 1
    assert (
        len(unknown_api_paths("`POST /api/v1/integrity/me/disclosures/{id}/consent|refusal`")) == 1
    )
    assert (
        unknown_relative_paths("`GET /me` and `PUT|DELETE /me/contact` and `GET /cases/{id}`") == []
    )
    assert unknown_relative_paths("`POST /open311/v2/requests`") == []
    assert len(unknown_relative_paths("`GET /me/history`")) == 1
    assert len(unknown_relative_paths("`PATCH /me/contact`")) == 1
    assert len(unknown_relative_paths("`POST /open311/v3/requests`")) == 1
