"""A young person's startup dashboard (`GET /api/v1/me/startup`, and the gateway's `me` view).

Every record the person has, newest change first, each as `{kind, id, title, state, next_step,
updated_at, link}` with its title and next step in both languages: registrations (the title
shows the business minutes used), loans, grants, incubator applications, enrolments, and rural
revitalisation's partnership and young doers' applications. Seven queries, whatever the person
has.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from services.common.clock import utcnow

from .. import domain, sla
from ..domain import bilingual, rural
from ..models import (
    BusinessRegistration,
    Course,
    DoerApplication,
    DoerCall,
    Enrolment,
    GrantApplication,
    IncubatorApplication,
    Loan,
    PartnerApplication,
    RuralProject,
)
from ..policy import StartupPolicy


def of_person(session: Session, person_id: str, policy: StartupPolicy) -> dict:
    """The person's dashboard items, newest change first."""
    items = [
        *_registrations(session, person_id, policy, utcnow()),
        *_loans(session, person_id),
        *_grants(session, person_id),
        *_incubator_applications(session, person_id),
        *_enrolments(session, person_id),
        *_partner_applications(session, person_id),
        *_doer_applications(session, person_id),
    ]
    items.sort(key=lambda item: item["updated_at"], reverse=True)
    return {"items": items}


def _item(kind: str, row, title: dict, next_step: dict | None, path: str) -> dict:
    return {
        "kind": f"startup.{kind}",
        "id": row.id,
        "title": title,
        "state": row.state,
        "next_step": next_step,
        "updated_at": row.updated_at,
        "link": f"/api/v1/startup/{path}/{row.id}",
    }


def _of(session: Session, model, person_id: str):
    return session.execute(sa.select(model).where(model.person_id == person_id)).scalars()


def _registrations(session: Session, person_id: str, policy: StartupPolicy, now: datetime):
    rows = session.execute(
        sa.select(BusinessRegistration)
        .where(BusinessRegistration.person_id == person_id)
        .options(selectinload(BusinessRegistration.steps))
    ).scalars()
    for row in rows:
        done = {s.step for s in row.steps if s.state == domain.STEP_DONE}
        used = policy.sla.view(row.state, sla.elapsed(row, policy, now), False)
        minutes = used["elapsed_minutes"]
        title = bilingual(
            f"企业开办:{row.company_name}(已用{minutes}分钟)",
            f"Business registration: {row.company_name} ({minutes} min)",
        )
        next_step = domain.registration_next_step(row.state, done)
        yield _item("registration", row, title, next_step, "registrations")


def _loans(session: Session, person_id: str):
    for loan in _of(session, Loan, person_id):
        title = bilingual(
            f"创业担保贷款 {loan.amount_cny} 元",
            f"Startup guaranteed loan of {loan.amount_cny} CNY",
        )
        yield _item("loan", loan, title, domain.LOAN_NEXT_STEPS.get(loan.state), "loans")


def _grants(session: Session, person_id: str):
    for grant in _of(session, GrantApplication, person_id):
        title = bilingual(
            f"一次性创业补贴 {grant.amount_cny} 元", f"Startup grant of {grant.amount_cny} CNY"
        )
        yield _item("grant", grant, title, domain.GRANT_NEXT_STEPS.get(grant.state), "grants")


def _incubator_applications(session: Session, person_id: str):
    for application in _of(session, IncubatorApplication, person_id):
        kind_zh = "工位" if application.space_kind == domain.DESK else "办公室"
        title = bilingual(
            f"双创智慧港入驻申请({kind_zh})",
            f"Innovation park application ({application.space_kind})",
        )
        next_step = domain.INCUBATOR_NEXT_STEPS.get(application.state)
        yield _item(
            "incubator_application", application, title, next_step, "incubator-applications"
        )


def _enrolments(session: Session, person_id: str):
    rows = session.execute(
        sa.select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.person_id == person_id)
    ).all()
    for enrolment, course in rows:
        title = bilingual(f"创业培训:{course.title}", f"Startup training: {course.title}")
        next_step = domain.ENROLMENT_NEXT_STEPS.get(enrolment.state)
        yield _item("enrolment", enrolment, title, next_step, "enrolments")


def _partner_applications(session: Session, person_id: str):
    rows = session.execute(
        sa.select(PartnerApplication, RuralProject)
        .join(RuralProject, RuralProject.id == PartnerApplication.project_id)
        .where(PartnerApplication.person_id == person_id)
    ).all()
    for application, project in rows:
        title = bilingual(f"乡村合伙人:{project.title}", f"Rural partner: {project.title}")
        next_step = rural.PARTNER_NEXT_STEPS.get(application.state)
        yield _item("partner_application", application, title, next_step, "partner-applications")


def _doer_applications(session: Session, person_id: str):
    rows = session.execute(
        sa.select(DoerApplication, DoerCall)
        .join(DoerCall, DoerCall.id == DoerApplication.call_id)
        .where(DoerApplication.person_id == person_id)
    ).all()
    for application, call in rows:
        title = bilingual(f"青年实干家:{call.title}", f"Young doers: {call.title}")
        next_step = rural.DOER_NEXT_STEPS.get(application.state)
        yield _item("doer_application", application, title, next_step, "doer-applications")
