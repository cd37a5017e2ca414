"""The data of the events the jobs service publishes (catalogue in `events.py`): ids and facts,
never a person's name, ID number or phone.

Each schema reads the row it reports (`uow.record(type, subject=row.id, data=row)`);
`attribute=` names the column where the event's field is named for subscribers.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.fields import DecimalString, MoneyView

from .vocabulary import (
    APPLICATION_STATES,
    CLOSED,
    COOPERATION_KINDS,
    DECLINED,
    FAIR_LEVELS,
    FAIR_MODES,
    FILLED,
    GRANTED,
    POST_KINDS,
    SUBSIDY_KINDS,
    TRAINEESHIP_OUTCOMES,
)


class EmployerVerified(Schema):
    employer_id = fields.String(required=True, attribute="id")
    industry = fields.String(required=True)
    area = fields.String(required=True)
    in_district = fields.Boolean(required=True)
    verified_at = fields.DateTime(required=True, attribute="decided_at")


class EmployerRejected(Schema):
    employer_id = fields.String(required=True, attribute="id")
    reason = fields.String(required=True, attribute="rejection_reason")
    rejected_at = fields.DateTime(required=True, attribute="decided_at")


class PostingPublished(Schema):
    post_id = fields.String(required=True, attribute="id")
    employer_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(POST_KINDS))
    title = fields.String(required=True)
    area = fields.String(required=True)
    industry = fields.String(required=True)
    education = fields.String(required=True)
    salary_min = fields.Integer(allow_none=True)
    salary_max = fields.Integer(allow_none=True)
    positions = fields.Integer(required=True)
    in_district = fields.Boolean(required=True)
    traineeship_months = fields.Integer(allow_none=True)
    published_at = fields.DateTime(required=True)


class PostingReturned(Schema):
    post_id = fields.String(required=True)
    employer_id = fields.String(required=True)
    title = fields.String(required=True)
    reason = fields.String(required=True)


class PostingClosed(Schema):
    post_id = fields.String(required=True, attribute="id")
    employer_id = fields.String(required=True)
    title = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf((CLOSED, FILLED)))
    closed_at = fields.DateTime(required=True)


class ApplicationSubmitted(Schema):
    application_id = fields.String(required=True, attribute="id")
    post_id = fields.String(required=True)
    post_title = fields.String(required=True)
    post_kind = fields.String(required=True, validate=validate.OneOf(POST_KINDS))
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    submitted_at = fields.DateTime(required=True)


class ApplicationStatusChanged(Schema):
    application_id = fields.String(required=True)
    post_id = fields.String(required=True)
    post_title = fields.String(required=True)
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    from_status = fields.String(required=True, validate=validate.OneOf(APPLICATION_STATES))
    status = fields.String(required=True, validate=validate.OneOf(APPLICATION_STATES))
    status_label_zh = fields.String(required=True, metadata={"description": "for messages"})
    status_label_en = fields.String(required=True, metadata={"description": "for messages"})
    changed_at = fields.DateTime(required=True)


class ApplicationHired(Schema):
    """The contract other services rely on (housing consumes it): keep it exactly."""

    application_id = fields.String(required=True, attribute="id")
    post_id = fields.String(required=True)
    post_kind = fields.String(required=True, validate=validate.OneOf(POST_KINDS))
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    hired_at = fields.DateTime(required=True, metadata={"description": "RFC 3339"})
    graduate = fields.Boolean(
        required=True, metadata={"description": "graduated within the policy's years at hire"}
    )
    in_district = fields.Boolean(
        required=True, metadata={"description": "the post's workplace is in the district"}
    )
    contract_with_social_insurance = fields.Boolean(required=True)


class TraineeshipStarted(Schema):
    traineeship_id = fields.String(required=True, attribute="id")
    application_id = fields.String(required=True)
    post_id = fields.String(required=True)
    post_title = fields.String(required=True)
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    months = fields.Integer(required=True)
    starts_on = fields.Date(required=True)
    planned_end_on = fields.Date(required=True)
    subsidy_rate = DecimalString(required=True, places=2)
    monthly_subsidy_cny = MoneyView(required=True)


class TraineeshipEnded(Schema):
    traineeship_id = fields.String(required=True, attribute="id")
    post_title = fields.String(required=True)
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    outcome = fields.String(
        required=True, attribute="state", validate=validate.OneOf(TRAINEESHIP_OUTCOMES)
    )
    ended_on = fields.Date(required=True)
    subsidy_months = fields.Integer(required=True)
    subsidy_total_cny = MoneyView(required=True)


class SubsidyClaimed(Schema):
    subsidy_id = fields.String(required=True, attribute="id")
    kind = fields.String(required=True, validate=validate.OneOf(SUBSIDY_KINDS))
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    application_id = fields.String(allow_none=True)
    traineeship_id = fields.String(allow_none=True)
    amount_cny = MoneyView(required=True)
    claimed_at = fields.DateTime(required=True)


class SubsidyDecided(Schema):
    subsidy_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(SUBSIDY_KINDS))
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    decision = fields.String(required=True, validate=validate.OneOf((GRANTED, DECLINED)))
    decision_label_zh = fields.String(required=True, metadata={"description": "for messages"})
    decision_label_en = fields.String(required=True, metadata={"description": "for messages"})
    amount_cny = MoneyView(required=True)
    reason = fields.String(allow_none=True)
    decided_at = fields.DateTime(required=True)


class FairRegistered(Schema):
    registration_id = fields.String(required=True)
    fair_id = fields.String(required=True)
    fair_title = fields.String(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(FAIR_MODES))
    level = fields.String(
        validate=validate.OneOf(FAIR_LEVELS),
        metadata={
            "description": "district (春风行动) or city (a city-level fair the district lists)"
        },
    )
    person_id = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    place = fields.String(required=True, metadata={"description": "the venue, or the web address"})


class CityFairListed(Schema):
    fair_id = fields.String(required=True, attribute="id")
    title = fields.String(required=True)
    organiser = fields.String(required=True, metadata={"description": "the city's organiser"})
    mode = fields.String(required=True, validate=validate.OneOf(FAIR_MODES))
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)


# -- district–university cooperation (区校合作) and practice units --------------------------------


class UniversityRegistered(Schema):
    university_id = fields.String(required=True, attribute="id")
    name = fields.String(required=True, metadata={"description": "an organisation's name"})
    city = fields.String(required=True)
    registered_at = fields.DateTime(required=True)


class CooperationProjectPublished(Schema):
    project_id = fields.String(required=True, attribute="id")
    university_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(COOPERATION_KINDS))
    title = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)
    milestone_count = fields.Integer(required=True)
    lead_unit = fields.String(required=True)
    published_at = fields.DateTime(required=True)


class CooperationMilestoneDone(Schema):
    milestone_id = fields.String(required=True)
    project_id = fields.String(required=True)
    title = fields.String(required=True)
    due_on = fields.Date(required=True)
    done_at = fields.DateTime(required=True)
    on_time = fields.Boolean(required=True, metadata={"description": "done by its due date"})


class CooperationOutcomeRecorded(Schema):
    outcome_id = fields.String(required=True)
    project_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(COOPERATION_KINDS))
    university_id = fields.String(required=True)
    title = fields.String(required=True)
    achieved_on = fields.Date(required=True)


class PracticeUnitVerified(Schema):
    employer_id = fields.String(required=True)
    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True)
    university_ids = fields.List(fields.String(), required=True)
    verified_at = fields.DateTime(required=True)


class PracticeStudentsPlaced(Schema):
    """A count of students, never who they are."""

    placement_id = fields.String(required=True)
    employer_id = fields.String(required=True)
    university_id = fields.String(required=True)
    students = fields.Integer(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class RoadshowPublished(Schema):
    roadshow_id = fields.String(required=True, attribute="id")
    university_id = fields.String(required=True)
    title = fields.String(required=True)
    industry = fields.String(required=True)
    venue = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    employer_capacity = fields.Integer(required=True)


class RoadshowJoined(Schema):
    participation_id = fields.String(required=True)
    roadshow_id = fields.String(required=True)
    university_id = fields.String(required=True)
    employer_id = fields.String(required=True)
    industry = fields.String(required=True)
    posts = fields.Integer(required=True, metadata={"description": "how many posts it presents"})
    joined_at = fields.DateTime(required=True)
