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
