"""The search of ``rules.linked_hidden`` as it was before the bounded search (commit f44701c), kept as the
reference the property tests compare the current rule with: it tries the sets of pivots one after the
other, stopping after ``steps`` of them (then hiding, to be safe, more than needed). ``old_linked_hidden``
returns the groups it hides and whether its search always finished within ``steps``."""

from __future__ import annotations

import math
from fractions import Fraction

from amanah.surveys.rules import hidden_groups


def old_linked_hidden(
    cells: dict, threshold: int, steps: int | None = 3_000
) -> tuple[list[set], bool]:
    global SEARCH_STEPS, _finished
    SEARCH_STEPS = math.inf if steps is None else steps
    _finished = True
    cells = {key: n for key, n in cells.items() if n}
    if not cells:
        return [], True
    dims = len(next(iter(cells)))
    margins: list[dict] = [{} for _ in range(dims)]
    for key, n in cells.items():
        for d, value in enumerate(key):
            margins[d][value] = margins[d].get(value, 0) + n
    forced: list[set] = [set() for _ in range(dims)]
    while True:
        hidden = [hidden_groups(margins[d], threshold, forced[d]) for d in range(dims)]
        exposed = _linked_exposure(cells, margins, hidden, threshold, forced)
        if exposed is None:
            return hidden, _finished
        d, value = exposed
        forced[d].add(value)


_HIDDEN = object()


def _linked_exposure(cells, margins, hidden, threshold, forced) -> tuple[int, object] | None:
    global _finished
    dims = len(margins)
    groups = [
        (d, value)
        for d in range(dims)
        for value in sorted(margins[d], key=repr)
        if value not in hidden[d]
    ]
    if not groups:
        return None
    index = {group: i for i, group in enumerate(groups, start=1)}  # 0: the period itself
    atoms: dict[tuple, int] = {}
    for key, n in cells.items():
        atom = tuple(_HIDDEN if v in hidden[d] else v for d, v in enumerate(key))
        atoms[atom] = atoms.get(atom, 0) + n
    sums = 1 + len(groups)

    members = {  # the published sums that count each atom: the period and its shown groups
        atom: [0, *(index[(d, v)] for d, v in enumerate(atom) if v is not _HIDDEN)]
        for atom in atoms
    }

    small = [a for a, n in atoms.items() if n < threshold]
    if not small:
        return None
    # the combinations (factors of the published sums) that are nothing on every large atom
    free = _null_space([members[a] for a, n in atoms.items() if n >= threshold], sums)
    # their value on each small atom, then their factors (kept beside: which sums they use)
    column = {a: i for i, a in enumerate(small)}
    rows = []
    for factors in free:
        row = {}
        for a in small:
            value = sum(factors.get(i, 0) for i in members[a])
            if value:
                row[column[a]] = value
        rows.append((row, factors))
    basis = _echelon(rows)
    pivots = sorted(basis, key=lambda p: (atoms[small[p]], p))
    people_in = [atoms[a] for a in small]
    # The search adds rows many times: in whole numbers modulo a prime (a value is 0 or 1 exactly
    # only if it is so modulo the prime), each set found then checked in exact fractions.
    if all(v.denominator % _PRIME for row, _f in basis.values() for v in row.values()):
        fast = {
            p: [
                (col, v.numerator * pow(v.denominator, -1, _PRIME) % _PRIME)
                for col, v in row.items()
            ]
            for p, (row, _f) in basis.items()
        }
        modulus = _PRIME
    else:  # never met in practice: exact fractions throughout
        fast = {p: list(row.items()) for p, (row, _f) in basis.items()}
        modulus = None
    total: dict[int, object] = {}
    odd: set[int] = set()  # the columns neither 0 nor 1
    state = {"people": 0, "atoms": 0, "steps": 0}  # people and atoms at 1; sets of pivots tried
    last = {}  # for each column, the position of the last pivot whose row touches it
    for j, p in enumerate(pivots):
        for col, _value in fast[p]:
            last[col] = j

    def add(p: int, sign: int) -> None:
        for col, value in fast[p]:
            old = total.get(col, 0)
            new = old + sign * value
            if modulus:
                new %= modulus
            for v, step in ((old, -1), (new, 1)):
                if v == 1:
                    state["people"] += step * people_in[col]
                    state["atoms"] += step
            if new in (0, 1):
                odd.discard(col)
            else:
                odd.add(col)
            total[col] = new

    def exact(chosen: list[int]) -> dict | None:
        values: dict[int, Fraction] = {}
        factors: dict[int, Fraction] = {}
        for p in chosen:
            _subtract(values, basis[p][0], -1)
            _subtract(factors, basis[p][1], -1)
        if any(v != 1 for v in values.values()):
            return None
        people = sum(people_in[col] for col in values)
        if not 0 < people < threshold or len(values) == len(atoms):
            return None
        factors["set"] = {small[col] for col in values}
        return factors

    def search(start: int, chosen: list[int], people: int) -> dict | None:
        for j in range(start, len(pivots)):
            p = pivots[j]
            if people + people_in[p] >= threshold:
                break  # pivots are in order of size: the later ones are as large
            state["steps"] += 1
            if state["steps"] > SEARCH_STEPS:
                raise _TooLong
            chosen.append(p)
            add(p, 1)
            found = None
            # a column neither 0 nor 1 that no later pivot touches stays so: nothing to find here
            if not any(last[col] <= j for col in odd):
                if not odd and 0 < state["people"] < threshold and state["atoms"] < len(atoms):
                    found = exact(chosen)
                if found is None:
                    found = search(j + 1, chosen, people + people_in[p])
            add(p, -1)
            chosen.pop()
            if found is not None:
                return found
        return None

    try:
        factors = search(0, [], 0)
    except _TooLong:
        _finished = False
        # too many sets to try (a high minimum): hide, to be safe, a group taking part in some
        # combination that is nothing on every large atom; what it gave away cannot be given away any more
        factors = {}
        for _row, row_factors in basis.values():
            factors.update(row_factors)
    if factors is None:
        return None
    given = factors.pop("set", None)
    used = sorted(
        (groups[i - 1] for i, value in factors.items() if i and value),
        key=lambda g: (margins[g[0]][g[1]], g[0], repr(g[1])),
    )
    if (
        given is not None
    ):  # the smallest group whose hiding (with what follows) keeps the set unknown
        for d, value in used:
            after = [*hidden]
            after[d] = hidden_groups(margins[d], threshold, forced[d] | {value})
            if not _spanned(list(atoms), after, given):
                return d, value
    return used[0]


def _spanned(atoms: list[tuple], hidden: list[set], given: set) -> bool:
    dims = len(hidden)
    shown = {(d, a[d]) for a in atoms for d in range(dims) if a[d] is not _HIDDEN}
    rows = [({i: 1 for i in range(len(atoms))}, {})]
    for d, value in sorted(shown, key=repr):
        if value not in hidden[d]:
            rows.append(({i: 1 for i, a in enumerate(atoms) if a[d] == value}, {}))
    target = {i: Fraction(1) for i, a in enumerate(atoms) if a in given}
    for p, (values, _f) in _echelon(rows).items():
        factor = target.get(p, 0)
        if factor:
            _subtract(target, values, factor)
    return not target


_PRIME = 2**127 - 1

SEARCH_STEPS = 3_000
_finished = True


class _TooLong(Exception):
    pass


def _null_space(rows: list[list[int]], width: int) -> list[dict[int, int]]:
    reduced: list[dict[int, Fraction]] = []  # each with a pivot: 1 there, 0 in the others' pivots
    pivot_of: list[int] = []
    for positions in rows:
        row: dict[int, Fraction] = {}
        for i in positions:
            row[i] = row.get(i, 0) + 1
        for r, p in zip(reduced, pivot_of, strict=True):
            factor = row.get(p, 0)
            if factor:
                for i, value in r.items():
                    row[i] = row.get(i, 0) - factor * value
        row = {i: Fraction(v) for i, v in row.items() if v}
        if not row:
            continue
        p = min(row)
        scale = row[p]
        row = {i: v / scale for i, v in row.items()}
        for r in reduced:
            factor = r.get(p, 0)
            if factor:
                for i, value in row.items():
                    r[i] = r.get(i, 0) - factor * value
                for i in [i for i, v in r.items() if not v]:
                    del r[i]
        reduced.append(row)
        pivot_of.append(p)
        if len(reduced) == width:
            return []
    basis = []
    for free in sorted(set(range(width)) - set(pivot_of)):
        vector = {free: Fraction(1)}
        for r, p in zip(reduced, pivot_of, strict=True):
            if r.get(free):
                vector[p] = -r[free]
        scale = math.lcm(*(v.denominator for v in vector.values()))
        basis.append({i: int(v * scale) for i, v in vector.items()})  # whole numbers, same space
    return basis


def _echelon(rows: list[tuple[dict, dict]]) -> dict[int, tuple[dict, dict]]:
    basis: dict[int, tuple[dict, dict]] = {}
    for values, factors in rows:
        values, factors = dict(values), dict(factors)
        for p, (b_values, b_factors) in basis.items():
            factor = values.get(p, 0)
            if factor:
                _subtract(values, b_values, factor)
                _subtract(factors, b_factors, factor)
        if not values:
            continue
        p = min(values)
        scale = Fraction(values[p])
        values = {i: v / scale for i, v in values.items()}
        factors = {i: v / scale for i, v in factors.items()}
        for b_values, b_factors in basis.values():
            factor = b_values.get(p, 0)
            if factor:
                _subtract(b_values, values, factor)
                _subtract(b_factors, factors, factor)
        basis[p] = (values, factors)
    return basis


def _subtract(target: dict, row: dict, factor) -> None:
    for i, value in row.items():
        new = target.get(i, 0) - factor * value
        if new:
            target[i] = new
        else:
            target.pop(i, None)
