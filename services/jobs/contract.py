"""The jobs service's boundary: the request bodies, queries and views the gateway validates and
documents, and the person facts it passes with a young person's call.

It imports no domain code (the names of kinds and states come from `vocabulary.py`), so the
gateway depends on this module and on `messages.py` only.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from services.common.fields import CreditCode, DecimalString, MoneyView
from services.common.schemas import PageQuery, page_of, partial_schema

from .vocabulary import (
    APPLICATION_STATES,
    APPLICATION_TARGETS,
    COOPERATION_KINDS,
    EDUCATION_LEVELS,
    EMPLOYER_STATES,
    FAIR_LEVELS,
    FAIR_MODES,
    INDUSTRIES,
    POST_KINDS,
    POST_STATES,
    PRACTICE_ACTIVE,
    PRACTICE_EXPIRED,
    PROJECT_STATES,
    SUBSIDY_DECISIONS,
    SUBSIDY_KINDS,
    SUBSIDY_STATES,
    TRAINEESHIP_OUTCOMES,
    TRAINEESHIP_STATES,
)

AREA = validate.Length(min=1, max=100)
REASON = validate.Length(min=1, max=1000)
SALARY = validate.Range(min=0, max=1_000_000)


# -- employers --------------------------------------------------------------------------------


class EmployerRegistration(Schema):
    credit_code = CreditCode(
        required=True,
        metadata={
            "description": "统一社会信用代码 (GB 32100), check character verified",
            "example": "91350100M000100Y43",
        },
    )
    industry = fields.String(required=True, validate=validate.OneOf(INDUSTRIES))
    area = fields.String(
        required=True, validate=AREA, metadata={"description": "district area of its seat"}
    )
    address = fields.String(validate=validate.Length(max=200), load_default="")
    in_district = fields.Boolean(
        load_default=True, metadata={"description": "its seat is in the district"}
    )
    description = fields.String(validate=validate.Length(max=2000), load_default="")


EmployerUpdate = partial_schema(EmployerRegistration, "EmployerUpdate")


class EmployerVerification(Schema):
    note = fields.String(validate=validate.Length(max=1000))


class EmployerRejection(Schema):
    reason = fields.String(required=True, validate=REASON)


class PracticeUnitDesignation(Schema):
    partners = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "the schools and colleges it trains students with, by name"},
    )
    university_ids = fields.List(
        fields.String(validate=validate.Length(max=36)),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "the registered universities it serves (added to partners)"},
    )
    valid_from = fields.Date(metadata={"description": "the term's first day (default today)"})
    valid_until = fields.Date(
        metadata={"description": "the term's last day (default: the policy's years later)"}
    )

    @validates_schema
    def _some_partner(self, data, **kwargs):
        if not data.get("partners") and not data.get("university_ids"):
            raise ValidationError("practice_partners_required", field_name="partners")


class EmployerFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(EMPLOYER_STATES), load_default="pending")


class EmployerView(Schema):
    id = fields.String(required=True)
    name = fields.String()
    credit_code = fields.String()
    industry = fields.String()
    area = fields.String()
    address = fields.String()
    in_district = fields.Boolean()
    description = fields.String()
    state = fields.String(validate=validate.OneOf(EMPLOYER_STATES))
    rejection_reason = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    practice_unit = fields.Boolean()
    practice_partners = fields.List(fields.String())
    practice_from = fields.Date(allow_none=True)
    practice_until = fields.Date(allow_none=True)
    practice_university_ids = fields.List(fields.String(), allow_none=True)
    students_placed = fields.Integer(allow_none=True)
    registered_at = fields.DateTime()


EmployerPage = page_of(EmployerView, "EmployerPage")


# -- posts ------------------------------------------------------------------------------------


class PostInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(POST_KINDS))
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "景区讲解见习生"},
    )
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    tags = fields.List(
        fields.String(validate=validate.Length(min=1, max=20)),
        validate=validate.Length(max=10),
        load_default=list,
        metadata={"description": "skills and keywords, searched with the title"},
    )
    area = fields.String(required=True, validate=AREA, metadata={"description": "district area"})
    industry = fields.String(required=True, validate=validate.OneOf(INDUSTRIES))
    education = fields.String(
        validate=validate.OneOf(EDUCATION_LEVELS),
        load_default="none",
        metadata={"description": "the least education it requires"},
    )
    salary_min = fields.Integer(validate=SALARY, metadata={"description": "CNY a month"})
    salary_max = fields.Integer(validate=SALARY, metadata={"description": "CNY a month"})
    positions = fields.Integer(validate=validate.Range(min=1, max=1000), load_default=1)
    address = fields.String(validate=validate.Length(max=200), load_default="")
    in_district = fields.Boolean(
        metadata={"description": "the workplace is in the district (default: the employer's seat)"}
    )
    traineeship_months = fields.Integer(
        validate=validate.Range(min=1, max=36),
        metadata={"description": "traineeships only: 3 to 12 months by default policy"},
    )

    @validates_schema
    def _salary_order(self, data, **kwargs):
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            raise ValidationError("salary_reversed", field_name="salary_max")


PostUpdate = partial_schema(PostInput, "PostUpdate")


class PostReturn(Schema):
    reason = fields.String(required=True, validate=REASON)


class PostClosing(Schema):
    reason = fields.String(validate=REASON)


class PostSearch(PageQuery):
    keyword = fields.String(
        validate=validate.Length(max=100),
        metadata={
            "description": "words of the title, employer or tags; Chinese needs no spaces "
            "(见习 finds 文旅讲解见习岗); several keywords separated by spaces are all required",
            "example": "见习",
        },
    )
    kind = fields.String(validate=validate.OneOf(POST_KINDS))
    area = fields.String(validate=AREA)
    industry = fields.String(validate=validate.OneOf(INDUSTRIES))
    education = fields.String(
        validate=validate.OneOf(EDUCATION_LEVELS),
        metadata={"description": "the education I have: posts requiring at most this"},
    )
    salary_min = fields.Integer(
        validate=SALARY, metadata={"description": "posts paying up to at least this (CNY a month)"}
    )
    salary_max = fields.Integer(
        validate=SALARY, metadata={"description": "posts starting at no more than this"}
    )
    employer_id = fields.String(validate=validate.Length(max=36))
    sort = fields.String(
        validate=validate.OneOf(("newest", "salary")),
        load_default="newest",
        metadata={"description": "newest first, or best paid first"},
    )


class MyPostsQuery(PageQuery):
    state = fields.String(validate=validate.OneOf(POST_STATES))


class PostView(Schema):
    id = fields.String(required=True)
    employer_id = fields.String()
    employer_name = fields.String()
    kind = fields.String(validate=validate.OneOf(POST_KINDS))
    title = fields.String()
    description = fields.String()
    tags = fields.List(fields.String())
    area = fields.String()
    industry = fields.String()
    education = fields.String()
    salary_min = fields.Integer(allow_none=True)
    salary_max = fields.Integer(allow_none=True)
    positions = fields.Integer()
    hired_count = fields.Integer()
    address = fields.String()
    in_district = fields.Boolean()
    traineeship_months = fields.Integer(allow_none=True)
    state = fields.String(validate=validate.OneOf(POST_STATES))
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


PostPage = page_of(PostView, "PostPage")


class PostTransitionView(Schema):
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    actor_id = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    at = fields.DateTime()


class PostHistory(Schema):
    items = fields.List(fields.Nested(PostTransitionView), required=True)


# -- applications -----------------------------------------------------------------------------


class PersonFactsInput(Schema):
    """The profile facts the gateway passes with a young person's call."""

    class Meta:
        unknown = EXCLUDE

    person_id = fields.String(required=True)
    age = fields.Integer(allow_none=True)
    birth_date = fields.Date(allow_none=True)
    degree = fields.String(allow_none=True)
    graduation_date = fields.Date(allow_none=True)
    employment_status = fields.String(allow_none=True)


class JobApplicationInput(Schema):
    cover_letter = fields.String(validate=validate.Length(max=2000), load_default="")


class JobApplicationStatusChange(Schema):
    status = fields.String(required=True, validate=validate.OneOf(APPLICATION_TARGETS))
    note = fields.String(
        validate=validate.Length(max=1000),
        metadata={"description": "shown to the other side in the application's history"},
    )
    contract_with_social_insurance = fields.Boolean(
        load_default=False,
        metadata={"description": "hired only: a labour contract with social insurance"},
    )
    starts_on = fields.Date(
        metadata={"description": "hired on a traineeship post only: its first day (default today)"}
    )


class JobApplicationFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(APPLICATION_STATES))


class JobApplicationTransitionView(Schema):
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    actor_role = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    at = fields.DateTime()


class ApplicantFactsView(Schema):
    age = fields.Integer(allow_none=True)
    degree = fields.String(allow_none=True)
    graduation_date = fields.Date(allow_none=True)
    employment_status = fields.String(allow_none=True)


class JobApplicationView(Schema):
    id = fields.String(required=True)
    post_id = fields.String()
    post_title = fields.String()
    post_kind = fields.String()
    employer_id = fields.String()
    person_id = fields.String()
    state = fields.String(validate=validate.OneOf(APPLICATION_STATES))
    cover_letter = fields.String()
    applicant = fields.Nested(ApplicantFactsView, metadata={"description": "facts judged on"})
    submitted_at = fields.DateTime()
    updated_at = fields.DateTime()
    hired_at = fields.DateTime(allow_none=True)
    contract_with_social_insurance = fields.Boolean(allow_none=True)
    graduate = fields.Boolean(allow_none=True)
    in_district = fields.Boolean(allow_none=True)
    traineeship_id = fields.String(allow_none=True)
    history = fields.List(fields.Nested(JobApplicationTransitionView))


JobApplicationPage = page_of(JobApplicationView, "JobApplicationPage")


# -- traineeships -----------------------------------------------------------------------------


class Bilingual(Schema):
    zh_cn = fields.String(data_key="zh-CN")
    en = fields.String()


class RuleOutcomeView(Schema):
    rule = fields.String(
        metadata={"description": "recent_graduate, not_employed or age_range"}, required=True
    )
    passed = fields.Boolean(required=True)
    message = fields.Nested(Bilingual)


class EligibilityView(Schema):
    eligible = fields.Boolean(required=True)
    route = fields.String(
        allow_none=True, metadata={"description": "recent_graduate, unemployed_youth or null"}
    )
    summary = fields.Nested(Bilingual)
    rules = fields.List(fields.Nested(RuleOutcomeView))


class TraineeshipEnd(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(TRAINEESHIP_OUTCOMES))
    ended_on = fields.Date(required=True)


class TraineeshipFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(TRAINEESHIP_STATES))


class TraineeshipView(Schema):
    id = fields.String(required=True)
    application_id = fields.String()
    post_id = fields.String()
    post_title = fields.String()
    employer_id = fields.String()
    person_id = fields.String()
    months = fields.Integer()
    starts_on = fields.Date()
    planned_end_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    state = fields.String(validate=validate.OneOf(TRAINEESHIP_STATES))
    subsidy_rate = DecimalString(places=2)
    monthly_subsidy_cny = MoneyView()
    subsidy_months = fields.Integer()
    subsidy_total_cny = MoneyView()


TraineeshipPage = page_of(TraineeshipView, "TraineeshipPage")


# -- subsidies --------------------------------------------------------------------------------


class SubsidyClaimInput(Schema):
    application_id = fields.String(
        validate=validate.Length(max=36),
        metadata={"description": "one-off hiring subsidy: the hired application"},
    )
    traineeship_id = fields.String(
        validate=validate.Length(max=36),
        metadata={"description": "traineeship subsidy: the ended traineeship"},
    )

    @validates_schema
    def _exactly_one(self, data, **kwargs):
        if bool(data.get("application_id")) == bool(data.get("traineeship_id")):
            raise ValidationError("subsidy_claim_target", field_name="application_id")


class SubsidyClaimDecision(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(tuple(SUBSIDY_DECISIONS)))
    reason = fields.String(validate=REASON, metadata={"description": "required when rejecting"})


class SubsidyClaimFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(SUBSIDY_STATES))
    kind = fields.String(validate=validate.OneOf(SUBSIDY_KINDS))


class SubsidyClaimView(Schema):
    id = fields.String(required=True)
    kind = fields.String(validate=validate.OneOf(SUBSIDY_KINDS))
    employer_id = fields.String()
    person_id = fields.String()
    application_id = fields.String(allow_none=True)
    traineeship_id = fields.String(allow_none=True)
    amount_cny = MoneyView()
    state = fields.String(validate=validate.OneOf(SUBSIDY_STATES))
    reason = fields.String(allow_none=True)
    claimed_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


SubsidyClaimPage = page_of(SubsidyClaimView, "SubsidyClaimPage")


# -- fairs and practice units -----------------------------------------------------------------


class FairDetails(Schema):
    """What every fair states, the district's own and the city's alike."""

    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "2027年春风行动专场招聘会"},
    )
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    mode = fields.String(required=True, validate=validate.OneOf(FAIR_MODES))
    venue = fields.String(validate=validate.Length(max=200))
    url = fields.Url(metadata={"description": "online fairs: where it takes place"})
    area = fields.String(validate=AREA)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)

    @validates_schema
    def _consistent(self, data, **kwargs):
        if data["ends_at"] <= data["starts_at"]:
            raise ValidationError("fair_ends_before_start", field_name="ends_at")
        if data["mode"] == "on_site" and not data.get("venue"):
            raise ValidationError("fair_venue_required", field_name="venue")
        if data["mode"] == "online" and not data.get("url"):
            raise ValidationError("fair_url_required", field_name="url")


class FairInput(FairDetails):
    booth_capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=5000))


class CityFairInput(FairDetails):
    """A city-level fair (市级招聘活动) the district lists for its young people to attend."""

    organiser = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "who runs it in the city", "example": "市人力资源和社会保障局"},
    )


class FairFilter(PageQuery):
    mode = fields.String(validate=validate.OneOf(FAIR_MODES))
    level = fields.String(
        validate=validate.OneOf(FAIR_LEVELS),
        metadata={"description": "district (春风行动) or city (city-level fairs listed here)"},
    )
    starts_from = fields.AwareDateTime(metadata={"description": "fairs starting at or after"})


class FairView(Schema):
    id = fields.String(required=True)
    title = fields.String()
    description = fields.String()
    mode = fields.String(validate=validate.OneOf(FAIR_MODES))
    venue = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    booth_capacity = fields.Integer()
    booth_count = fields.Integer()
    booths_left = fields.Method("_booths_left")
    registration_count = fields.Integer()
    state = fields.String()
    organiser_unit = fields.String()
    level = fields.String(validate=validate.OneOf(FAIR_LEVELS))
    organiser = fields.String(allow_none=True, metadata={"description": "city-level fairs"})

    def _booths_left(self, fair) -> int:
        return max(0, fair.booth_capacity - fair.booth_count)


FairPage = page_of(FairView, "FairPage")


class BoothInput(Schema):
    post_ids = fields.List(
        fields.String(validate=validate.Length(max=36)),
        validate=validate.Length(max=20),
        load_default=list,
        metadata={"description": "published posts of yours to show at the booth"},
    )


class BoothView(Schema):
    id = fields.String(required=True)
    fair_id = fields.String()
    employer_id = fields.String()
    employer_name = fields.String()
    fee_cny = fields.Constant("0.00", metadata={"description": "booths are free (春风行动)"})
    posts = fields.List(fields.Nested(PostView))
    booked_at = fields.DateTime()


class FairDetail(FairView):
    booths = fields.List(fields.Nested(BoothView))


class FairRegistrationView(Schema):
    id = fields.String(required=True)
    fair_id = fields.String()
    fair_title = fields.String()
    mode = fields.String()
    venue = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    registered_at = fields.DateTime()


FairRegistrationPage = page_of(FairRegistrationView, "FairRegistrationPage")


class PracticeUnitView(Schema):
    employer_id = fields.String(required=True)
    name = fields.String()
    industry = fields.String()
    area = fields.String()
    partners = fields.List(fields.String())
    state = fields.String(validate=validate.OneOf((PRACTICE_ACTIVE, PRACTICE_EXPIRED)))
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    university_ids = fields.List(fields.String())
    students_placed = fields.Integer()
    posts = fields.List(fields.Nested(PostView), metadata={"description": "its published posts"})


PracticeUnitPage = page_of(PracticeUnitView, "PracticeUnitPage")


class PracticePlacementInput(Schema):
    university_id = fields.String(required=True, validate=validate.Length(max=36))
    students = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=10_000),
        metadata={"description": "how many students: a count, never who they are"},
    )
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class PracticePlacementView(Schema):
    id = fields.String(required=True)
    employer_id = fields.String()
    university_id = fields.String()
    students = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date()
    recorded_at = fields.DateTime()


PracticePlacementPage = page_of(PracticePlacementView, "PracticePlacementPage")


# -- district–university cooperation (区校合作) ------------------------------------------------


class UniversityInput(Schema):
    name = fields.String(
        required=True, validate=validate.Length(min=1, max=200), metadata={"example": "XX大学"}
    )
    city = fields.String(
        required=True, validate=validate.Length(min=1, max=100), metadata={"example": "杭州市"}
    )
    website = fields.Url()


class UniversityView(Schema):
    id = fields.String(required=True)
    name = fields.String()
    city = fields.String()
    website = fields.String(allow_none=True)
    registered_at = fields.DateTime()


UniversityPage = page_of(UniversityView, "UniversityPage")


class MilestoneInput(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    due_on = fields.Date(required=True)


class MilestoneView(Schema):
    id = fields.String(required=True)
    project_id = fields.String()
    title = fields.String()
    due_on = fields.Date()
    done = fields.Boolean()
    done_at = fields.DateTime(allow_none=True)


class OutcomeInput(Schema):
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "景区客流预测专利转化落地"},
    )
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    achieved_on = fields.Date(required=True)


class OutcomeView(Schema):
    id = fields.String(required=True)
    project_id = fields.String()
    title = fields.String()
    description = fields.String()
    achieved_on = fields.Date()
    recorded_at = fields.DateTime()


class CooperationProjectInput(Schema):
    university_id = fields.String(required=True, validate=validate.Length(max=36))
    kind = fields.String(
        required=True,
        validate=validate.OneOf(COOPERATION_KINDS),
        metadata={
            "description": "成果转化 technology_transfer, 平台建设 platform_building, "
            "人才交流 talent_exchange, 产教融合 industry_education"
        },
    )
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "智慧景区联合实验室"},
    )
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    partner_employer_ids = fields.List(
        fields.String(validate=validate.Length(max=36)),
        validate=validate.Length(max=50),
        load_default=list,
        metadata={"description": "employers of the district taking part"},
    )
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)
    milestones = fields.List(
        fields.Nested(MilestoneInput), validate=validate.Length(max=50), load_default=list
    )

    @validates_schema
    def _dates(self, data, **kwargs):
        if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("project_ends_before_start", field_name="ends_on")


class CooperationProjectFilter(PageQuery):
    kind = fields.String(validate=validate.OneOf(COOPERATION_KINDS))
    state = fields.String(validate=validate.OneOf(PROJECT_STATES))
    university_id = fields.String(validate=validate.Length(max=36))


class CooperationProjectView(Schema):
    id = fields.String(required=True)
    university_id = fields.String()
    university_name = fields.String()
    kind = fields.String(validate=validate.OneOf(COOPERATION_KINDS))
    title = fields.String()
    description = fields.String()
    partner_employer_ids = fields.List(fields.String())
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    state = fields.String(validate=validate.OneOf(PROJECT_STATES))
    milestone_count = fields.Integer()
    milestones_done = fields.Integer()
    outcome_count = fields.Integer()
    lead_unit = fields.String()
    published_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)


CooperationProjectPage = page_of(CooperationProjectView, "CooperationProjectPage")


class CooperationProjectDetail(CooperationProjectView):
    milestones = fields.List(fields.Nested(MilestoneView))
    outcomes = fields.List(fields.Nested(OutcomeView))


# -- roadshows at universities (特色产业专题推介) -----------------------------------------------


class RoadshowInput(Schema):
    university_id = fields.String(required=True, validate=validate.Length(max=36))
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "文旅产业专题推介会"},
    )
    industry = fields.String(
        required=True,
        validate=validate.OneOf(INDUSTRIES),
        metadata={"description": "the featured industry presented"},
    )
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    venue = fields.String(required=True, validate=validate.Length(min=1, max=200))
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    employer_capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=500))

    @validates_schema
    def _consistent(self, data, **kwargs):
        if data["ends_at"] <= data["starts_at"]:
            raise ValidationError("fair_ends_before_start", field_name="ends_at")


class RoadshowFilter(PageQuery):
    university_id = fields.String(validate=validate.Length(max=36))
    starts_from = fields.AwareDateTime(metadata={"description": "roadshows starting at or after"})


class RoadshowView(Schema):
    id = fields.String(required=True)
    university_id = fields.String()
    university_name = fields.String()
    title = fields.String()
    industry = fields.String()
    description = fields.String()
    venue = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    employer_capacity = fields.Integer()
    employer_count = fields.Integer()
    places_left = fields.Method("_places_left")
    state = fields.String()
    organiser_unit = fields.String()

    def _places_left(self, roadshow) -> int:
        return max(0, roadshow.employer_capacity - roadshow.employer_count)


RoadshowPage = page_of(RoadshowView, "RoadshowPage")


class RoadshowJoinInput(Schema):
    post_ids = fields.List(
        fields.String(validate=validate.Length(max=36)),
        validate=validate.Length(max=20),
        load_default=list,
        metadata={"description": "published posts of yours to present"},
    )


class RoadshowParticipationView(Schema):
    id = fields.String(required=True)
    roadshow_id = fields.String()
    employer_id = fields.String()
    employer_name = fields.String()
    posts = fields.List(fields.Nested(PostView))
    joined_at = fields.DateTime()


class RoadshowDetail(RoadshowView):
    employers = fields.List(fields.Nested(RoadshowParticipationView))
