"""The startup service's programmes in the policy catalogue (政策目录), and a person's verdict on
each, decided by the very rules applying runs:

* 创业担保贷款 and its 贴息: `loans.applicant_refusal`, what `loans.apply` checks of the person
  (the amount, term and lender are the application's, not the person's);
* 一次性创业补贴: `grants.refusal_for` on the person's first completed business;
* 双创智慧港 incubator space: one open application per person, as `incubator.apply` refuses;
* 创业培训: open to everyone while places last (the places are the course's, not the person's);
* 致富带头人培训 (三.3): the same, courses of kind `rural_leaders` by the agriculture unit;
* 青年实干家计划 (三.3): young people up to `doer_max_age`, by `domain.rural.check_doer_age`,
  what `rural.apply_as_doer` checks of the person (selection is the department's).
"""

from __future__ import annotations

from services.common.benefits import (
    PASSED,
    Programme,
    RuleCheck,
    answer,
    refusal_check,
    refusal_of,
)
from services.common.i18n import bilingual

from . import grants, incubator, loans
from .domain import rural as rural_rules
from .messages import MESSAGES
from .policy import StartupPolicy

LEGAL_SOURCE = bilingual(
    "实施方案 三(一)4 加大创业扶持力度", "Plan 一.4, support to start a business"
)
TRAINING_SOURCE = bilingual("实施方案 三(一)5 开展创业培训", "Plan 一.5, startup training")
RURAL_SOURCE = bilingual("实施方案 三(三)3 创新乡村振兴形式", "Plan 三.3, rural revitalisation")


def catalogue(policy: StartupPolicy) -> list[Programme]:
    """The programmes as the public policy pages show them, with the policy's numbers."""
    rules = policy.loan_rules
    adult = bilingual(f"年满 {policy.loan_min_age} 周岁", f"Aged {policy.loan_min_age} or over")
    years = policy.grant_graduate_within_years
    subsidised_years = policy.subsidised_months // 12
    return [
        Programme(
            key="startup_loan",
            service="startup",
            name=bilingual("创业担保贷款", "Startup guaranteed loan"),
            unit=policy.loan_unit,
            legal_source=LEGAL_SOURCE,
            conditions=(adult, bilingual("经银行审核", "Approved by the lending bank")),
            amount=bilingual(
                f"个人最高 {rules.individual_limit} 元,小微企业最高 {rules.small_business_limit} "
                f"元,期限不超过 {rules.max_term_months} 个月",
                f"Up to {rules.individual_limit} CNY for a person, "
                f"{rules.small_business_limit} CNY for a small business, for at most "
                f"{rules.max_term_months} months",
            ),
            facts=("age",),
            apply_at="/api/v1/startup/loans",
        ),
        Programme(
            key="loan_interest_subsidy",
            service="startup",
            name=bilingual("创业担保贷款贴息", "Startup-loan interest subsidy"),
            unit=policy.loan_unit,
            legal_source=LEGAL_SOURCE,
            conditions=(adult, bilingual("获得创业担保贷款", "Holds a startup guaranteed loan")),
            amount=bilingual(
                f"借款人承担不超过 LPR−{rules.borrower_under_lpr_bp}bp,其余利息由财政贴息,"
                f"贴息 {subsidised_years} 年",
                f"The borrower pays at most LPR − {rules.borrower_under_lpr_bp} bp; the rest of "
                f"the interest is subsidised for {subsidised_years} years",
            ),
            facts=("age",),
            apply_at="/api/v1/startup/loans",
        ),
        Programme(
            key="startup_grant",
            service="startup",
            name=bilingual("一次性创业补贴", "One-off startup grant"),
            unit=policy.grant_unit,
            legal_source=LEGAL_SOURCE,
            conditions=(
                bilingual(
                    f"企业登记时为离校 {years} 年内的高校毕业生",
                    f"A graduate within {years} years when the business was registered",
                ),
                bilingual("首次创办企业", "The person's first business"),
                bilingual(
                    f"正常经营满 {policy.grant_min_operating_months} 个月",
                    f"Running for {policy.grant_min_operating_months} months",
                ),
                bilingual("每人限一次", "Once per person"),
            ),
            amount=bilingual(f"{policy.startup_grant_cny} 元", f"{policy.startup_grant_cny} CNY"),
            facts=("graduation_date", "degree"),
            apply_at="/api/v1/startup/grants",
        ),
        Programme(
            key="incubator_space",
            service="startup",
            name=bilingual("双创智慧港入驻", "Incubator space"),
            unit=policy.incubator_unit,
            legal_source=LEGAL_SOURCE,
            conditions=(
                bilingual("每人同时限一份申请或租用", "One application or tenancy at a time"),
            ),
            amount=bilingual(
                f"工位或办公室,入驻最长 {policy.incubator_max_tenancy_months} 个月",
                f"A desk or an office for up to {policy.incubator_max_tenancy_months} months",
            ),
            facts=(),
            apply_at="/api/v1/startup/incubator-applications",
        ),
        Programme(
            key="startup_training",
            service="startup",
            name=bilingual("创业培训", "Startup training"),
            unit=policy.training_unit,
            legal_source=TRAINING_SOURCE,
            conditions=(bilingual("面向所有青年,额满为止", "Open to everyone while places last"),),
            amount=bilingual("免费课程", "Free courses"),
            facts=(),
            apply_at="/api/v1/startup/courses",
        ),
        Programme(
            key="rural_leaders_training",
            service="startup",
            name=bilingual("致富带头人培训", "Training of leaders of getting rich"),
            unit=policy.rural_unit,
            legal_source=RURAL_SOURCE,
            conditions=(bilingual("面向所有青年,额满为止", "Open to everyone while places last"),),
            amount=bilingual("免费课程", "Free courses"),
            facts=(),
            apply_at="/api/v1/startup/courses",
        ),
        Programme(
            key="young_doers",
            service="startup",
            name=bilingual(
                "青年实干家计划(驻村帮扶工作队选派)",
                "Young doers' plan (village support teams)",
            ),
            unit=policy.doer_unit,
            legal_source=RURAL_SOURCE,
            conditions=(
                bilingual(
                    f"{policy.doer_max_age} 周岁以下", f"Aged {policy.doer_max_age} or under"
                ),
                bilingual("经区委组织部选派", "Selected by the organisation department"),
            ),
            amount=bilingual(
                f"驻村帮扶,期限最长 {policy.doer_max_posting_months} 个月",
                f"A posting to a village for up to {policy.doer_max_posting_months} months",
            ),
            facts=("age",),
            apply_at="/api/v1/startup/doer-calls",
        ),
    ]


def benefits(uow, person: dict, policy: StartupPolicy) -> list[dict]:
    """The person's verdict on each of the service's programmes."""
    by_key = {programme.key: programme for programme in catalogue(policy)}
    refused = loans.applicant_refusal(person, policy)
    adult = refusal_check(
        "adult", refused, bilingual("已成年", "An adult"), MESSAGES, person, ("age",)
    )
    registration = uow.repo.first_business_of(person["person_id"])
    grant_refused = grants.refusal_for(uow, registration, person, policy)
    grant = refusal_check(
        "first_business_of_a_graduate",
        grant_refused,
        bilingual("首次创办的企业已满经营期限", "The first business has run long enough"),
        MESSAGES,
        person,
        ("graduation_date", "degree") if registration is not None else (),
    )
    open_space = incubator.open_application_refusal(uow, person["person_id"])
    space = refusal_check(
        "one_at_a_time",
        open_space,
        bilingual("没有进行中的申请或租用", "No application or tenancy under way"),
        MESSAGES,
        person,
    )
    doer_refused = refusal_of(
        lambda: rural_rules.check_doer_age(person.get("age"), policy.doer_max_age)
    )
    young = refusal_check(
        "young",
        doer_refused,
        bilingual(f"{policy.doer_max_age} 周岁以下", f"Aged {policy.doer_max_age} or under"),
        MESSAGES,
        person,
        ("age",),
    )
    everyone = RuleCheck("open_to_all", PASSED, bilingual("面向所有青年", "Open to everyone"))
    return [
        answer(by_key["startup_loan"], refused is None, [adult]),
        answer(by_key["loan_interest_subsidy"], refused is None, [adult]),
        answer(by_key["startup_grant"], grant_refused is None, [grant]),
        answer(by_key["incubator_space"], open_space is None, [space]),
        answer(by_key["startup_training"], True, [everyone]),
        answer(by_key["rural_leaders_training"], True, [everyone]),
        answer(by_key["young_doers"], doer_refused is None, [young]),
    ]
