"""Startup training (创业培训, e.g. SYB): courses and enrolments.

Officers of `training_unit` (区人社局) or admins open courses; young people enrol while places
last and until the course starts (one enrolment each, taken up again after a cancellation),
cancel, and an officer of the organising unit records completion.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict, DomainError, NotFound
from services.common.models import new_id

from . import domain
from .domain import ENROLLED, ENROLMENT_CANCELLED
from .models import Course, Enrolment
from .policy import StartupPolicy
from .vocabulary import RURAL_LEADERS

COURSE_NOT_FOUND = NotFound("course", code="course_not_found")
ENROLMENT_NOT_FOUND = NotFound("enrolment", code="enrolment_not_found")


def create_course(uow, actor: Actor, course: dict, policy: StartupPolicy) -> Course:
    """A course organised by its kind's unit (startup training: the training unit; the training
    of leaders of getting rich 致富带头人培训: the rural unit), published for enrolment."""
    unit = organiser_of(course["kind"], policy)
    actor.require_officer_of(unit, admin_may=True)
    row = Course(
        id=new_id(),
        organiser_unit=unit,
        enrolled_count=0,
        created_at=utcnow(),
        **course,
    )
    uow.repo.add(row)
    uow.record(
        "course.published",
        subject=row.id,
        data={
            "course_id": row.id,
            "kind": row.kind,
            "title": row.title,
            "mode": row.mode,
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
            "capacity": row.capacity,
            "organiser_unit": row.organiser_unit,
        },
    )
    uow.commit()
    return row


def organiser_of(kind: str, policy: StartupPolicy) -> str:
    """The unit that organises courses of `kind`."""
    return policy.rural_unit if kind == RURAL_LEADERS else policy.training_unit


def enrol(uow, actor: Actor, person: dict, course_id: str) -> Enrolment:
    """A place on a course while places last and until it starts; one per person."""
    course = uow.repo.locked(Course, course_id, COURSE_NOT_FOUND)
    if clock.today() > course.starts_on:
        raise DomainError("course_not_open", status=409)
    existing = uow.repo.enrolment_of(course_id, person["person_id"])
    if existing is not None and existing.state != ENROLMENT_CANCELLED:
        raise Conflict("course_already_enrolled")
    domain.check_place_left(course.capacity, course.enrolled_count)
    enrolment = existing or Enrolment(
        id=new_id(), course_id=course_id, person_id=person["person_id"]
    )
    now = utcnow()
    enrolment.state, enrolment.enrolled_at, enrolment.updated_at = ENROLLED, now, now
    enrolment.cancelled_at = enrolment.completed_at = None
    uow.repo.add(enrolment)
    course.enrolled_count += 1
    uow.record("enrolment.confirmed", subject=enrolment.id, data=event_data(enrolment, course))
    uow.commit()
    return enrolment


def cancel(uow, actor: Actor, enrolment_id: str) -> Enrolment:
    """The person gives their place back."""
    enrolment, course = _enrolment_and_course(uow, enrolment_id)
    domain.check_is_owner(actor, enrolment.person_id, ENROLMENT_NOT_FOUND)
    _move(uow, enrolment, course, "cancel")
    uow.commit()
    return enrolment


def complete(uow, actor: Actor, enrolment_id: str) -> Enrolment:
    """An officer of the organising unit records that the person completed the course."""
    enrolment, course = _enrolment_and_course(uow, enrolment_id)
    actor.require_officer_of(course.organiser_unit)
    _move(uow, enrolment, course, "complete")
    uow.commit()
    return enrolment


def release(uow, person_id: str) -> None:
    """An erased person's places on courses not yet begun are given back (a course under way
    keeps its trainee). The caller commits, with the erasure."""
    today = clock.today()
    for enrolment in uow.repo.enrolments_held_by(person_id):
        course = uow.repo.locked(Course, enrolment.course_id, COURSE_NOT_FOUND)
        if course.starts_on > today:
            _move(uow, enrolment, course, "cancel")


def _enrolment_and_course(uow, enrolment_id: str) -> tuple[Enrolment, Course]:
    """The enrolment and its course, both locked: a cancellation changes the course's count."""
    enrolment = uow.repo.locked(Enrolment, enrolment_id, ENROLMENT_NOT_FOUND)
    return enrolment, uow.repo.locked(Course, enrolment.course_id, COURSE_NOT_FOUND)


def _move(uow, enrolment: Enrolment, course: Course, action: str) -> None:
    enrolment.state = domain.next_state(domain.ENROLMENT_TRANSITIONS, enrolment.state, action)
    now = utcnow()
    enrolment.updated_at = now
    if action == "cancel":
        enrolment.cancelled_at = now
        course.enrolled_count -= 1
    else:
        enrolment.completed_at = now
        uow.audit("enrolment.completed", ("enrolment", enrolment.id))
    uow.record(
        f"enrolment.{enrolment.state}", subject=enrolment.id, data=event_data(enrolment, course)
    )


def event_data(enrolment: Enrolment, course: Course) -> dict:
    """What every enrolment event says: ids, state, and the course's title and start."""
    return {
        "enrolment_id": enrolment.id,
        "course_id": course.id,
        "person_id": enrolment.person_id,
        "state": enrolment.state,
        "course_title": course.title,
        "starts_on": course.starts_on,
    }
