"""The register of youth sports clubs (青少年体育俱乐部, 三.4), kept by the officers of the
`club_register_units` (区教体局 by default): entered, changed, taken off with a reason. Anyone
reads the register; a club is an organisation, so it holds no young person's data.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import IllegalTransition
from services.common.models import new_id

from . import circle, domain
from .models import SportsClub, Venue
from .policy import EventsPolicy
from .vocabulary import CLUB_DEREGISTERED, CLUB_REGISTERED


def _event(club: SportsClub) -> dict:
    return {"club_id": club.id, "name": club.name, "area": club.area, "state": club.state}


def _check_venue(uow, venue_id: str | None) -> None:
    if venue_id is not None:
        uow.repo.get(Venue, venue_id, domain.not_found("venue"))


def register_club(uow, actor: Actor, fields: dict, policy: EventsPolicy) -> SportsClub:
    circle.check_may_keep_clubs(actor, policy.club_register_units)
    _check_venue(uow, fields.get("venue_id"))
    now = utcnow()
    club = SportsClub(
        id=new_id(),
        state=CLUB_REGISTERED,
        registered_at=now,
        created_by=actor.account_id,
        updated_at=now,
        **fields,
    )
    uow.repo.add(club)
    uow.audit("club.registered", ("sports_club", club.id), details={"name": club.name})
    uow.record("club.registered", subject=club.id, data=_event(club))
    uow.commit()
    return club


def update_club(uow, actor: Actor, club_id: str, fields: dict, policy: EventsPolicy) -> SportsClub:
    circle.check_may_keep_clubs(actor, policy.club_register_units)
    club = uow.repo.get(SportsClub, club_id, domain.not_found("club"))
    _check_venue(uow, fields.get("venue_id"))
    for name, value in fields.items():
        setattr(club, name, value)
    club.updated_at = utcnow()
    uow.audit("club.updated", ("sports_club", club.id), details={"fields": sorted(fields)})
    uow.commit()
    return club


def deregister_club(
    uow, actor: Actor, club_id: str, reason: str, policy: EventsPolicy
) -> SportsClub:
    circle.check_may_keep_clubs(actor, policy.club_register_units)
    club = uow.repo.get(SportsClub, club_id, domain.not_found("club"))
    if club.state != CLUB_REGISTERED:
        raise IllegalTransition(club.state, "deregister")
    now = utcnow()
    club.state, club.deregistered_at, club.deregister_reason = CLUB_DEREGISTERED, now, reason
    club.updated_at = now
    uow.audit("club.deregistered", ("sports_club", club.id), reason=reason)
    uow.record("club.deregistered", subject=club.id, data=_event(club))
    uow.commit()
    return club
