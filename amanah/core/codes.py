"""Random codes people read aloud and type back: complaint tracking codes, whistleblowing case numbers.

Crockford's base 32 (no I, L, O or U) from the operating system's CSPRNG, a position-weighted check
symbol that catches any single mistyped symbol and most swaps of neighbours, grouped by four. A code
says nothing about when it was made or how many came before it."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

#: Crockford's base 32: no I, L, O or U, so codes read aloud and typed back without confusion.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = {"O": "0", "I": "1", "L": "1", "U": "V"}


def check_symbol(body: str) -> str:
    # Odd weights are invertible modulo 32, so changing any one symbol always changes the sum.
    total = sum((2 * i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body))
    return ALPHABET[total % 32]


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_code(symbols: int, randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """``symbols`` random base-32 symbols and a check symbol, grouped by four (``7KQ2-M9XD``)."""
    body = "".join(ALPHABET[randbelow(32)] for _ in range(symbols))
    return _grouped(body + check_symbol(body))


def normalize_code(value: str, symbols: int) -> str | None:
    """The canonical form of a typed code of ``symbols`` random symbols (case, spaces, dashes and
    look-alike letters forgiven), or None when it cannot be one (wrong length, bad symbol or failed
    check)."""
    raw = re.sub(r"[\s\-]", "", str(value or "")).upper()
    raw = "".join(_READ_AS.get(ch, ch) for ch in raw)
    if len(raw) != symbols + 1 or any(ch not in ALPHABET for ch in raw):
        return None
    if check_symbol(raw[:-1]) != raw[-1]:
        return None
    return _grouped(raw)
