"""The lottery (摇号): the order of a kind's approved applications, drawn from a seed anyone can
check. Preference groups in the policy's order; within a group, ascending
`sha256("<seed>:<application id>")` (`domain.draw`). The seed, the groups and the entrants are
kept, so the draw can be run again and compared with its recorded order.
"""

from __future__ import annotations

import json
import secrets

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Conflict
from services.common.models import new_id

from . import domain
from .models import Lottery
from .policy import HousingPolicy
from .vocabulary import LOTTERY


def run(uow, actor: Actor, fields: dict, policy: HousingPolicy) -> Lottery:
    """An officer draws the order of every approved application of a kind not yet drawn, with
    a public seed or a random one. 409 `lottery_not_used` for a first-come kind, `no_entrants`
    when nobody waits to be drawn."""
    domain.require_staff(actor)
    kind = fields["kind"]
    if policy.allocation_for(kind) != LOTTERY:
        raise Conflict("lottery_not_used")
    seed = fields.get("seed") or secrets.token_hex(16)
    groups = list(policy.preference_groups)
    now = utcnow()
    rows = uow.repo.undrawn(kind)
    if not rows:
        raise Conflict("no_entrants")
    entrants = [domain.Entrant(row.id, row.preference_group) for row in rows]
    order = domain.draw(seed, entrants, groups)
    draw = Lottery(
        id=new_id(),
        kind=kind,
        seed=seed,
        algorithm=domain.LOTTERY_ALGORITHM,
        groups=json.dumps(groups),
        entrants=json.dumps(
            [{"application_id": e.application_id, "group": e.group} for e in entrants]
        ),
        result=json.dumps(order),
        drawn_at=now,
        drawn_by=actor.account_id,
    )
    uow.repo.add(draw)
    uow.repo.flush()
    by_id = {row.id: row for row in rows}
    for position, application_id in enumerate(order, start=1):
        drawn = by_id[application_id]
        drawn.lottery_id, drawn.lottery_position = draw.id, position
        drawn.drawn_at = drawn.updated_at = now
    _report(uow, draw, len(entrants))
    uow.commit()
    return draw


def _report(uow, draw: Lottery, entrants: int) -> None:
    """A draw in the audit trail and in the `lottery.drawn` event, with its seed."""
    uow.audit(
        "lottery.drawn",
        ("lottery", draw.id),
        None,
        {"kind": draw.kind, "seed": draw.seed, "entrants": entrants},
    )
    uow.record(
        "lottery.drawn",
        subject=draw.id,
        data={
            "lottery_id": draw.id,
            "seed": draw.seed,
            "algorithm": draw.algorithm,
            "entrants": entrants,
            "drawn_at": draw.drawn_at,
            **domain.kind_labels(draw.kind),
        },
    )


def view(draw: Lottery) -> dict:
    """A draw as anyone may check it: its seed, groups, entrants and order, and whether running
    it again from them gives the same order (`reproduced`)."""
    entrants = json.loads(draw.entrants)
    groups = json.loads(draw.groups)
    order = json.loads(draw.result)
    rerun = domain.draw(
        draw.seed, [domain.Entrant(e["application_id"], e["group"]) for e in entrants], groups
    )
    return {
        "id": draw.id,
        "kind": draw.kind,
        "seed": draw.seed,
        "algorithm": draw.algorithm,
        "groups": groups,
        "entrants": entrants,
        "order": order,
        "drawn_at": draw.drawn_at,
        "reproduced": rerun == order,
    }
