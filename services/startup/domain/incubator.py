"""Incubator spaces (双创智慧港): an application's way to a tenancy, and the tenancy's rules.
No I/O."""

from __future__ import annotations

from datetime import date

from services.common.errors import InvalidInput
from services.common.i18n import bilingual

from ..messages import MESSAGES
from ..vocabulary import (
    ALLOCATED,
    INCUBATOR_APPLIED,
    INCUBATOR_REJECTED,
    INCUBATOR_WITHDRAWN,
    TENANCY_ENDED,
)
from .working_time import add_months

INCUBATOR_TRANSITIONS = {
    "allocate": ((INCUBATOR_APPLIED,), ALLOCATED),
    "reject": ((INCUBATOR_APPLIED,), INCUBATOR_REJECTED),
    "withdraw": ((INCUBATOR_APPLIED,), INCUBATOR_WITHDRAWN),
    "end": ((ALLOCATED,), TENANCY_ENDED),
}


def check_tenancy(
    space_kind: str, wanted_kind: str, starts_on: date, ends_on: date, max_months: int
) -> None:
    """A tenancy of the kind applied for, starting before it ends, no longer than the maximum."""
    if space_kind != wanted_kind:
        raise InvalidInput.for_field(
            "space_id", "space_kind_mismatch", MESSAGES, kind=space_kind, wanted=wanted_kind
        )
    if ends_on <= starts_on:
        raise InvalidInput.for_field("ends_on", "tenancy_dates_reversed", MESSAGES)
    if ends_on > add_months(starts_on, max_months):
        raise InvalidInput.for_field("ends_on", "tenancy_too_long", MESSAGES, months=max_months)


def occupied_on(starts_on: date, ends_on: date, ended_on: date | None, day: date) -> bool:
    """Whether a tenancy holds its space on `day` (its last day is the day before it ends)."""
    last = min(ends_on, ended_on) if ended_on else ends_on
    return starts_on <= day < last


INCUBATOR_NEXT_STEPS = {
    INCUBATOR_APPLIED: bilingual("等待分配空间", "Waiting for a space"),
    ALLOCATED: bilingual("按约定日期入驻", "Move in on the agreed date"),
}
