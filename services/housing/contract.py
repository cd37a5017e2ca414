"""The housing service's contract: the bodies, queries and answers of its API.

The gateway validates requests and documents answers with these schemas (`gateway/routes/
housing.py`), and the service loads every request again with the same ones (a call may come from
elsewhere than the gateway). Only the vocabulary (`vocabulary.py`) is imported from the service:
no rule, no table, no service class. Event data lives in `schemas.py`.
"""

from __future__ import annotations

import json
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.fields import DecimalString, Measure, Money, MoneyView
from services.common.schemas import PageQuery, page_of, partial_schema

from .vocabulary import (
    APPLICATION_STATES,
    APPROVED,
    BOOKING_STATES,
    EMPLOYMENT_STATUSES,
    FOLLOWUP_METHODS,
    GRANTED,
    LEASE_STATES,
    OFFER_STATES,
    REFUSED,
    REJECTED,
    RENTAL_KINDS,
    SUBSIDY_KINDS,
    SUBSIDY_STATES,
    UNIT_KINDS,
    UNIT_STATES,
)

# -- units -----------------------------------------------------------------------------------


class HousingUnitChangeable(Schema):
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "人才公寓 3栋502"},
    )
    address = fields.String(required=True, validate=validate.Length(min=1, max=300))
    area = fields.String(
        validate=validate.Length(max=100), metadata={"description": "district area"}
    )
    area_m2 = Measure(
        Decimal(1),
        Decimal(1000),
        required=True,
        metadata={"description": "floor area in m²", "example": "45.50"},
    )
    rooms = fields.Integer(required=True, validate=validate.Range(min=0, max=20))
    rent_cny = Money(
        Decimal(0),
        Decimal(1_000_000),
        required=True,
        metadata={"description": "monthly rent (0 for station beds)"},
    )
    beds = fields.Integer(
        validate=validate.Range(min=1, max=200),
        metadata={"description": "youth-station units only: beds bookable each night"},
    )


class HousingUnitInput(HousingUnitChangeable):
    kind = fields.String(required=True, validate=validate.OneOf(UNIT_KINDS))
    homestay = fields.Boolean(
        load_default=False,
        metadata={"description": "a talent apartment converted from a homestay (民宿)"},
    )


HousingUnitUpdate = partial_schema(HousingUnitChangeable, "HousingUnitUpdate")


class HousingUnitFilter(PageQuery):
    kind = fields.String(validate=validate.OneOf(UNIT_KINDS))
    state = fields.String(validate=validate.OneOf(UNIT_STATES))
    area = fields.String(validate=validate.Length(max=100))


class HousingUnitStateChange(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class HousingUnitView(Schema):
    id = fields.String(required=True)
    kind = fields.String()
    title = fields.String()
    address = fields.String()
    area = fields.String(allow_none=True)
    area_m2 = DecimalString(places=2)
    rooms = fields.Integer()
    rent_cny = MoneyView()
    beds = fields.Integer()
    homestay = fields.Boolean()
    state = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


HousingUnitPage = page_of(HousingUnitView, "HousingUnitPage")


class NightsQuery(Schema):
    first_night = fields.Date(required=True, metadata={"example": "2026-07-01"})
    nights = fields.Integer(validate=validate.Range(min=1, max=31), load_default=7)


class NightLoad(Schema):
    night = fields.Date()
    beds = fields.Integer()
    booked = fields.Integer()
    free = fields.Integer()


class NightsView(Schema):
    unit_id = fields.String()
    nights = fields.List(fields.Nested(NightLoad))


# -- eligibility and applications -------------------------------------------------------------


class HousingDeclarations(Schema):
    owns_property_in_district = fields.Boolean(
        required=True,
        metadata={
            "description": "you, your spouse or a minor child had property in the district "
            "within the lookback period (5 years by default)"
        },
    )
    on_government_payroll = fields.Boolean(
        required=True, metadata={"description": "on the government payroll (在编)"}
    )


class HousingEligibilityQuery(HousingDeclarations):
    kind = fields.String(required=True, validate=validate.OneOf(RENTAL_KINDS + SUBSIDY_KINDS))


class EligibilityRuleView(Schema):
    rule = fields.String()
    passed = fields.Boolean()
    code = fields.String()
    explanation = fields.Dict(keys=fields.String(), values=fields.String())


class HousingEligibilityView(Schema):
    kind = fields.String()
    eligible = fields.Boolean()
    rules = fields.List(fields.Nested(EligibilityRuleView))


class HousingApplicationInput(HousingDeclarations):
    kind = fields.String(required=True, validate=validate.OneOf(RENTAL_KINDS))
    household_size = fields.Integer(validate=validate.Range(min=1, max=20), load_default=1)


class HousingApplicationDecision(Schema):
    decision = fields.String(required=True, validate=validate.OneOf((APPROVED, REJECTED)))
    reason = fields.String(validate=validate.Length(max=2000))
    preference_group = fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={"description": "lottery group on approval (policy.preference_groups)"},
    )


class HousingApplicationFilter(PageQuery):
    kind = fields.String(validate=validate.OneOf(RENTAL_KINDS))
    state = fields.String(validate=validate.OneOf(APPLICATION_STATES))


def _explanation(row) -> list:
    return json.loads(row.eligibility) if isinstance(row.eligibility, str) else row.eligibility


class HousingApplicationView(Schema):
    id = fields.String(required=True)
    person_id = fields.String()
    kind = fields.String()
    state = fields.String()
    household_size = fields.Integer()
    owns_property_in_district = fields.Boolean(attribute="owns_property")
    on_government_payroll = fields.Boolean(attribute="on_payroll")
    eligible = fields.Boolean()
    eligibility = fields.Function(_explanation)
    preference_group = fields.String(allow_none=True)
    lottery_id = fields.String(allow_none=True)
    lottery_position = fields.Integer(allow_none=True)
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    waitlist_position = fields.Integer(allow_none=True, dump_default=None)


HousingApplicationPage = page_of(HousingApplicationView, "HousingApplicationPage")


# -- allocation ---------------------------------------------------------------------------------


class AllocationRoundInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(RENTAL_KINDS))
    unit_id = fields.String(
        validate=validate.Length(max=36),
        metadata={
            "description": "offer only this unit, to the first in line whose household fits it "
            "(409 `unit_fits_no_household` when none that waits does)"
        },
    )


class HousingOfferView(Schema):
    id = fields.String(required=True)
    application_id = fields.String()
    unit_id = fields.String()
    person_id = fields.String()
    kind = fields.String()
    method = fields.String()
    state = fields.String(validate=validate.OneOf(OFFER_STATES))
    offered_at = fields.DateTime()
    respond_by = fields.DateTime()
    responded_at = fields.DateTime(allow_none=True)


HousingOfferPage = page_of(HousingOfferView, "HousingOfferPage")


class UnitLeftView(Schema):
    """A unit a round left available: no household waiting fits it."""

    unit_id = fields.String()
    rooms = fields.Integer()
    fewest = fields.Integer(metadata={"description": "the smallest household it takes"})
    most = fields.Integer(metadata={"description": "the largest household it takes"})


class AllocationRoundView(Schema):
    kind = fields.String()
    method = fields.String()
    offers = fields.List(fields.Nested(HousingOfferView))
    units_left = fields.List(
        fields.Nested(UnitLeftView),
        metadata={
            "description": "available units no waiting household fits (by household size), "
            "left for a later round"
        },
    )


class Refused(fields.Field):
    """A field the API names only to refuse it, with its reason (`code`), rather than the
    generic "unknown field": a client built for an older contract learns what changed."""

    def __init__(self, code: str, **kwargs):
        super().__init__(load_only=True, **kwargs)
        self.code = code

    def _deserialize(self, value, attr, data, **kwargs):
        raise ValidationError(self.code)


def _seed_refused() -> Refused:
    """The seed is the platform's, generated at close and committed to: never an officer's."""
    return Refused(
        "seed_not_accepted",
        metadata={
            "description": "refused: the seed is generated when the round closes and its "
            "SHA-256 published; an officer cannot supply one"
        },
    )


class LotteryInput(Schema):
    """A draw round (摇号) opened by an officer, naming the public value it will be drawn with."""

    kind = fields.String(required=True, validate=validate.OneOf(RENTAL_KINDS))
    title = fields.String(validate=validate.Length(min=1, max=200))
    public_value_source = fields.String(
        required=True,
        validate=validate.Length(min=5, max=500),
        metadata={
            "description": "the public value the draw will use, named so that anyone can look "
            "it up, e.g. 中国福利彩票双色球第2026081期开奖号码"
        },
    )
    public_value_at = fields.AwareDateTime(
        required=True,
        metadata={
            "description": "when that value is published: the round must close before, and "
            "is drawn after"
        },
    )
    seed = _seed_refused()


class LotteryDrawInput(Schema):
    """The public value the round named, as published, entered at the draw."""

    public_value = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "spaces are collapsed; published with the result"},
    )
    seed = _seed_refused()


class LotteryFilter(PageQuery):
    kind = fields.String(validate=validate.OneOf(RENTAL_KINDS))


class EntrantView(Schema):
    application_id = fields.String()
    group = fields.String()


class LotteryChecks(Schema):
    """What a verifier checks; null where a draw of the first algorithm had nothing to check."""

    commitment = fields.Boolean(
        allow_none=True, metadata={"description": "SHA-256 of the seed is the commitment"}
    )
    entrants_hash = fields.Boolean(
        allow_none=True,
        metadata={"description": "SHA-256 of the entrant list is the hash published at close"},
    )
    order = fields.Boolean(metadata={"description": "re-running the draw gives its order"})


class LotteryView(Schema):
    """A draw round as anyone may see and check it: no name, no ID number, only application
    ids. The seed is null until the draw; the entrants and their hash appear at close."""

    id = fields.String(required=True)
    kind = fields.String()
    title = fields.String(allow_none=True)
    state = fields.String(metadata={"description": "open, closed or drawn"})
    algorithm = fields.String()
    public_value_source = fields.String(allow_none=True)
    public_value_at = fields.DateTime(allow_none=True)
    public_value = fields.String(allow_none=True)
    commitment = fields.String(allow_none=True)
    entrants_hash = fields.String(allow_none=True)
    seed = fields.String(allow_none=True)
    groups = fields.List(fields.String(), allow_none=True)
    entrant_count = fields.Integer(allow_none=True)
    entrants = fields.List(fields.Nested(EntrantView), allow_none=True)
    order = fields.List(fields.String(), allow_none=True)
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    drawn_at = fields.DateTime(allow_none=True)
    checks = fields.Nested(LotteryChecks, allow_none=True)
    reproduced = fields.Boolean(
        allow_none=True,
        metadata={"description": "every check passes (null until the draw)"},
    )


class LotterySummary(Schema):
    id = fields.String(required=True)
    kind = fields.String()
    title = fields.String(allow_none=True)
    state = fields.String()
    public_value_source = fields.String(allow_none=True)
    public_value_at = fields.DateTime(allow_none=True)
    entrant_count = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    drawn_at = fields.DateTime(allow_none=True)


LotteryPage = page_of(LotterySummary, "LotteryPage")


class HousingLeaseEnd(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    ended_on = fields.Date(metadata={"description": "default: today"})


class HousingLeaseView(Schema):
    id = fields.String(required=True)
    unit_id = fields.String()
    application_id = fields.String()
    person_id = fields.String()
    kind = fields.String()
    rent_cny = MoneyView()
    state = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)


class HousingOfferAcceptedView(Schema):
    offer = fields.Nested(HousingOfferView)
    lease = fields.Nested(HousingLeaseView)


class HousingLeaseFilter(PageQuery):
    kind = fields.String(validate=validate.OneOf(RENTAL_KINDS))
    state = fields.String(validate=validate.OneOf(LEASE_STATES))


HousingLeasePage = page_of(HousingLeaseView, "HousingLeasePage")


# -- the youth station ------------------------------------------------------------------------


class StationBookingInput(Schema):
    unit_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    first_night = fields.Date(required=True, metadata={"example": "2026-07-01"})
    nights = fields.Integer(required=True, validate=validate.Range(min=1, max=31))


class BookedNight(Schema):
    night = fields.Date()
    bed = fields.Integer()
    state = fields.String()


class StationBookingView(Schema):
    id = fields.String(required=True)
    person_id = fields.String()
    unit_id = fields.String()
    state = fields.String(validate=validate.OneOf(BOOKING_STATES))
    first_night = fields.Date()
    last_night = fields.Date()
    nights_booked = fields.Integer()
    nights = fields.List(fields.Nested(BookedNight))
    created_at = fields.DateTime()
    checked_in_at = fields.DateTime(allow_none=True)
    checked_out_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)


StationBookingPage = page_of(StationBookingView, "StationBookingPage")


# -- subsidies --------------------------------------------------------------------------------


class HousingSubsidyInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(SUBSIDY_KINDS))
    amount_requested_cny = Money(Decimal(1), Decimal(10_000_000), required=True)
    property_address = fields.String(validate=validate.Length(max=300))
    contract_date = fields.Date()
    on_government_payroll = fields.Boolean(required=True)
    owns_property_in_district = fields.Boolean(
        metadata={"description": "needed only where a district's rules include no_property"}
    )
    household_size = fields.Integer(
        validate=validate.Range(min=1, max=20),
        load_default=1,
        metadata={"description": "persons in the household: the purchase subsidy's schedule"},
    )


class HousingSubsidyDecision(Schema):
    decision = fields.String(required=True, validate=validate.OneOf((GRANTED, REFUSED)))
    amount_granted_cny = Money(Decimal(0), Decimal(10_000_000))
    reason = fields.String(validate=validate.Length(max=2000))


class HousingSubsidyFilter(PageQuery):
    kind = fields.String(validate=validate.OneOf(SUBSIDY_KINDS))
    state = fields.String(validate=validate.OneOf(SUBSIDY_STATES))


class HousingSubsidyView(Schema):
    id = fields.String(required=True)
    person_id = fields.String()
    kind = fields.String()
    state = fields.String()
    amount_requested_cny = MoneyView()
    amount_granted_cny = MoneyView(allow_none=True)
    household_size = fields.Integer(allow_none=True)
    property_address = fields.String(allow_none=True)
    contract_date = fields.Date(allow_none=True)
    eligible = fields.Boolean()
    eligibility = fields.Function(_explanation)
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)


HousingSubsidyPage = page_of(HousingSubsidyView, "HousingSubsidyPage")


# -- the talent ledger ------------------------------------------------------------------------


class FollowUpInput(Schema):
    visited_on = fields.Date(required=True)
    method = fields.String(required=True, validate=validate.OneOf(FOLLOWUP_METHODS))
    employment_status = fields.String(validate=validate.OneOf(EMPLOYMENT_STATUSES))
    notes = fields.String(validate=validate.Length(max=2000), load_default="")


class FollowUpView(Schema):
    id = fields.String(required=True)
    entry_id = fields.String()
    visited_on = fields.Date()
    method = fields.String()
    employment_status = fields.String(allow_none=True)
    notes = fields.String()
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.DateTime()


class LedgerEntryView(Schema):
    id = fields.String(required=True)
    person_id = fields.String()
    lease_id = fields.String()
    unit_id = fields.String()
    kind = fields.String()
    housed_since = fields.Date()
    moved_out_on = fields.Date(allow_none=True)
    followups = fields.Integer()
    last_followup_on = fields.Date(allow_none=True)
    visits = fields.List(
        fields.Nested(FollowUpView), metadata={"description": "one entry only, not in lists"}
    )


class LedgerFilter(PageQuery):
    kind = fields.String(validate=validate.OneOf(RENTAL_KINDS))
    person_id = fields.String(validate=validate.Length(max=36))


LedgerPage = page_of(LedgerEntryView, "LedgerPage")


# -- indicators ------------------------------------------------------------------------------


class HousingPeriod(Schema):
    since = fields.Date(required=True)
    until = fields.Date(required=True)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data["until"] <= data["since"]:
            raise ValidationError("range_reversed", field_name="until")
