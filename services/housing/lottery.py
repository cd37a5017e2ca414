"""Draw rounds (摇号) anyone can check: committed before they happen.

A round goes `open → closed → drawn` (or `open → cancelled`, before anything is fixed):

* **open**: an officer opens a round of a lottery kind, naming a public value nobody knows yet
  (say, a state lottery's numbers of a given date) and when it is published
  (`public_value_at`). Approved applications of the kind join the round until it closes.
* **closed** (before `public_value_at`): the approved applications not yet in a round are
  frozen as the entrant list, identified only by their application ids; its SHA-256 and the
  SHA-256 of a seed the platform generates now (the commitment) are published. The seed stays
  secret; no officer ever chooses it.
* **drawn** (after `public_value_at`): the officer enters the public value as published; the
  order comes from the seed, the entrant list's hash and that value (`verify_draw.draw_order`),
  and the seed is revealed, so anyone can check the commitment and re-run the draw with
  `verify_draw.py`.

Neither side decides the result alone: the seed was fixed before the public value existed, and
the public value comes from outside after the entrants and the seed were fixed. The rules of
the algorithm are in `verify_draw.py`, which is both what the platform runs and the script
anyone downloads. Draws made before rounds existed (`sha256-groups-v1`, `domain.draw`) are still
shown and re-run.
"""

from __future__ import annotations

import json
import secrets

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from services.common.models import new_id

from . import domain, verify_draw
from .messages import MESSAGES
from .models import Lottery
from .policy import HousingPolicy
from .vocabulary import LOTTERY, ROUND_CANCELLED, ROUND_CLOSED, ROUND_DRAWN, ROUND_OPEN

#: bytes of the seed the platform generates at close (64 hex characters)
SEED_BYTES = 32


def open_round(uow, actor: Actor, fields: dict, policy: HousingPolicy) -> Lottery:
    """An officer opens a round of a lottery kind, naming the public value to draw it with.
    409 `lottery_not_used` for a first-come kind, `round_pending` while another round
    of the kind is not drawn; 422 when the public value is already published."""
    domain.require_staff(actor)
    kind = fields["kind"]
    if policy.allocation_for(kind) != LOTTERY:
        raise Conflict("lottery_not_used")
    now = utcnow()
    if fields["public_value_at"] <= now:
        raise InvalidInput.for_field("public_value_at", "public_value_passed", MESSAGES)
    if uow.repo.pending_round(kind) is not None:
        raise Conflict("round_pending")
    draw = Lottery(
        id=new_id(),
        kind=kind,
        state=ROUND_OPEN,
        title=fields.get("title"),
        algorithm=verify_draw.ALGORITHM,
        public_value_source=fields["public_value_source"],
        public_value_at=fields["public_value_at"],
        created_at=now,
        created_by=actor.account_id,
    )
    uow.repo.add_round(draw)
    uow.audit(
        "lottery.opened",
        ("lottery", draw.id),
        None,
        {"kind": kind, "public_value_source": draw.public_value_source},
    )
    uow.record("lottery.opened", subject=draw.id, data=_event(draw))
    uow.commit()
    return draw


def close_round(uow, actor: Actor, lottery_id: str, policy: HousingPolicy) -> Lottery:
    """Applications close: the approved applications of the kind not in a round yet become
    the round's entrants; the list's hash and the commitment to a new secret seed are
    published. 409 `round_close_too_late` once the public value may be known,
    `no_entrants` when nobody waits to be drawn."""
    domain.require_staff(actor)
    draw = _round(uow, lottery_id, ROUND_OPEN, "close")
    now = utcnow()
    if now >= draw.public_value_at:
        raise Conflict("round_close_too_late", params={"at": _iso(draw.public_value_at)})
    rows = uow.repo.undrawn(draw.kind)
    if not rows:
        raise Conflict("no_entrants")
    groups = list(policy.preference_groups)
    rank = {group: index for index, group in enumerate(groups)}
    rows.sort(key=lambda row: (rank.get(row.preference_group, len(groups)), row.id))
    entrants = [{"application_id": row.id, "group": row.preference_group} for row in rows]
    draw.seed = secrets.token_hex(SEED_BYTES)
    draw.commitment = verify_draw.commitment_of(draw.seed)
    draw.entrants_hash = verify_draw.entrants_hash(entrants)
    draw.groups, draw.entrants = json.dumps(groups), json.dumps(entrants)
    draw.state, draw.closed_at, draw.closed_by = ROUND_CLOSED, now, actor.account_id
    for row in rows:
        row.lottery_id, row.updated_at = draw.id, now
    # never the seed: it stays secret until the draw
    details = {"entrants": len(entrants), "entrants_hash": draw.entrants_hash}
    uow.audit("lottery.closed", ("lottery", draw.id), None, details)
    uow.record("lottery.closed", subject=draw.id, data=_event(draw))
    uow.commit()
    return draw


def draw_round(uow, actor: Actor, lottery_id: str, fields: dict) -> Lottery:
    """The draw, once the public value named by the round is published: the officer enters it,
    the order follows from it, the committed seed and the frozen entrants; the seed is
    revealed. 409 `public_value_not_yet` before `public_value_at`."""
    domain.require_staff(actor)
    draw = _round(uow, lottery_id, ROUND_CLOSED, "draw")
    now = utcnow()
    if now < draw.public_value_at:
        raise Conflict("public_value_not_yet", params={"at": _iso(draw.public_value_at)})
    # the value as published, whatever spacing it was typed with, so the page shows what is used
    draw.public_value = " ".join(fields["public_value"].split())
    if not draw.public_value:
        raise InvalidInput.for_field("public_value", "required")
    order = verify_draw.draw_order(draw.seed, json.loads(draw.entrants), draw.public_value)
    draw.result = json.dumps(order)
    draw.state, draw.drawn_at, draw.drawn_by = ROUND_DRAWN, now, actor.account_id
    by_id = {row.id: row for row in uow.repo.entrants_of(draw.id)}
    for position, application_id in enumerate(order, start=1):
        drawn = by_id[application_id]
        drawn.lottery_position = position
        drawn.drawn_at = drawn.updated_at = now
    details = {"public_value": draw.public_value, "seed": draw.seed, "entrants": len(order)}
    uow.audit("lottery.drawn", ("lottery", draw.id), None, details)
    uow.record("lottery.drawn", subject=draw.id, data=_event(draw))
    uow.commit()
    return draw


def cancel_round(uow, actor: Actor, lottery_id: str) -> Lottery:
    """An open round is called off (its public value passed before it closed, say): nothing
    was fixed yet, no entrant frozen, no seed made. A closed round cannot be: it is drawn."""
    domain.require_staff(actor)
    draw = _round(uow, lottery_id, ROUND_OPEN, "cancel")
    draw.state = ROUND_CANCELLED
    uow.audit("lottery.cancelled", ("lottery", draw.id), None, {"kind": draw.kind})
    uow.record("lottery.cancelled", subject=draw.id, data=_event(draw))
    uow.commit()
    return draw


def _round(uow, lottery_id: str, state: str, action: str) -> Lottery:
    draw = uow.repo.locked(Lottery, lottery_id, NotFound("lottery"))
    if draw.state != state:
        raise IllegalTransition(draw.state, action)
    return draw


def _iso(instant) -> str:
    return instant.isoformat()


def _event(draw: Lottery) -> dict:
    """What each step publishes: the round's public inputs as far as they are fixed (the seed
    only once drawn)."""
    entrants = json.loads(draw.entrants) if draw.entrants else []
    return {
        "lottery_id": draw.id,
        "state": draw.state,
        "algorithm": draw.algorithm,
        "public_value_source": draw.public_value_source,
        "public_value_at": draw.public_value_at,
        "entrants": len(entrants),
        "entrants_hash": draw.entrants_hash,
        "commitment": draw.commitment,
        "seed": draw.seed if draw.state == ROUND_DRAWN else None,
        "public_value": draw.public_value,
        "drawn_at": draw.drawn_at,
        **domain.kind_labels(draw.kind),
    }


def view(draw: Lottery) -> dict:
    """A round as anyone may check it: every input fixed so far, the seed once drawn, and
    whether the checks a verifier makes pass (`checks`, `reproduced`)."""
    drawn = draw.state == ROUND_DRAWN
    entrants = json.loads(draw.entrants) if draw.entrants else None
    page = {
        "id": draw.id,
        "kind": draw.kind,
        "title": draw.title,
        "state": draw.state,
        "algorithm": draw.algorithm,
        "public_value_source": draw.public_value_source,
        "public_value_at": draw.public_value_at,
        "public_value": draw.public_value,
        "commitment": draw.commitment,
        "entrants_hash": draw.entrants_hash,
        "seed": draw.seed if drawn else None,
        "groups": json.loads(draw.groups) if draw.groups else None,
        "entrant_count": len(entrants) if entrants is not None else None,
        "entrants": entrants,
        "order": json.loads(draw.result) if drawn else None,
        "created_at": draw.created_at,
        "closed_at": draw.closed_at,
        "drawn_at": draw.drawn_at,
    }
    checks = _checks(page) if drawn else None
    return {
        **page,
        "checks": checks,
        "reproduced": None if checks is None else all(v for v in checks.values() if v is not None),
    }


def summary(draw: Lottery) -> dict:
    """A round in a list: what it is and where it stands, without re-running it."""
    entrants = json.loads(draw.entrants) if draw.entrants else None
    return {
        "id": draw.id,
        "kind": draw.kind,
        "title": draw.title,
        "state": draw.state,
        "public_value_source": draw.public_value_source,
        "public_value_at": draw.public_value_at,
        "entrant_count": len(entrants) if entrants is not None else None,
        "created_at": draw.created_at,
        "drawn_at": draw.drawn_at,
    }


def _checks(page: dict) -> dict:
    """The verifier's checks (`verify_draw.checks`); a draw of the first algorithm had no
    commitment and no hash: only its order is re-run."""
    if page["algorithm"] == verify_draw.ALGORITHM:
        return dict(verify_draw.checks(page))
    entrants = [domain.Entrant(e["application_id"], e["group"]) for e in page["entrants"]]
    rerun = domain.draw(page["seed"], entrants, page["groups"])
    return {"commitment": None, "entrants_hash": None, "order": rerun == page["order"]}
