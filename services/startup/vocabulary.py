"""The startup service's words: the kinds, steps and states its records take.

Both sides of the boundary speak them: the contract validates requests and describes views with
them (the gateway imports it), and the domain's state machines move between them. So they live
here, in a module that imports nothing of the service.
"""

from __future__ import annotations

# -- one-stop business registration (企业开办) ---------------------------------------------------

COMPANY_TYPES = (
    "limited_company",  # 有限责任公司
    "joint_stock_company",  # 股份有限公司
    "sole_proprietorship",  # 个人独资企业
    "partnership",  # 合伙企业
    "individual_business",  # 个体工商户
    "farmer_cooperative",  # 农民专业合作社
)

NAME_CHECK, LICENCE, SEAL, TAX, BANK_ACCOUNT, SOCIAL_INSURANCE = (
    "name_check",  # 名称自主申报
    "licence",  # 设立登记, 营业执照
    "seal",  # 公章刻制备案
    "tax",  # 税务登记、发票申领
    "bank_account",  # 银行开户
    "social_insurance",  # 社保登记、公积金开户
)
STEPS = (NAME_CHECK, LICENCE, SEAL, TAX, BANK_ACCOUNT, SOCIAL_INSURANCE)

IN_PROGRESS, COMPLETED, REJECTED, WITHDRAWN = "in_progress", "completed", "rejected", "withdrawn"
REGISTRATION_STATES = (IN_PROGRESS, COMPLETED, REJECTED, WITHDRAWN)

STEP_PENDING, STEP_DONE = "pending", "completed"

# -- startup guaranteed loans (创业担保贷款) -------------------------------------------------------

INDIVIDUAL, SMALL_BUSINESS = "individual", "small_business"
BORROWER_KINDS = (INDIVIDUAL, SMALL_BUSINESS)

EQUAL_INSTALMENT, EQUAL_PRINCIPAL, INTEREST_MONTHLY = (
    "equal_instalment",  # 等额本息
    "equal_principal",  # 等额本金
    "interest_monthly",  # 按月付息、到期还本
)
REPAYMENT_METHODS = (EQUAL_INSTALMENT, EQUAL_PRINCIPAL, INTEREST_MONTHLY)

LOAN_APPLIED, BANK_APPROVED, BANK_DECLINED = "applied", "bank_approved", "bank_declined"
LOAN_APPROVED, LOAN_REJECTED, DISBURSED, LOAN_WITHDRAWN = (
    "approved",
    "rejected",
    "disbursed",
    "withdrawn",
)
LOAN_STATES = (
    LOAN_APPLIED,
    BANK_APPROVED,
    BANK_DECLINED,
    LOAN_APPROVED,
    LOAN_REJECTED,
    DISBURSED,
    LOAN_WITHDRAWN,
)

# -- the one-off startup grant (一次性创业补贴) -------------------------------------------------

GRANT_APPLIED, GRANT_APPROVED, GRANT_REJECTED = "applied", "approved", "rejected"
GRANT_STATES = (GRANT_APPLIED, GRANT_APPROVED, GRANT_REJECTED)

# -- incubator spaces (双创智慧港) -----------------------------------------------------------------

DESK, OFFICE = "desk", "office"
SPACE_KINDS = (DESK, OFFICE)
SPACE_AVAILABLE, SPACE_OCCUPIED = "available", "occupied"
SPACE_STATES = (SPACE_AVAILABLE, SPACE_OCCUPIED)

INCUBATOR_APPLIED, ALLOCATED, TENANCY_ENDED, INCUBATOR_REJECTED, INCUBATOR_WITHDRAWN = (
    "applied",
    "allocated",
    "ended",
    "rejected",
    "withdrawn",
)
INCUBATOR_STATES = (
    INCUBATOR_APPLIED,
    ALLOCATED,
    TENANCY_ENDED,
    INCUBATOR_REJECTED,
    INCUBATOR_WITHDRAWN,
)

# -- training (创业培训) ------------------------------------------------------------------------

ONLINE, ONSITE = "online", "onsite"
COURSE_MODES = (ONLINE, ONSITE)
ENROLLED, ENROLMENT_COMPLETED, ENROLMENT_CANCELLED = "enrolled", "completed", "cancelled"
ENROLMENT_STATES = (ENROLLED, ENROLMENT_COMPLETED, ENROLMENT_CANCELLED)
STARTUP_COURSE, RURAL_LEADERS = (
    "startup",  # 创业培训 (SYB…), by `training_unit`
    "rural_leaders",  # 致富带头人培训 (plan 三.3), by `rural_unit`
)
COURSE_KINDS = (STARTUP_COURSE, RURAL_LEADERS)

# -- rural revitalisation (三.3 乡村振兴) ---------------------------------------------------------

#: how a partner joins a project of the rural partner plan (乡村合伙人计划)
CONTRIBUTION_FORMS = (
    "capital",  # 资金合作
    "technical_service",  # 技术服务
    "company",  # 创办企业
)
PERSON_APPLICANT, COMPANY_APPLICANT = "person", "company"
APPLICANT_KINDS = (PERSON_APPLICANT, COMPANY_APPLICANT)

OPEN, CLOSED = "open", "closed"
RURAL_CALL_STATES = (OPEN, CLOSED)  # a partnership project, a call for village support teams

PARTNER_APPLIED, PARTNER_ACCEPTED, PARTNER_DECLINED, PARTNER_WITHDRAWN = (
    "applied",
    "accepted",
    "declined",
    "withdrawn",
)
PARTNER_STATES = (PARTNER_APPLIED, PARTNER_ACCEPTED, PARTNER_DECLINED, PARTNER_WITHDRAWN)

#: how an accepted partnership is going, as the agriculture unit's follow-up records it
FOLLOW_UP_PROGRESS = ("on_track", "delayed", "completed", "ended")

#: the young doers' plan (青年实干家计划): village support-team members (驻村帮扶工作队选派)
DOER_APPLIED, DOER_SELECTED, DOER_NOT_SELECTED, DOER_POSTED, DOER_WITHDRAWN = (
    "applied",
    "selected",
    "not_selected",
    "posted",
    "withdrawn",
)
DOER_STATES = (DOER_APPLIED, DOER_SELECTED, DOER_NOT_SELECTED, DOER_POSTED, DOER_WITHDRAWN)
