"""The jobs service's policy parameters: every number of its rules, as a documented default.

A district overrides any of them without code (`POLICY_FILE` or `JOBS_POLICY`, see
`services/common/policy.py`), for example `JOBS_POLICY='{"minimum_wage_cny": "2100"}'`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class JobsPolicy:
    """The rules of 一.1, 一.2, 一.3 and 一.5, as MISSION.md states them."""

    #: the unit whose officers verify employers, review posts, decide subsidies and run fairs
    #: (plan 一.2 and 一.5 name 区人社局 first among the responsible units)
    deciding_unit: str = "hrss"
    #: the unit whose officers register universities, publish district–university cooperation
    #: projects (区校合作) and organise roadshows at universities: 区委组织部, the first
    #: responsible unit the plan names for both 一.3 and 一.5 (talent work, 人才工作, is led there)
    cooperation_unit: str = "organisation"
    #: how long a practice unit's designation (产教融合实践单位) lasts when the officer names no
    #: end: a placeholder the district sets to its own designation rules
    practice_unit_term_years: int = 3

    #: 百名大学生助龙计划 (plan 一.2): "离校2年内未就业高校毕业生"; also the hiring subsidy's
    #: "graduate" and the contract's `graduate` flag
    graduate_years: int = 2
    #: unemployed youth aged 16–24 are eligible too (national 就业见习 rule, MISSION.md)
    unemployed_min_age: int = 16
    unemployed_max_age: int = 24
    #: a traineeship lasts 3 to 12 months (national 就业见习 rule, MISSION.md)
    traineeship_min_months: int = 3
    traineeship_max_months: int = 12
    #: the local monthly minimum wage (月最低工资标准) the traineeship subsidy is a share of;
    #: 2,000 CNY is a placeholder a district replaces with its province's current tier
    minimum_wage_cny: Decimal = Decimal("2000")
    #: the host's monthly traineeship subsidy: 70 % of the minimum wage (MISSION.md) …
    traineeship_subsidy_rate: Decimal = Decimal("0.70")
    #: … and 110 % when the host keeps at least half of its trainees (MISSION.md)
    retention_subsidy_rate: Decimal = Decimal("1.10")
    retention_threshold: Decimal = Decimal("0.50")

    #: 一次性扩岗补助: 1,500 CNY per eligible graduate hired on a contract with social
    #: insurance, once per person (MISSION.md)
    hiring_subsidy_cny: Decimal = Decimal("1500")
