"""Draw rounds anyone can check (services/housing/verify_draw.py, services/housing/lottery.py):
the algorithm on its own (a known answer, determinism, a fair shuffle, rejection sampling), the
round's steps against an in-memory unit of work (the commitment published at close, verified
after the draw; the officer never choosing the seed), and the standalone script run as an
outsider would run it: a subprocess with no site-packages."""

from __future__ import annotations

import ast
import hashlib
import hmac
import json
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from marshmallow import ValidationError

from services.common.clock import clock, utcnow
from services.common.errors import Conflict, IllegalTransition, InvalidInput
from services.housing import domain, lottery, verify_draw
from services.housing.contract import LotteryDrawInput, LotteryInput, LotteryView
from services.housing.messages import MESSAGES
from services.housing.models import Lottery
from services.housing.policy import HousingPolicy
from services.housing.vocabulary import PUBLIC_RENTAL
from tests.support.fake_housing import OFFICER, FakeHousingRepository, unit_of_work
from tests.support.fake_housing import waiting_application as waiting

POLICY = HousingPolicy()
SCRIPT = Path(verify_draw.__file__)

#: the known answer published in services/housing/README.md for other implementations
SEED = "0123456789abcdef" * 4
SIX = [
    {"application_id": f"app-{i}", "group": "priority" if i < 2 else "general"} for i in range(6)
]
PUBLIC_VALUE = "09 14 22 27 30 31 + 05"


def group(*ids: str, name: str = "general") -> list[dict]:
    return [{"application_id": i, "group": name} for i in ids]


# -- the algorithm -------------------------------------------------------------------------


def test_the_known_answer_of_the_readme():
    text = b"".join(f"{e['application_id']} {e['group']}\n".encode() for e in SIX)
    assert verify_draw.entrants_hash(SIX) == hashlib.sha256(text).hexdigest()
    assert verify_draw.commitment_of(SEED) == hashlib.sha256(SEED.encode()).hexdigest()
    assert verify_draw.draw_order(SEED, SIX, PUBLIC_VALUE) == [
        "app-0",
        "app-1",
        "app-5",
        "app-3",
        "app-2",
        "app-4",
    ]


def test_the_same_inputs_give_the_same_order_and_each_input_changes_it():
    people = group(*(f"application-{i:03d}" for i in range(30)))
    order = verify_draw.draw_order(SEED, people, PUBLIC_VALUE)
    assert verify_draw.draw_order(SEED, [dict(p) for p in people], PUBLIC_VALUE) == order
    assert sorted(order) == sorted(p["application_id"] for p in people)
    assert verify_draw.draw_order(SEED, people, PUBLIC_VALUE + "1") != order
    assert verify_draw.draw_order("f" * 64, people, PUBLIC_VALUE) != order
    one_more = people + group("application-999")
    assert verify_draw.draw_order(SEED, one_more, PUBLIC_VALUE)[:30] != order


def test_groups_are_drawn_in_the_order_of_the_frozen_list_each_shuffled_apart():
    entrants = group("p1", "p2", "p3", name="priority") + group("g1", "g2", "g3", "g4")
    order = verify_draw.draw_order(SEED, entrants, PUBLIC_VALUE)
    assert set(order[:3]) == {"p1", "p2", "p3"} and set(order[3:]) == {"g1", "g2", "g3", "g4"}


def test_every_permutation_is_equally_likely():
    """4 entrants over 24,000 public values: each of the 24 orders about 1,000 times. The
    inputs are fixed, so the counts are too; the bound is chi-square's at p = 0.001 (23 degrees
    of freedom), which a biased shuffle (say, `j = below(n)` for every i) far exceeds."""
    entrants = group("a", "b", "c", "d")
    counts = Counter(
        tuple(verify_draw.draw_order(SEED, entrants, f"value-{i}")) for i in range(24_000)
    )
    assert len(counts) == 24
    chi_square = sum((seen - 1_000) ** 2 / 1_000 for seen in counts.values())
    assert chi_square < 49.7


def test_numbers_from_the_top_of_the_range_are_rejected_not_folded():
    # 2^64 mod 3 = 1: the top number would make remainder 0 more likely, so it is drawn again
    numbers = iter([2**64 - 1, 2**64 - 2])
    assert verify_draw.below(3, numbers.__next__) == (2**64 - 2) % 3
    assert next(numbers, None) is None
    # for n just over 2^63, nearly half the numbers are rejected
    n = 2**63 + 1
    numbers = iter([2**63 + 1, 2**64 - 1, 12])
    assert verify_draw.below(n, numbers.__next__) == 12
    assert verify_draw.below(1, iter([5]).__next__) == 0


def test_the_stream_is_hmac_sha256_in_counter_mode():
    key = verify_draw.draw_key(SEED, verify_draw.entrants_hash(SIX), PUBLIC_VALUE)
    message = f"{verify_draw.ALGORITHM}\n{verify_draw.entrants_hash(SIX)}\n{PUBLIC_VALUE}"
    assert key == hmac.new(SEED.encode(), message.encode(), "sha256").digest()
    stream = verify_draw.number_stream(key)
    first = hmac.new(key, (0).to_bytes(8, "big"), "sha256").digest()
    second = hmac.new(key, (1).to_bytes(8, "big"), "sha256").digest()
    assert [stream(), stream()] == [int.from_bytes(b[:8], "big") for b in (first, second)]


def test_an_entrant_with_a_space_cannot_be_listed():
    with pytest.raises(ValueError):
        verify_draw.entrants_hash(group("app 1"))


def test_the_script_imports_the_standard_library_only():
    tree = ast.parse(SCRIPT.read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
        )
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names)


# -- a round's steps ------------------------------------------------------------------------


def opened(repo, due_in=timedelta(hours=2)) -> Lottery:
    fields = {
        "kind": PUBLIC_RENTAL,
        "public_value_source": "福彩双色球第2026081期开奖号码",
        "public_value_at": utcnow() + due_in,
    }
    return lottery.open_round(unit_of_work(repo), OFFICER, fields, POLICY)


def entrants(repo, count: int = 5) -> None:
    for i in range(count):
        group_name = "priority" if i % 3 == 0 else "general"
        repo.add(waiting(f"app-{i}", f"p-{i}", PUBLIC_RENTAL, preference_group=group_name))


def test_the_commitment_is_published_at_close_and_verified_after_the_draw():
    repo = FakeHousingRepository()
    entrants(repo)
    draw = opened(repo)
    assert lottery.view(draw)["entrants"] is None and lottery.view(draw)["commitment"] is None
    uow = unit_of_work(repo)
    lottery.close_round(uow, OFFICER, draw.id, POLICY)
    closed = lottery.view(draw)
    assert closed["state"] == "closed" and closed["seed"] is None and closed["order"] is None
    assert [e["group"] for e in closed["entrants"]] == ["priority", "priority"] + ["general"] * 3
    assert closed["entrants_hash"] == verify_draw.entrants_hash(closed["entrants"])
    published = uow.recorded[0].data
    assert published["commitment"] == closed["commitment"] and published["seed"] is None
    assert "seed" not in uow.audited[0][3]

    repo.add(waiting("app-late", "p-late", PUBLIC_RENTAL))  # approved after the close
    clock.advance(timedelta(hours=2))
    lottery.draw_round(unit_of_work(repo), OFFICER, draw.id, {"public_value": " 09  14 22 "})
    drawn = lottery.view(draw)
    assert hashlib.sha256(drawn["seed"].encode()).hexdigest() == closed["commitment"]
    assert drawn["entrants_hash"] == closed["entrants_hash"]
    assert drawn["public_value"] == "09 14 22"
    assert drawn["checks"] == {"commitment": True, "entrants_hash": True, "order": True}
    assert drawn["reproduced"] is True
    assert "app-late" not in drawn["order"] and len(drawn["order"]) == 5
    assert repo.get(type(draw), draw.id).state == "drawn"


def test_the_public_page_as_json_is_enough_to_re_run_the_draw():
    repo = FakeHousingRepository()
    entrants(repo, 8)
    draw = opened(repo)
    lottery.close_round(unit_of_work(repo), OFFICER, draw.id, POLICY)
    clock.advance(timedelta(hours=3))
    lottery.draw_round(unit_of_work(repo), OFFICER, draw.id, {"public_value": "42"})
    page = json.loads(json.dumps(LotteryView().dump(lottery.view(draw))))
    assert verify_draw.checks(page) == [
        ("commitment", True),
        ("entrants_hash", True),
        ("order", True),
    ]
    page["order"][0], page["order"][1] = page["order"][1], page["order"][0]
    assert dict(verify_draw.checks(page))["order"] is False


def test_a_round_closes_before_its_public_value_and_is_drawn_after_it():
    repo = FakeHousingRepository()
    entrants(repo)
    with pytest.raises(InvalidInput) as passed:
        opened(repo, due_in=timedelta(seconds=-1))
    assert passed.value.errors[0]["field"] == "public_value_at"
    assert passed.value.errors[0]["code"] == "public_value_passed"
    draw = opened(repo)
    with pytest.raises(Conflict) as pending:
        opened(repo)
    assert pending.value.code == "round_pending"
    with pytest.raises(IllegalTransition):
        lottery.draw_round(unit_of_work(repo), OFFICER, draw.id, {"public_value": "1"})
    clock.advance(timedelta(hours=2))
    with pytest.raises(Conflict) as too_late:
        lottery.close_round(unit_of_work(repo), OFFICER, draw.id, POLICY)
    assert too_late.value.code == "round_close_too_late"
    lottery.cancel_round(unit_of_work(repo), OFFICER, draw.id)
    assert draw.state == "cancelled" and draw.seed is None

    again = opened(repo)
    lottery.close_round(unit_of_work(repo), OFFICER, again.id, POLICY)
    with pytest.raises(IllegalTransition):
        lottery.cancel_round(unit_of_work(repo), OFFICER, again.id)
    with pytest.raises(Conflict) as early:
        lottery.draw_round(unit_of_work(repo), OFFICER, again.id, {"public_value": "1"})
    assert early.value.code == "public_value_not_yet"


@pytest.mark.parametrize("schema", [LotteryInput, LotteryDrawInput])
def test_an_officer_chosen_seed_is_refused_with_its_reason(schema):
    body = {
        "kind": PUBLIC_RENTAL,
        "public_value_source": "福彩3D第2026180期",
        "public_value_at": (utcnow() + timedelta(days=1)).isoformat(),
        "public_value": "123",
        "seed": "公证 2026-001",
    }
    with pytest.raises(ValidationError) as refused:
        schema().load({k: v for k, v in body.items() if k in schema().fields})
    problem = InvalidInput.from_validation_error(refused.value, MESSAGES)
    [error] = problem.errors
    assert (error["field"], error["code"]) == ("seed", "seed_not_accepted")
    assert "SHA-256" in error["messages"]["en"] and "种子" in error["messages"]["zh-CN"]


def test_a_draw_from_before_rounds_is_still_re_run_by_its_first_algorithm():
    people = [domain.Entrant(f"app-{i}", "general") for i in range(4)]
    order = domain.draw("notarised-2026-07", people, ("priority", "general"))
    old = Lottery(
        id="old-1",
        kind=PUBLIC_RENTAL,
        state="drawn",
        algorithm=domain.LOTTERY_ALGORITHM,
        seed="notarised-2026-07",
        groups=json.dumps(["priority", "general"]),
        entrants=json.dumps(
            [{"application_id": e.application_id, "group": "general"} for e in people]
        ),
        result=json.dumps(order),
        created_at=utcnow(),
        drawn_at=utcnow(),
    )
    view = lottery.view(old)
    assert view["checks"] == {"commitment": None, "entrants_hash": None, "order": True}
    assert view["reproduced"] is True and view["seed"] == "notarised-2026-07"


# -- the script, as an outsider runs it ------------------------------------------------------


def run_script(tmp_path, page: dict) -> subprocess.CompletedProcess:
    saved = tmp_path / "draw.json"
    saved.write_text(json.dumps(page), encoding="utf-8")
    # -I -S: no site-packages, no user paths, no PYTHON* variables: the standard library alone
    return subprocess.run(
        [sys.executable, "-I", "-S", str(SCRIPT), str(saved)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def published(entrant_list=SIX, seed=SEED, public_value=PUBLIC_VALUE) -> dict:
    return {
        "id": "round-1",
        "algorithm": verify_draw.ALGORITHM,
        "public_value_source": "福彩双色球第2026081期",
        "public_value": public_value,
        "seed": seed,
        "commitment": verify_draw.commitment_of(seed),
        "entrants_hash": verify_draw.entrants_hash(entrant_list),
        "entrants": entrant_list,
        "order": verify_draw.draw_order(seed, entrant_list, public_value),
    }


def test_the_script_re_runs_a_draw_and_catches_a_changed_input(tmp_path):
    ok = run_script(tmp_path, published())
    assert ok.returncode == 0, ok.stderr
    assert "order          ok" in ok.stdout
    printed = [line.split()[1] for line in ok.stdout.splitlines() if line[:5].strip().isdigit()]
    assert printed == ["app-0", "app-1", "app-5", "app-3", "app-2", "app-4"]

    swapped_seed = {**published(), "seed": "f" * 64}
    wrong = run_script(tmp_path, swapped_seed)
    assert wrong.returncode == 1 and "commitment     MISMATCH" in wrong.stdout

    dropped = {**published(), "entrants": SIX[:-1]}
    assert "entrants_hash  MISMATCH" in run_script(tmp_path, dropped).stdout

    not_drawn = {**published(), "seed": None}
    refused = run_script(tmp_path, not_drawn)
    assert refused.returncode == 2 and "not drawn yet" in refused.stderr
