"""The readiness rule of migrations (services/common/schema_range.py): one release back stays
ready through expand and contract migrations, and every revision says which it is."""

import pytest

from services.common.migrations import _script, revision_graph
from services.common.registry import PROCESSES
from services.common.schema_range import (
    BREAKING,
    CONTRACT,
    EXPAND,
    KINDS,
    Revision,
    compatible_code,
    verdict,
)

#: release 1 ends at r1; release 2 adds a column (expand) and switches to it; release 3 drops
#: the old column (contract); release 4 renames a table (breaking)
HISTORY = {
    "r0": Revision((), BREAKING),
    "r1": Revision(("r0",), EXPAND),
    "r2": Revision(("r1",), EXPAND),
    "r3": Revision(("r2",), CONTRACT),
    "r4": Revision(("r3",), BREAKING),
}
KNOWN_BY_RELEASE_1 = ("r0", "r1")


def ready(code_heads, known, schema_heads, graph=HISTORY):
    stored = compatible_code(graph, schema_heads)
    return verdict(frozenset(code_heads), known, set(schema_heads), set(stored)).supported


def test_after_an_expand_migration_the_release_before_stays_ready():
    assert compatible_code(HISTORY, {"r2"}) == {"r2", "r1", "r0"}
    assert ready({"r1"}, KNOWN_BY_RELEASE_1, {"r2"})


def test_a_contract_migration_keeps_the_release_just_before_it_only():
    assert compatible_code(HISTORY, {"r3"}) == {"r3", "r2"}
    assert ready({"r2"}, ("r0", "r1", "r2"), {"r3"})
    assert not ready({"r1"}, KNOWN_BY_RELEASE_1, {"r3"})


def test_a_breaking_migration_leaves_only_its_own_code_ready():
    assert compatible_code(HISTORY, {"r4"}) == {"r4"}
    assert not ready({"r3"}, ("r0", "r1", "r2", "r3"), {"r4"})


def test_code_ahead_of_its_schema_is_not_ready():
    answer = verdict(frozenset({"r2"}), HISTORY, {"r1"}, {"r1", "r0"})
    assert not answer.supported
    assert answer.detail == "schema at r1, code expects r2"


def test_an_unmigrated_database_and_one_migrated_by_an_older_tool_are_not_ready():
    assert verdict(frozenset({"r1"}), HISTORY, set(), None).detail.startswith("schema at nothing")
    assert not verdict(frozenset({"r1"}), KNOWN_BY_RELEASE_1, {"r2"}, None).supported


def test_a_merge_needs_every_branch_to_accept_the_code():
    graph = {
        "a": Revision((), BREAKING),
        "b": Revision(("a",), EXPAND),
        "c": Revision(("a",), BREAKING),
        "m": Revision(("b", "c"), EXPAND),
    }
    assert compatible_code(graph, {"m"}) == {"m", "b", "c", "a"}
    # a schema at both b and c: no code but one knowing c runs against c, and none is both
    assert compatible_code(graph, {"b", "c"}) == frozenset()


@pytest.mark.parametrize("process", list(PROCESSES))
def test_every_revision_declares_what_it_does_to_older_code(process):
    script = _script(PROCESSES[process].package)
    for rev in script.walk_revisions():
        assert getattr(rev.module, "compatibility", None) in KINDS, rev.path
    graph = revision_graph(script)
    heads = set(script.get_heads())
    assert heads <= compatible_code(graph, heads)
