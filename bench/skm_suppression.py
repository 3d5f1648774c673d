"""Benchmark: the small-group suppression of SKM breakdowns (``rules.linked_hidden``), before and after.

The sweep that freezes published breakdowns (``services.freeze_published_breakdowns``) and every page of an
unfrozen period run ``amanah.surveys.rules.linked_hidden`` on the counts of a period's answers by (service,
gender, age band, education, occupation). This script times it on random periods of several sizes, with a
minimum group (``AMANAH_SKM_MIN_GROUP``) of 5 and of 10, for the working tree's ``rules.py`` and for the
``rules.py`` of a base commit (``--base``, read with ``git show``) in the same process and run, alternating
which goes first. The periods are drawn as ``amanah/surveys/demo.py`` draws its answers (its profile
shares; a few services of uneven size; some fields left empty). No database: the rule is a pure function.

For each size and minimum: the median and the largest time of each, the ratio of the medians (after ÷
before), how often each gave up its search (``SEARCH_STEPS`` sets of pivots tried, after which it hides
more than needed) and how many groups each hid in all. Where neither gave up the two must hide the same
groups (the script stops otherwise).

    .venv/bin/python bench/skm_suppression.py [--base f44701c] [--sizes 30,100,300,1000,3000,10000]
        [--minimums 5,10] [--periods 3] [--write]

With ``--write`` the results are appended to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from common import append_results, section_head, source_at  # noqa: E402


def demo_profile() -> dict:
    """``PROFILE`` of amanah/surveys/demo.py (the respondents' profile shares the demo draws from), read
    from its source: importing the module would need Django set up, and this bench needs no database."""
    tree = ast.parse((ROOT / "amanah/surveys/demo.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PROFILE" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise SystemExit("amanah/surveys/demo.py has no PROFILE")


PROFILE = demo_profile()


def _pick(rng: random.Random, table) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def period_cells(rng: random.Random, answers: int, age_band) -> dict:
    """The (service, gender, age band, education, occupation) counts of a period of ``answers``."""
    services = [str(i) for i in range(1, rng.randint(2, 6) + 1)]
    shares = [rng.random() + 0.2 for _ in services]
    cells: dict = {}
    for _ in range(answers):
        key = (
            rng.choices(services, shares)[0],
            _pick(rng, PROFILE["gender"]) if rng.random() > 0.05 else "",
            (age_band(rng.randint(17, 72)) or "") if rng.random() > 0.08 else "",
            _pick(rng, PROFILE["education"]) if rng.random() > 0.08 else "",
            _pick(rng, PROFILE["occupation"]) if rng.random() > 0.08 else "",
        )
        cells[key] = cells.get(key, 0) + 1
    return cells


def load_rules(name: str, source: str):
    """``rules.py`` from ``source`` as module ``name`` (it imports only the standard library and
    ``amanah.core.rules``)."""
    folder = Path(tempfile.mkdtemp(prefix="amanah-bench-rules-"))
    path = folder / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def timed(module, cells: dict, minimum: int) -> tuple[float, list[set], int]:
    """Seconds, hidden groups, and how many times the search gave up."""
    gave_up = [0]
    too_long = module._TooLong

    class Counted(too_long):
        def __init__(self, *args):
            gave_up[0] += 1
            super().__init__(*args)

    module._TooLong = Counted
    try:
        start = time.perf_counter()
        hidden = module.linked_hidden(cells, minimum)
        return time.perf_counter() - start, hidden, gave_up[0]
    finally:
        module._TooLong = too_long


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", default="f44701c", help="the commit whose rules.py is 'before'")
    p.add_argument("--sizes", default="30,100,300,1000,3000,10000")
    p.add_argument("--minimums", default="5,10")
    p.add_argument("--periods", type=int, default=3, help="random periods per size and minimum")
    p.add_argument("--seed", type=int, default=2017)
    p.add_argument("--write", action="store_true", help="append the results to bench/RESULTS.md")
    args = p.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    minimums = [int(x) for x in args.minimums.split(",")]

    base_source = source_at(args.base, "amanah/surveys/rules.py")
    before = load_rules("rules_before", base_source)
    after = load_rules("rules_after", (ROOT / "amanah/surveys/rules.py").read_text())
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "amanah/surveys/rules.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()

    load = os.getloadavg()
    started = time.monotonic()
    rng = random.Random(args.seed)
    rows = []
    for minimum in minimums:
        for size in sizes:
            times = {"before": [], "after": []}
            gave_up = {"before": 0, "after": 0}
            groups = {"before": 0, "after": 0}
            atoms = []
            for i in range(args.periods):
                cells = period_cells(rng, size, after.age_band)
                atoms.append(len(cells))
                runs = [("before", before), ("after", after)]
                if i % 2:
                    runs.reverse()
                hidden, stopped = {}, 0
                for label, module in runs:
                    seconds, hidden[label], stops = timed(module, cells, minimum)
                    times[label].append(seconds)
                    gave_up[label] += stops
                    stopped += stops
                    groups[label] += sum(map(len, hidden[label]))
                if not stopped:
                    # both searched to the end: the same groups hidden
                    if hidden["before"] != hidden["after"]:
                        raise SystemExit(f"different groups hidden: {cells!r} minimum {minimum}")
            mb, ma = statistics.median(times["before"]), statistics.median(times["after"])
            rows.append((minimum, size, statistics.median(atoms), times, mb, ma, gave_up, groups))
            print(
                f"minimum {minimum}, {size:,} answers: before {mb * 1000:.1f} ms "
                f"(gave up {gave_up['before']}×, {groups['before']} groups hidden), after "
                f"{ma * 1000:.1f} ms (gave up {gave_up['after']}×, {groups['after']} hidden), "
                f"ratio {ma / mb:.3f}",
                flush=True,
            )

    lines = section_head(
        "SKM small-group suppression (`rules.linked_hidden`)",
        "bench/skm_suppression.py",
        argv,
        load,
        f"Before: `rules.py` of {args.base}; after: the working tree's (HEAD {head}"
        f"{', rules.py modified' if dirty else ''}), in the same process, alternating which goes "
        f"first. {args.periods} random five-field periods per row (seed {args.seed}); one run each. "
        f"Whole run {time.monotonic() - started:.0f} s.",
    )
    lines += [
        "",
        "| Minimum | Answers | combinations (median) | before median (ms) | max | after median (ms) | max "
        "| after ÷ before (medians) | gave up before / after | groups hidden before / after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for minimum, size, atoms, times, mb, ma, gave_up, groups in rows:
        lines.append(
            f"| {minimum} | {size:,} | {atoms:.0f} | {mb * 1000:.1f} | {max(times['before']) * 1000:.1f} | "
            f"{ma * 1000:.1f} | {max(times['after']) * 1000:.1f} | **{ma / mb:.3f}** | "
            f"{gave_up['before']} / {gave_up['after']} | {groups['before']} / {groups['after']} |"
        )
    lines += [
        "",
        "Gave up: searches stopped at `SEARCH_STEPS` (3 000) sets, after which the rule hides more groups "
        "than needed. Where neither gave up, both hid the same groups (checked).",
        "",
    ]
    text = "\n".join(lines)
    print()
    print(text)
    if args.write:
        append_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
