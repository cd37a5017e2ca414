"""The 15-minute fitness circle (15分钟健身圈, 三.4): the rules, with no I/O.

* **Walking distance** without a map service: the great-circle distance between two points
  (haversine, on the mean Earth radius) times a detour factor for the streets, walked at a
  documented pace (`EventsPolicy.walking_detour_factor`, `walking_speed_m_per_minute`). Both
  points are GCJ-02 (`vocabulary.DATUM`); GCJ-02 shifts a point smoothly by a few hundred
  metres, so distances between two GCJ-02 points are those on the ground within metres.
* **Time slots** of a venue (school grounds open to the public, 学校体育场地向社会开放): each
  fits the venue's weekly opening hours in district time, has places, is booked from
  `slot_booking_opens_days_before` days ahead until it starts, one place per person, at most
  `slot_bookings_held_max` held ahead at once.
* **Youth sports clubs** (青少年体育俱乐部): a register the education and sports bureau keeps.
* **Mental health** (心理健康进企业、进村、进机关; counselling): the health unit's officers
  handle both; a counselling booking is sensitive personal data (PIPL art. 28), made with a
  separate consent and seen by its person and the health unit's officers only (not by an
  administrator): for anyone else it does not exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from services.common.actor import EMPLOYER, OFFICER, YOUTH, Actor
from services.common.errors import DomainError, Forbidden, IllegalTransition, InvalidInput

from .domain import OpeningHours, not_found
from .messages import MESSAGES
from .vocabulary import (
    BOOKED,
    COUNSELLING_CANCELLED,
    COUNSELLING_COMPLETED,
    COUNSELLING_REQUESTED,
    COUNSELLING_SCHEDULED,
    OUTREACH_DECLINED,
    OUTREACH_HELD,
    OUTREACH_REQUESTED,
    OUTREACH_SCHEDULED,
    OUTREACH_WITHDRAWN,
    SLOT_OPEN,
)

# -- walking distance ----------------------------------------------------------------------------

#: the Earth's mean radius (IUGG), metres
EARTH_RADIUS_M = 6_371_008.8
#: metres of one degree of latitude on that sphere
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180


@dataclass(frozen=True)
class Walk:
    """How people walk: metres a minute, and the streets' detour over the straight line."""

    speed_m_per_minute: float
    detour_factor: float

    def minutes(self, straight_m: float) -> float:
        """Minutes to walk between two points `straight_m` metres apart as the crow flies."""
        return straight_m * self.detour_factor / self.speed_m_per_minute

    def reach_m(self, minutes: float) -> float:
        """The straight-line distance a walk of `minutes` covers."""
        return minutes * self.speed_m_per_minute / self.detour_factor


def great_circle_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres between two (latitude, longitude) points along the sphere (haversine)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def search_box(centre: tuple[float, float], reach_m: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) bounds holding every point within `reach_m` of `centre`: what
    the database narrows to before the exact distance is computed."""
    latitude, longitude = centre
    d_lat = reach_m / METRES_PER_DEGREE
    cos_lat = max(math.cos(math.radians(latitude)), 1e-6)
    d_lng = min(180.0, reach_m / (METRES_PER_DEGREE * cos_lat))
    return latitude - d_lat, latitude + d_lat, longitude - d_lng, longitude + d_lng


def check_coordinates(latitude: float | None, longitude: float | None) -> None:
    """A venue has both coordinates or neither (422 on the one missing)."""
    if (latitude is None) != (longitude is None):
        field = "longitude" if longitude is None else "latitude"
        raise InvalidInput.for_field(field, "coordinates_pair", MESSAGES)


# -- time slots ----------------------------------------------------------------------------------


def check_slot_fits(
    hours: OpeningHours,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    zone: tzinfo,
    days_ahead_max: int,
) -> None:
    """A new slot starts ahead (within `days_ahead_max` days), ends after it starts and within a
    day, and lies within the venue's opening hours (weekdays and times in district time)."""
    if ends_at <= starts_at:
        raise InvalidInput.for_field("ends_at", "ends_before_start", MESSAGES)
    if starts_at <= now:
        raise InvalidInput.for_field("starts_at", "slot_in_past", MESSAGES)
    if starts_at > now + timedelta(days=days_ahead_max):
        raise InvalidInput.for_field("starts_at", "slot_too_far", MESSAGES, days=days_ahead_max)
    if ends_at - starts_at > timedelta(days=1):
        raise InvalidInput.for_field("ends_at", "slot_too_long", MESSAGES)
    if not hours.covers(starts_at, ends_at, zone):
        raise InvalidInput.for_field("starts_at", "venue_closed", MESSAGES)


@dataclass(frozen=True)
class SlotBookingRules:
    opens_days_before: int
    held_max: int

    def refusal(
        self,
        slot_state: str,
        starts_at: datetime,
        capacity: int,
        booked: int,
        existing_state: str | None,
        held_ahead: int,
        now: datetime,
    ) -> DomainError | None:
        """Why a person may not book the slot now, or None."""
        if slot_state != SLOT_OPEN:
            return DomainError("slot_not_open", status=409, params={"state": slot_state})
        if starts_at <= now:
            return DomainError("slot_started", status=409)
        opens_at = starts_at - timedelta(days=self.opens_days_before)
        if now < opens_at:
            return DomainError(
                "slot_booking_not_open", status=409, params={"opens_at": opens_at.isoformat()}
            )
        if existing_state == BOOKED:
            return DomainError("slot_already_booked", status=409)
        if held_ahead >= self.held_max:
            return DomainError("slot_bookings_limit", status=409, params={"limit": self.held_max})
        if booked >= capacity:
            return DomainError("slot_full", status=409, params={"capacity": capacity})
        return None


def check_slot_booking_cancellable(state: str, starts_at: datetime, now: datetime) -> None:
    if state != BOOKED:
        raise DomainError("slot_booking_already_cancelled", status=409)
    if starts_at <= now:
        raise DomainError("slot_started", status=409)


def check_may_book(actor: Actor) -> None:
    """Young people book slots for themselves."""
    actor.require_role(YOUTH)


# -- youth sports clubs --------------------------------------------------------------------------


def check_may_keep_clubs(actor: Actor, units: tuple[str, ...]) -> None:
    """Officers of the `club_register_units` (区教体局 by default) keep the register."""
    if not actor.is_officer_of(*units):
        raise Forbidden("not_club_keeper", params={"units": ", ".join(units)})


# -- mental health -------------------------------------------------------------------------------


def is_health_officer(actor: Actor, units: tuple[str, ...]) -> bool:
    """An officer of the `health_units` (区卫健委 by default): an administrator is not one."""
    return actor.is_officer_of(*units)


def check_health_officer(actor: Actor, units: tuple[str, ...]) -> None:
    if not is_health_officer(actor, units):
        raise Forbidden("not_health_officer", params={"units": ", ".join(units)})


def check_may_request_outreach(actor: Actor) -> None:
    """A company (its employer account), or a village's or an office's officer, asks for a
    session."""
    actor.require_role(EMPLOYER, OFFICER)


def check_may_read_outreach(actor: Actor, requested_by: str, units: tuple[str, ...]) -> None:
    """An outreach request exists for its requester and the health unit's officers."""
    if not (actor.is_self(requested_by) or is_health_officer(actor, units)):
        raise not_found("outreach")


def check_may_read_counselling(actor: Actor, person_id: str | None, units: tuple[str, ...]):
    """A counselling booking exists for its person and the health unit's officers, and for no
    one else: not an administrator, not another unit's officer (PIPL art. 28)."""
    if not (actor.is_self(person_id) or is_health_officer(actor, units)):
        raise not_found("counselling")


def check_consent(consent: bool | None) -> None:
    """The separate consent (单独同意) to the processing of health data, given at booking."""
    if consent is not True:
        raise InvalidInput.for_field("consent", "consent_required", MESSAGES)


#: action → (states it may start from, state it leads to)
OUTREACH_TRANSITIONS = {
    "schedule": ((OUTREACH_REQUESTED, OUTREACH_SCHEDULED), OUTREACH_SCHEDULED),
    "decline": ((OUTREACH_REQUESTED, OUTREACH_SCHEDULED), OUTREACH_DECLINED),
    "hold": ((OUTREACH_SCHEDULED,), OUTREACH_HELD),
    "withdraw": ((OUTREACH_REQUESTED, OUTREACH_SCHEDULED), OUTREACH_WITHDRAWN),
}

COUNSELLING_TRANSITIONS = {
    "schedule": ((COUNSELLING_REQUESTED, COUNSELLING_SCHEDULED), COUNSELLING_SCHEDULED),
    "complete": ((COUNSELLING_SCHEDULED,), COUNSELLING_COMPLETED),
    "cancel": ((COUNSELLING_REQUESTED, COUNSELLING_SCHEDULED), COUNSELLING_CANCELLED),
}


def next_state(transitions: dict, state: str, action: str) -> str:
    if action not in transitions:
        raise InvalidInput.for_field("action", "invalid", MESSAGES)
    allowed_from, target = transitions[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


def check_scheduled_ahead(scheduled_at: datetime | None, now: datetime) -> None:
    if scheduled_at is None:
        raise InvalidInput.for_field("scheduled_at", "required", MESSAGES)
    if scheduled_at <= now:
        raise InvalidInput.for_field("scheduled_at", "slot_in_past", MESSAGES)


def check_reason(reason: str | None) -> None:
    if not (reason or "").strip():
        raise InvalidInput.for_field("reason", "reason_required", MESSAGES)
