"""Housing (二.1), the rules with no I/O: who decides, eligibility with its explanation, the
lottery, the state machines of applications, offers and units, and the youth station's nights.

Nothing here imports nameko or SQLAlchemy; the feature modules (`units.py`, `applications.py`,
`lottery.py`, `allocation.py`, `station.py`, `subsidies.py`, `ledger.py`) feed these functions
plain values and persist what they decide. Every number comes from `HousingPolicy`; every kind
and state is spelled in `vocabulary.py` (and readable here as `domain.PENDING` too).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from services.common.actor import Actor
from services.common.errors import Conflict, IllegalTransition, InvalidInput

from .messages import MESSAGES
from .policy import HousingPolicy
from .vocabulary import (
    AFFORDABLE_RENTAL,
    APPROVED,
    AVAILABLE,
    BOOKING_CANCELLED,
    CHECKED_IN,
    CONFIRMED,
    DECLINED,
    EXPIRED,
    GRANTED,
    HOUSED,
    HOUSING_FUND,
    LAPSED,
    LET,
    MAINTENANCE,
    OFFER_DECLINED,
    OFFERED,
    OFFERED_APP,
    OPEN_APPLICATION_STATES,
    PENDING,
    PUBLIC_RENTAL,
    PURCHASE_SUBSIDY,
    REFUSED,
    REJECTED,
    STATION_BED,
    SUBMITTED,
    TALENT_APARTMENT,
    WAITLISTED,
    WITHDRAWN,
)

HOUSING_UNIT = "housing"  # the officers' unit code of 区住建局 (gateway/units.py)

APPLICATION_TRANSITIONS = {
    "approve": ((SUBMITTED,), WAITLISTED),
    "reject": ((SUBMITTED,), REJECTED),
    "offer": ((WAITLISTED,), OFFERED_APP),
    "accept": ((OFFERED_APP,), HOUSED),
    "decline": ((OFFERED_APP,), DECLINED),
    "lapse": ((OFFERED_APP,), LAPSED),
    "withdraw": (OPEN_APPLICATION_STATES, WITHDRAWN),
}


def next_application_state(state: str, action: str) -> str:
    """The state an application moves to by `action`; 409 `illegal_transition` from any other."""
    allowed_from, target = APPLICATION_TRANSITIONS[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# -- who may act ---------------------------------------------------------------------------


def require_staff(actor: Actor) -> None:
    """Officer decisions belong to 区住建局 (or an administrator): anyone else is refused with
    403 `not_responsible_unit`."""
    actor.require_officer_of(HOUSING_UNIT, admin_may=True)


def may_see(actor: Actor, person_id: str) -> bool:
    """A person sees their own records; housing staff see everyone's."""
    return actor.is_self(person_id) or actor.acts_for(HOUSING_UNIT)


# -- eligibility ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What a decision rests on: profile facts from the gateway, and the applicant's own
    declarations (property in the district, government payroll)."""

    age: int | None
    degree: str | None
    social_insurance_months: int | None
    owns_property: bool | None
    on_payroll: bool | None

    @classmethod
    def of(cls, person: dict, declarations: dict) -> Facts:
        """The facts of the gateway's profile (`person`) and of the applicant's declarations."""
        return cls(
            age=person.get("age"),
            degree=person.get("degree"),
            social_insurance_months=person.get("local_social_insurance_months"),
            owns_property=declarations.get("owns_property_in_district"),
            on_payroll=declarations.get("on_government_payroll"),
        )


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    passed: bool
    code: str
    params: dict = field(default_factory=dict)

    def explained(self) -> dict:
        return {
            "rule": self.rule,
            "passed": self.passed,
            "code": self.code,
            "explanation": MESSAGES.render(self.code, self.params),
        }


def _age_rule(facts: Facts, policy: HousingPolicy) -> RuleOutcome:
    advanced = facts.degree in policy.advanced_degrees
    limit = policy.max_age_advanced_degree if advanced else policy.max_age
    params = {
        "age": facts.age,
        "min_age": policy.min_age,
        "max_age": limit,
        "advanced_max": policy.max_age_advanced_degree,
    }
    if facts.age is None:
        return RuleOutcome("age", False, "housing.rule.age.unknown", params)
    if facts.age < policy.min_age:
        return RuleOutcome("age", False, "housing.rule.age.too_young", params)
    if facts.age > limit:
        return RuleOutcome("age", False, "housing.rule.age.too_old", params)
    return RuleOutcome("age", True, "housing.rule.age.ok", params)


def _social_insurance_rule(facts: Facts, policy: HousingPolicy) -> RuleOutcome:
    params = {"months": facts.social_insurance_months, "required": policy.social_insurance_months}
    if facts.social_insurance_months is None:
        return RuleOutcome(
            "social_insurance", False, "housing.rule.social_insurance.unknown", params
        )
    if facts.social_insurance_months < policy.social_insurance_months:
        return RuleOutcome("social_insurance", False, "housing.rule.social_insurance.short", params)
    return RuleOutcome("social_insurance", True, "housing.rule.social_insurance.ok", params)


def _no_property_rule(facts: Facts, policy: HousingPolicy) -> RuleOutcome:
    params = {"years": policy.property_lookback_years}
    if facts.owns_property is False:
        return RuleOutcome("no_property", True, "housing.rule.no_property.ok", params)
    return RuleOutcome("no_property", False, "housing.rule.no_property.owns", params)


def _not_on_payroll_rule(facts: Facts, policy: HousingPolicy) -> RuleOutcome:
    if facts.on_payroll is False:
        return RuleOutcome("not_on_payroll", True, "housing.rule.not_on_payroll.ok")
    return RuleOutcome("not_on_payroll", False, "housing.rule.not_on_payroll.on_payroll")


RULES = {
    "age": _age_rule,
    "social_insurance": _social_insurance_rule,
    "no_property": _no_property_rule,
    "not_on_payroll": _not_on_payroll_rule,
}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    outcomes: tuple[RuleOutcome, ...]

    @property
    def failed(self) -> list[str]:
        return [o.rule for o in self.outcomes if not o.passed]

    def explained(self) -> list[dict]:
        return [outcome.explained() for outcome in self.outcomes]


def evaluate(kind: str, facts: Facts, policy: HousingPolicy) -> Eligibility:
    """Every rule the kind requires, each with its outcome and explanation (all are evaluated,
    so the applicant learns every reason at once, not the first)."""
    outcomes = tuple(RULES[name](facts, policy) for name in policy.rules_for(kind))
    return Eligibility(all(o.passed for o in outcomes), outcomes)


def explanation_without_facts(explained: Sequence[dict]) -> list[dict]:
    """An eligibility explanation once the person's data is erased: which rule passed or failed
    and its message code stay as the decision's basis; the rendered text, which quotes the
    person's own facts (age, months of social insurance), goes."""
    return [{"rule": r["rule"], "passed": r["passed"], "code": r["code"]} for r in explained]


#: the reason recorded when the rules refuse an application at submission
RULES_FAILED = "eligibility rules failed"


def failed_rules(eligibility: str) -> list[str]:
    """The rules a stored explanation (JSON, rule by rule) says failed."""
    return [rule["rule"] for rule in json.loads(eligibility) if not rule["passed"]]


def check_approvable(eligible: bool, failed: Sequence[str]) -> None:
    """Only an eligible application is approved or granted (409 `not_eligible`, naming why)."""
    if not eligible:
        raise Conflict("not_eligible", params={"failed": ", ".join(failed)})


def check_preference_group(group: str, policy: HousingPolicy) -> None:
    """A preference group is one the policy draws (422 naming the groups)."""
    if group not in policy.preference_groups:
        raise InvalidInput.for_field(
            "preference_group",
            "unknown_preference_group",
            MESSAGES,
            groups=", ".join(policy.preference_groups),
        )


# -- inventory -----------------------------------------------------------------------------


def check_unit_fields(kind: str, fields: dict, policy: HousingPolicy) -> None:
    """The inventory's own rules: affordable rentals are small, only stations have beds,
    only talent apartments are converted homestays."""
    area = fields.get("area_m2")
    if (
        kind == AFFORDABLE_RENTAL
        and area is not None
        and Decimal(area) > policy.affordable_rental_max_area_m2
    ):
        raise InvalidInput.for_field(
            "area_m2", "area_too_large", MESSAGES, max=policy.affordable_rental_max_area_m2
        )
    if kind != STATION_BED and fields.get("beds") not in (None, 1):
        raise InvalidInput.for_field("beds", "beds_only_for_station", MESSAGES)
    if kind != TALENT_APARTMENT and fields.get("homestay"):
        raise InvalidInput.for_field("homestay", "homestay_only_for_talent", MESSAGES)


UNIT_TRANSITIONS = {
    "offer": ((AVAILABLE,), OFFERED),
    "let": ((OFFERED,), LET),
    "release": ((OFFERED, LET), AVAILABLE),
    "maintain": ((AVAILABLE,), MAINTENANCE),
    "reopen": ((MAINTENANCE,), AVAILABLE),
}


def next_unit_state(state: str, action: str) -> str:
    """The state a unit moves to by `action`; 409 `illegal_transition` from any other."""
    allowed_from, target = UNIT_TRANSITIONS[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


# -- the lottery ---------------------------------------------------------------------------

LOTTERY_ALGORITHM = "sha256-groups-v1"


@dataclass(frozen=True)
class Entrant:
    application_id: str
    group: str


def lottery_key(seed: str, application_id: str) -> str:
    """An entrant's draw: SHA-256 of "<seed>:<application id>" in hex. Anyone can compute it
    with any tool (`printf '%s' "$SEED:$ID" | sha256sum`)."""
    return hashlib.sha256(f"{seed}:{application_id}".encode()).hexdigest()


def draw(seed: str, entrants: Iterable[Entrant], groups: Sequence[str]) -> list[str]:
    """The lottery's order: preference groups in policy order; within a group, ascending
    `lottery_key`. The order depends only on the seed and the entrants, not on the order in
    which they are given, so a re-run with the recorded seed and entrants gives it again."""
    rank = {group: index for index, group in enumerate(groups)}
    ordered = sorted(
        entrants,
        key=lambda e: (
            rank.get(e.group, len(groups)),
            lottery_key(seed, e.application_id),
            e.application_id,
        ),
    )
    return [entrant.application_id for entrant in ordered]


# -- offers --------------------------------------------------------------------------------


#: offers that moved on unanswered or refused, their unit going to the next in line
MOVED_ON_OFFER_STATES = (OFFER_DECLINED, EXPIRED)


def respond_by(offered_at: datetime, policy: HousingPolicy) -> datetime:
    """An offer's deadline: `offer_response_days` after it was made."""
    return offered_at + timedelta(days=policy.offer_response_days)


def check_offer_open(state: str, deadline: datetime, now: datetime, action: str) -> None:
    """Only a pending offer is answered, and only before its deadline (409 `offer_expired`)."""
    if state != PENDING:
        raise IllegalTransition(state, action)
    if now > deadline:
        raise Conflict("offer_expired", params={"respond_by": deadline.isoformat()})


# -- the youth station (青年驿站) ----------------------------------------------------------


def nights_from(first_night: date, count: int) -> list[date]:
    """The consecutive nights of a stay, from its first."""
    return [first_night + timedelta(days=i) for i in range(count)]


#: the employment statuses that are not job seeking, as a refusal names them: the employed,
#: and a founder whose business registration is complete (自主创业, gateway/facts.py)
NOT_JOB_SEEKING = {
    "employed": {"status_zh": "已就业", "status_en": "employed"},
    "self_employed": {"status_zh": "自主创业", "status_en": "self-employed"},
}


def check_station_stay(
    nights: Sequence[date],
    graduation_date: date | None,
    employment_status: str | None,
    today: date,
    policy: HousingPolicy,
) -> None:
    """Who may stay free and when: a job-seeking graduate from `years_before` before to
    `years_after` after graduation, on nights from today up to the booking horizon."""
    first, last = nights[0], nights[-1]
    if first < today:
        raise InvalidInput.for_field(
            "first_night", "night_in_past", MESSAGES, today=today.isoformat()
        )
    if last > today + timedelta(days=policy.station_booking_horizon_days):
        raise InvalidInput.for_field(
            "nights",
            "night_beyond_horizon",
            MESSAGES,
            days=policy.station_booking_horizon_days,
        )
    if graduation_date is None:
        raise InvalidInput.for_field("graduation_date", "station_graduation_unknown", MESSAGES)
    if policy.station_job_seekers_only and employment_status in NOT_JOB_SEEKING:
        raise InvalidInput.for_field(
            "employment_status",
            "station_job_seekers_only",
            MESSAGES,
            **NOT_JOB_SEEKING[employment_status],
        )
    opens = add_years(graduation_date, -policy.station_years_before_graduation)
    closes = add_years(graduation_date, policy.station_years_after_graduation)
    if first < opens or last > closes:
        raise InvalidInput.for_field(
            "first_night",
            "station_graduation_window",
            MESSAGES,
            before=policy.station_years_before_graduation,
            after=policy.station_years_after_graduation,
            opens=opens.isoformat(),
            closes=closes.isoformat(),
        )


def check_night_cap(used: int, requested: int, policy: HousingPolicy) -> None:
    """At most `station_nights_per_person` nights per person over all bookings; cancelled
    nights do not count (they were never stayed)."""
    if used + requested > policy.station_nights_per_person:
        raise Conflict(
            "station_cap",
            params={"cap": policy.station_nights_per_person, "used": used, "requested": requested},
        )


def assign_beds(beds: int, taken: dict[date, set[int]], nights: Sequence[date]) -> dict[date, int]:
    """The lowest free bed number (1…beds) for each night; refuses the first full night."""
    assigned = {}
    for night in nights:
        free = [bed for bed in range(1, beds + 1) if bed not in taken.get(night, set())]
        if not free:
            raise Conflict("station_full", params={"night": night.isoformat()})
        assigned[night] = free[0]
    return assigned


def nights_to_free(nights: Iterable[date], today: date) -> list[date]:
    """On a hire in the district: the future nights go (tonight and the past stay)."""
    return sorted(night for night in nights if night > today)


def booking_state_after_freeing(state: str, nights_left: int) -> str:
    """A booking left with no night is cancelled; otherwise it keeps its state."""
    return BOOKING_CANCELLED if nights_left == 0 else state


def check_check_in(state: str, first_night: date, today: date) -> None:
    """A confirmed guest checks in on or after the first night."""
    if state != CONFIRMED:
        raise IllegalTransition(state, "check_in")
    if today < first_night:
        raise Conflict("check_in_too_early", params={"first_night": first_night.isoformat()})


def check_cancellable(state: str) -> None:
    """Only a stay not yet begun is cancelled by the guest."""
    if state != CONFIRMED:
        raise IllegalTransition(state, "cancel")


# -- units matched to household size -------------------------------------------------------


@dataclass(frozen=True)
class Households:
    """The household sizes a unit fits, both ends included (`most` None: no upper bound)."""

    fewest: int
    most: int

    def fit(self, household_size: int | None) -> bool:
        # an application from before household sizes were asked counts as one person
        return self.fewest <= (household_size or 1) <= self.most


def households_fitting(rooms: int, policy: HousingPolicy) -> Households:
    """The households a rental of `rooms` rooms fits: at most `max_persons_per_room` persons
    per room (a studio, 0 rooms, counts as one), and, when `max_spare_rooms` is set, no fewer
    persons than the rooms less that many spare ones."""
    most = policy.max_persons_per_room * max(rooms, 1)
    fewest = 1 if policy.max_spare_rooms is None else max(1, rooms - policy.max_spare_rooms)
    return Households(min(fewest, most), most)


def household_fit_params(rooms: int, policy: HousingPolicy) -> dict:
    """What a refusal says of a unit that fits no household waiting: its rooms and the
    household sizes it takes."""
    fitting = households_fitting(rooms, policy)
    return {"rooms": rooms, "fewest": fitting.fewest, "most": fitting.most}


# -- subsidies -----------------------------------------------------------------------------


#: a purchase subsidy is paid once per person ever (a refused application frees the person)
ONCE_PER_PERSON_KINDS = (PURCHASE_SUBSIDY,)


def check_subsidy_amount(kind: str, amount: Decimal, household_size: int, policy) -> None:
    """An amount above the policy's schedule for the household (购房补贴) or its cap (住房公积金
    使用) is refused, naming the most that may be asked (422 `amount_above_schedule`)."""
    cap = policy.subsidy_cap(kind, household_size)
    if amount > cap:
        raise InvalidInput.for_field(
            "amount_requested_cny",
            "amount_above_schedule",
            MESSAGES,
            cap=str(cap),
            household_size=household_size,
        )


def subsidy_person_key(kind: str, person_id: str) -> str | None:
    """The key that keeps a once-per-person subsidy once per person while it stands."""
    return f"{kind}:{person_id}" if kind in ONCE_PER_PERSON_KINDS else None


def check_subsidy_decision(
    state: str, decision: str, amount: Decimal | None, requested: Decimal, reason: str | None
) -> None:
    """A decision on a submitted application: a grant names an amount up to the one
    requested; a refusal gives a reason."""
    if state != SUBMITTED:
        raise IllegalTransition(state, "decide")
    if decision == GRANTED:
        if amount is None:
            raise InvalidInput.for_field("amount_granted_cny", "amount_required", MESSAGES)
        if amount > requested:
            raise InvalidInput.for_field(
                "amount_granted_cny", "amount_too_high", MESSAGES, requested=str(requested)
            )
    elif not reason:
        raise InvalidInput.for_field("reason", "reason_required", MESSAGES)


def check_rejection_reason(decision: str, reason: str | None) -> None:
    """A rejection gives its reason (422 `reason_required`)."""
    if decision == REJECTED and not reason:
        raise InvalidInput.for_field("reason", "reason_required", MESSAGES)


# -- labels for messages -------------------------------------------------------------------

#: kind → (zh-CN, en), for notify's templates and the dashboard
KIND_LABELS = {
    TALENT_APARTMENT: ("人才公寓", "talent apartment"),
    PUBLIC_RENTAL: ("公租房", "public rental housing"),
    AFFORDABLE_RENTAL: ("保障性租赁住房", "affordable rental housing"),
    STATION_BED: ("青年驿站", "youth station"),
    PURCHASE_SUBSIDY: ("购房补贴", "home-purchase subsidy"),
    HOUSING_FUND: ("住房公积金使用", "housing-fund use"),
}
DECISION_LABELS = {
    APPROVED: ("已通过", "approved"),
    REJECTED: ("未通过", "rejected"),
    GRANTED: ("已批准", "granted"),
    REFUSED: ("未批准", "refused"),
}


def kind_labels(kind: str) -> dict:
    """A kind with its labels in both languages, for events and messages."""
    zh, en = KIND_LABELS[kind]
    return {"kind": kind, "kind_zh": zh, "kind_en": en}


def decision_labels(decision: str) -> dict:
    """A decision with its labels in both languages, for events and messages."""
    zh, en = DECISION_LABELS[decision]
    return {"decision": decision, "decision_zh": zh, "decision_en": en}


#: (kind of item, state) → the person's next step, for the dashboard
NEXT_STEPS = {
    ("application", SUBMITTED): ("等待住建局审核", "Waiting for the housing bureau's review"),
    ("application", WAITLISTED): (
        "轮候中,有房源时将通知您",
        "On the list; you will be told of a unit",
    ),
    ("application", OFFERED_APP): ("请在期限内确认房源", "Answer the offer before its deadline"),
    ("offer", PENDING): ("请在期限内接受或放弃", "Accept or decline before the deadline"),
    ("stationbooking", CONFIRMED): (
        "按预订日期到驿站办理入住",
        "Check in at the station on your first night",
    ),
    ("stationbooking", CHECKED_IN): ("退房时请到前台办理", "Check out at the desk when you leave"),
    ("subsidy", SUBMITTED): ("等待住建局审核", "Waiting for the housing bureau's decision"),
}


def next_step(item: str, state: str) -> dict | None:
    """The person's next step for an item of the dashboard, if there is one."""
    step = NEXT_STEPS.get((item, state))
    return None if step is None else {"zh-CN": step[0], "en": step[1]}
