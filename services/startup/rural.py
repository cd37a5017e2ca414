"""Rural revitalisation (plan 三.3 创新乡村振兴形式): the rural partner plan and the young doers'
plan. Rules in `domain/rural.py`; the training of leaders of getting rich (致富带头人培训) is a
course of kind `rural_leaders` (`training.py`).

**The rural partner plan (乡村合伙人计划).** Officers of `rural_unit` (区农业农村局) publish
industry partnership projects in 三农 with the forms of contribution each seeks (资金合作,
技术服务, 创办企业). A young person or a company applies with one of them (one open application
per project each); the unit accepts or declines with a reason, and follows an accepted
partnership up (progress, capital invested, jobs created).

**The young doers' plan (青年实干家计划).** Officers of `doer_unit` (区委组织部) open calls for
village support-team members (驻村帮扶工作队选派) with their villages and places; young people
apply (once per call), the department selects (or not, with a reason) while places last, and
posts each selected member to one of the call's villages for a term.
"""

from __future__ import annotations

from services.common.actor import EMPLOYER, YOUTH, Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict, DomainError, NotFound
from services.common.models import new_id

from . import domain
from .domain import rural as rules
from .models import DoerApplication, DoerCall, PartnerApplication, PartnerFollowUp, RuralProject
from .policy import StartupPolicy
from .vocabulary import (
    COMPANY_APPLICANT,
    DOER_APPLIED,
    DOER_WITHDRAWN,
    OPEN,
    PARTNER_ACCEPTED,
    PARTNER_APPLIED,
    PERSON_APPLICANT,
)

PROJECT_NOT_FOUND = NotFound("rural_project", code="rural_project_not_found")
PARTNER_NOT_FOUND = NotFound("partner_application", code="partner_application_not_found")
CALL_NOT_FOUND = NotFound("doer_call", code="doer_call_not_found")
DOER_NOT_FOUND = NotFound("doer_application", code="doer_application_not_found")

#: who applies to a partnership project, by the caller's role
APPLICANT_KIND = {YOUTH: PERSON_APPLICANT, EMPLOYER: COMPANY_APPLICANT}

# -- the rural partner plan (乡村合伙人计划) ---------------------------------------------------


def publish_project(uow, actor: Actor, fields: dict, policy: StartupPolicy) -> RuralProject:
    """An officer of the rural unit publishes a partnership project and what it seeks."""
    actor.require_officer_of(policy.rural_unit)
    now = utcnow()
    row = RuralProject(
        id=new_id(),
        state=OPEN,
        organiser_unit=policy.rural_unit,
        accepted_count=0,
        published_at=now,
        updated_at=now,
        **fields,
    )
    uow.repo.add(row)
    uow.record("rural_project.published", subject=row.id, data=project_data(row))
    uow.commit()
    return row


def close_project(uow, actor: Actor, project_id: str) -> RuralProject:
    """The organising unit stops taking applications (those received are still decided)."""
    project = uow.repo.locked(RuralProject, project_id, PROJECT_NOT_FOUND)
    actor.require_officer_of(project.organiser_unit)
    project.state = domain.next_state(rules.CALL_TRANSITIONS, project.state, "close")
    project.updated_at = utcnow()
    uow.record("rural_project.closed", subject=project.id, data=project_data(project))
    uow.commit()
    return project


def apply_as_partner(uow, actor: Actor, project_id: str, fields: dict) -> PartnerApplication:
    """A young person or a company offers a project one form of contribution it seeks; one
    open (applied or accepted) application per project each."""
    actor.require_role(YOUTH, EMPLOYER)
    project = uow.repo.locked(RuralProject, project_id, PROJECT_NOT_FOUND)
    rules.check_open(project.state, project.closes_on, clock.today())
    rules.check_sought(project.seeks, fields["contribution_form"])
    if uow.repo.has_open_partner_application(project_id, actor.account_id):
        raise Conflict("partner_already_applied")
    now = utcnow()
    row = PartnerApplication(
        id=new_id(),
        project_id=project_id,
        person_id=actor.account_id,
        applicant_kind=APPLICANT_KIND[actor.role],
        contribution_form=fields["contribution_form"],
        contribution=fields["contribution"],
        capital_cny=fields.get("capital_cny"),
        state=PARTNER_APPLIED,
        applied_at=now,
        updated_at=now,
    )
    uow.repo.add(row)
    uow.record("partner_application.submitted", subject=row.id, data=partner_data(row))
    uow.commit()
    return row


def decide_partner(uow, actor: Actor, application_id: str, decision: dict) -> PartnerApplication:
    """The project's unit accepts or declines (with the reason, which the applicant sees)."""
    row = uow.repo.locked(PartnerApplication, application_id, PARTNER_NOT_FOUND)
    project = uow.repo.locked(RuralProject, row.project_id, PROJECT_NOT_FOUND)
    actor.require_officer_of(project.organiser_unit)
    action = decision["decision"]
    row.state = domain.next_state(rules.PARTNER_TRANSITIONS, row.state, action)
    row.decision_reason = decision.get("reason") or None
    row.decided_at = row.updated_at = utcnow()
    if row.state == PARTNER_ACCEPTED:
        project.accepted_count += 1
    uow.audit(
        f"partner_application.{row.state}", ("partner_application", row.id), row.decision_reason
    )
    uow.record(f"partner_application.{row.state}", subject=row.id, data=partner_data(row))
    uow.commit()
    return row


def withdraw_partner(uow, actor: Actor, application_id: str) -> PartnerApplication:
    """The applicant withdraws an application not yet decided."""
    row = uow.repo.locked(PartnerApplication, application_id, PARTNER_NOT_FOUND)
    domain.check_is_owner(actor, row.person_id, PARTNER_NOT_FOUND)
    _withdraw_partner(uow, row)
    uow.commit()
    return row


def follow_up(uow, actor: Actor, application_id: str, fields: dict) -> PartnerFollowUp:
    """The project's unit records how an accepted partnership is going."""
    row = uow.repo.locked(PartnerApplication, application_id, PARTNER_NOT_FOUND)
    project = uow.repo.locked(RuralProject, row.project_id, PROJECT_NOT_FOUND)
    actor.require_officer_of(project.organiser_unit)
    if row.state != PARTNER_ACCEPTED:
        raise DomainError("partner_not_accepted", status=409)
    if fields["recorded_on"] > clock.today():
        raise DomainError("follow_up_in_future", status=422, field="recorded_on")
    entry = PartnerFollowUp(id=new_id(), application_id=row.id, recorded_at=utcnow(), **fields)
    uow.repo.add(entry)
    row.updated_at = entry.recorded_at
    uow.audit("partner_application.followed_up", ("partner_application", row.id), entry.note)
    uow.record(
        "partner_application.followed_up",
        subject=row.id,
        data={
            "application_id": row.id,
            "project_id": row.project_id,
            "follow_up_id": entry.id,
            "recorded_on": entry.recorded_on,
            "progress": entry.progress,
            "invested_cny": entry.invested_cny,
            "jobs_created": entry.jobs_created,
        },
    )
    uow.commit()
    return entry


def _withdraw_partner(uow, row: PartnerApplication) -> None:
    row.state = domain.next_state(rules.PARTNER_TRANSITIONS, row.state, "withdraw")
    row.updated_at = utcnow()
    uow.record("partner_application.withdrawn", subject=row.id, data=partner_data(row))


# -- the young doers' plan (青年实干家计划) ----------------------------------------------------


def open_call(uow, actor: Actor, fields: dict, policy: StartupPolicy) -> DoerCall:
    """An officer of the organisation department opens a call for village support teams."""
    actor.require_officer_of(policy.doer_unit)
    now = utcnow()
    row = DoerCall(
        id=new_id(),
        state=OPEN,
        organiser_unit=policy.doer_unit,
        selected_count=0,
        published_at=now,
        updated_at=now,
        **fields,
    )
    uow.repo.add(row)
    uow.record("doer_call.published", subject=row.id, data=call_data(row))
    uow.commit()
    return row


def close_call(uow, actor: Actor, call_id: str) -> DoerCall:
    """The department stops taking applications to a call."""
    call = uow.repo.locked(DoerCall, call_id, CALL_NOT_FOUND)
    actor.require_officer_of(call.organiser_unit)
    call.state = domain.next_state(rules.CALL_TRANSITIONS, call.state, "close")
    call.updated_at = utcnow()
    uow.record("doer_call.closed", subject=call.id, data=call_data(call))
    uow.commit()
    return call


def apply_as_doer(
    uow, actor: Actor, facts: dict, call_id: str, fields: dict, policy: StartupPolicy
) -> DoerApplication:
    """A young person applies to a call (once per call, again after withdrawing)."""
    actor.require_role(YOUTH)
    call = uow.repo.locked(DoerCall, call_id, CALL_NOT_FOUND)
    rules.check_open(call.state, call.closes_on, clock.today())
    rules.check_doer_age(facts.get("age"), policy.doer_max_age)
    existing = uow.repo.doer_application_of(call_id, facts["person_id"])
    if existing is not None and existing.state != DOER_WITHDRAWN:
        raise Conflict("doer_already_applied")
    row = existing or DoerApplication(id=new_id(), call_id=call_id, person_id=facts["person_id"])
    now = utcnow()
    row.statement, row.age, row.degree = fields["statement"], facts.get("age"), facts.get("degree")
    row.state, row.applied_at, row.updated_at = DOER_APPLIED, now, now
    row.decision_reason = row.decided_at = None
    uow.repo.add(row)
    uow.record("doer_application.submitted", subject=row.id, data=doer_data(row))
    uow.commit()
    return row


def decide_doer(uow, actor: Actor, application_id: str, decision: dict) -> DoerApplication:
    """The call's department selects an applicant while places last, or not (with a reason)."""
    row = uow.repo.locked(DoerApplication, application_id, DOER_NOT_FOUND)
    call = uow.repo.locked(DoerCall, row.call_id, CALL_NOT_FOUND)
    actor.require_officer_of(call.organiser_unit)
    action = decision["decision"]
    state = domain.next_state(rules.DOER_TRANSITIONS, row.state, action)
    if action == "select":
        rules.check_place_left(call.places, call.selected_count)
        call.selected_count += 1
    row.state, row.decision_reason = state, decision.get("reason") or None
    row.decided_at = row.updated_at = utcnow()
    uow.audit(f"doer_application.{state}", ("doer_application", row.id), row.decision_reason)
    uow.record(f"doer_application.{state}", subject=row.id, data=doer_data(row))
    uow.commit()
    return row


def post_doer(
    uow, actor: Actor, application_id: str, posting: dict, policy: StartupPolicy
) -> DoerApplication:
    """A selected member is posted to one of the call's villages for a term."""
    row = uow.repo.locked(DoerApplication, application_id, DOER_NOT_FOUND)
    call = uow.repo.locked(DoerCall, row.call_id, CALL_NOT_FOUND)
    actor.require_officer_of(call.organiser_unit)
    if posting["village"] not in call.villages:
        raise DomainError(
            "village_not_in_call",
            status=422,
            field="village",
            params={"villages": ", ".join(call.villages)},
        )
    rules.check_posting_term(
        posting["posted_from"], posting["posted_until"], policy.doer_max_posting_months
    )
    row.state = domain.next_state(rules.DOER_TRANSITIONS, row.state, "post")
    row.village, row.posted_from, row.posted_until = (
        posting["village"],
        posting["posted_from"],
        posting["posted_until"],
    )
    row.posted_at = row.updated_at = utcnow()
    uow.audit("doer_application.posted", ("doer_application", row.id), None, posting)
    uow.record("doer_application.posted", subject=row.id, data=doer_data(row))
    uow.commit()
    return row


def withdraw_doer(uow, actor: Actor, application_id: str) -> DoerApplication:
    """The applicant withdraws an application not yet decided."""
    row = uow.repo.locked(DoerApplication, application_id, DOER_NOT_FOUND)
    domain.check_is_owner(actor, row.person_id, DOER_NOT_FOUND)
    _withdraw_doer(uow, row)
    uow.commit()
    return row


def _withdraw_doer(uow, row: DoerApplication) -> None:
    row.state = domain.next_state(rules.DOER_TRANSITIONS, row.state, "withdraw")
    row.updated_at = utcnow()
    uow.record("doer_application.withdrawn", subject=row.id, data=doer_data(row))


# -- erasure ------------------------------------------------------------------------------------


def release(uow, person_id: str) -> None:
    """An erased person's applications not yet decided are withdrawn (nobody will answer for
    them); accepted partnerships and postings stay. The caller commits, with the erasure."""
    for row in uow.repo.pending_partner_applications_of(person_id):
        _withdraw_partner(uow, row)
    for row in uow.repo.pending_doer_applications_of(person_id):
        _withdraw_doer(uow, row)


# -- what the events say ------------------------------------------------------------------------


def project_data(row: RuralProject) -> dict:
    return {
        "project_id": row.id,
        "title": row.title,
        "village": row.village,
        "seeks": list(row.seeks),
        "state": row.state,
        "organiser_unit": row.organiser_unit,
        "closes_on": row.closes_on,
    }


def partner_data(row: PartnerApplication) -> dict:
    return {
        "application_id": row.id,
        "project_id": row.project_id,
        "person_id": row.person_id,
        "applicant_kind": row.applicant_kind,
        "contribution_form": row.contribution_form,
        "capital_cny": row.capital_cny,
        "state": row.state,
    }


def call_data(row: DoerCall) -> dict:
    return {
        "call_id": row.id,
        "title": row.title,
        "places": row.places,
        "state": row.state,
        "organiser_unit": row.organiser_unit,
        "closes_on": row.closes_on,
    }


def doer_data(row: DoerApplication) -> dict:
    return {
        "application_id": row.id,
        "call_id": row.call_id,
        "person_id": row.person_id,
        "state": row.state,
        "village": row.village,
        "posted_from": row.posted_from,
        "posted_until": row.posted_until,
    }
