"""The housing service's words: kinds, states, decisions and methods, as its boundary names them.

The contract (`contract.py`, what the gateway validates with), the event schemas and the domain
all spell them from here; this module imports nothing of the service, so the gateway can read
the contract without loading a single rule.
"""

from __future__ import annotations

# -- units -----------------------------------------------------------------------------------

TALENT_APARTMENT, PUBLIC_RENTAL, AFFORDABLE_RENTAL, STATION_BED = (
    "talent_apartment",  # 人才公寓 (converted homestays 民宿 included)
    "public_rental",  # 公租房
    "affordable_rental",  # 保障性租赁住房
    "station_bed",  # 青年驿站床位
)
UNIT_KINDS = (TALENT_APARTMENT, PUBLIC_RENTAL, AFFORDABLE_RENTAL, STATION_BED)
#: kinds one applies for and is allocated; station beds are booked per night instead
RENTAL_KINDS = (TALENT_APARTMENT, PUBLIC_RENTAL, AFFORDABLE_RENTAL)

AVAILABLE, OFFERED, LET, MAINTENANCE = "available", "offered", "let", "maintenance"
UNIT_STATES = (AVAILABLE, OFFERED, LET, MAINTENANCE)

# -- applications ----------------------------------------------------------------------------

#: application states: submitted → waitlisted (approved) | rejected; waitlisted → offered;
#: offered → housed | declined | lapsed (offer expired); open ones → withdrawn
SUBMITTED, REJECTED, WAITLISTED, OFFERED_APP, HOUSED, DECLINED, LAPSED, WITHDRAWN = (
    "submitted",
    "rejected",
    "waitlisted",
    "offered",
    "housed",
    "declined",
    "lapsed",
    "withdrawn",
)
APPLICATION_STATES = (
    SUBMITTED,
    REJECTED,
    WAITLISTED,
    OFFERED_APP,
    HOUSED,
    DECLINED,
    LAPSED,
    WITHDRAWN,
)
OPEN_APPLICATION_STATES = (SUBMITTED, WAITLISTED, OFFERED_APP)
#: an officer's verdict on an application (a rejection is also its state)
APPROVED = "approved"

# -- allocation ------------------------------------------------------------------------------

WAITLIST, LOTTERY = "waitlist", "lottery"  # first come, or a reproducible draw (摇号)
ALLOCATION_METHODS = (WAITLIST, LOTTERY)
#: a draw round: open (naming its public value), closed (entrants frozen, seed committed),
#: drawn; an open round may be cancelled (nothing is fixed yet), a closed one only drawn
ROUND_OPEN, ROUND_CLOSED, ROUND_DRAWN, ROUND_CANCELLED = "open", "closed", "drawn", "cancelled"
ROUND_STATES = (ROUND_OPEN, ROUND_CLOSED, ROUND_DRAWN, ROUND_CANCELLED)

PENDING, ACCEPTED, OFFER_DECLINED, EXPIRED, OFFER_WITHDRAWN = (
    "pending",
    "accepted",
    "declined",
    "expired",
    "withdrawn",
)
OFFER_STATES = (PENDING, ACCEPTED, OFFER_DECLINED, EXPIRED, OFFER_WITHDRAWN)

ACTIVE, ENDED = "active", "ended"
LEASE_STATES = (ACTIVE, ENDED)

# -- the youth station -----------------------------------------------------------------------

CONFIRMED, CHECKED_IN, CHECKED_OUT, BOOKING_CANCELLED = (
    "confirmed",
    "checked_in",
    "checked_out",
    "cancelled",
)
BOOKING_STATES = (CONFIRMED, CHECKED_IN, CHECKED_OUT, BOOKING_CANCELLED)
NIGHT_BOOKED, NIGHT_CANCELLED = "booked", "cancelled"
#: why nights were given back: the guest cancelled, left early, or was hired in the district
BY_PERSON, CHECKED_OUT_EARLY, HIRED_IN_DISTRICT = "person", "checked_out_early", "hired_in_district"
CANCEL_REASONS = (BY_PERSON, HIRED_IN_DISTRICT, CHECKED_OUT_EARLY)

# -- subsidies -------------------------------------------------------------------------------

PURCHASE_SUBSIDY, HOUSING_FUND = "purchase_subsidy", "housing_fund"  # 购房补贴, 住房公积金
SUBSIDY_KINDS = (PURCHASE_SUBSIDY, HOUSING_FUND)
GRANTED, REFUSED = "granted", "refused"
SUBSIDY_STATES = (SUBMITTED, GRANTED, REFUSED)

# -- the talent ledger -----------------------------------------------------------------------

FOLLOWUP_METHODS = ("visit", "phone", "online")
EMPLOYMENT_STATUSES = ("unemployed", "employed", "self_employed", "student")
