"""Identity appeals (身份申诉): the rightful owner of an ID number bound to another account
claims it, and an officer decides.

* **Filing.** A person whose ID number cannot be bound registers all the same, with
  `identity_appeal` (a statement) beside their profile: the account is created without the
  number, and the appeal holds it. Filing is answered the same whether the number is bound or
  not (an appeal is not an oracle either); an officer sees whether it is.
* **Review.** Only an officer of a unit whose work needs ID numbers (PERSONAL_DATA_UNITS) decides,
  with a reason, after checking the person's documents (at the counter, or as the unit's
  procedure says).
* **Approval** binds the number to the claimant and takes it from the account that held it:
  that profile loses the number, the birth date read from it, and every verified fact (they
  were checked as this number's person's); its holder is told (`identity.released`). Both
  changes go through `facts.change_facts` (source `identity_appeal`), so the benefits finder
  hears of them (`profile.facts_changed`: the claimant's age, the holder's facts). The
  claimant is told either way (`identity_appeal.approved` or `.rejected`). Each decision is
  in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from services.common.clock import utcnow
from services.common.errors import Conflict, IllegalTransition, NotFound
from services.common.models import new_id
from services.common.pagination import ASC, keyset_page
from services.common.validators import parse_citizen_id

from . import facts
from .accounts import Viewer, check_may_reveal, shown_citizen_id
from .models import IdentityAppeal, YouthProfile

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
DECISIONS = {"approve": APPROVED, "reject": REJECTED}


def file_appeal(uow, claimant_id: str, citizen_id: str, statement: str) -> IdentityAppeal:
    """The claimant's appeal for `citizen_id`, pending."""
    appeal = IdentityAppeal(
        id=new_id(),
        claimant_id=claimant_id,
        citizen_id=citizen_id,
        statement=statement,
        status=PENDING,
        filed_at=utcnow(),
    )
    uow.session.add(appeal)
    uow.audit("identity_appeal.filed", ("identity_appeal", appeal.id), details={})
    return appeal


def decide(
    uow,
    officer: Viewer,
    personal_data_units: Iterable[str],
    appeal_id: str,
    decision: str,
    reason: str,
) -> IdentityAppeal:
    """An officer of a personal-data unit approves or rejects a pending appeal."""
    check_may_reveal(officer, personal_data_units)
    appeal = uow.session.get(IdentityAppeal, appeal_id, with_for_update=True)
    if appeal is None:
        raise NotFound("identity_appeal")
    if appeal.status != PENDING:
        raise IllegalTransition(appeal.status, decision)
    appeal.status = DECISIONS[decision]
    appeal.decided_at, appeal.decided_by, appeal.reason = utcnow(), officer.account_id, reason
    if appeal.status == APPROVED:
        _bind_to_claimant(uow, appeal)
    uow.audit(
        f"identity_appeal.{appeal.status}",
        ("identity_appeal", appeal.id),
        reason,
        {"claimant_id": appeal.claimant_id, "released_from": appeal.released_from},
    )
    uow.record(
        f"identity_appeal.{appeal.status}",
        subject=appeal.claimant_id,
        data={
            "appeal_id": appeal.id,
            "account_id": appeal.claimant_id,
            "decided_at": appeal.decided_at,
        },
    )
    return appeal


def _bind_to_claimant(uow, appeal: IdentityAppeal) -> None:
    session = uow.session
    claimant = session.get(YouthProfile, appeal.claimant_id, with_for_update=True)
    if claimant is None or claimant.citizen_id not in (None, appeal.citizen_id):
        # the claimant's profile was erased, or got a number at the counter meanwhile
        raise Conflict("claimant_has_identity")
    holder = session.execute(
        sa.select(YouthProfile)
        .where(YouthProfile.citizen_id == appeal.citizen_id)
        .with_for_update()
    ).scalar_one_or_none()
    if holder is not None and holder.account_id != claimant.account_id:
        before = facts.snapshot(holder)
        release(holder)
        # announced as any change of facts by a hand the person cannot forge
        released = facts.Source(facts.APPEAL_SOURCE, withdraws=True)
        facts.change_facts(uow, holder, {}, released, before=before)
        # the number leaves the holder before it reaches the claimant: it is unique
        session.flush()
        appeal.released_from = holder.account_id
        uow.record(
            "identity.released",
            subject=holder.account_id,
            data={"account_id": holder.account_id, "released_at": appeal.decided_at},
        )
        uow.audit(
            "identity.released",
            ("account", holder.account_id),
            appeal.reason,
            {"appeal_id": appeal.id},
        )
    before = facts.snapshot(claimant)
    claimant.citizen_id = appeal.citizen_id
    claimant.birth_date = parse_citizen_id(appeal.citizen_id).birth_date
    claimant.updated_at = utcnow()
    # the age read from the number was checked by the officer: announced as any such change
    facts.change_facts(uow, claimant, {}, facts.Source(facts.APPEAL_SOURCE), before=before)


def release(profile: YouthProfile) -> None:
    """The profile no longer holds its ID number, nor what was read from it or checked as its
    person's: the birth date and every verified fact (the caller passes the change on to
    `facts.change_facts`, which announces it)."""
    profile.citizen_id = None
    profile.birth_date = None
    profile.verifications = []
    profile.updated_at = utcnow()


def holder_of(session, citizen_id: str | None) -> str | None:
    """The account the number is bound to now, if any."""
    if citizen_id is None:
        return None
    query = sa.select(YouthProfile.account_id).where(YouthProfile.citizen_id == citizen_id)
    return session.execute(query).scalar_one_or_none()


def appeal_view(session, appeal: IdentityAppeal, viewer: Viewer) -> dict:
    """An appeal as `viewer` sees it: the ID number masked unless the viewer is the claimant;
    an officer also sees which account holds the number now."""
    own = viewer.account_id == appeal.claimant_id
    view = {
        "id": appeal.id,
        "claimant_id": appeal.claimant_id,
        "citizen_id": shown_citizen_id(appeal.citizen_id, own),
        "statement": appeal.statement,
        "status": appeal.status,
        "filed_at": appeal.filed_at,
        "decided_at": appeal.decided_at,
        "reason": appeal.reason,
    }
    if not own:
        view["decided_by"] = appeal.decided_by
        view["released_from"] = appeal.released_from
        view["held_by"] = (
            holder_of(session, appeal.citizen_id) if appeal.status == PENDING else None
        )
    return view


def appeals_page(session, status: str | None, after: str | None, limit: int):
    """Appeals oldest first (the queue an officer works through), optionally of one status."""
    query = sa.select(IdentityAppeal)
    if status:
        query = query.where(IdentityAppeal.status == status)
    return keyset_page(
        session,
        query,
        [(IdentityAppeal.filed_at, ASC), (IdentityAppeal.id, ASC)],
        after,
        limit,
    )


def appeals_of(session, claimant_id: str) -> list[IdentityAppeal]:
    query = (
        sa.select(IdentityAppeal)
        .where(IdentityAppeal.claimant_id == claimant_id)
        .order_by(IdentityAppeal.filed_at, IdentityAppeal.id)
    )
    return list(session.execute(query).scalars())
