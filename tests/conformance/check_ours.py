#!/usr/bin/env python3
"""Check that the official SDKs accept what hookwarden's own signer produces.

Reads tests/conformance/ours/*.json (same format as vectors/*.json, without the "sdk" fields),
and for every vector whose "expected" is "accept", asks each official SDK for its preset to
verify it. Any SDK rejecting such a vector is a disagreement: exit status 1.

Not counted as disagreements (reported as skipped):
  * "n/a": the SDK's API cannot take the request (e.g. a repeated header for a dict-only SDK);
  * a known SDK limitation (oracles.known_limitation): a non-UTF-8 body; an empty body for
    SDKs that refuse one before looking at the signature (octokit, shopify-api); a non-JSON
    body for npm svix 1.x, which JSON-parses the body after the MAC has matched.

If tests/conformance/ours/ does not exist, says so and exits 0.

Needs the same SDKs as generate.py (see its docstring for the install commands):
    python3 tests/conformance/check_ours.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oracles  # noqa: E402  (sibling module)

OURS_DIR = Path(__file__).resolve().parent / "ours"
REQUIRED_KEYS = ("name", "secret", "now", "headers", "body_base64", "expected")


def load(path: Path) -> tuple[str, list[dict]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    preset = doc.get("preset")
    if preset not in oracles.PRESETS:
        raise LookupError(f"{path.name}: {preset} is checked by generate_more.py --check-ours")
    for i, v in enumerate(doc.get("vectors", [])):
        missing = [k for k in REQUIRED_KEYS if k not in v]
        if missing:
            raise ValueError(f"{path.name}: vector #{i} lacks {', '.join(missing)}")
    return preset, doc.get("vectors", [])


def check_file(path: Path) -> tuple[int, int, int]:
    """Return (passed, failed, skipped) SDK checks for one file, printing failures and skips."""
    preset, vectors = load(path)
    accepted = [{"preset": preset, **v} for v in vectors if v["expected"] == "accept"]
    passed = failed = skipped = 0
    for request, row in zip(accepted, oracles.verdicts(accepted)):
        for sdk, (verdict, detail) in row.items():
            where = f"{path.name}: {request['name']}: {sdk}"
            limitation = oracles.known_limitation(sdk, request)
            if verdict == "accept":
                passed += 1
            elif verdict == "n/a" or limitation:
                skipped += 1
                print(f"  skip  {where}: {verdict} ({limitation or detail})")
            else:
                failed += 1
                print(f"  FAIL  {where}: SDK rejects a vector hookwarden signed as valid ({detail})")
    return passed, failed, skipped


def main(argv: list[str] | None = None) -> int:
    if not OURS_DIR.is_dir():
        print(f"check_ours: {OURS_DIR} does not exist yet (no vectors from hookwarden's signer); nothing to check")
        return 0
    files = sorted(OURS_DIR.glob("*.json"))
    if not files:
        print(f"check_ours: no *.json in {OURS_DIR}; nothing to check")
        return 0

    totals = [0, 0, 0]
    for path in files:
        try:
            counts = check_file(path)
        except LookupError as exc:
            print(f"  skip  {exc}")
            continue
        except (ValueError, json.JSONDecodeError) as exc:
            print(f"  FAIL  {path.name}: unreadable: {exc}")
            counts = (0, 1, 0)
        print(f"{path.name}: {counts[0]} passed, {counts[1]} failed, {counts[2]} skipped")
        totals = [t + c for t, c in zip(totals, counts)]

    passed, failed, skipped = totals
    print(f"check_ours: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
