"""The words the events service and its callers share: categories, states, venue kinds, and how
an opening time is written.

The contract (`contract.py`, what the gateway validates with) and the rules (`domain.py`) both
name these; this module imports nothing of the service, so the contract carries no domain code.
"""

from __future__ import annotations

import re

#: what an activity is (三.1 culture and tourism, 三.2 youth consumption, 三.3 rural
#: revitalisation, 三.4 health, 二.2 youth mixers 联谊)
CATEGORIES = (
    "festival",
    "music_festival",
    "competition",
    "live_commerce_contest",
    "product_showcase",
    "youth_mixer",
    "fitness",
    "mental_health",
    "training",
    "volunteering",
    "rural_revitalisation_training",
)

#: the youth platform for helping farmers (青年助农平台, 三.3): activities that take entrants
#: (a young person or a company) whose sales the organiser reports
SHOWCASE_CATEGORIES = ("live_commerce_contest", "product_showcase")
ENTRANT_KINDS = ("person", "company")

DRAFT, PUBLISHED, CANCELLED, FINISHED = "draft", "published", "cancelled", "finished"
ACTIVITY_STATES = (DRAFT, PUBLISHED, CANCELLED, FINISHED)

CONFIRMED, WAITLISTED, REG_CANCELLED, CHECKED_IN = (
    "confirmed",
    "waitlisted",
    "cancelled",
    "checked_in",
)
REGISTRATION_STATES = (CONFIRMED, WAITLISTED, REG_CANCELLED, CHECKED_IN)

SUBMITTED, STORY_PUBLISHED, REJECTED, TAKEN_DOWN, STORY_ERASED = (
    "submitted",
    "published",
    "rejected",
    "taken_down",
    "erased",
)
STORY_STATES = (SUBMITTED, STORY_PUBLISHED, REJECTED, TAKEN_DOWN, STORY_ERASED)

#: facility kinds the plan's 三.4 names for the 15-minute fitness circle, and the youth homes
#: (青年之家) its mental-health work runs in
VENUE_KINDS = (
    "fitness_centre",
    "multi_sport_court",
    "sports_park",
    "fitness_trail",
    "fitness_square",
    "football_pitch",
    "basketball_court",
    "school_ground",
    "youth_home",
)

_CLOCK = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")


def parse_clock(value: str) -> int:
    """ "HH:MM" (24:00 for the end of the day) as minutes after midnight."""
    if not isinstance(value, str) or not _CLOCK.match(value):
        raise ValueError(value)
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


# -- the 15-minute circle (15分钟健身圈, 三.4) ---------------------------------------------------

#: the datum of every venue's coordinates and of `?near=`: GCJ-02 (国测局坐标), what the maps
#: used in China (高德, 腾讯, a WeChat mini-program's location) show and give, so an officer copies
#: a venue's point from the map they use and a phone's map gives the searcher's point in the same
#: datum. A WGS-84 point (a GPS fix, a browser's geolocation) lies a few hundred metres off
#: GCJ-02; the console asks for a point picked on a Chinese map.
DATUM = "GCJ-02"

#: a bookable time slot of a venue (a school ground open to the public, a court)
SLOT_OPEN, SLOT_CANCELLED = "open", "cancelled"
SLOT_STATES = (SLOT_OPEN, SLOT_CANCELLED)
#: a young person's booking of a slot
BOOKED, BOOKING_CANCELLED = "booked", "cancelled"
SLOT_BOOKING_STATES = (BOOKED, BOOKING_CANCELLED)

#: a youth sports club (青少年体育俱乐部) in the register
CLUB_REGISTERED, CLUB_DEREGISTERED = "registered", "deregistered"
CLUB_STATES = (CLUB_REGISTERED, CLUB_DEREGISTERED)

#: where a mental-health session goes (心理健康进企业、进村(社区)、进机关)
OUTREACH_SETTINGS = ("enterprise", "village", "office")
OUTREACH_REQUESTED, OUTREACH_SCHEDULED, OUTREACH_HELD, OUTREACH_DECLINED, OUTREACH_WITHDRAWN = (
    "requested",
    "scheduled",
    "held",
    "declined",
    "withdrawn",
)
OUTREACH_STATES = (
    OUTREACH_REQUESTED,
    OUTREACH_SCHEDULED,
    OUTREACH_HELD,
    OUTREACH_DECLINED,
    OUTREACH_WITHDRAWN,
)

#: a person's counselling booking (心理咨询预约): sensitive personal data (PIPL art. 28)
COUNSELLING_MODES = ("in_person", "phone", "online")
COUNSELLING_REQUESTED, COUNSELLING_SCHEDULED, COUNSELLING_COMPLETED, COUNSELLING_CANCELLED = (
    "requested",
    "scheduled",
    "completed",
    "cancelled",
)
COUNSELLING_STATES = (
    COUNSELLING_REQUESTED,
    COUNSELLING_SCHEDULED,
    COUNSELLING_COMPLETED,
    COUNSELLING_CANCELLED,
)


def parse_point(value: str) -> tuple[float, float]:
    """ "lat,lng" in decimal degrees (GCJ-02) as (latitude, longitude); ValueError otherwise."""
    if not isinstance(value, str):
        raise ValueError(value)
    parts = value.split(",")
    if len(parts) != 2:
        raise ValueError(value)
    latitude, longitude = (float(part.strip()) for part in parts)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(value)
    return latitude, longitude
