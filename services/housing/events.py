"""The events the housing service publishes (on `housing.events`), each with its data schema.

Every type has a decision in services/notify/templates/housing.json. Data carries ids and the
unit's public description, never a name, an ID number or a phone.
"""

from services.common.events import EventCatalog, EventSpec
from services.common.privacy import PERSON_ANONYMISED

from .schemas import (
    FollowUpRecorded,
    HousingApplicationDecided,
    HousingApplicationSubmitted,
    HousingApplicationWaitlisted,
    HousingLeaseChanged,
    HousingOfferClosed,
    HousingOfferMade,
    HousingSubsidyDecided,
    HousingSubsidySubmitted,
    HousingUnitAllocated,
    LotteryRoundChanged,
    StationBookingCancelled,
    StationBookingChanged,
    TalentHintSent,
)

APPLICATION = "the housing application id"
OFFER = "the offer id"
BOOKING = "the station booking id"
DRAW_ROUND = "the draw round (lottery) id"

EVENTS = EventCatalog(
    "housing",
    {
        "application.submitted": EventSpec(
            HousingApplicationSubmitted,
            "A person applied for a kind of rental housing",
            APPLICATION,
        ),
        "application.decided": EventSpec(
            HousingApplicationDecided,
            "An application was approved or rejected (by an officer, or by the rules at "
            "submission when an eligibility rule failed)",
            APPLICATION,
        ),
        "application.waitlisted": EventSpec(
            HousingApplicationWaitlisted,
            "An approved application joined its kind's list (first come, or the next draw)",
            APPLICATION,
        ),
        "lottery.opened": EventSpec(
            LotteryRoundChanged,
            "A draw round opened, naming the public value it will be drawn with",
            DRAW_ROUND,
        ),
        "lottery.closed": EventSpec(
            LotteryRoundChanged,
            "A draw round closed: its entrants frozen, their list's hash and the commitment to "
            "its seed published",
            DRAW_ROUND,
        ),
        "lottery.cancelled": EventSpec(
            LotteryRoundChanged,
            "An open draw round was called off before it closed (nothing was fixed yet)",
            DRAW_ROUND,
        ),
        "lottery.drawn": EventSpec(
            LotteryRoundChanged,
            "A draw round ordered its entrants; its seed and public value are revealed",
            DRAW_ROUND,
        ),
        "offer.made": EventSpec(
            HousingOfferMade,
            "A unit was offered to an applicant, to answer before a deadline",
            OFFER,
        ),
        "offer.accepted": EventSpec(HousingOfferClosed, "The applicant accepted the offer", OFFER),
        "offer.declined": EventSpec(
            HousingOfferClosed, "The applicant declined; the unit goes to the next in line", OFFER
        ),
        "offer.expired": EventSpec(
            HousingOfferClosed,
            "The deadline passed unanswered; the unit goes to the next in line",
            OFFER,
        ),
        "unit.allocated": EventSpec(
            HousingUnitAllocated, "A unit was allocated to a person (offer accepted)", "the unit id"
        ),
        "lease.started": EventSpec(HousingLeaseChanged, "A tenancy began", "the lease id"),
        "lease.ended": EventSpec(
            HousingLeaseChanged,
            "A tenancy ended; the unit goes to the next in line",
            "the lease id",
        ),
        "stationbooking.confirmed": EventSpec(
            StationBookingChanged, "Youth-station nights were booked", BOOKING
        ),
        "stationbooking.cancelled": EventSpec(
            StationBookingCancelled,
            "Youth-station nights were given back (by the person, on early check-out, or "
            "because the person was hired in the district); the booking may keep other nights",
            BOOKING,
        ),
        "stationbooking.checked_in": EventSpec(
            StationBookingChanged, "A guest arrived at the youth station", BOOKING
        ),
        "stationbooking.checked_out": EventSpec(
            StationBookingChanged, "A guest left the youth station", BOOKING
        ),
        "subsidy.submitted": EventSpec(
            HousingSubsidySubmitted,
            "A person applied for a home-purchase subsidy or housing-fund use",
            "the subsidy application id",
        ),
        "subsidy.decided": EventSpec(
            HousingSubsidyDecided,
            "An officer granted or refused a subsidy application",
            "the subsidy application id",
        ),
        "ledger.followup_recorded": EventSpec(
            FollowUpRecorded,
            "An officer recorded a follow-up visit in the talent ledger (人才台账)",
            "the ledger entry id",
        ),
        "talenthint.sent": EventSpec(
            TalentHintSent,
            "A person hired in the district was told about talent apartments",
            "the person id",
        ),
        "person.anonymised": PERSON_ANONYMISED,
    },
)
