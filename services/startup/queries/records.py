"""Each feature's records as their callers may see them: one by its id, or a page of a list.

Who sees what (services/startup/README.md): the person their own; an officer the records of the
units that handle them (a registration: the units of its steps; a loan: `loan_unit`, …); a
loan's own bank its loans; admins everything. Anyone else gets 404 for a record, and an officer
of another unit a 403 for a list. Every list is keyset-paged on an index that serves it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from services.common.actor import OFFICER, PARTNER, Actor
from services.common.clock import clock, utcnow
from services.common.errors import Forbidden
from services.common.pagination import ASC, DESC, Page, keyset_page

from .. import domain, loans, registration
from ..contract import CourseView, EnrolmentView, GrantView, IncubatorApplicationView, SpaceView
from ..contract.loans import LenderView, LoanView
from ..grants import GRANT_NOT_FOUND
from ..incubator import INCUBATOR_NOT_FOUND
from ..models import (
    BusinessRegistration,
    Course,
    Enrolment,
    GrantApplication,
    IncubatorApplication,
    IncubatorSpace,
    Lender,
    Loan,
    RegistrationStep,
)
from ..policy import StartupPolicy
from ..registration import REGISTRATION_NOT_FOUND
from ..training import COURSE_NOT_FOUND, ENROLMENT_NOT_FOUND

#: how each feature's records are shown, to their readers and in the answer to a change
LENDER = LenderView()
LOAN = LoanView()
GRANT = GrantView()
SPACE = SpaceView()
INCUBATOR = IncubatorApplicationView()
COURSE = CourseView()
ENROLMENT = EnrolmentView()


def _dumped(schema, page: Page) -> dict:
    return {"items": schema.dump(page.items, many=True), "next_cursor": page.next_cursor}


def _newest_first(session: Session, query, model, args: dict, since) -> Page:
    return keyset_page(
        session, query, [(since, DESC), (model.id, DESC)], args.get("after"), args["limit"]
    )


def _own_or_unit(query, model, actor: Actor, unit: str):
    """A young person's own records; all of them for an officer of `unit` (an officer of
    another unit is refused) and for admins."""
    if actor.role == OFFICER:
        actor.require_officer_of(unit)
    elif not actor.is_admin:
        query = query.where(model.person_id == actor.account_id)
    return query


def _matching(query, model, args: dict, *columns: str):
    """Only rows whose `columns` equal the filters given."""
    for column in columns:
        if column in args:
            query = query.where(getattr(model, column) == args[column])
    return query


def _found(row, not_found):
    if row is None:
        raise not_found
    return row


# -- one-stop business registration ------------------------------------------------------------


def get_registration(
    session: Session, actor: Actor, registration_id: str, policy: StartupPolicy
) -> dict:
    """An application with its steps and business time, for those who may see it."""
    row = _found(
        session.execute(
            sa.select(BusinessRegistration)
            .where(BusinessRegistration.id == registration_id)
            .options(selectinload(BusinessRegistration.steps))
        ).scalar_one_or_none(),
        REGISTRATION_NOT_FOUND,
    )
    units = {s.unit for s in row.steps}
    domain.check_may_see(actor, row.person_id, units, REGISTRATION_NOT_FOUND)
    return registration.view(row, policy, utcnow())


def list_registrations(session: Session, actor: Actor, args: dict, policy: StartupPolicy) -> dict:
    """A young person's own applications (newest first); an officer's unit's queue (oldest
    first; with `awaiting_my_unit`, only those with a step the unit can do now); everything
    for an admin."""
    query = sa.select(BusinessRegistration).options(selectinload(BusinessRegistration.steps))
    direction = DESC
    if actor.role == OFFICER:
        query, direction = _unit_queue(query, actor, args["awaiting_my_unit"], policy), ASC
    elif not actor.is_admin:
        query = query.where(BusinessRegistration.person_id == actor.account_id)
    query = _matching(query, BusinessRegistration, args, "state")
    now = utcnow()
    page = keyset_page(
        session,
        query,
        [(BusinessRegistration.submitted_at, direction), (BusinessRegistration.id, direction)],
        args.get("after"),
        args["limit"],
    )
    return {
        "items": [registration.view(row, policy, now) for row in page.items],
        "next_cursor": page.next_cursor,
    }


def _unit_queue(query, actor: Actor, awaiting_only: bool, policy: StartupPolicy):
    """The applications with a step of the officer's unit (a unit that has no step is
    refused), and with `awaiting_only` those whose step the unit may complete now."""
    units = set(policy.step_unit_map.values())
    if not actor.is_officer_of(*units):
        raise Forbidden("not_responsible_unit", params={"unit": ", ".join(sorted(units))})
    step = aliased(RegistrationStep)
    query = query.where(
        sa.exists().where(step.registration_id == BusinessRegistration.id, step.unit == actor.unit)
    )
    return query.where(_awaiting(actor.unit)) if awaiting_only else query


def _awaiting(unit: str):
    """Applications in progress with a step of `unit` whose prerequisites are done."""
    alternatives = []
    for step in domain.STEPS:
        mine = aliased(RegistrationStep)
        condition = sa.exists().where(
            mine.registration_id == BusinessRegistration.id,
            mine.step == step,
            mine.unit == unit,
            mine.state == domain.STEP_PENDING,
        )
        prerequisites = domain.PREREQUISITES[step]
        if prerequisites:
            before = aliased(RegistrationStep)
            condition = sa.and_(
                condition,
                ~sa.exists().where(
                    before.registration_id == BusinessRegistration.id,
                    before.step.in_(prerequisites),
                    before.state == domain.STEP_PENDING,
                ),
            )
        alternatives.append(condition)
    return sa.and_(BusinessRegistration.state == domain.IN_PROGRESS, sa.or_(*alternatives))


# -- guaranteed loans ----------------------------------------------------------------------------


def list_lenders(session: Session, args: dict) -> dict:
    """The lending banks, by name."""
    page = keyset_page(
        session,
        sa.select(Lender),
        [(Lender.name, ASC), (Lender.id, ASC)],
        args.get("after"),
        args["limit"],
    )
    return _dumped(LENDER, page)


def _visible_loan(session: Session, actor: Actor, loan_id: str, policy: StartupPolicy) -> Loan:
    loan = _found(session.get(Loan, loan_id), loans.LOAN_NOT_FOUND)
    loans.check_may_see(actor, loan, session.get(Lender, loan.lender_id), policy)
    return loan


def get_loan(session: Session, actor: Actor, loan_id: str, policy: StartupPolicy) -> dict:
    """A loan, for the borrower, the loan unit's officers, its bank and admins."""
    return LOAN.dump(_visible_loan(session, actor, loan_id, policy))


def loan_schedule(session: Session, actor: Actor, loan_id: str, policy: StartupPolicy) -> dict:
    """Month by month: principal, interest, what the borrower pays and the subsidy; an
    estimate until the loan is disbursed."""
    return loans.schedule_of(_visible_loan(session, actor, loan_id, policy), policy, clock.today())


def list_loans(session: Session, actor: Actor, args: dict, policy: StartupPolicy) -> dict:
    """A young person's own loans, a bank's loans, all of them for the loan unit's officers
    and admins."""
    query = sa.select(Loan)
    if actor.role == PARTNER:
        query = query.join(Lender, Lender.id == Loan.lender_id).where(
            Lender.partner_account_id == actor.account_id
        )
    else:
        query = _own_or_unit(query, Loan, actor, policy.loan_unit)
    query = _matching(query, Loan, args, "state")
    return _dumped(LOAN, _newest_first(session, query, Loan, args, Loan.applied_at))


# -- the startup grant ---------------------------------------------------------------------------


def get_grant(session: Session, actor: Actor, grant_id: str, policy: StartupPolicy) -> dict:
    """A grant claim, for the claimant, the grant unit's officers and admins."""
    grant = _found(session.get(GrantApplication, grant_id), GRANT_NOT_FOUND)
    domain.check_may_see(actor, grant.person_id, (policy.grant_unit,), GRANT_NOT_FOUND)
    return GRANT.dump(grant)


def list_grants(session: Session, actor: Actor, args: dict, policy: StartupPolicy) -> dict:
    """A young person's own claims; all of them for the grant unit's officers and admins."""
    query = _own_or_unit(sa.select(GrantApplication), GrantApplication, actor, policy.grant_unit)
    query = _matching(query, GrantApplication, args, "state")
    page = _newest_first(session, query, GrantApplication, args, GrantApplication.applied_at)
    return _dumped(GRANT, page)


# -- incubator spaces ----------------------------------------------------------------------------


def list_spaces(session: Session, args: dict) -> dict:
    """The park's spaces by code, of a kind and in a state if asked."""
    query = _matching(sa.select(IncubatorSpace), IncubatorSpace, args, "kind", "state")
    page = keyset_page(
        session,
        query,
        [(IncubatorSpace.code, ASC), (IncubatorSpace.id, ASC)],
        args.get("after"),
        args["limit"],
    )
    return _dumped(SPACE, page)


def get_incubator_application(
    session: Session, actor: Actor, application_id: str, policy: StartupPolicy
) -> dict:
    """An application, for the applicant, the park unit's officers and admins."""
    application = _found(session.get(IncubatorApplication, application_id), INCUBATOR_NOT_FOUND)
    domain.check_may_see(
        actor, application.person_id, (policy.incubator_unit,), INCUBATOR_NOT_FOUND
    )
    return INCUBATOR.dump(application)


def list_incubator_applications(
    session: Session, actor: Actor, args: dict, policy: StartupPolicy
) -> dict:
    """A young person's own applications; all of them for the park unit's officers and admins."""
    model = IncubatorApplication
    query = _own_or_unit(sa.select(model), model, actor, policy.incubator_unit)
    query = _matching(query, model, args, "state")
    return _dumped(INCUBATOR, _newest_first(session, query, model, args, model.applied_at))


# -- training ------------------------------------------------------------------------------------


def list_courses(session: Session, args: dict) -> dict:
    """Courses by start date, from `starts_from` and of a `kind` if asked."""
    query = _matching(sa.select(Course), Course, args, "kind")
    if "starts_from" in args:
        query = query.where(Course.starts_on >= args["starts_from"])
    page = keyset_page(
        session,
        query,
        [(Course.starts_on, ASC), (Course.id, ASC)],
        args.get("after"),
        args["limit"],
    )
    return _dumped(COURSE, page)


def get_course(session: Session, course_id: str) -> dict:
    """A course, for anyone."""
    return COURSE.dump(_found(session.get(Course, course_id), COURSE_NOT_FOUND))


def get_enrolment(session: Session, actor: Actor, enrolment_id: str) -> dict:
    """An enrolment, for the trainee, the organising unit's officers and admins."""
    enrolment = _found(session.get(Enrolment, enrolment_id), ENROLMENT_NOT_FOUND)
    domain.check_may_see(
        actor, enrolment.person_id, (enrolment.course.organiser_unit,), ENROLMENT_NOT_FOUND
    )
    return ENROLMENT.dump(enrolment)


def list_enrolments(session: Session, actor: Actor, args: dict, policy: StartupPolicy) -> dict:
    """A young person's own enrolments; all of them for the training unit's officers and admins;
    those of its own courses (致富带头人培训) for the rural unit's officers."""
    query = sa.select(Enrolment)
    if actor.is_officer_of(policy.rural_unit):
        query = query.join(Course, Course.id == Enrolment.course_id).where(
            Course.organiser_unit == actor.unit
        )
    else:
        query = _own_or_unit(query, Enrolment, actor, policy.training_unit)
    query = _matching(query, Enrolment, args, "course_id", "state")
    page = _newest_first(session, query, Enrolment, args, Enrolment.enrolled_at)
    return _dumped(ENROLMENT, page)
