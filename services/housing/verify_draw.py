#!/usr/bin/env python3
"""Re-run a housing draw (摇号) from its public page, with nothing but Python's standard library.

    python3 verify_draw.py https://<platform>/api/v1/housing/lotteries/<id>
    python3 verify_draw.py draw.json          # a saved copy of that page's JSON

It checks that the revealed seed is the one committed to before the draw, that the entrant list
is the one whose hash was published when applications closed, and that the draw re-run from the
published inputs gives the published order; it prints the order. Exit status 0 when every check
passes, 1 when one fails, 2 when the page cannot be read.

This file is also the platform's own implementation of the draw (services/housing/lottery.py
imports it), so what the platform runs and what anyone can re-run are the same lines. It
imports nothing outside the standard library, so it can be downloaded alone
(`GET /api/v1/housing/verify_draw.py`) and read in a few minutes.

The scheme, algorithm `hmac-sha256-fisher-yates-v2` (services/housing/README.md, "The draw"):

1. When applications close, the entrants are frozen as a list of `<application id> <group>`
   lines, groups in the policy's order, ids ascending within a group. `entrants_hash` is the
   SHA-256 of that text (UTF-8, every line ending in `\\n`). The platform generates a secret
   `seed` (64 hex characters) and publishes `commitment` = SHA-256 of the seed's text.
2. The round named, when it was created, a public value that nobody knew then (say, the
   winning numbers of a named state lottery draw) and when it is published (`public_value_at`).
   After that instant the officer enters it; the platform reveals the seed.
3. key = HMAC-SHA256(key = the seed's text, message = "<algorithm>\\n<entrants_hash>\\n<public
   value>"). The stream is HMAC-SHA256(key, counter) for counter = 0, 1, 2, ... as 8 bytes
   big-endian; each block gives one number, its first 8 bytes big-endian.
4. A number below n: take the next number x of the stream; if x >= 2^64 - (2^64 mod n), reject
   it and take the next (so every remainder is equally likely); the answer is x mod n.
5. Each group in turn, in the order its first entrant appears in the list, is shuffled by
   Fisher-Yates: for i from m-1 down to 1, j = a number below i+1, swap items i and j. The
   order is the groups' shuffled lists one after another.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import urllib.request
from collections.abc import Callable, Iterable, Sequence

ALGORITHM = "hmac-sha256-fisher-yates-v2"
_TWO_64 = 1 << 64


def entrant_list_text(entrants: Iterable[dict]) -> bytes:
    """The frozen entrant list as hashed: one `<application id> <group>` line per entrant."""
    lines = []
    for entrant in entrants:
        application_id, group = entrant["application_id"], entrant["group"]
        if not application_id or not group or any(c.isspace() for c in application_id + group):
            raise ValueError(f"an entrant's id and group have no spaces: {entrant!r}")
        lines.append(f"{application_id} {group}\n")
    return "".join(lines).encode("utf-8")


def entrants_hash(entrants: Iterable[dict]) -> str:
    """SHA-256 (hex) of the frozen entrant list's text."""
    return hashlib.sha256(entrant_list_text(entrants)).hexdigest()


def commitment_of(seed: str) -> str:
    """The commitment published at close: SHA-256 (hex) of the seed's text."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def draw_key(seed: str, entrant_list_hash: str, public_value: str) -> bytes:
    """The key of the draw's stream: HMAC-SHA256 keyed by the seed over the algorithm, the
    entrant list's hash and the public value, so that each of them changes every number."""
    message = f"{ALGORITHM}\n{entrant_list_hash}\n{public_value}".encode()
    return hmac.new(seed.encode("utf-8"), message, hashlib.sha256).digest()


def number_stream(key: bytes) -> Callable[[], int]:
    """The stream of 64-bit numbers: HMAC-SHA256(key, counter) in counter mode."""
    counter = 0

    def next_number() -> int:
        nonlocal counter
        block = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
        return int.from_bytes(block[:8], "big")

    return next_number


def below(n: int, next_number: Callable[[], int]) -> int:
    """A number in [0, n), each equally likely: numbers from the top of the range that would
    favour small remainders (2^64 is not a multiple of n) are rejected and drawn again."""
    if n < 1:
        raise ValueError("n must be at least 1")
    limit = _TWO_64 - _TWO_64 % n
    while True:
        x = next_number()
        if x < limit:
            return x % n


def shuffle(items: Sequence[str], next_number: Callable[[], int]) -> list[str]:
    """Fisher-Yates (Durstenfeld): every permutation equally likely given fair numbers."""
    shuffled = list(items)
    for i in range(len(shuffled) - 1, 0, -1):
        j = below(i + 1, next_number)
        shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
    return shuffled


def draw_order(seed: str, entrants: Sequence[dict], public_value: str) -> list[str]:
    """The order of the application ids: each group in turn (in the list's order), shuffled."""
    next_number = number_stream(draw_key(seed, entrants_hash(entrants), public_value))
    groups: dict[str, list[str]] = {}
    for entrant in entrants:
        groups.setdefault(entrant["group"], []).append(entrant["application_id"])
    order: list[str] = []
    for members in groups.values():
        order.extend(shuffle(members, next_number))
    return order


def checks(page: dict) -> list[tuple[str, bool]]:
    """Each check of a drawn round's page: the commitment, the entrant list, the order."""
    if page.get("algorithm") != ALGORITHM:
        raise ValueError(f"this script re-runs {ALGORITHM} draws, not {page.get('algorithm')!r}")
    if page.get("seed") is None or page.get("order") is None:
        raise ValueError("the round is not drawn yet: its seed is still secret")
    entrants = page["entrants"]
    return [
        ("commitment", commitment_of(page["seed"]) == page["commitment"]),
        ("entrants_hash", entrants_hash(entrants) == page["entrants_hash"]),
        ("order", draw_order(page["seed"], entrants, page["public_value"]) == page["order"]),
    ]


def load(source: str) -> dict:
    """The round's public JSON from a URL, a file, or `-` (standard input)."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (the user's URL)
            return json.load(answer)
    if source == "-":
        return json.load(sys.stdin)
    with open(source, encoding="utf-8") as file:
        return json.load(file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-run a Youth City housing draw.")
    parser.add_argument("source", help="the round's public URL, a saved copy of its JSON, or -")
    args = parser.parse_args(argv)
    try:
        page = load(args.source)
        results = checks(page)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"cannot check this draw: {exc}", file=sys.stderr)
        return 2
    print(f"round {page.get('id')}  algorithm {ALGORITHM}")
    print(f"public value ({page.get('public_value_source')}): {page['public_value']}")
    for name, ok in results:
        print(f"{name:14} {'ok' if ok else 'MISMATCH'}")
    print("order:")
    for position, application_id in enumerate(
        draw_order(page["seed"], page["entrants"], page["public_value"]), start=1
    ):
        print(f"{position:5} {application_id}")
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
