"""The inventory: talent apartments (人才公寓), public rentals (公租房), affordable rentals (保租房)
and youth-station rooms (青年驿站) whose beds are booked per night. Housing staff add and change
units and take them out of service (维修); a rental back in service goes to the next in line.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict, NotFound
from services.common.models import new_id

from . import allocation, domain
from .models import HousingUnit
from .policy import HousingPolicy
from .vocabulary import AVAILABLE, RENTAL_KINDS


def create(uow, actor: Actor, fields: dict, policy: HousingPolicy) -> HousingUnit:
    """A unit of the inventory, available at once (a station room: bookable at once)."""
    domain.require_staff(actor)
    domain.check_unit_fields(fields["kind"], fields, policy)
    now = utcnow()
    unit = HousingUnit(
        id=new_id(),
        state=AVAILABLE,
        created_at=now,
        updated_at=now,
        **{"beds": 1, **fields},
    )
    uow.repo.add(unit)
    uow.commit()
    return unit


def update(uow, actor: Actor, unit_id: str, changes: dict, policy: HousingPolicy) -> HousingUnit:
    """Change a unit's description, rent or beds; a station room keeps at least the beds
    booked from tonight on (409 `beds_in_use`)."""
    domain.require_staff(actor)
    unit = uow.repo.locked(HousingUnit, unit_id, NotFound("unit"))
    merged = {"area_m2": unit.area_m2, "beds": unit.beds, **changes}
    domain.check_unit_fields(unit.kind, merged, policy)
    if "beds" in changes and changes["beds"] < unit.beds:
        highest = uow.repo.highest_bed_booked(unit.id, clock.today())
        if highest is not None and highest > changes["beds"]:
            raise Conflict("beds_in_use", params={"bed": highest, "beds": changes["beds"]})
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.updated_at = utcnow()
    uow.commit()
    return unit


def take_out_of_service(uow, actor: Actor, unit_id: str, reason: str) -> HousingUnit:
    """Take an available unit out of service (维修), with the reason in the audit trail."""
    domain.require_staff(actor)
    unit = uow.repo.locked(HousingUnit, unit_id, NotFound("unit"))
    unit.state = domain.next_unit_state(unit.state, "maintain")
    unit.updated_at = utcnow()
    uow.audit("unit.maintenance", ("unit", unit.id), reason)
    uow.commit()
    return unit


def reopen(uow, actor: Actor, unit_id: str, reason: str, policy: HousingPolicy) -> HousingUnit:
    """Back in service: a rental goes at once to the next in line."""
    domain.require_staff(actor)
    unit = uow.repo.locked(HousingUnit, unit_id, NotFound("unit"))
    unit.state = domain.next_unit_state(unit.state, "reopen")
    unit.updated_at = utcnow()
    uow.audit("unit.reopened", ("unit", unit.id), reason)
    if unit.kind in RENTAL_KINDS:
        allocation.offer_next(uow, unit, policy)
    uow.commit()
    return unit
