"""The jobs service's words: the kinds, states and choices its rules and its boundary share.

Both the contract (what the gateway validates and shows) and the domain (what the rules decide)
speak of a post's kind or an application's state; they take the names from here, so the
contract needs no domain code. This module imports nothing of the service.
"""

from __future__ import annotations

# -- posts ------------------------------------------------------------------------------------

JOB, INTERNSHIP, TRAINEESHIP = "job", "internship", "traineeship"
POST_KINDS = (JOB, INTERNSHIP, TRAINEESHIP)

DRAFT, PENDING_REVIEW, PUBLISHED, CLOSED, FILLED = (
    "draft",
    "pending_review",
    "published",
    "closed",
    "filled",
)
POST_STATES = (DRAFT, PENDING_REVIEW, PUBLISHED, CLOSED, FILLED)

#: the gateway's degrees, lowest first: a post requires one, a searcher says which they hold
EDUCATION_LEVELS = (
    "none",
    "junior_high",
    "high_school",
    "vocational",
    "associate",
    "bachelor",
    "master",
    "doctor",
)

INDUSTRIES = (
    "culture_tourism",
    "hospitality",
    "retail_ecommerce",
    "agriculture",
    "manufacturing",
    "information_technology",
    "education",
    "health",
    "finance",
    "construction",
    "logistics",
    "public_service",
    "other",
)

# -- employers (用人单位) ----------------------------------------------------------------------

EMPLOYER_PENDING, EMPLOYER_VERIFIED, EMPLOYER_REJECTED = "pending", "verified", "rejected"
EMPLOYER_STATES = (EMPLOYER_PENDING, EMPLOYER_VERIFIED, EMPLOYER_REJECTED)

# -- applications -----------------------------------------------------------------------------

SUBMITTED, VIEWED, INTERVIEW, OFFER, HIRED, REJECTED, WITHDRAWN = (
    "submitted",
    "viewed",
    "interview",
    "offer",
    "hired",
    "rejected",
    "withdrawn",
)
APPLICATION_STATES = (SUBMITTED, VIEWED, INTERVIEW, OFFER, HIRED, REJECTED, WITHDRAWN)
ACTIVE_APPLICATION_STATES = (SUBMITTED, VIEWED, INTERVIEW, OFFER)
#: the statuses a caller may move an application to, in the order refusals list them
APPLICATION_TARGETS = (VIEWED, INTERVIEW, OFFER, HIRED, REJECTED, WITHDRAWN)

# -- traineeships (百名大学生助龙计划) ----------------------------------------------------------

COMPLETED, RETAINED, LEFT = "completed", "retained", "left"
TRAINEESHIP_OUTCOMES = (COMPLETED, RETAINED, LEFT)
TRAINEESHIP_ACTIVE = "active"
TRAINEESHIP_STATES = (TRAINEESHIP_ACTIVE, *TRAINEESHIP_OUTCOMES)

# -- subsidy claims (一次性扩岗补助, 见习补贴) ----------------------------------------------------

CLAIMED, GRANTED, DECLINED = "claimed", "granted", "rejected"
SUBSIDY_STATES = (CLAIMED, GRANTED, DECLINED)
HIRING, TRAINEESHIP_SUBSIDY = "hiring", "traineeship"
SUBSIDY_KINDS = (HIRING, TRAINEESHIP_SUBSIDY)
#: what an officer decides → the state it leads to
SUBSIDY_DECISIONS = {"grant": GRANTED, "reject": DECLINED}

# -- job fairs (春风行动) ----------------------------------------------------------------------

ONLINE, ON_SITE = "online", "on_site"
FAIR_MODES = (ONLINE, ON_SITE)
FAIR_OPEN = "open"
#: a fair the district organises (春风行动), or a city-level fair the district lists and sends
#: its young people to (市级招聘活动, plan 一.5)
DISTRICT_FAIR, CITY_FAIR = "district", "city"
FAIR_LEVELS = (DISTRICT_FAIR, CITY_FAIR)

# -- district–university cooperation (区校合作, plan 一.3) --------------------------------------

#: 成果转化, 平台建设, 人才交流, 产教融合: the four fields the plan names
TECHNOLOGY_TRANSFER, PLATFORM_BUILDING, TALENT_EXCHANGE, INDUSTRY_EDUCATION = (
    "technology_transfer",
    "platform_building",
    "talent_exchange",
    "industry_education",
)
COOPERATION_KINDS = (TECHNOLOGY_TRANSFER, PLATFORM_BUILDING, TALENT_EXCHANGE, INDUSTRY_EDUCATION)
PROJECT_ACTIVE, PROJECT_COMPLETED = "active", "completed"
PROJECT_STATES = (PROJECT_ACTIVE, PROJECT_COMPLETED)

#: a practice unit's verified status (产教融合实践单位): within its term, or past it
PRACTICE_ACTIVE, PRACTICE_EXPIRED = "active", "expired"

# -- roadshows at universities (赴高校开展特色产业专题推介, plan 一.5) -----------------------------

ROADSHOW_OPEN = "open"
