"""Startup training (创业培训, e.g. SYB): an enrolment's states and the course's places. No I/O."""

from __future__ import annotations

from services.common.errors import DomainError
from services.common.i18n import bilingual

from ..vocabulary import ENROLLED, ENROLMENT_CANCELLED, ENROLMENT_COMPLETED

ENROLMENT_TRANSITIONS = {
    "complete": ((ENROLLED,), ENROLMENT_COMPLETED),
    "cancel": ((ENROLLED,), ENROLMENT_CANCELLED),
}


def check_place_left(capacity: int, enrolled: int) -> None:
    """A course takes no more people than it has places (409 `course_full`)."""
    if enrolled >= capacity:
        raise DomainError("course_full", status=409, params={"capacity": capacity})


ENROLMENT_NEXT_STEPS = {ENROLLED: bilingual("按时参加培训", "Attend the course")}
