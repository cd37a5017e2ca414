"""The jobs service's programmes in the policy catalogue (政策目录), and a person's verdict on
each, decided by the very rules `applications.apply` and `subsidies.claim` apply.

* 就业见习 (百名大学生助龙计划, plan 一.2): `traineeships.eligibility`, the rule a traineeship
  post applies to an applicant.
* 一次性扩岗补助 (plan 一.2, 支持企业吸纳高校毕业生): `domain.check_hiring_subsidy_claim` on the
  person's hire and the once-per-person rule. It is the catalogue's automatic programme (免申即
  享): the hire and the graduate's facts are already on the platform, so the claim opens itself
  for 区人社局 to decide (`subsidies.claim_automatically`), instead of waiting for the employer
  to learn that it exists. The national notice on 一次性扩岗补助 asks for exactly this
  (经办模式 "免申即享", matched on records rather than applications).
"""

from __future__ import annotations

from services.common.benefits import (
    FAILED,
    PASSED,
    Programme,
    RuleCheck,
    answer,
    missing_of,
    refusal_check,
    refusal_of,
)
from services.common.i18n import bilingual

from . import domain, traineeships
from .messages import MESSAGES
from .policy import JobsPolicy
from .subsidies import ONCE_PER_PERSON, hire_to_claim

TRAINEESHIP, HIRING_SUBSIDY = "traineeship", "hiring_subsidy"

#: the profile facts each rule of the traineeship programme rests on
TRAINEESHIP_RULE_FACTS = {
    "recent_graduate": ("graduation_date",),
    "not_employed": ("employment_status",),
    "age_range": ("age",),
}


def catalogue(policy: JobsPolicy) -> list[Programme]:
    """The programmes as the public policy pages show them, with the policy's numbers."""
    monthly = domain.monthly_traineeship_subsidy(policy.traineeship_subsidy_rate, policy)
    retained = domain.monthly_traineeship_subsidy(policy.retention_subsidy_rate, policy)
    years, low, high = policy.graduate_years, policy.unemployed_min_age, policy.unemployed_max_age
    return [
        Programme(
            key=TRAINEESHIP,
            service="jobs",
            name=bilingual("就业见习(百名大学生助龙计划)", "Traineeship programme"),
            unit=policy.deciding_unit,
            legal_source=bilingual(
                "实施方案 三(一)2 实施“百名大学生助龙计划”", "Plan 一.2, the traineeship programme"
            ),
            conditions=(
                bilingual(
                    f"离校{years}年内未就业的高校毕业生,或{low}–{high}岁失业青年",
                    f"A graduate within {years} years of leaving school who is not employed, "
                    f"or an unemployed young person aged {low}–{high}",
                ),
            ),
            amount=bilingual(
                f"见习单位每月补贴 {monthly} 元(留用率达标 {retained} 元)",
                f"The host receives {monthly} CNY a month ({retained} CNY when it keeps half "
                "its trainees)",
            ),
            facts=("graduation_date", "employment_status", "age"),
            apply_at="/api/v1/posts?kind=traineeship",
        ),
        Programme(
            key=HIRING_SUBSIDY,
            service="jobs",
            name=bilingual("一次性扩岗补助", "One-off hiring subsidy"),
            unit=policy.deciding_unit,
            legal_source=bilingual(
                "实施方案 三(一)2 支持企业吸纳高校毕业生",
                "Plan 一.2, employers taking on graduates",
            ),
            conditions=(
                bilingual(
                    f"离校{years}年内的高校毕业生被录用",
                    f"A graduate within {years} years is hired",
                ),
                bilingual("签订劳动合同并参加社会保险", "On a contract with social insurance"),
                bilingual("每人限一次", "Once per person"),
                bilingual(
                    "发放前由区人社局核验毕业信息",
                    "Paid once 区人社局 has verified the graduation date",
                ),
            ),
            amount=bilingual(
                f"{policy.hiring_subsidy_cny} 元,发放给录用单位",
                f"{policy.hiring_subsidy_cny} CNY, paid to the employer",
            ),
            facts=("graduation_date", "employment_status"),
            apply_at="/api/v1/employment-subsidies",
            automatic=True,
            why_automatic=bilingual(
                "录用记录与毕业信息都在平台上,无需申请:录用后自动生成补助申请,由区人社局审核",
                "The hire and the graduate's facts are on the platform already: the claim opens "
                "itself on the hire, for 区人社局 to decide",
            ),
        ),
    ]


def traineeship_answer(person: dict, policy: JobsPolicy) -> dict:
    """The traineeship verdict: the programme's own rule, each rule with its facts."""
    result = traineeships.eligibility(person, policy)
    checks = [
        RuleCheck(
            outcome.rule,
            PASSED if outcome.passed else FAILED,
            MESSAGES.render(outcome.message, outcome.params),
            TRAINEESHIP_RULE_FACTS[outcome.rule],
            () if outcome.passed else missing_of(person, TRAINEESHIP_RULE_FACTS[outcome.rule]),
        )
        for outcome in result.rules
    ]
    programme = next(p for p in catalogue(policy) if p.key == TRAINEESHIP)
    return answer(programme, result.eligible, checks, route=result.route)


def hiring_subsidy_answer(uow, person: dict, policy: JobsPolicy) -> dict:
    """The hiring-subsidy verdict: the claim the person's latest hire would make, judged by
    the rule `subsidies.claim` applies (the hire as recorded, once per person)."""
    programme = next(p for p in catalogue(policy) if p.key == HIRING_SUBSIDY)
    hire = uow.repo.latest_hire_of(person["person_id"])
    if hire is None:
        check = RuleCheck(
            "hired",
            FAILED,
            bilingual(
                "尚无录用记录:被用人单位录用后,由单位获得扩岗补助",
                "No hire yet: the employer that hires you receives the subsidy",
            ),
            ("employment_status",),
        )
        return answer(programme, False, [check])
    refusal = refusal_of(lambda: hire_to_claim(uow, hire, hire.employer_id, policy))
    check = refusal_check(
        "hire_qualifies",
        refusal,
        bilingual(
            "以应届毕业生身份被录用,签订劳动合同并参保",
            "Hired as a recent graduate on a contract with social insurance",
        ),
        MESSAGES,
        person,
        ("graduation_date",) if refusal is None or refusal.code != ONCE_PER_PERSON else (),
    )
    return answer(programme, refusal is None, [check])


def benefits(uow, person: dict, policy: JobsPolicy) -> list[dict]:
    """The person's verdict on each of the service's programmes."""
    return [traineeship_answer(person, policy), hiring_subsidy_answer(uow, person, policy)]
