"""The events service's policy parameters: documented defaults a district overrides.

Override without code through `POLICY_FILE` (section `"events"`) or `EVENTS_POLICY='{...}'`
(see `services/common/policy.py`). Every number a rule of this service uses is here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventsPolicy:
    #: minutes before an activity starts that its organiser may begin scanning check-in codes
    #: (our default: doors open an hour early at the district's festivals and sessions; no
    #: published rule)
    check_in_opens_minutes_before_start: int = 60

    #: characters of a one-time check-in code, from a 32-letter alphabet without look-alikes
    #: (0/O, 1/I): 32^8 ≈ 1.1 × 10^12 codes, short enough to read out, long enough not to guess
    check_in_code_length: int = 8

    #: units whose officers moderate the stories column (我的青春在XX): the plan's 三.1 names
    #: 区委宣传部 first among the units responsible for the column
    story_moderator_units: tuple[str, ...] = ("publicity",)

    #: units whose officers keep the register of fitness-circle venues (15分钟健身圈): the
    #: plan's 三.4 makes 区教体局 responsible for fitness facilities and opening school grounds
    venue_units: tuple[str, ...] = ("education_sports",)

    #: past or cancelled registrations and stories the dashboard shows after the upcoming ones
    #: (our default: one screen of a phone; no published rule)
    dashboard_recent_items: int = 5

    #: upcoming registrations the dashboard shows at most (our default, as above)
    dashboard_upcoming_items: int = 20

    # -- the 15-minute circle (15分钟健身圈, 三.4) ----------------------------------------------

    #: metres a person walks in a minute: 4.5 km/h, the pace planners use for a mixed crowd
    #: (GB 50180-2018's 15-minute life circle, 800–1000 m of walking, assumes about this pace
    #: with the detours below); young adults walk faster, so the circle errs on the near side
    walking_speed_m_per_minute: float = 75.0

    #: how much longer the walk along streets is than the great-circle line between two points
    #: (the circuity of urban street networks measured in the literature lies at 1.2–1.4; 1.3
    #: is its middle): the walking distance is the great-circle distance times this factor
    walking_detour_factor: float = 1.3

    #: the circle's minutes when `?near=` comes without `minutes` (the plan's 15分钟健身圈)
    walking_minutes_default: int = 15

    #: days before a slot starts that it may be booked (our default: a week ahead, the rhythm
    #: of school grounds' public opening rosters; no published rule)
    slot_booking_opens_days_before: int = 7

    #: days ahead a slot may be offered (our default: a year's roster at most; a school term is
    #: planned well inside it)
    slot_days_ahead_max: int = 366

    #: slots a person may hold at once, still ahead (our default: a fair share of school grounds
    #: at peak hours; no published rule)
    slot_bookings_held_max: int = 3

    #: units whose officers keep the register of youth sports clubs (青少年体育俱乐部) and
    #: publish bookable slots: plan 三.4 makes 区教体局 responsible for both
    club_register_units: tuple[str, ...] = ("education_sports",)

    #: units whose officers handle mental-health outreach (心理健康进企业、进村、进机关) and
    #: counselling bookings, and the only officers who read them (PIPL art. 28): plan 三.4's
    #: 区卫健委
    health_units: tuple[str, ...] = ("health",)

    #: the version of the separate consent text (单独同意, PIPL art. 29) a counselling booking
    #: records; change it when the text (messages `consent.counselling`) changes
    counselling_consent_version: str = "2026-12-v1"
