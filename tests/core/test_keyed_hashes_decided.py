"""Every keyed hash (``crypto.keyed_hash`` under ``AMANAH_HASH_KEY``) has a decided fate when the hash key
changes: ``amanah keys rehash`` computes it again, or it is listed here (and in docs/deploy.md, "Changing
the hash key") with the reason it is not. A new keyed hash fails this test until it is decided."""

import ast
from pathlib import Path

import amanah

#: Purpose (its literal start) -> how a change of the hash key treats it.
REHASHED = {
    "integrity:exclusion": "keys rehash (integrity.services.rehash)",
    "integrity:summons:": "keys rehash, from the encrypted name",
    "integrity:evidence": "keys rehash, from the decrypted file",
    "complaint-contact:": "keys rehash (complaints.services.backfill_contact_keys)",
}
NOT_REHASHED = {
    "integrity:receipt": "only the reporter knows the receipt; hashed again at its next use",
    "skm-device": "the device identifier is not stored; a mark holds for one day",
    "ratelimit:": "cache entries of minutes; counting starts afresh",
    "amanah:hash-key-id": "the name of a key itself",
}


def _purposes() -> dict[str, list[str]]:
    """Each literal start of the ``purpose`` argument of every call of ``keyed_hash``/``keyed_hashes``
    in Amanah's code, with where it is."""
    root = Path(amanah.__file__).parent
    found: dict[str, list[str]] = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        # Names given one string in the file (``purpose = "integrity:exclusion"``) stand for it.
        strings: dict[str, set] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        strings.setdefault(target.id, set()).add(node.value.value)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name not in ("keyed_hash", "keyed_hashes") or len(node.args) < 2:
                continue
            purpose = node.args[1]
            if isinstance(purpose, ast.BinOp):  # "ratelimit:" + scope
                purpose = purpose.left
            if isinstance(purpose, ast.JoinedStr):  # f"integrity:summons:{pk}"
                purpose = purpose.values[0]
            if isinstance(purpose, ast.Name) and len(strings.get(purpose.id, ())) == 1:
                purpose = ast.Constant(next(iter(strings[purpose.id])))
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            if isinstance(purpose, ast.Constant) and isinstance(purpose.value, str):
                found.setdefault(purpose.value, []).append(where)
            elif name == "keyed_hash" and path.name == "crypto.py":
                continue  # keyed_hashes passing its own argument on
            else:
                found.setdefault(f"<not a literal at {where}>", []).append(where)
    return found


def test_every_keyed_hash_is_rehashed_or_listed_with_its_reason():
    found = _purposes()
    assert set(REHASHED).isdisjoint(NOT_REHASHED)
    undecided = {p: w for p, w in found.items() if p not in REHASHED and p not in NOT_REHASHED}
    assert not undecided, (
        f"keyed hashes without a decision for a change of the hash key: {undecided}; compute them "
        "again in `amanah keys rehash`, or list them in NOT_REHASHED and docs/deploy.md with the reason"
    )
    gone = (set(REHASHED) | set(NOT_REHASHED)) - set(found)
    assert not gone, f"listed here but no longer in the code: {gone}"


def test_the_deploy_guide_names_what_is_not_rehashed():
    text = (Path(amanah.__file__).parent.parent / "docs" / "deploy.md").read_text()
    section = text.split("## Changing the hash key", 1)[1].split("\n## ", 1)[0]
    for needle in ("receipt", "device mark", "Rate-limit", "evidence", "API token", "Open311"):
        assert needle.lower() in section.lower(), needle
