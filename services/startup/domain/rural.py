"""Rural revitalisation (plan 三.3 创新乡村振兴形式): the rules of the rural partner plan
(乡村合伙人计划) and of the young doers' plan (青年实干家计划, 驻村帮扶工作队选派). No I/O.

A partnership project seeks some forms of contribution (资金合作, 技术服务, 创办企业); an
application offers one of them, and is accepted or declined by the agriculture unit, then
followed up. A call for village support-team members has places; a young person applies, the
organisation department selects (or not), and posts the selected to a village for a term.
"""

from __future__ import annotations

from datetime import date

from services.common.errors import DomainError
from services.common.i18n import bilingual

from ..vocabulary import (
    CLOSED,
    DOER_APPLIED,
    DOER_NOT_SELECTED,
    DOER_POSTED,
    DOER_SELECTED,
    DOER_WITHDRAWN,
    OPEN,
    PARTNER_ACCEPTED,
    PARTNER_APPLIED,
    PARTNER_DECLINED,
    PARTNER_WITHDRAWN,
)
from .working_time import add_months

PARTNER_TRANSITIONS = {
    "accept": ((PARTNER_APPLIED,), PARTNER_ACCEPTED),
    "decline": ((PARTNER_APPLIED,), PARTNER_DECLINED),
    "withdraw": ((PARTNER_APPLIED,), PARTNER_WITHDRAWN),
}

DOER_TRANSITIONS = {
    "select": ((DOER_APPLIED,), DOER_SELECTED),
    "not_select": ((DOER_APPLIED,), DOER_NOT_SELECTED),
    "post": ((DOER_SELECTED,), DOER_POSTED),
    "withdraw": ((DOER_APPLIED,), DOER_WITHDRAWN),
}

CALL_TRANSITIONS = {"close": ((OPEN,), CLOSED)}

PARTNER_NEXT_STEPS = {
    PARTNER_APPLIED: bilingual(
        "等待区农业农村局遴选", "Awaiting the agriculture bureau's selection"
    ),
    PARTNER_ACCEPTED: bilingual("与村里对接合作", "Start the partnership with the village"),
}
DOER_NEXT_STEPS = {
    DOER_APPLIED: bilingual(
        "等待区委组织部选派", "Awaiting the organisation department's selection"
    ),
    DOER_SELECTED: bilingual("等待派驻村庄", "Awaiting your posting to a village"),
    DOER_POSTED: bilingual("按期驻村开展帮扶", "Serve your term in the village"),
}


def check_open(state: str, closes_on: date | None, today: date) -> None:
    """Applications are taken while the project or call is open, until its closing day
    (409 `rural_call_closed`)."""
    if state != OPEN or (closes_on is not None and today > closes_on):
        raise DomainError("rural_call_closed", status=409)


def check_sought(seeks: list[str], form: str) -> None:
    """An application offers a form of contribution the project seeks (409
    `contribution_not_sought`, naming what it seeks)."""
    if form not in seeks:
        raise DomainError(
            "contribution_not_sought",
            status=409,
            field="contribution_form",
            params={"forms": ", ".join(seeks)},
        )


def check_doer_age(age: int | None, max_age: int) -> None:
    """The young doers' plan is for young people (409 `doer_too_old`); an age the profile lacks
    is refused as not known (409 `doer_age_unknown`)."""
    if age is None:
        raise DomainError("doer_age_unknown", status=409)
    if age > max_age:
        raise DomainError("doer_too_old", status=409, params={"max_age": max_age})


def check_place_left(places: int, selected: int) -> None:
    """A call selects no more members than it has places (409 `doer_call_full`)."""
    if selected >= places:
        raise DomainError("doer_call_full", status=409, params={"places": places})


def check_posting_term(posted_from: date, posted_until: date, max_months: int) -> None:
    """A posting ends after it starts and lasts at most `max_months` (422 `posting_term`)."""
    if posted_until <= posted_from or posted_until > add_months(posted_from, max_months):
        raise DomainError(
            "posting_term", status=422, field="posted_until", params={"months": max_months}
        )
