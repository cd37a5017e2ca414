"""Which schemas a release's code can run against: the rule that keeps one release back ready.

Every migration declares what it does to the code that ran before it (`compatibility` at the
top of the revision file), and migrations are written **expand, then contract**:

* `expand`: only adds (a table, a nullable column or one with a server default, an index, a
  looser constraint). Code that ran against the schema before it runs against it unchanged, and
  so does any code that schema accepted: the set of compatible code carries over.
* `contract`: removes or tightens what the previous release had already stopped using (the
  column it no longer reads, the table it no longer writes). Code at the revision just before
  it still runs; code older than that may not.
* `breaking`: anything else (a rename, a new NOT NULL column without a default, a new unique
  constraint old code would violate). Only code that knows the revision runs against it.

When a database is migrated, the set of code revisions that can run against its new heads is
written beside the schema (`schema_compatibility`, written in the migration's own transaction),
because the code of the release before does not have the new revision files and so cannot work
it out. A process is ready when the schema is at its own heads, or ahead of them with its heads
in that set: during a rollout the first new pod migrates and the old pods stay ready, and after
`kubectl rollout undo` the old pods become ready against the newer schema.

No import of Alembic here: the rule is plain data in, a verdict out
(`tests/unit/test_schema_range.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

EXPAND = "expand"
CONTRACT = "contract"
BREAKING = "breaking"
KINDS = (EXPAND, CONTRACT, BREAKING)


@dataclass(frozen=True)
class Revision:
    """One migration as the rule sees it: its parents and what it does to older code."""

    parents: tuple[str, ...]
    compatibility: str


def compatible_code(graph: Mapping[str, Revision], heads: Iterable[str]) -> frozenset[str]:
    """The code revisions that can run against a schema at `heads` (each head's own set,
    intersected: code must run against every branch of the schema)."""
    sets = [_compatible_with(graph, head, {}) for head in heads]
    return frozenset.intersection(*sets) if sets else frozenset()


def _compatible_with(graph, revision: str, memo: dict) -> frozenset[str]:
    if revision in memo:
        return memo[revision]
    node = graph[revision]
    found = {revision}
    if node.compatibility == EXPAND:
        for parent in node.parents:
            found |= _compatible_with(graph, parent, memo)
    elif node.compatibility == CONTRACT:
        found |= set(node.parents)
    memo[revision] = frozenset(found)
    return memo[revision]


@dataclass(frozen=True)
class Verdict:
    """Whether this code can serve on the schema it found, and why (shown on `/readyz`)."""

    supported: bool
    detail: str


def verdict(
    code_heads: frozenset[str],
    known: Iterable[str],
    schema_heads: set[str],
    compatible: set[str] | None,
) -> Verdict:
    """The readiness rule. `known` are the revisions this code has files for; `compatible` what
    the database says can run against its schema (None: it says nothing, an older tool
    migrated it)."""
    at = ",".join(sorted(schema_heads)) or "nothing"
    expects = ",".join(sorted(code_heads))
    if schema_heads == code_heads:
        return Verdict(True, f"schema at {at}")
    if not schema_heads - set(known):
        return Verdict(False, f"schema at {at}, code expects {expects}")
    if compatible is not None and code_heads <= compatible:
        return Verdict(True, f"schema at {at}, ahead of this code ({expects}) and compatible")
    return Verdict(
        False,
        f"schema at {at}, ahead of this code ({expects}) and not compatible with it: "
        "roll the code forward, or downgrade the schema (`youthcity downgrade`)",
    )
