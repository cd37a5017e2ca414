"""The talent ledger (人才台账): one entry for each person housed through the platform, from the
day the lease starts to the day they move out, and the follow-up visits (跟踪服务) officers
record on it.
"""

from __future__ import annotations

from datetime import date, datetime

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import NotFound
from services.common.models import new_id

from . import domain
from .models import Lease, LedgerEntry, LedgerFollowUp


def enter(uow, lease: Lease, now: datetime) -> LedgerEntry:
    """The person housed by `lease` enters the ledger (in the caller's unit of work)."""
    entry = LedgerEntry(
        id=new_id(),
        person_id=lease.person_id,
        lease_id=lease.id,
        unit_id=lease.unit_id,
        kind=lease.kind,
        housed_since=lease.starts_on,
        followups=0,
        created_at=now,
    )
    uow.repo.add(entry)
    return entry


def move_out(uow, lease: Lease, moved_out_on: date) -> None:
    """The lease ended: its entry records the day the person moved out."""
    entry = uow.repo.ledger_entry_of(lease.id)
    if entry is not None:
        entry.moved_out_on = moved_out_on


def record_followup(uow, actor: Actor, entry_id: str, visit: dict) -> LedgerFollowUp:
    """An officer's follow-up visit, kept with the entry (its count and latest date) and in the
    audit trail, whose reason is the visit's notes."""
    domain.require_staff(actor)
    entry = uow.repo.locked(LedgerEntry, entry_id, NotFound("ledger entry"))
    followup = LedgerFollowUp(
        id=new_id(),
        entry_id=entry.id,
        recorded_by=actor.account_id,
        recorded_at=utcnow(),
        **visit,
    )
    uow.repo.add(followup)
    entry.followups += 1
    if entry.last_followup_on is None or followup.visited_on > entry.last_followup_on:
        entry.last_followup_on = followup.visited_on
    uow.repo.flush()
    uow.audit(
        "ledger.followup_recorded",
        ("ledger_entry", entry.id),
        visit.get("notes") or None,
        {"method": followup.method, "visited_on": followup.visited_on},
    )
    uow.record(
        "ledger.followup_recorded",
        subject=entry.id,
        data={
            "entry_id": entry.id,
            "followup_id": followup.id,
            "person_id": entry.person_id,
            "visited_on": followup.visited_on,
            "method": followup.method,
        },
    )
    uow.commit()
    return followup
