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
