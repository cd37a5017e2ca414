"""Mental health (心理健康, 三.4): sessions at companies, villages and offices (心理健康进企业、
进村(社区)、进机关) and counselling bookings, both handled by the officers of the `health_units`
(区卫健委 by default).

* An **outreach request** is made by a company (its employer account) or by an officer for a
  village or an office; the health unit schedules it (a time and a place), declines it with a
  reason, or records it held with the attendance; the requester may withdraw it while it is
  ahead. Requester and health unit see it; no one else.
* A **counselling booking** is a young person's, and sensitive personal data (PIPL art. 28): it
  is made only with the separate consent (单独同意) recorded with its version and time; the
  person and the health unit's officers see it, not an administrator, not another unit; its
  events carry its id and state only; the audit trail names the officer's step on the booking,
  never the person (a booking by the person is not audited: the entry would name them).
"""

from __future__ import annotations

from services.common.actor import YOUTH, Actor
from services.common.clock import utcnow
from services.common.errors import Forbidden
from services.common.models import new_id

from . import circle, domain
from .models import CounsellingBooking, OutreachRequest
from .policy import EventsPolicy
from .vocabulary import COUNSELLING_REQUESTED, OUTREACH_REQUESTED

# -- outreach ------------------------------------------------------------------------------------


def _outreach_event(row: OutreachRequest) -> dict:
    return {
        "request_id": row.id,
        "setting": row.setting,
        "state": row.state,
        "attendance": row.attendance,
    }


def request_outreach(uow, actor: Actor, fields: dict) -> OutreachRequest:
    """A company's, a village's or an office's request for a mental-health session."""
    circle.check_may_request_outreach(actor)
    now = utcnow()
    row = OutreachRequest(
        id=new_id(),
        requested_by=actor.account_id,
        state=OUTREACH_REQUESTED,
        requested_at=now,
        updated_at=now,
        **fields,
    )
    uow.repo.add(row)
    uow.audit("outreach.requested", ("outreach_request", row.id))
    uow.record("outreach.requested", subject=row.id, data=_outreach_event(row))
    uow.commit()
    return row


def decide_outreach(
    uow, actor: Actor, request_id: str, action: str, decision: dict, policy: EventsPolicy
) -> OutreachRequest:
    """schedule (time and place), decline (reason) or hold (attendance), by the health unit;
    withdraw, by the requester."""
    row = uow.repo.locked(OutreachRequest, request_id, domain.not_found("outreach"))
    circle.check_may_read_outreach(actor, row.requested_by, policy.health_units)
    if action == "withdraw":
        if not actor.is_self(row.requested_by):
            raise Forbidden("not_the_caller")
    else:
        circle.check_health_officer(actor, policy.health_units)
    target = circle.next_state(circle.OUTREACH_TRANSITIONS, row.state, action)
    now = utcnow()
    if action == "schedule":
        circle.check_scheduled_ahead(decision.get("scheduled_at"), now)
        row.scheduled_at, row.place = decision["scheduled_at"], decision["place"]
    elif action == "decline":
        circle.check_reason(decision.get("reason"))
        row.decision_reason = decision["reason"]
    elif action == "hold":
        row.held_at, row.attendance = now, decision["attendance"]
    row.state, row.updated_at = target, now
    if action != "withdraw":
        row.decided_by = actor.account_id
    uow.audit(f"outreach.{action}", ("outreach_request", row.id), reason=decision.get("reason"))
    uow.record(f"outreach.{target}", subject=row.id, data=_outreach_event(row))
    uow.commit()
    return row


# -- counselling ---------------------------------------------------------------------------------


def _counselling_event(row: CounsellingBooking) -> dict:
    return {"booking_id": row.id, "state": row.state}


def book_counselling(uow, actor: Actor, fields: dict, policy: EventsPolicy) -> CounsellingBooking:
    """A young person's counselling booking, with their separate consent recorded."""
    actor.require_role(YOUTH)
    circle.check_consent(fields.get("consent"))
    now = utcnow()
    row = CounsellingBooking(
        id=new_id(),
        person_id=actor.person(),
        mode=fields["mode"],
        preferred_at=fields.get("preferred_at"),
        concern=fields.get("concern", ""),
        consent_version=policy.counselling_consent_version,
        consented_at=now,
        state=COUNSELLING_REQUESTED,
        requested_at=now,
        updated_at=now,
    )
    uow.repo.add(row)
    uow.record("counselling.requested", subject=row.id, data=_counselling_event(row))
    uow.commit()
    return row


def decide_counselling(
    uow, actor: Actor, booking_id: str, action: str, decision: dict, policy: EventsPolicy
) -> CounsellingBooking:
    """schedule (time and place) and complete, by the health unit; cancel, by the person or
    the health unit."""
    row = uow.repo.locked(CounsellingBooking, booking_id, domain.not_found("counselling"))
    circle.check_may_read_counselling(actor, row.person_id, policy.health_units)
    by_person = actor.is_self(row.person_id)
    if not (action == "cancel" and by_person):
        circle.check_health_officer(actor, policy.health_units)
    target = circle.next_state(circle.COUNSELLING_TRANSITIONS, row.state, action)
    now = utcnow()
    if action == "schedule":
        circle.check_scheduled_ahead(decision.get("scheduled_at"), now)
        row.scheduled_at, row.place = decision["scheduled_at"], decision["place"]
    elif action == "complete":
        row.completed_at = now
    elif action == "cancel":
        row.cancelled_at, row.cancelled_by = now, "person" if by_person else "health"
    row.state, row.updated_at = target, now
    if not by_person:
        row.handled_by = actor.account_id
        uow.audit(f"counselling.{action}", ("counselling_booking", row.id))
    uow.record(f"counselling.{target}", subject=row.id, data=_counselling_event(row))
    uow.commit()
    return row


def withdraw_person(uow, person_id: str) -> None:
    """An erased person's counselling still ahead is cancelled (`cancelled_by` erasure)."""
    now = utcnow()
    for row in uow.repo.counselling_of(person_id):
        if row.state in circle.COUNSELLING_TRANSITIONS["cancel"][0]:
            row.state, row.cancelled_at, row.cancelled_by = "cancelled", now, "erasure"
            row.updated_at = now
