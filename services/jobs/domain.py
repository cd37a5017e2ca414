"""Jobs (一.1, 一.2, 一.3, 一.5): the rules, with no I/O.

* **Employers** (用人单位) register with their unified social credit code; an officer of the
  deciding unit (区人社局) verifies or rejects them; only verified employers publish.
* **Posts** (岗位) of three kinds, job, internship (实习) and traineeship (见习), move
  draft → pending review → published → closed | filled, each step by the party allowed to take it.
* **Applications** move submitted → viewed → interview → offer → hired | rejected | withdrawn.
* **The traineeship programme** (百名大学生助龙计划): who is eligible, how long a traineeship
  lasts, and what the host earns per month.
* **The one-off hiring subsidy** (一次性扩岗补助): which hire earns it.
* **District–university cooperation** (区校合作), **practice units** with their term, and
  **roadshows** at universities: who publishes, when a unit places students, places left.
* **Who acts**: which officers decide, and whose records a caller may see (the common `Actor`).

The names of kinds and states are in `vocabulary.py`. Every number comes from `JobsPolicy`;
nothing here reads a clock (callers pass `today`).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from services.common.actor import EMPLOYER, OFFICER, YOUTH, Actor
from services.common.errors import DomainError, Forbidden, IllegalTransition, InvalidInput, NotFound

from .messages import MESSAGES
from .policy import JobsPolicy
from .vocabulary import (
    ACTIVE_APPLICATION_STATES,
    CITY_FAIR,
    CLAIMED,
    CLOSED,
    COMPLETED,
    DRAFT,
    EDUCATION_LEVELS,
    EMPLOYER_PENDING,
    EMPLOYER_REJECTED,
    EMPLOYER_VERIFIED,
    FAIR_OPEN,
    FILLED,
    HIRED,
    INTERVIEW,
    OFFER,
    PENDING_REVIEW,
    PRACTICE_ACTIVE,
    PRACTICE_EXPIRED,
    PROJECT_ACTIVE,
    PUBLISHED,
    REJECTED,
    RETAINED,
    ROADSHOW_OPEN,
    SUBMITTED,
    SUBSIDY_DECISIONS,
    TRAINEESHIP,
    TRAINEESHIP_ACTIVE,
    VIEWED,
    WITHDRAWN,
)

#: what a caller who may not see a record is told: for them it does not exist (404)
EMPLOYER_NOT_FOUND = NotFound("employer")
POST_NOT_FOUND = NotFound("post")
APPLICATION_NOT_FOUND = NotFound("application")
TRAINEESHIP_NOT_FOUND = NotFound("traineeship")
CLAIM_NOT_FOUND = NotFound("subsidy claim")
FAIR_NOT_FOUND = NotFound("fair")
UNIVERSITY_NOT_FOUND = NotFound("university")
PROJECT_NOT_FOUND = NotFound("cooperation project")
MILESTONE_NOT_FOUND = NotFound("milestone")
ROADSHOW_NOT_FOUND = NotFound("roadshow")


def education_rank(level: str) -> int:
    return EDUCATION_LEVELS.index(level)


# -- who acts ---------------------------------------------------------------------------------


def is_deciding_officer(actor: Actor, policy: JobsPolicy) -> bool:
    """An officer of the deciding unit (区人社局 by default)."""
    return actor.is_officer_of(policy.deciding_unit)


def check_decides(actor: Actor, policy: JobsPolicy) -> None:
    """Only an officer of the deciding unit decides; an administrator does not either (403
    `not_responsible_unit`)."""
    actor.require_officer_of(policy.deciding_unit)


def is_employer(actor: Actor, employer_id: str) -> bool:
    """The employer account `employer_id` itself (an employer's id is its account's)."""
    return actor.role == EMPLOYER and actor.is_self(employer_id)


def is_applicant(actor: Actor, person_id: str) -> bool:
    """The young person `person_id` themself."""
    return actor.role == YOUTH and actor.is_self(person_id)


def check_owner_or_officer(
    actor: Actor, owner_id: str, policy: JobsPolicy, not_found: DomainError
) -> None:
    """The account a record belongs to, or a deciding officer; for anyone else it does not
    exist (`not_found`)."""
    if not (is_deciding_officer(actor, policy) or actor.is_self(owner_id)):
        raise not_found


# -- employers --------------------------------------------------------------------------------

#: action → (states it may start from, state it leads to)
EMPLOYER_TRANSITIONS = {
    "verify": ((EMPLOYER_PENDING,), EMPLOYER_VERIFIED),
    "reject": ((EMPLOYER_PENDING,), EMPLOYER_REJECTED),
    # a rejected employer corrects its details and asks again
    "resubmit": ((EMPLOYER_REJECTED,), EMPLOYER_PENDING),
}


def next_employer_state(state: str, action: str) -> str:
    allowed_from, target = EMPLOYER_TRANSITIONS[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


def check_may_publish(employer_state: str | None) -> None:
    """Only a verified employer puts posts before reviewers and the public."""
    if employer_state is None:
        raise DomainError("employer_not_registered", status=409)
    if employer_state != EMPLOYER_VERIFIED:
        raise DomainError("employer_not_verified", status=409, params={"state": employer_state})


# -- posts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostTransition:
    allowed_from: tuple[str, ...]
    target: str
    #: who takes it: the owning employer, an officer of the deciding unit, or either
    by: tuple[str, ...]
    needs_reason: bool = False


POST_TRANSITIONS = {
    "submit": PostTransition((DRAFT,), PENDING_REVIEW, (EMPLOYER,)),
    "approve": PostTransition((PENDING_REVIEW,), PUBLISHED, (OFFICER,)),
    "return": PostTransition((PENDING_REVIEW,), DRAFT, (OFFICER,), needs_reason=True),
    "close": PostTransition((DRAFT, PENDING_REVIEW, PUBLISHED), CLOSED, (EMPLOYER, OFFICER)),
    "fill": PostTransition((PUBLISHED,), FILLED, (EMPLOYER,)),
}


def next_post_state(
    state: str,
    action: str,
    actor: Actor,
    owner_id: str,
    policy: JobsPolicy,
    reason: str | None = None,
) -> str:
    """The state `action` leads to, if `actor` may take it from `state`.

    Someone else's post is not found (404) whatever its state; a step the actor's side does not
    take is 403; a step from the wrong state is 409.
    """
    transition = POST_TRANSITIONS[action]
    if actor.role == EMPLOYER and not is_employer(actor, owner_id):
        raise POST_NOT_FOUND
    if actor.role == EMPLOYER and EMPLOYER not in transition.by:
        raise Forbidden("post_step_for_officers", params={"action": action})
    if actor.role != EMPLOYER:
        if OFFICER not in transition.by:
            raise Forbidden("post_step_for_employer", params={"action": action})
        check_decides(actor, policy)
    if state not in transition.allowed_from:
        raise IllegalTransition(state, action)
    if transition.needs_reason and not (reason or "").strip():
        raise InvalidInput.for_field("reason", "required")
    return transition.target


def check_editable(state: str) -> None:
    """A post changes only as a draft: what reviewers approved is what applicants see."""
    if state != DRAFT:
        raise IllegalTransition(state, "edit")


def check_traineeship_length(kind: str, months: int | None, policy: JobsPolicy) -> None:
    """A traineeship post says how long it lasts, within the programme's bounds; other kinds
    have no such length."""
    if kind != TRAINEESHIP:
        if months is not None:
            raise InvalidInput.for_field("traineeship_months", "traineeship_months_only", MESSAGES)
        return
    low, high = policy.traineeship_min_months, policy.traineeship_max_months
    if months is None:
        raise InvalidInput.for_field("traineeship_months", "required")
    if not low <= months <= high:
        raise InvalidInput.for_field(
            "traineeship_months", "traineeship_months_range", MESSAGES, min=low, max=high
        )


def check_salary_range(salary_min: int | None, salary_max: int | None) -> None:
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise InvalidInput.for_field("salary_max", "salary_reversed", MESSAGES)


# -- applications -----------------------------------------------------------------------------

#: target status → (states it may be reached from, the side that moves it there)
APPLICATION_TRANSITIONS = {
    VIEWED: ((SUBMITTED,), EMPLOYER),
    INTERVIEW: ((SUBMITTED, VIEWED), EMPLOYER),
    OFFER: ((VIEWED, INTERVIEW), EMPLOYER),
    HIRED: ((OFFER,), EMPLOYER),
    REJECTED: (ACTIVE_APPLICATION_STATES, EMPLOYER),
    WITHDRAWN: (ACTIVE_APPLICATION_STATES, YOUTH),
}
#: the verb a refusal names ("cannot hire while the state is submitted")
APPLICATION_ACTIONS = {
    VIEWED: "view",
    INTERVIEW: "interview",
    OFFER: "offer",
    HIRED: "hire",
    REJECTED: "reject",
    WITHDRAWN: "withdraw",
}


def check_may_see_application(
    actor: Actor, person_id: str, employer_id: str, policy: JobsPolicy
) -> None:
    """The applicant, the employer it was sent to, and the deciding unit's officers see an
    application; for anyone else it does not exist."""
    if not (
        is_applicant(actor, person_id)
        or is_employer(actor, employer_id)
        or is_deciding_officer(actor, policy)
    ):
        raise APPLICATION_NOT_FOUND


def next_application_state(
    state: str, target: str, actor: Actor, person_id: str, employer_id: str
) -> str:
    """`target` if `actor` may move an application from `state` to it."""
    if not (is_applicant(actor, person_id) or is_employer(actor, employer_id)):
        raise APPLICATION_NOT_FOUND
    allowed_from, side = APPLICATION_TRANSITIONS[target]
    if actor.role != side:
        raise Forbidden(
            "application_step_for_employer" if side == EMPLOYER else "application_step_for_youth",
            params={"status": target},
        )
    if state not in allowed_from:
        raise IllegalTransition(state, APPLICATION_ACTIONS[target])
    return target


def check_open_for_applications(post_state: str) -> None:
    """Applications go to a published post; a post not yet published does not exist for
    applicants (404), one that closed or filled says so (409)."""
    if post_state in (DRAFT, PENDING_REVIEW):
        raise POST_NOT_FOUND
    if post_state != PUBLISHED:
        raise DomainError("post_not_open", status=409, params={"state": post_state})


# -- dates ------------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(start: date, end: date) -> int:
    """Full months from `start` to `end` (3 March → 2 June is 2, → 3 June is 3)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if add_months(start, months) <= end else months - 1


def is_recent_graduate(graduation_date: date | None, on: date, policy: JobsPolicy) -> bool:
    """Graduated, and `on` is no later than `graduate_years` after graduating (the day exactly
    two years after still counts)."""
    if graduation_date is None or graduation_date > on:
        return False
    return on <= add_years(graduation_date, policy.graduate_years)


# -- the traineeship programme (百名大学生助龙计划) --------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    """What the gateway tells a service about a young person (never a name or an ID number)."""

    person_id: str
    age: int | None = None
    graduation_date: date | None = None
    employment_status: str | None = None
    degree: str | None = None


@dataclass(frozen=True)
class RuleOutcome:
    """One rule of a decision: its code, whether it passed, and the values that explain it.
    `message` is the catalogue code of the sentence that says so."""

    rule: str
    passed: bool
    message: str
    params: dict


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    rules: list[RuleOutcome]
    #: which of the programme's two ways in the person qualifies by, if any
    route: str | None


def traineeship_eligibility(facts: PersonFacts, today: date, policy: JobsPolicy) -> Eligibility:
    """百名大学生助龙计划: eligible are graduates within `graduate_years` of leaving school who are
    not employed, and unemployed young people aged `unemployed_min_age`–`unemployed_max_age`.

    Each rule is reported, passed or failed, with what it was judged on.
    """
    rules = [
        _recent_graduate_rule(facts.graduation_date, today, policy.graduate_years),
        _not_employed_rule(facts.employment_status),
        _age_rule(facts.age, policy.unemployed_min_age, policy.unemployed_max_age),
    ]
    passed = {outcome.rule for outcome in rules if outcome.passed}
    route = None
    if {"recent_graduate", "not_employed"} <= passed:
        route = "recent_graduate"
    elif {"not_employed", "age_range"} <= passed:
        route = "unemployed_youth"
    return Eligibility(route is not None, rules, route)


def _recent_graduate_rule(graduated: date | None, today: date, years: int) -> RuleOutcome:
    if graduated is None:
        return RuleOutcome("recent_graduate", False, "rule.graduate.unknown", {})
    limit = add_years(graduated, years)
    params = {"graduation_date": graduated.isoformat(), "years": years, "until": limit.isoformat()}
    if graduated > today:
        return RuleOutcome("recent_graduate", False, "rule.graduate.future", params)
    if today > limit:
        return RuleOutcome("recent_graduate", False, "rule.graduate.too_long", params)
    return RuleOutcome("recent_graduate", True, "rule.graduate.passed", params)


def _not_employed_rule(status: str | None) -> RuleOutcome:
    if status is None:
        return RuleOutcome("not_employed", False, "rule.employment.unknown", {})
    unemployed = status == "unemployed"
    message = "rule.employment.passed" if unemployed else "rule.employment.failed"
    return RuleOutcome("not_employed", unemployed, message, {"status": status})


def _age_rule(age: int | None, low: int, high: int) -> RuleOutcome:
    params = {"min_age": low, "max_age": high, "age": age}
    if age is None:
        return RuleOutcome("age_range", False, "rule.age.unknown", params)
    in_range = low <= age <= high
    return RuleOutcome(
        "age_range", in_range, "rule.age.passed" if in_range else "rule.age.failed", params
    )


def check_eligible(result: Eligibility) -> None:
    """A traineeship post takes eligible people only: a 422 naming each failed rule and why, in
    both languages."""
    if not result.eligible:
        raise DomainError(
            "traineeship_not_eligible",
            status=422,
            errors=[
                {
                    "field": outcome.rule,
                    "code": outcome.message,
                    "messages": MESSAGES.render(outcome.message, outcome.params),
                }
                for outcome in result.rules
                if not outcome.passed
            ],
        )


def retention_rate(retained: int, ended: int) -> Decimal | None:
    """The share of a host's ended traineeships that ended with the host hiring the trainee;
    None before any has ended."""
    if ended == 0:
        return None
    return Decimal(retained) / Decimal(ended)


def traineeship_subsidy_rate(retained: int, ended: int, policy: JobsPolicy) -> Decimal:
    """70 % of the minimum wage; 110 % for a host that keeps at least half of its trainees."""
    rate = retention_rate(retained, ended)
    if rate is not None and rate >= policy.retention_threshold:
        return policy.retention_subsidy_rate
    return policy.traineeship_subsidy_rate


def monthly_traineeship_subsidy(rate: Decimal, policy: JobsPolicy) -> Decimal:
    return (policy.minimum_wage_cny * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def subsidised_months(outcome: str, planned_months: int, starts_on: date, ended_on: date) -> int:
    """Months the host is paid for: the whole planned length when the traineeship ran its course
    or the host hired the trainee (an early hire keeps the remaining months); the full months
    served when the trainee left early."""
    if outcome in (COMPLETED, RETAINED):
        return planned_months
    return min(planned_months, whole_months_between(starts_on, ended_on))


def check_traineeship_end(outcome: str, starts_on: date, planned_end_on: date, ended_on: date):
    """A traineeship ends on or after its start; "completed" means it reached its planned end."""
    if ended_on < starts_on:
        raise InvalidInput.for_field("ended_on", "ended_before_start", MESSAGES)
    if outcome == COMPLETED and ended_on < planned_end_on:
        raise InvalidInput.for_field("outcome", "completed_before_end", MESSAGES)


# -- the one-off hiring subsidy (一次性扩岗补助) ------------------------------------------------


@dataclass(frozen=True)
class Hire:
    """What a hiring-subsidy claim is judged on: the hire as recorded when it happened."""

    state: str
    employer_id: str
    graduate: bool | None
    contract_with_social_insurance: bool | None


def check_hiring_subsidy_claim(hire: Hire, claimant_id: str) -> None:
    """1,500 CNY per eligible graduate hired on a contract with social insurance, claimed by the
    employer that hired them. (Once per person is the repository's unique key.)"""
    if hire.employer_id != claimant_id:
        raise APPLICATION_NOT_FOUND
    if hire.state != HIRED:
        raise DomainError("subsidy_needs_hire", status=409, params={"state": hire.state})
    if not hire.graduate:
        raise DomainError("subsidy_needs_recent_graduate", status=422)
    if not hire.contract_with_social_insurance:
        raise DomainError("subsidy_needs_insured_contract", status=422)


#: the profile facts a hiring-subsidy grant rests on (the hire's `graduate` was judged on
#: the graduation date): money is paid only on facts an officer of 区人社局 verified
HIRING_SUBSIDY_FACTS = ("graduation_date",)


def facts_basis(used: Mapping[str, str | None], verified: Mapping[str, str]) -> dict[str, str]:
    """Each fact a decision used, `verified` when the value it used is the one verified (a
    fact changed since it was verified is `declared` again), else `declared`."""
    return {
        fact: "verified" if value is not None and verified.get(fact) == value else "declared"
        for fact, value in used.items()
    }


def check_facts_verified(basis: Mapping[str, str]) -> None:
    """A decision that pays money refuses to rest on a fact the person only declared."""
    declared = [fact for fact, state in basis.items() if state != "verified"]
    if declared:
        raise DomainError(
            "facts_unverified", status=409, field=declared[0], params={"facts": ", ".join(declared)}
        )


def check_traineeship_subsidy_claim(state: str, employer_id: str, claimant_id: str) -> None:
    """The host claims its traineeship subsidy once the traineeship has ended."""
    if employer_id != claimant_id:
        raise TRAINEESHIP_NOT_FOUND
    if state == TRAINEESHIP_ACTIVE:
        raise DomainError("subsidy_needs_ended_traineeship", status=409)


def decide_subsidy(state: str, decision: str, reason: str | None) -> str:
    if state != CLAIMED:
        raise IllegalTransition(state, decision)
    if decision == "reject" and not (reason or "").strip():
        raise InvalidInput.for_field("reason", "required")
    return SUBSIDY_DECISIONS[decision]


# -- job fairs (春风行动) ----------------------------------------------------------------------


def check_fair_open(state: str, ends_at, now) -> None:
    if state != FAIR_OPEN or now >= ends_at:
        raise DomainError("fair_not_open", status=409)


def check_booth_available(booths: int, capacity: int) -> None:
    if booths >= capacity:
        raise DomainError("fair_booths_full", status=409, params={"capacity": capacity})


def check_booth_posts(post_ids: list[str], posts: dict, employer_id: str) -> None:
    """A booth shows the employer's own published posts only (`posts`: the posts found by id)."""
    if any(
        post_id not in posts
        or posts[post_id].employer_id != employer_id
        or posts[post_id].state != PUBLISHED
        for post_id in post_ids
    ):
        raise DomainError("booth_posts_not_open", status=422, field="post_ids")


def check_booths_offered(level: str) -> None:
    """A city-level fair is listed for young people to attend; its booths are the city's."""
    if level == CITY_FAIR:
        raise DomainError("city_fair_no_booths", status=409)


# -- district–university cooperation (区校合作) and practice units (产教融合实践单位) -------------


def check_cooperates(actor: Actor, policy: JobsPolicy) -> None:
    """Only an officer of the cooperation unit (区委组织部 by default) registers universities,
    publishes cooperation projects and organises roadshows (403 `not_responsible_unit`)."""
    actor.require_officer_of(policy.cooperation_unit)


def practice_term(
    valid_from: date | None, valid_until: date | None, today: date, policy: JobsPolicy
) -> tuple[date, date]:
    """A practice unit's term: from the day named (today by default) until the day named, or
    for the policy's years; it must end after it starts."""
    start = valid_from or today
    end = valid_until or add_years(start, policy.practice_unit_term_years)
    if end <= start:
        raise InvalidInput.for_field("valid_until", "practice_term_reversed", MESSAGES)
    return start, end


def practice_state(practice_unit: bool, until: date | None, today: date) -> str | None:
    """`active` within its term (a designation without a term stays active), `expired` after
    it, None for an employer that is no practice unit."""
    if not practice_unit:
        return None
    return PRACTICE_EXPIRED if until is not None and until < today else PRACTICE_ACTIVE


def check_places_students(
    state: str | None, university_ids: list | None, university_id: str, starts_on, ends_on
) -> None:
    """A practice unit places students while its status is active, from a university it serves,
    for a period that ends on or after it starts."""
    if state != PRACTICE_ACTIVE:
        raise DomainError("practice_unit_not_active", status=409)
    if university_id not in (university_ids or []):
        raise DomainError("university_not_served", status=422, field="university_id")
    if ends_on < starts_on:
        raise InvalidInput.for_field("ends_on", "placement_ends_before_start", MESSAGES)


def check_project_active(state: str) -> None:
    """A completed project takes no more milestones or outcomes."""
    if state != PROJECT_ACTIVE:
        raise DomainError("project_not_active", status=409, params={"state": state})


def check_milestone_open(done: bool) -> None:
    if done:
        raise DomainError("milestone_already_done", status=409)


def check_roadshow_open(state: str, ends_at, now) -> None:
    if state != ROADSHOW_OPEN or now >= ends_at:
        raise DomainError("roadshow_not_open", status=409)


def check_roadshow_places(joined: int, capacity: int) -> None:
    if joined >= capacity:
        raise DomainError("roadshow_full", status=409, params={"capacity": capacity})
