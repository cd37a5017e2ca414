"""Allocation (分配): units offered to the next in line, the answers and deadlines of offers, and
the leases that follow.

A unit is offered whenever it becomes available and someone waits for its kind: in an officer's
allocation round, and at once when an offer is declined, expires or is withdrawn, a lease ends or
a unit comes back from maintenance (`offer_next`). The person accepts or declines before
`respond_by`; the sweep (`sweep`) closes what was left unanswered, each offer in its own
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.context import CallContext
from services.common.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from services.common.models import new_id

from . import domain, ledger
from .messages import MESSAGES
from .models import HousingApplication, HousingUnit, Lease, Offer
from .policy import HousingPolicy
from .repository import HousingRepository
from .vocabulary import (
    ACCEPTED,
    ACTIVE,
    AVAILABLE,
    ENDED,
    EXPIRED,
    OFFER_DECLINED,
    OFFER_WITHDRAWN,
    PENDING,
)

#: offers past their deadline closed by one sweep (the rest wait for the next, a minute later)
SWEEP_BATCH = 100


@dataclass(frozen=True)
class Round:
    """An allocation round's answer: the offers it made, in the order of the line."""

    kind: str
    method: str
    offers: list[Offer]
    #: available units no waiting household fits, with the household sizes each takes
    units_left: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Acceptance:
    """An accepted offer and the lease it started."""

    offer: Offer
    lease: Lease


# -- event data ------------------------------------------------------------------------------


def offer_made_data(offer: Offer, unit: HousingUnit) -> dict:
    """The data of `offer.made`: the unit's public description and the deadline."""
    return {
        "offer_id": offer.id,
        "application_id": offer.application_id,
        "unit_id": unit.id,
        "person_id": offer.person_id,
        "method": offer.method,
        "unit_title": unit.title,
        "unit_address": unit.address,
        "rent_cny": unit.rent_cny,
        "respond_by": offer.respond_by,
        **domain.kind_labels(offer.kind),
    }


def offer_closed_data(offer: Offer, unit: HousingUnit) -> dict:
    """The data of `offer.accepted`, `offer.declined` and `offer.expired`."""
    return {
        "offer_id": offer.id,
        "application_id": offer.application_id,
        "unit_id": unit.id,
        "person_id": offer.person_id,
        "state": offer.state,
        "unit_title": unit.title,
        **domain.kind_labels(offer.kind),
    }


def lease_data(lease: Lease, unit: HousingUnit) -> dict:
    """The data of `lease.started` and `lease.ended`."""
    return {
        "lease_id": lease.id,
        "unit_id": unit.id,
        "person_id": lease.person_id,
        "unit_title": unit.title,
        "unit_address": unit.address,
        "starts_on": lease.starts_on,
        "ends_on": lease.ends_on,
        **domain.kind_labels(lease.kind),
    }


# -- offers ----------------------------------------------------------------------------------


def offer_next(uow, unit: HousingUnit, policy: HousingPolicy) -> Offer | None:
    """Offer an available unit to the first in its kind's line whose household fits it
    (`domain.households_fitting`: those before, too large or too small for it, keep their
    place for another unit), with a deadline; None when the unit is not available or no
    household that fits it waits. Runs inside the caller's unit of work."""
    if unit.state != AVAILABLE:
        return None
    method = policy.allocation_for(unit.kind)
    fitting = domain.households_fitting(unit.rooms, policy)
    application = uow.repo.first_in_line(unit.kind, method, fitting)
    if application is None:
        return None
    now = utcnow()
    application.state = domain.next_application_state(application.state, "offer")
    application.updated_at = now
    unit.state = domain.next_unit_state(unit.state, "offer")
    unit.updated_at = now
    offer = Offer(
        id=new_id(),
        application_id=application.id,
        unit_id=unit.id,
        person_id=application.person_id,
        kind=unit.kind,
        method=method,
        state=PENDING,
        offered_at=now,
        respond_by=domain.respond_by(now, policy),
    )
    uow.repo.add(offer)
    uow.repo.flush()
    uow.audit(
        "offer.made",
        ("offer", offer.id),
        None,
        {
            "unit_id": unit.id,
            "application_id": application.id,
            "method": offer.method,
            "lottery_position": application.lottery_position,
        },
    )
    uow.record("offer.made", subject=offer.id, data=offer_made_data(offer, unit))
    return offer


def allocation_round(
    uow, actor: Actor, kind: str, policy: HousingPolicy, unit_id: str | None = None
) -> Round:
    """An officer offers every available unit of a kind (or the one unit `unit_id`) to the
    next in line whose household fits it, in order; a unit no waiting household fits stays
    available. Naming a unit that fits no household waiting, while some wait, is refused
    (409 `unit_fits_no_household`, with the household sizes the unit takes)."""
    domain.require_staff(actor)
    if unit_id is not None:
        return Round(kind, policy.allocation_for(kind), [_offer_named(uow, kind, unit_id, policy)])
    offers, left = [], []
    for unit in uow.repo.available_units(kind):
        offer = offer_next(uow, unit, policy)
        if offer is not None:
            offers.append(offer)
        else:
            left.append(unit)
    # a unit is left for its size only while households still wait for the kind
    if left and uow.repo.first_in_line(kind, policy.allocation_for(kind)) is not None:
        units_left = [
            {"unit_id": unit.id, **domain.household_fit_params(unit.rooms, policy)} for unit in left
        ]
    else:
        units_left = []
    uow.commit()
    return Round(kind, policy.allocation_for(kind), offers, units_left)


def _offer_named(uow, kind: str, unit_id: str, policy: HousingPolicy) -> Offer:
    unit = uow.repo.locked(HousingUnit, unit_id, NotFound("unit"))
    if unit.kind != kind:
        raise InvalidInput.for_field("unit_id", "unit_of_another_kind", MESSAGES, kind=unit.kind)
    if unit.state != AVAILABLE:
        raise IllegalTransition(unit.state, "offer")
    offer = offer_next(uow, unit, policy)
    if offer is None:
        if uow.repo.first_in_line(kind, policy.allocation_for(kind)) is None:
            raise Conflict("nobody_waiting", field="unit_id")
        params = domain.household_fit_params(unit.rooms, policy)
        raise Conflict("unit_fits_no_household", field="unit_id", params=params)
    uow.commit()
    return offer


def accept(uow, actor: Actor, offer_id: str) -> Acceptance:
    """The person takes the unit before the deadline: the lease starts today and the person
    enters the talent ledger (人才台账)."""
    now, today = utcnow(), clock.today()
    offer = uow.repo.locked(Offer, offer_id, NotFound("offer"))
    actor.require_own(offer.person_id, NotFound("offer"))
    domain.check_offer_open(offer.state, offer.respond_by, now, "accept")
    application = uow.repo.locked(HousingApplication, offer.application_id, NotFound("application"))
    unit = uow.repo.locked(HousingUnit, offer.unit_id, NotFound("unit"))
    offer.state, offer.responded_at = ACCEPTED, now
    application.state = domain.next_application_state(application.state, "accept")
    application.updated_at = now
    unit.state = domain.next_unit_state(unit.state, "let")
    unit.updated_at = now
    lease = Lease(
        id=new_id(),
        unit_id=unit.id,
        application_id=application.id,
        offer_id=offer.id,
        person_id=offer.person_id,
        kind=unit.kind,
        rent_cny=unit.rent_cny,
        state=ACTIVE,
        starts_on=today,
    )
    uow.repo.add(lease)
    uow.repo.flush()
    ledger.enter(uow, lease, now)
    uow.record("offer.accepted", subject=offer.id, data=offer_closed_data(offer, unit))
    uow.record(
        "unit.allocated",
        subject=unit.id,
        data={
            "unit_id": unit.id,
            "person_id": lease.person_id,
            "application_id": application.id,
            "offer_id": offer.id,
            "lease_id": lease.id,
            "method": offer.method,
            "allocated_at": now,
            **domain.kind_labels(unit.kind),
        },
    )
    uow.record("lease.started", subject=lease.id, data=lease_data(lease, unit))
    uow.commit()
    return Acceptance(offer, lease)


def decline(uow, actor: Actor, offer_id: str, policy: HousingPolicy) -> Offer:
    """The person says no: the unit goes at once to the next in line."""
    now = utcnow()
    offer = uow.repo.locked(Offer, offer_id, NotFound("offer"))
    actor.require_own(offer.person_id, NotFound("offer"))
    domain.check_offer_open(offer.state, offer.respond_by, now, "decline")
    _close(uow, offer, OFFER_DECLINED, "decline", now, policy)
    uow.commit()
    return offer


def _close(
    uow, offer: Offer, state: str, action: str, now: datetime, policy: HousingPolicy
) -> None:
    """An offer declined or expired: its application moves on (`action`), its unit is free
    again and goes to the next in line."""
    application = uow.repo.locked(HousingApplication, offer.application_id, NotFound("application"))
    unit = uow.repo.locked(HousingUnit, offer.unit_id, NotFound("unit"))
    offer.state, offer.responded_at = state, now
    application.state = domain.next_application_state(application.state, action)
    application.updated_at = now
    unit.state = domain.next_unit_state(unit.state, "release")
    unit.updated_at = now
    uow.record(f"offer.{state}", subject=offer.id, data=offer_closed_data(offer, unit))
    uow.repo.flush()
    offer_next(uow, unit, policy)


def withdraw_offer_of(uow, application: HousingApplication, policy: HousingPolicy) -> None:
    """The application is withdrawn: its pending offer, if any, is withdrawn too (reported as
    declined) and the unit goes at once to the next in line."""
    offer = uow.repo.pending_offer_of(application.id)
    if offer is None:
        return
    offer.state, offer.responded_at = OFFER_WITHDRAWN, utcnow()
    unit = uow.repo.locked(HousingUnit, offer.unit_id, NotFound("unit"))
    unit.state = domain.next_unit_state(unit.state, "release")
    uow.record("offer.declined", subject=offer.id, data=offer_closed_data(offer, unit))
    uow.repo.flush()
    offer_next(uow, unit, policy)


def expire(uow, offer_id: str, now: datetime, policy: HousingPolicy) -> bool:
    """Close one offer whose deadline passed unanswered (its application lapses, its unit goes
    to the next in line). False, changing nothing, when another sweep holds it or it was
    answered or extended meanwhile."""
    offer = uow.repo.offer_unless_taken(offer_id)
    if offer is None or offer.state != PENDING or offer.respond_by >= now:
        return False
    _close(uow, offer, EXPIRED, "lapse", now, policy)
    uow.commit()
    return True


def sweep(db, policy: HousingPolicy) -> int:
    """Expire every pending offer past its deadline (up to `SWEEP_BATCH`), each in its own
    transaction under its row lock, so replicas sweeping at once never expire one twice.
    The number expired."""
    now = utcnow()
    with db.reading() as session:
        due = HousingRepository(session).due_offers(now, SWEEP_BATCH)
    expired = 0
    for offer_id in due:
        with db.unit_of_work(CallContext.system()) as uow:
            if expire(uow, offer_id, now, policy):
                expired += 1
    return expired


# -- leases ----------------------------------------------------------------------------------


def end_lease(uow, actor: Actor, lease_id: str, end: dict, policy: HousingPolicy) -> Lease:
    """An officer records the end of a tenancy (with its reason): the person moves out of the
    talent ledger's entry and the unit goes to the next in line."""
    domain.require_staff(actor)
    ended_on = end.get("ended_on") or clock.today()
    lease = uow.repo.locked(Lease, lease_id, NotFound("lease"))
    if lease.state != ACTIVE:
        raise IllegalTransition(lease.state, "end")
    unit = uow.repo.locked(HousingUnit, lease.unit_id, NotFound("unit"))
    lease.state, lease.ends_on, lease.end_reason = ENDED, ended_on, end["reason"]
    unit.state = domain.next_unit_state(unit.state, "release")
    unit.updated_at = utcnow()
    ledger.move_out(uow, lease, ended_on)
    uow.audit("lease.ended", ("lease", lease.id), end["reason"], {"ends_on": ended_on})
    uow.record("lease.ended", subject=lease.id, data=lease_data(lease, unit))
    uow.repo.flush()
    offer_next(uow, unit, policy)
    uow.commit()
    return lease
