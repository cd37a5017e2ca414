"""The data of the events the housing service publishes and consumes (ids, never names, ID
numbers or phones). The API's bodies and answers are its contract (`contract.py`).
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from services.common.fields import MoneyView

from .vocabulary import CANCEL_REASONS

# -- event data (ids, never names, ID numbers or phones) ------------------------------------


class _Labelled(Schema):
    """Kind labels in both languages, so notify's templates read naturally."""

    kind = fields.String(required=True)
    kind_zh = fields.String(required=True)
    kind_en = fields.String(required=True)


class HousingApplicationSubmitted(_Labelled):
    application_id = fields.String(required=True)
    person_id = fields.String(required=True)
    eligible = fields.Boolean(required=True)
    submitted_at = fields.DateTime(required=True)


class HousingApplicationDecided(_Labelled):
    application_id = fields.String(required=True)
    person_id = fields.String(required=True)
    decision = fields.String(required=True)
    decision_zh = fields.String(required=True)
    decision_en = fields.String(required=True)
    automatic = fields.Boolean(
        required=True, metadata={"description": "decided by the rules at submission"}
    )
    failed_rules = fields.List(fields.String(), required=True)
    decided_at = fields.DateTime(required=True)


class HousingApplicationWaitlisted(_Labelled):
    application_id = fields.String(required=True)
    person_id = fields.String(required=True)
    method = fields.String(required=True)
    preference_group = fields.String(required=True)
    position = fields.Integer(
        allow_none=True, metadata={"description": "place in line (first-come lists only)"}
    )


class LotteryRoundChanged(_Labelled):
    """A draw round's public inputs as far as they are fixed: the source of the public value
    when it opens, the entrant list's hash and the commitment when it closes, the seed and the
    public value when it is drawn (services/housing/README.md "The draw")."""

    lottery_id = fields.String(required=True)
    state = fields.String(required=True)
    algorithm = fields.String(required=True)
    public_value_source = fields.String(allow_none=True)
    public_value_at = fields.DateTime(allow_none=True)
    entrants = fields.Integer(required=True, metadata={"description": "how many (0 while open)"})
    entrants_hash = fields.String(allow_none=True)
    commitment = fields.String(allow_none=True, metadata={"description": "SHA-256 of the seed"})
    seed = fields.String(allow_none=True, metadata={"description": "revealed at the draw"})
    public_value = fields.String(allow_none=True)
    drawn_at = fields.DateTime(allow_none=True)


class HousingOfferMade(_Labelled):
    offer_id = fields.String(required=True)
    application_id = fields.String(required=True)
    unit_id = fields.String(required=True)
    person_id = fields.String(required=True)
    method = fields.String(required=True)
    unit_title = fields.String(required=True)
    unit_address = fields.String(required=True)
    rent_cny = MoneyView(required=True)
    respond_by = fields.DateTime(required=True)


class HousingOfferClosed(_Labelled):
    """An offer accepted, declined or expired."""

    offer_id = fields.String(required=True)
    application_id = fields.String(required=True)
    unit_id = fields.String(required=True)
    person_id = fields.String(required=True)
    state = fields.String(required=True)
    unit_title = fields.String(required=True)


class HousingUnitAllocated(_Labelled):
    unit_id = fields.String(required=True)
    person_id = fields.String(required=True)
    application_id = fields.String(required=True)
    offer_id = fields.String(required=True)
    lease_id = fields.String(required=True)
    method = fields.String(required=True)
    allocated_at = fields.DateTime(required=True)


class HousingLeaseChanged(_Labelled):
    lease_id = fields.String(required=True)
    unit_id = fields.String(required=True)
    person_id = fields.String(required=True)
    unit_title = fields.String(required=True)
    unit_address = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)


class StationBookingChanged(Schema):
    booking_id = fields.String(required=True)
    unit_id = fields.String(required=True)
    person_id = fields.String(required=True)
    state = fields.String(required=True)
    unit_title = fields.String(required=True)
    unit_address = fields.String(required=True)
    first_night = fields.Date(required=True)
    last_night = fields.Date(required=True)
    nights_booked = fields.Integer(required=True)


class StationBookingCancelled(StationBookingChanged):
    nights_cancelled = fields.List(fields.Date(), required=True)
    reason = fields.String(
        required=True,
        validate=validate.OneOf(CANCEL_REASONS),
    )


class HousingSubsidySubmitted(Schema):
    subsidy_id = fields.String(required=True)
    person_id = fields.String(required=True)
    kind = fields.String(required=True)
    amount_requested_cny = MoneyView(required=True)
    eligible = fields.Boolean(required=True)


class HousingSubsidyDecided(HousingSubsidySubmitted):
    decision = fields.String(required=True)
    decision_zh = fields.String(required=True)
    decision_en = fields.String(required=True)
    kind_zh = fields.String(required=True)
    kind_en = fields.String(required=True)
    amount_granted_cny = MoneyView(allow_none=True)
    decided_at = fields.DateTime(required=True)


class FollowUpRecorded(Schema):
    entry_id = fields.String(required=True)
    followup_id = fields.String(required=True)
    person_id = fields.String(required=True)
    visited_on = fields.Date(required=True)
    method = fields.String(required=True)


class TalentHintSent(Schema):
    person_id = fields.String(required=True)
    hint = fields.String(required=True, metadata={"example": "talent_apartment"})
    reason = fields.String(required=True, metadata={"example": "hired_in_district"})
    job_application_id = fields.String(required=True)


# -- what this service consumes -----------------------------------------------------------


class JobsApplicationHired(Schema):
    """`youthcity.jobs.application.hired` as the jobs service's contract defines it; fields
    added later are ignored (a tolerant reader), missing or wrong ones dead-letter the event."""

    class Meta:
        unknown = EXCLUDE

    application_id = fields.String(required=True)
    post_id = fields.String(required=True)
    post_kind = fields.String(
        required=True, validate=validate.OneOf(("job", "internship", "traineeship"))
    )
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    hired_at = fields.AwareDateTime(required=True)
    graduate = fields.Boolean(required=True)
    in_district = fields.Boolean(required=True)
    contract_with_social_insurance = fields.Boolean(required=True)
