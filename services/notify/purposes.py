"""The purposes partners may be granted (数据提供目的): each a named set of event types with the
legal basis for giving them to a third party (PIPL arts. 6, 13, 23), read from
`purposes.json`, which the district's legal office maintains as the service's teams maintain
the template files.

A partner receives an event only if an administrator granted it a purpose that lists the
event's type, and a subscription's topic pattern is accepted only if every catalogued type it
matches is granted (`outside_grant`): `#` is refused to anyone not granted everything. Types
are listed without the configurable first word (`startup.loan.applied`), and a consistency
test checks each against the event catalogue.

Rules only: no nameko, no SQLAlchemy.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .catalogue import catalogues
from .domain import topic_matches

VOCABULARY = Path(__file__).with_name("purposes.json")


@dataclass(frozen=True)
class Purpose:
    """One purpose: its name, title and typical recipients in both languages, the legal basis
    for giving its events to a partner, and the event types (without the first word)."""

    name: str
    title: dict[str, str]
    recipients: dict[str, str]
    legal_basis: dict[str, str]
    event_types: tuple[str, ...]


@functools.cache
def purposes() -> dict[str, Purpose]:
    """name → purpose, from the vocabulary file."""
    entries = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    return {
        name: Purpose(
            name=name,
            title=entry["title"],
            recipients=entry["recipients"],
            legal_basis=entry["legal_basis"],
            event_types=tuple(entry["event_types"]),
        )
        for name, entry in entries.items()
    }


def short_type(event_type: str) -> str:
    """`youthcity.startup.loan.applied` → `startup.loan.applied` (the prefix is configurable)."""
    return event_type.split(".", 1)[1] if "." in event_type else event_type


def granted_types(names: Iterable[str]) -> frozenset[str]:
    """The event types (without the first word) the purposes `names` cover together."""
    known = purposes()
    return frozenset(t for name in names if name in known for t in known[name].event_types)


def purpose_for(event_type: str, names: Iterable[str]) -> str | None:
    """The first (by name) of the purposes `names` that covers the event's type, or None: the
    partner may not receive it."""
    wanted = short_type(event_type)
    known = purposes()
    for name in sorted(names):
        if name in known and wanted in known[name].event_types:
            return name
    return None


@functools.cache
def catalogued_types() -> tuple[str, ...]:
    """Every event type of every process's catalogue, without the first word."""
    return tuple(
        f"{source}.{event_type}"
        for source, catalogue in catalogues().items()
        for event_type in catalogue.specs
    )


def outside_grant(patterns: Iterable[str], granted: frozenset[str], prefix: str) -> list[str]:
    """The patterns that reach beyond the grant: those matching a catalogued type not granted,
    and those matching no granted type at all (they would deliver nothing, or only types
    catalogued later, which no one granted)."""
    outside = []
    for pattern in patterns:
        matched = {t for t in catalogued_types() if topic_matches(pattern, f"{prefix}.{t}")}
        if not matched or not matched <= granted:
            outside.append(pattern)
    return outside
