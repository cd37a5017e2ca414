"""Applications: a young person applies to a published post; the employer moves the application
on, the applicant withdraws it.

`submitted → viewed → interview → offer → hired | rejected | withdrawn` (an interview is
optional). One application per person per post; a traineeship post takes eligible people only.
The gateway's profile facts are kept with the application as the basis of every decision, and
each step is in its history with the note sent. A hire records the contract, takes one of the
post's positions (`posts.take_position`) and, on a traineeship post, starts the traineeship
(`traineeships.start`).
"""

from __future__ import annotations

from datetime import datetime

from services.common.actor import YOUTH, Actor
from services.common.clock import clock, utcnow
from services.common.models import new_id

from . import domain, posts, traineeships
from .messages import label
from .models import Application, ApplicationTransition, Post
from .policy import JobsPolicy
from .vocabulary import HIRED, SUBMITTED, TRAINEESHIP, WITHDRAWN

ALREADY_APPLIED = "application_exists"


def apply(
    uow, actor: Actor, post_id: str, facts: dict, letter: dict, policy: JobsPolicy
) -> tuple[Application, ApplicationTransition]:
    """The person's application to a published post, with its first step (submitted); the
    employer is told. `facts` are the profile facts the gateway passed."""
    post = uow.repo.post_to_apply_to(post_id)
    domain.check_open_for_applications(post.state)
    if post.kind == TRAINEESHIP:
        domain.check_eligible(traineeships.eligibility(facts, policy))
    now = utcnow()
    row = Application(
        id=new_id(),
        post_id=post.id,
        employer_id=post.employer_id,
        person_id=facts["person_id"],
        post_kind=post.kind,
        post_title=post.title,
        state=SUBMITTED,
        cover_letter=letter["cover_letter"],
        age=facts.get("age"),
        degree=facts.get("degree"),
        graduation_date=facts.get("graduation_date"),
        employment_status=facts.get("employment_status"),
        submitted_at=now,
        updated_at=now,
    )
    uow.repo.add(row)
    # one application per person per post is the table's unique key: a second one is refused
    # here, without a query to look for it first
    uow.repo.flush_unique(ALREADY_APPLIED)
    submitted = _record_step(uow, actor, row, None, None, now)
    uow.record("application.submitted", subject=row.id, data=row)
    uow.commit()
    return row, submitted


def change_status(
    uow, actor: Actor, application_id: str, change: dict, policy: JobsPolicy
) -> Application:
    """The employer moves an application on (viewed … hired, rejected); the applicant
    withdraws it. The other side is told with the note."""
    row = uow.repo.locked(Application, application_id, domain.APPLICATION_NOT_FOUND)
    _advance(uow, actor, row, change, utcnow(), policy, mover=actor)
    uow.commit()
    return row


def withdraw_for_erased_person(uow, actor: Actor, person_id: str, policy: JobsPolicy) -> None:
    """Nobody will answer for an erased person: their applications still in progress are
    withdrawn on their behalf, so employers stop waiting on them and are told as usual. A
    hire, a traineeship and its subsidy are facts and stay. Runs in the erasure's transaction,
    which commits it; `actor` is who the history names (the platform, for the erasure)."""
    applicant, now = Actor(person_id, YOUTH, None), utcnow()
    for row in uow.repo.applications_in_progress(person_id):
        _advance(uow, actor, row, {"status": WITHDRAWN}, now, policy, mover=applicant)


def _advance(
    uow,
    actor: Actor,
    row: Application,
    change: dict,
    now: datetime,
    policy: JobsPolicy,
    mover: Actor,
) -> None:
    """Move the application to `change["status"]` if `mover` may; `actor` is named in the
    history."""
    target, before = change["status"], row.state
    row.state = domain.next_application_state(before, target, mover, row.person_id, row.employer_id)
    row.updated_at = now
    if target == HIRED:
        _hire(uow, actor, row, change, now, policy)
    _record_step(uow, actor, row, before, change.get("note"), now)
    status_label = label(f"status.{row.state}")
    uow.record(
        "application.status_changed",
        subject=row.id,
        data={
            "application_id": row.id,
            "post_id": row.post_id,
            "post_title": row.post_title,
            "employer_id": row.employer_id,
            "person_id": row.person_id,
            "from_status": before,
            "status": row.state,
            "status_label_zh": status_label["zh-CN"],
            "status_label_en": status_label["en"],
            "changed_at": now,
        },
    )
    if target == HIRED:
        uow.record("application.hired", subject=row.id, data=row)


def _hire(
    uow, actor: Actor, row: Application, change: dict, now: datetime, policy: JobsPolicy
) -> None:
    """The hire as it is that day: the contract, whether the person was a recent graduate, and
    whether the workplace is in the district (the hire contract housing relies on)."""
    post = uow.repo.locked(Post, row.post_id, domain.POST_NOT_FOUND)
    today = clock.today()
    row.hired_at = now
    row.contract_with_social_insurance = change["contract_with_social_insurance"]
    row.graduate = domain.is_recent_graduate(row.graduation_date, today, policy)
    row.in_district = post.in_district
    posts.take_position(uow, actor, post, now)
    if post.kind == TRAINEESHIP:
        traineeships.start(uow, row, post, change.get("starts_on") or today, now, policy)


def _record_step(
    uow, actor: Actor, row: Application, before: str | None, note: str | None, at: datetime
) -> ApplicationTransition:
    """Keep the status the application reached in its history, with who moved it and the
    note sent."""
    step = ApplicationTransition(
        id=new_id(),
        application_id=row.id,
        from_state=before,
        to_state=row.state,
        actor_id=actor.account_id,
        actor_role=actor.role,
        note=note,
        at=at,
    )
    uow.repo.add(step)
    return step
