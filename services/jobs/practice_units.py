"""Practice units (产教融合实践单位, plan 一.3): verified employers an officer designates as places
where students of the named schools and colleges train. `GET /practice-units` lists them with
their published posts (`queries/employers.py`).

The designation is a verified status with a term (from, until: `JobsPolicy.
practice_unit_term_years` when the officer names no end), the registered universities the unit
serves, and the students it placed: the unit reports each placement as a count of students of one
university for a period, never who they are.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.models import new_id

from . import domain
from .models import Employer, PracticePlacement, University
from .policy import JobsPolicy


def designate(
    uow,
    actor: Actor,
    employer_id: str,
    partners: list[str],
    policy: JobsPolicy,
    term: dict | None = None,
) -> Employer:
    """An officer of the deciding unit designates a verified employer, naming its partner
    schools and, in `term`, its `valid_from`, `valid_until` and the registered `university_ids`
    it serves; audited, and reported as `practice_unit.verified`."""
    domain.check_decides(actor, policy)
    term = term or {}
    row = uow.repo.locked(Employer, employer_id, domain.EMPLOYER_NOT_FOUND)
    domain.check_may_publish(row.state)
    university_ids = list(dict.fromkeys(term.get("university_ids") or []))
    universities = [
        uow.repo.get(University, university_id, domain.UNIVERSITY_NOT_FOUND)
        for university_id in university_ids
    ]
    start, end = domain.practice_term(
        term.get("valid_from"), term.get("valid_until"), clock.today(), policy
    )
    now = utcnow()
    names = [university.name for university in universities]
    row.practice_unit = True
    row.practice_partners = list(dict.fromkeys([*partners, *names]))
    row.practice_from, row.practice_until = start, end
    row.practice_university_ids = university_ids
    row.practice_verified_at = row.updated_at = now
    uow.audit(
        "employer.practice_unit_designated",
        ("employer", row.id),
        None,
        {"partners": list(partners)},
    )
    uow.record(
        "practice_unit.verified",
        subject=row.id,
        data={
            "employer_id": row.id,
            "valid_from": start,
            "valid_until": end,
            "university_ids": university_ids,
            "verified_at": now,
        },
    )
    uow.commit()
    return row


def record_placement(uow, actor: Actor, placement: dict) -> PracticePlacement:
    """The practice unit (an employer account, for itself) reports students of a university it
    serves placed with it for a period: a count, no names."""
    employer = uow.repo.employer_of(actor.account_id)
    if employer is None:
        raise domain.EMPLOYER_NOT_FOUND
    employer = uow.repo.locked(Employer, employer.id, domain.EMPLOYER_NOT_FOUND)
    state = domain.practice_state(employer.practice_unit, employer.practice_until, clock.today())
    domain.check_places_students(
        state,
        employer.practice_university_ids,
        placement["university_id"],
        placement["starts_on"],
        placement["ends_on"],
    )
    row = PracticePlacement(id=new_id(), employer_id=employer.id, recorded_at=utcnow(), **placement)
    uow.repo.add(row)
    employer.students_placed = (employer.students_placed or 0) + row.students
    uow.record(
        "practice_unit.students_placed",
        subject=row.id,
        data={
            "placement_id": row.id,
            "employer_id": employer.id,
            "university_id": row.university_id,
            "students": row.students,
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
        },
    )
    uow.commit()
    return row
