"""Erasing a person's data (PIPL): the gateway's own part, and following every service's.

A request waits ERASURE_GRACE_HOURS unless an administrator confirms it sooner. Confirming
anonymises the gateway's records of the person and publishes `person.erased` in the same
transaction; each service answers `person.anonymised` once it has done the same. A service that
has not answered within ERASURE_RETRY_SECONDS is asked again (the event is published anew),
until it has. The routes that ask and confirm are in `gateway/routes/privacy.py`; the timer and
the handlers that follow are in `gateway/background.py`.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.db import Database
from services.common.errors import Conflict, NotFound
from services.common.metrics import ERASURES_OVERDUE
from services.common.registry import DOMAIN_SERVICES

from . import evidence
from .models import (
    Account,
    BankAccount,
    BenefitCheck,
    BenefitNotice,
    ErasureRequest,
    ErasureServiceState,
    IdentityAppeal,
    ProfileFactVerification,
    YouthProfile,
)
from .objectstore import ObjectStore
from .read_model import ReadModel

log = logging.getLogger(__name__)

#: a person has at most one request in these states
ACTIVE = ("requested", "confirmed")


def erasure_view(request: ErasureRequest, states: list[ErasureServiceState]) -> dict:
    """A request and its state in each service (`ErasureView`)."""
    return {
        "id": request.id,
        "person_id": request.person_id,
        "status": request.status,
        "requested_at": request.requested_at,
        "confirm_after": request.confirm_after,
        "confirmed_at": request.confirmed_at,
        "completed_at": request.completed_at,
        "services": [
            {
                "service": s.service,
                "status": s.status,
                "records": s.records,
                "times_asked": s.times_asked,
                "applied_at": s.applied_at,
            }
            for s in sorted(states, key=lambda s: s.service)
        ],
    }


def states_of(session: Session, request_id: str) -> list[ErasureServiceState]:
    """The request's state in each service (none before it is confirmed)."""
    return list(
        session.execute(
            sa.select(ErasureServiceState).where(ErasureServiceState.request_id == request_id)
        ).scalars()
    )


def erase(
    db: Database,
    read_model: ReadModel,
    store: ObjectStore,
    erasure_id: str,
    confirmed_by: str | None,
) -> None:
    """Anonymise the gateway's records of the person, and tell every service to do the same
    (`confirmed_by` the administrator, or None when the grace period passed); then delete the
    person's evidence files (what fails here, `follow` deletes later: the account is erased)."""
    now = utcnow()
    with db.unit_of_work() as uow:
        request = uow.session.execute(
            sa.select(ErasureRequest).where(ErasureRequest.id == erasure_id).with_for_update()
        ).scalar_one_or_none()
        if request is None:
            raise NotFound("erasure")
        if request.status != "requested":
            raise Conflict("erasure_not_pending", params={"status": request.status})
        account = uow.session.get(Account, request.person_id)
        if account is not None:
            _anonymise(uow.session, account, now)
        request.status, request.confirmed_at, request.confirmed_by = (
            "confirmed",
            now,
            confirmed_by,
        )
        for service in DOMAIN_SERVICES:
            uow.session.add(
                ErasureServiceState(request_id=request.id, service=service, asked_at=now)
            )
        uow.record(
            "person.erased",
            subject=request.person_id,
            data={"person_id": request.person_id, "erasure_id": request.id, "erased_at": now},
        )
        uow.audit(
            "person.erased",
            ("person", request.person_id),
            reason="confirmed by an administrator" if confirmed_by else "grace period passed",
            details={"erasure_id": request.id},
        )
        uow.commit()
    read_model.forget_person(request.person_id)
    try:
        evidence.purge(db, store, request.person_id)
    except Exception:  # the object store is away: `follow` tries again
        log.warning("evidence not deleted with the erasure yet", exc_info=True)


def _anonymise(session: Session, account: Account, now: datetime) -> None:
    """The account keeps its id (the services' records name it) and nothing that names the
    person; its profile and bank details go."""
    session.execute(
        sa.delete(ProfileFactVerification).where(ProfileFactVerification.account_id == account.id)
    )
    session.execute(sa.delete(YouthProfile).where(YouthProfile.account_id == account.id))
    # an appeal holds the ID number the person claimed, and their own words
    session.execute(sa.delete(IdentityAppeal).where(IdentityAppeal.claimant_id == account.id))
    session.execute(sa.delete(BenefitNotice).where(BenefitNotice.person_id == account.id))
    session.execute(sa.delete(BenefitCheck).where(BenefitCheck.person_id == account.id))
    # the bank details go too: a payout still owed to the person waits in its queue until they
    # give an account again, or is settled outside the platform
    session.execute(sa.delete(BankAccount).where(BankAccount.account_id == account.id))
    account.username = account.password_hash = account.display_name = None
    account.email = account.phone = account.phone_proven_at = None
    account.status, account.status_changed_at = "erased", now


def follow(db: Database, read_model: ReadModel, store: ObjectStore, retry_after: timedelta) -> None:
    """Confirm the requests whose grace period has passed; ask again the services that have
    not applied an erasure for `retry_after`; delete evidence files an erasure left behind."""
    now = utcnow()
    with db.reading() as session:
        due = (
            session.execute(
                sa.select(ErasureRequest.id).where(
                    ErasureRequest.status == "requested", ErasureRequest.confirm_after <= now
                )
            )
            .scalars()
            .all()
        )
        stale = (
            session.execute(
                sa.select(ErasureServiceState.request_id)
                .where(
                    ErasureServiceState.status == "pending",
                    ErasureServiceState.asked_at <= now - retry_after,
                )
                .distinct()
            )
            .scalars()
            .all()
        )
    for erasure_id in due:
        with contextlib.suppress(Conflict):  # confirmed meanwhile by an administrator
            erase(db, read_model, store, erasure_id, confirmed_by=None)
    for erasure_id in stale:
        _ask_again(db, erasure_id, now, retry_after)
    evidence.purge_erased(db, store)


def count_overdue(db: Database, deadline: timedelta) -> int:
    """Requests still not completed `deadline` after they were made: the operator's alert
    (`youthcity_erasures_overdue`), since the person is owed an answer by then."""
    with db.reading() as session:
        overdue = session.scalar(
            sa.select(sa.func.count())
            .select_from(ErasureRequest)
            .where(
                ErasureRequest.status.in_(ACTIVE),
                ErasureRequest.requested_at <= utcnow() - deadline,
            )
        )
    ERASURES_OVERDUE.set(overdue)
    return overdue


def _ask_again(db: Database, erasure_id: str, now: datetime, retry_after: timedelta) -> None:
    with db.unit_of_work() as uow:
        request = uow.session.get(ErasureRequest, erasure_id)
        states = (
            uow.session.execute(
                sa.select(ErasureServiceState)
                .where(
                    ErasureServiceState.request_id == erasure_id,
                    ErasureServiceState.status == "pending",
                    ErasureServiceState.asked_at <= now - retry_after,
                )
                .with_for_update()
            )
            .scalars()
            .all()
        )
        if not states:
            return
        for state in states:
            state.asked_at, state.times_asked = now, state.times_asked + 1
        log.info(
            "erasure asked again",
            extra={"erasure_id": erasure_id, "not_answered": [s.service for s in states]},
        )
        uow.record(
            "person.erased",
            subject=request.person_id,
            data={
                "person_id": request.person_id,
                "erasure_id": request.id,
                "erased_at": request.confirmed_at,
            },
        )
        uow.commit()


def record_anonymised(event, uow) -> None:
    """A service's `person.anonymised` answer: its state is applied, and the request completed
    once every service's is."""
    # answers from several services arrive together: holding the request while counting
    # makes the last of them see every other one applied (each locking only its own state,
    # two last answers would each count the other pending, and none would complete it)
    request = uow.session.execute(
        sa.select(ErasureRequest)
        .where(ErasureRequest.id == event.data["erasure_id"])
        .with_for_update()
    ).scalar_one_or_none()
    if request is None:
        return
    state = uow.session.execute(
        sa.select(ErasureServiceState)
        .where(
            ErasureServiceState.request_id == event.data["erasure_id"],
            ErasureServiceState.service == event.source_service,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if state is None or state.status == "applied":
        return
    state.status, state.records, state.applied_at = "applied", event.data["records"], utcnow()
    log.info("erasure applied", extra={"erasure_id": request.id, "answered_by": state.service})
    uow.session.flush()
    pending = uow.session.execute(
        sa.select(sa.func.count()).where(
            ErasureServiceState.request_id == state.request_id,
            ErasureServiceState.status == "pending",
        )
    ).scalar()
    if pending == 0:
        request.status, request.completed_at = "completed", utcnow()
        log.info("erasure completed", extra={"erasure_id": request.id})
