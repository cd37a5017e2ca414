"""Rural revitalisation's records as their callers may see them (plan 三.3), and its indicators.

Projects and calls are public. An application is seen by its applicant, the officers of the
unit that decides it (a project's `rural_unit`, a call's `doer_unit`) and admins; anyone else
gets 404 for one, and an officer of another unit a 403 for a list. Lists are keyset-paged on an
index that serves them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import OFFICER, Actor
from services.common.pagination import ASC, DESC, keyset_page

from .. import domain
from ..contract.rural import (
    DoerApplicationView,
    DoerCallView,
    FollowUpView,
    PartnerApplicationView,
    RuralProjectView,
)
from ..models import (
    Course,
    DoerApplication,
    DoerCall,
    Enrolment,
    PartnerApplication,
    PartnerFollowUp,
    RuralProject,
)
from ..policy import StartupPolicy
from ..rural import CALL_NOT_FOUND, DOER_NOT_FOUND, PARTNER_NOT_FOUND, PROJECT_NOT_FOUND
from ..vocabulary import DOER_POSTED, PARTNER_ACCEPTED, RURAL_LEADERS

PROJECT = RuralProjectView()
PARTNER = PartnerApplicationView()
FOLLOW_UP = FollowUpView()
CALL = DoerCallView()
DOER = DoerApplicationView()


def _found(row, not_found):
    if row is None:
        raise not_found
    return row


def _page(session: Session, query, keys, args: dict) -> dict:
    page = keyset_page(session, query, keys, args.get("after"), args["limit"])
    return {"items": page.items, "next_cursor": page.next_cursor}


def _own_or_unit(query, model, actor: Actor, unit: str):
    """The caller's own applications; all of them for an officer of `unit` (another unit's
    officer is refused) and for admins."""
    if actor.role == OFFICER:
        actor.require_officer_of(unit)
    elif not actor.is_admin:
        query = query.where(model.person_id == actor.account_id)
    return query


def _matching(query, model, args: dict, *columns: str):
    for column in columns:
        if column in args:
            query = query.where(getattr(model, column) == args[column])
    return query


# -- the rural partner plan ----------------------------------------------------------------------


def list_projects(session: Session, args: dict) -> dict:
    """Partnership projects, newest first (by state if asked), for anyone."""
    query = _matching(sa.select(RuralProject), RuralProject, args, "state")
    page = _page(session, query, [(RuralProject.published_at, DESC), (RuralProject.id, DESC)], args)
    return {**page, "items": PROJECT.dump(page["items"], many=True)}


def get_project(session: Session, project_id: str) -> dict:
    return PROJECT.dump(_found(session.get(RuralProject, project_id), PROJECT_NOT_FOUND))


def get_partner_application(session: Session, actor: Actor, application_id: str) -> dict:
    """One application with its follow-ups, oldest first: for its applicant (a young person or
    a company), the project's unit and admins."""
    row = _found(session.get(PartnerApplication, application_id), PARTNER_NOT_FOUND)
    if not actor.is_self(row.person_id):
        domain.check_may_see(actor, "", (row.project.organiser_unit,), PARTNER_NOT_FOUND)
    follow_ups = (
        session.execute(
            sa.select(PartnerFollowUp)
            .where(PartnerFollowUp.application_id == row.id)
            .order_by(PartnerFollowUp.recorded_on, PartnerFollowUp.recorded_at)
        )
        .scalars()
        .all()
    )
    return {**PARTNER.dump(row), "follow_ups": FOLLOW_UP.dump(follow_ups, many=True)}


def list_partner_applications(
    session: Session, actor: Actor, args: dict, policy: StartupPolicy
) -> dict:
    """The caller's applications, or the rural unit's queue (oldest first, so the longest
    waiting is decided first)."""
    query = _own_or_unit(
        sa.select(PartnerApplication), PartnerApplication, actor, policy.rural_unit
    )
    query = _matching(query, PartnerApplication, args, "project_id", "state")
    keys = [(PartnerApplication.applied_at, ASC), (PartnerApplication.id, ASC)]
    page = _page(session, query, keys, args)
    return {**page, "items": PARTNER.dump(page["items"], many=True)}


# -- the young doers' plan -----------------------------------------------------------------------


def list_calls(session: Session, args: dict) -> dict:
    query = _matching(sa.select(DoerCall), DoerCall, args, "state")
    page = _page(session, query, [(DoerCall.published_at, DESC), (DoerCall.id, DESC)], args)
    return {**page, "items": CALL.dump(page["items"], many=True)}


def get_call(session: Session, call_id: str) -> dict:
    return CALL.dump(_found(session.get(DoerCall, call_id), CALL_NOT_FOUND))


def get_doer_application(session: Session, actor: Actor, application_id: str) -> dict:
    row = _found(session.get(DoerApplication, application_id), DOER_NOT_FOUND)
    domain.check_may_see(actor, row.person_id, (row.call.organiser_unit,), DOER_NOT_FOUND)
    return DOER.dump(row)


def list_doer_applications(
    session: Session, actor: Actor, args: dict, policy: StartupPolicy
) -> dict:
    """The caller's applications, or the organisation department's queue, oldest first."""
    query = _own_or_unit(sa.select(DoerApplication), DoerApplication, actor, policy.doer_unit)
    query = _matching(query, DoerApplication, args, "call_id", "state")
    keys = [(DoerApplication.applied_at, ASC), (DoerApplication.id, ASC)]
    page = _page(session, query, keys, args)
    return {**page, "items": DOER.dump(page["items"], many=True)}


# -- indicators (services/startup/README.md, "Indicators") --------------------------------------


def indicators(session: Session, period) -> dict:
    """Rural revitalisation's figures for the period (`queries.indicators.Period`)."""
    count = sa.func.count
    P, D = PartnerApplication, DoerApplication

    def one(query):
        return session.execute(query).scalar()

    invested = one(
        sa.select(sa.func.coalesce(sa.func.sum(PartnerFollowUp.invested_cny), 0)).where(
            period.holds(PartnerFollowUp.recorded_at)
        )
    )
    return {
        "rural_projects_published": one(
            sa.select(count()).where(period.holds(RuralProject.published_at))
        ),
        "rural_partner_applications": one(sa.select(count()).where(period.holds(P.applied_at))),
        "rural_partners_accepted": one(
            sa.select(count()).where(period.holds(P.decided_at), P.state == PARTNER_ACCEPTED)
        ),
        "rural_partner_capital_accepted_cny": one(
            sa.select(sa.func.coalesce(sa.func.sum(P.capital_cny), 0)).where(
                period.holds(P.decided_at), P.state == PARTNER_ACCEPTED
            )
        ),
        "rural_partner_follow_ups": one(
            sa.select(count()).where(period.holds(PartnerFollowUp.recorded_at))
        ),
        "rural_partner_invested_cny": invested,
        "doer_applications": one(sa.select(count()).where(period.holds(D.applied_at))),
        "doers_posted": one(
            sa.select(count()).where(period.holds(D.posted_at), D.state == DOER_POSTED)
        ),
        "doers_serving": one(
            sa.select(count()).where(
                D.state == DOER_POSTED,
                D.posted_from <= period.last_day,
                D.posted_until >= period.since,
            )
        ),
        "rural_leaders_trained": one(
            sa.select(count())
            .select_from(Enrolment)
            .join(Course, Course.id == Enrolment.course_id)
            .where(period.holds(Enrolment.completed_at), Course.kind == RURAL_LEADERS)
        ),
    }
