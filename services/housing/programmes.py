"""The housing service's programmes in the policy catalogue (政策目录), and a person's verdict on
each, decided by the very rules applying runs:

* the three rentals (人才公寓, 公租房, 保障性租赁住房) and the two subsidies (购房补贴, 住房公积金
  使用): `domain.evaluate`, the rules `applications.submit` and `subsidies.submit` evaluate.
  What the applicant declares on applying (no property in the district, not on the government
  payroll) is no profile fact: those rules are listed as declarations, and the verdict is the
  one an application declaring them would get;
* the youth station (青年驿站): `domain.check_station_stay` for a night from today and
  `domain.check_night_cap`, what `station.book` checks first.
"""

from __future__ import annotations

from services.common.benefits import (
    DECLARATION,
    FAILED,
    PASSED,
    Programme,
    RuleCheck,
    answer,
    missing_of,
    refusal_check,
    refusal_of,
)
from services.common.clock import clock
from services.common.i18n import bilingual

from . import domain
from .messages import MESSAGES
from .policy import HousingPolicy
from .station import graduation_of
from .vocabulary import (
    AFFORDABLE_RENTAL,
    HOUSING_FUND,
    PUBLIC_RENTAL,
    PURCHASE_SUBSIDY,
    STATION_BED,
    TALENT_APARTMENT,
)

HOUSING_UNIT = domain.HOUSING_UNIT
LEGAL_SOURCE = bilingual(
    "实施方案 三(二)1 提升青年宜居保障水平", "Plan 二.1, housing for young people"
)
#: the profile facts each rule rests on; the rules absent here are the applicant's declarations
RULE_FACTS = {"age": ("age", "degree"), "social_insurance": ("local_social_insurance_months",)}
#: what an application declaring them says (the declarations that qualify)
QUALIFYING_DECLARATIONS = {"owns_property_in_district": False, "on_government_payroll": False}
DECLARATION_FIELDS = {
    "no_property": "owns_property_in_district",
    "not_on_payroll": "on_government_payroll",
}
APPLY_AT = {
    **dict.fromkeys(
        (TALENT_APARTMENT, PUBLIC_RENTAL, AFFORDABLE_RENTAL), "/api/v1/housing/applications"
    ),
    **dict.fromkeys((PURCHASE_SUBSIDY, HOUSING_FUND), "/api/v1/housing/subsidies"),
    STATION_BED: "/api/v1/housing/station-bookings",
}
RULE_WORDS = {
    "age": lambda p: bilingual(
        f"年龄 {p.min_age}–{p.max_age} 岁(硕士及以上 {p.max_age_advanced_degree} 岁)",
        f"Aged {p.min_age}–{p.max_age} ({p.max_age_advanced_degree} with a master's or above)",
    ),
    "social_insurance": lambda p: bilingual(
        f"在本区连续缴纳社会保险满 {p.social_insurance_months} 个月",
        f"{p.social_insurance_months} consecutive months of social insurance in the district",
    ),
    "no_property": lambda p: bilingual(
        f"本人、配偶及未成年子女 {p.property_lookback_years} 年内在本区无房产(申请时声明)",
        f"No property in the district for applicant, spouse and minor children within "
        f"{p.property_lookback_years} years (declared on applying)",
    ),
    "not_on_payroll": lambda p: bilingual(
        "非财政供养在编人员(申请时声明)", "Not on the government payroll (declared on applying)"
    ),
}


def _amount(kind: str, policy: HousingPolicy):
    if kind == PURCHASE_SUBSIDY:
        schedule = " / ".join(str(a) for a in policy.purchase_subsidy_cny_by_household_size)
        return bilingual(
            f"按家庭人口 1 / 2 / 3 人及以上:{schedule} 元,每人限一次",
            f"By household size 1 / 2 / 3 or more: {schedule} CNY, once per person",
        )
    if kind == HOUSING_FUND:
        cap = policy.housing_fund_cap_cny
        return bilingual(f"最高 {cap} 元", f"Up to {cap} CNY")
    if kind == AFFORDABLE_RENTAL:
        area = policy.affordable_rental_max_area_m2
        return bilingual(f"建筑面积 ≤ {area} m² 的租赁住房", f"A rental of at most {area} m²")
    return bilingual("按分配结果租住", "A home to rent, as allocated")


def _rules_programme(kind: str, policy: HousingPolicy) -> Programme:
    rules = policy.rules_for(kind)
    zh, en = domain.KIND_LABELS[kind]
    return Programme(
        key=kind,
        service="housing",
        name=bilingual(zh, en[0].upper() + en[1:]),
        unit=HOUSING_UNIT,
        legal_source=LEGAL_SOURCE,
        conditions=tuple(RULE_WORDS[rule](policy) for rule in rules),
        amount=_amount(kind, policy),
        facts=tuple(fact for rule in rules for fact in RULE_FACTS.get(rule, ())),
        declarations=tuple(DECLARATION_FIELDS[r] for r in rules if r in DECLARATION_FIELDS),
        apply_at=APPLY_AT[kind],
    )


def _station_programme(policy: HousingPolicy) -> Programme:
    before, after = policy.station_years_before_graduation, policy.station_years_after_graduation
    nights = policy.station_nights_per_person
    return Programme(
        key="youth_station",
        service="housing",
        name=bilingual("青年驿站免费住宿", "Free youth-station stay"),
        unit=HOUSING_UNIT,
        legal_source=LEGAL_SOURCE,
        conditions=(
            bilingual(
                f"毕业前 {before} 年至毕业后 {after} 年内的高校毕业生",
                f"A graduate from {before} year before to {after} years after graduation",
            ),
            bilingual("正在求职(未就业)", "Looking for work (not employed)"),
            bilingual(f"每人累计最多 {nights} 晚", f"At most {nights} nights in all"),
        ),
        amount=bilingual(f"免费住宿,最多 {nights} 晚", f"Free nights, at most {nights}"),
        facts=("graduation_date", "employment_status"),
        apply_at=APPLY_AT[STATION_BED],
    )


RULE_KINDS = (TALENT_APARTMENT, PUBLIC_RENTAL, AFFORDABLE_RENTAL, PURCHASE_SUBSIDY, HOUSING_FUND)


def catalogue(policy: HousingPolicy) -> list[Programme]:
    """The programmes as the public policy pages show them, with the policy's numbers."""
    return [*(_rules_programme(kind, policy) for kind in RULE_KINDS), _station_programme(policy)]


def rules_answer(kind: str, person: dict, policy: HousingPolicy) -> dict:
    """The verdict an application of `kind` declaring the qualifying declarations would get."""
    result = domain.evaluate(kind, domain.Facts.of(person, QUALIFYING_DECLARATIONS), policy)
    checks = []
    for outcome in result.outcomes:
        reason = MESSAGES.render(outcome.code, outcome.params)
        if outcome.rule in DECLARATION_FIELDS:
            checks.append(RuleCheck(outcome.rule, DECLARATION, reason))
            continue
        facts = RULE_FACTS[outcome.rule]
        # the degree only raises the age limit: a missing degree is not why an age fails
        missing = () if outcome.passed else missing_of(person, facts[:1])
        state = PASSED if outcome.passed else FAILED
        checks.append(RuleCheck(outcome.rule, state, reason, facts, missing))
    return answer(_rules_programme(kind, policy), result.eligible, checks)


def station_answer(uow, person: dict, policy: HousingPolicy) -> dict:
    """Whether the person may stay at a youth station from tonight: the stay's own rules."""
    today = clock.today()
    stay = refusal_of(
        lambda: domain.check_station_stay(
            [today], graduation_of(person), person.get("employment_status"), today, policy
        )
    )
    checks = [
        refusal_check(
            "graduate_job_seeker",
            stay,
            bilingual(
                "在毕业时间窗口内,正在求职", "Within the graduation window, looking for work"
            ),
            MESSAGES,
            person,
            ("graduation_date", "employment_status"),
        )
    ]
    held = uow.repo.nights_held(person["person_id"])
    cap = refusal_of(lambda: domain.check_night_cap(len(held), 1, policy))
    nights_left = max(0, policy.station_nights_per_person - len(held))
    checks.append(
        refusal_check(
            "nights_left",
            cap,
            bilingual(f"还可预订 {nights_left} 晚", f"{nights_left} nights left to book"),
            MESSAGES,
            person,
        )
    )
    eligible = stay is None and cap is None
    return answer(_station_programme(policy), eligible, checks)


def benefits(uow, person: dict, policy: HousingPolicy) -> list[dict]:
    """The person's verdict on each of the service's programmes."""
    return [
        *(rules_answer(kind, person, policy) for kind in RULE_KINDS),
        station_answer(uow, person, policy),
    ]
