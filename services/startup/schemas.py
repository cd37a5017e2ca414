"""The data of the events the startup service publishes (catalogued in `events.py`).

Each carries ids and figures, never a name, an ID number or a phone (a company's name may hold
its founder's, so it stays out too); a refusal's reason stays in the audit trail. What crosses
the gateway's boundary (bodies, queries, views) is the contract (`contract/`).
"""

from __future__ import annotations

from marshmallow import Schema, fields

from services.common.fields import MoneyView, RateText


class RegistrationSubmitted(Schema):
    registration_id = fields.String(required=True)
    person_id = fields.String(required=True)
    company_type = fields.String(required=True)
    submitted_at = fields.DateTime(required=True)
    warn_due_at = fields.DateTime(required=True)
    breach_due_at = fields.DateTime(required=True)


class RegistrationStepCompleted(Schema):
    registration_id = fields.String(required=True)
    person_id = fields.String(required=True)
    step = fields.String(required=True)
    unit = fields.String(required=True)
    completed_at = fields.DateTime(required=True)
    elapsed_business_seconds = fields.Integer(required=True)
    remaining_steps = fields.List(fields.String(), required=True)


class RegistrationCompleted(Schema):
    registration_id = fields.String(required=True)
    person_id = fields.String(required=True)
    company_type = fields.String(required=True)
    completed_at = fields.DateTime(required=True)
    elapsed_business_seconds = fields.Integer(required=True)
    target_business_seconds = fields.Integer(required=True)
    within_target = fields.Boolean(required=True)
    graduate = fields.Boolean(
        required=True,
        metadata={"description": "a recent graduate started it: counts toward the plan's goal"},
    )


class RegistrationSlaChanged(Schema):
    """The promise's warning (75 % used) or breach (over the target), and who is behind."""

    registration_id = fields.String(required=True)
    person_id = fields.String(required=True)
    elapsed_business_seconds = fields.Integer(required=True)
    target_business_seconds = fields.Integer(required=True)
    pending_steps = fields.List(fields.String(), required=True)
    pending_units = fields.List(fields.String(), required=True)


class RegistrationClosed(Schema):
    """Rejected at a step (the reason stays in the audit trail) or withdrawn."""

    registration_id = fields.String(required=True)
    person_id = fields.String(required=True)
    state = fields.String(required=True)
    step = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)


class LoanChanged(Schema):
    loan_id = fields.String(required=True)
    person_id = fields.String(required=True)
    lender_id = fields.String(required=True)
    borrower_kind = fields.String(required=True)
    state = fields.String(required=True)
    amount_cny = MoneyView(required=True)
    term_months = fields.Integer(required=True)
    contract_rate_percent = RateText(allow_none=True)
    borrower_rate_percent = RateText(allow_none=True)


class LoanDisbursed(LoanChanged):
    disbursed_on = fields.Date(required=True)
    total_interest_cny = MoneyView(required=True)
    total_subsidy_cny = MoneyView(required=True)


class LoanRepaid(Schema):
    """The bank reported an instalment repaid in full."""

    loan_id = fields.String(required=True)
    lender_id = fields.String(required=True)
    instalment = fields.Integer(required=True)
    due_on = fields.Date(required=True)
    paid_on = fields.Date(required=True)
    amount_cny = MoneyView(required=True)
    outstanding_principal_cny = MoneyView(required=True)


class LoanArrearsReported(Schema):
    """The bank reported the loan in arrears since a day, or caught up (`overdue_since` null)."""

    loan_id = fields.String(required=True)
    lender_id = fields.String(required=True)
    overdue_since = fields.Date(allow_none=True)
    days_overdue = fields.Integer(required=True)


class LoanInArrears(Schema):
    """Arrears went beyond the policy's threshold: the subsidy stops (the loan unit is told)."""

    loan_id = fields.String(required=True)
    person_id = fields.String(required=True)
    lender_id = fields.String(required=True)
    overdue_since = fields.Date(required=True)
    days_overdue = fields.Integer(required=True)
    threshold_days = fields.Integer(required=True)
    subsidy_stopped_from = fields.Date(required=True)
    outstanding_principal_cny = MoneyView(required=True)


class LoanSubsidyClaimed(Schema):
    """A quarter's interest subsidy claimed and committed as a payout to the bank."""

    loan_id = fields.String(required=True)
    lender_id = fields.String(required=True)
    quarter = fields.String(required=True)
    instalments = fields.List(fields.Integer(), required=True)
    amount_cny = MoneyView(required=True)
    payout_id = fields.String(required=True)


class GrantChanged(Schema):
    grant_id = fields.String(required=True)
    person_id = fields.String(required=True)
    registration_id = fields.String(required=True)
    state = fields.String(required=True)
    amount_cny = MoneyView(required=True)


class IncubatorChanged(Schema):
    application_id = fields.String(required=True)
    person_id = fields.String(required=True)
    space_kind = fields.String(required=True)
    state = fields.String(required=True)
    space_id = fields.String(allow_none=True)
    space_code = fields.String(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)


class CoursePublished(Schema):
    course_id = fields.String(required=True)
    kind = fields.String(
        required=True, metadata={"description": "startup, or rural_leaders (致富带头人培训)"}
    )
    title = fields.String(required=True)
    mode = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    capacity = fields.Integer(required=True)
    organiser_unit = fields.String(required=True)


class EnrolmentChanged(Schema):
    enrolment_id = fields.String(required=True)
    course_id = fields.String(required=True)
    person_id = fields.String(required=True)
    state = fields.String(required=True)
    course_title = fields.String(required=True)
    starts_on = fields.Date(required=True)


# -- rural revitalisation (三.3 乡村振兴) -------------------------------------------------------


class RuralProjectChanged(Schema):
    """A partnership project published or closed (written by the agriculture unit)."""

    project_id = fields.String(required=True)
    title = fields.String(required=True)
    village = fields.String(required=True)
    seeks = fields.List(fields.String(), required=True)
    state = fields.String(required=True)
    organiser_unit = fields.String(required=True)
    closes_on = fields.Date(allow_none=True)


class PartnerApplicationChanged(Schema):
    """An application to a partnership project: submitted, decided or withdrawn (the reason of a
    decline stays on the record and in the audit trail)."""

    application_id = fields.String(required=True)
    project_id = fields.String(required=True)
    person_id = fields.String(required=True, metadata={"description": "the applicant's account"})
    applicant_kind = fields.String(required=True)
    contribution_form = fields.String(required=True)
    capital_cny = MoneyView(allow_none=True)
    state = fields.String(required=True)


class PartnerFollowedUp(Schema):
    application_id = fields.String(required=True)
    project_id = fields.String(required=True)
    follow_up_id = fields.String(required=True)
    recorded_on = fields.Date(required=True)
    progress = fields.String(required=True)
    invested_cny = MoneyView(allow_none=True)
    jobs_created = fields.Integer(allow_none=True)


class DoerCallChanged(Schema):
    call_id = fields.String(required=True)
    title = fields.String(required=True)
    places = fields.Integer(required=True)
    state = fields.String(required=True)
    organiser_unit = fields.String(required=True)
    closes_on = fields.Date(allow_none=True)


class DoerApplicationChanged(Schema):
    """An application to the young doers' plan: submitted, decided, posted or withdrawn."""

    application_id = fields.String(required=True)
    call_id = fields.String(required=True)
    person_id = fields.String(required=True)
    state = fields.String(required=True)
    village = fields.String(allow_none=True, metadata={"description": "once posted"})
    posted_from = fields.Date(allow_none=True)
    posted_until = fields.Date(allow_none=True)
