"""The ledger's named queries (mixed into a paying service's repository) and its reads
(budgets, payouts, batches, the reconciliation report) on a reading session."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..actor import ADMIN, OFFICER, Actor
from ..clock import clock, utcnow
from ..models import new_id
from ..pagination import DESC, keyset_page
from . import rules
from .ledger import BATCH_NOT_FOUND, Ledger, figures_of, require_reader


class FinanceQueries:
    """The named queries the ledger's handlers use; a repository mixes them in."""

    session: Session

    def budget_for_update(self, model, programme: str, year: int):
        """The programme's budget row for `year`, locked; made (with no envelope) when absent.
        The insert does nothing when a concurrent twin made it first."""
        dialect = self.session.get_bind().dialect.name
        insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
        self.session.execute(
            insert(model.__table__)
            .values(
                id=new_id(),
                programme=programme,
                year=year,
                committed_cny=rules.ZERO,
                paid_cny=rules.ZERO,
                updated_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["programme", "year"])
        )
        return self.session.execute(
            sa.select(model)
            .where(model.programme == programme, model.year == year)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()

    def queued_payouts(self, model, programme: str, limit: int) -> list:
        """The programme's payouts waiting for a batch, oldest first, locked."""
        return list(
            self.session.execute(
                sa.select(model)
                .where(model.state == rules.QUEUED, model.programme == programme)
                .order_by(model.queued_at, model.id)
                .limit(limit)
                .with_for_update()
            ).scalars()
        )

    def batches_since(self, model, programme: str, since: datetime) -> int:
        return self.session.scalar(
            sa.select(sa.func.count())
            .select_from(model)
            .where(model.programme == programme, model.created_at >= since)
        )

    def lines_of(self, model, batch_id: str) -> list:
        return list(
            self.session.execute(
                sa.select(model).where(model.batch_id == batch_id).order_by(model.id)
            ).scalars()
        )

    def payout_from(self, model, programme: str, source_id: str):
        """The payout an approval (`source_id`) made in `programme`, if any (one at most)."""
        return self.session.execute(
            sa.select(model).where(model.programme == programme, model.source_id == source_id)
        ).scalar_one_or_none()

    def payouts_from(self, model, programme: str, source_prefix: str) -> list:
        """The payouts whose source id starts with `source_prefix` (a loan's quarters)."""
        return list(
            self.session.execute(
                sa.select(model)
                .where(model.programme == programme, model.source_id.startswith(source_prefix))
                .order_by(model.source_id)
            ).scalars()
        )


# -- reads ---------------------------------------------------------------------------------


def budget_view(ledger: Ledger, policy, programme: str, year: int, budget) -> dict:
    figures = figures_of(budget) if budget is not None else rules.Figures(None)
    return {
        "programme": programme,
        "label": rules.PROGRAMMES[programme].label(),
        "year": year,
        "unit": ledger.unit_of(policy, programme),
        "envelope_cny": figures.envelope,
        "committed_cny": figures.committed,
        "paid_cny": figures.paid,
        "left_cny": figures.left,
        "updated_at": None if budget is None else budget.updated_at,
    }


def budgets(session: Session, actor: Actor | None, ledger: Ledger, policy, year: int) -> dict:
    """Every programme of the ledger for `year`, set or not (officers and admins; None: the
    indicators' own call)."""
    if actor is not None:
        actor.require_role(OFFICER, ADMIN)
    model = ledger.budget
    rows = {
        row.programme: row
        for row in session.execute(sa.select(model).where(model.year == year)).scalars()
    }
    return {
        "year": year,
        "items": [
            budget_view(ledger, policy, code, year, rows.get(code)) for code in ledger.programmes
        ],
    }


def payouts(session: Session, actor: Actor, ledger: Ledger, policy, filters: dict):
    programme = filters.get("programme") or ledger.programmes[0]
    require_reader(actor, ledger, policy, programme)
    model = ledger.payout
    query = sa.select(model).where(model.programme == programme)
    if filters.get("state"):
        query = query.where(model.state == filters["state"])
    return keyset_page(
        session,
        query,
        [(model.queued_at, DESC), (model.id, DESC)],
        filters.get("after"),
        filters.get("limit"),
    )


def queued_payees(session: Session, actor: Actor, ledger: Ledger, policy, programme: str):
    """The payees of the programme's queued payouts, each once (what a batch would pay)."""
    rules.check_programme(ledger.name, programme)
    actor.require_officer_of(ledger.unit_of(policy, programme))
    model = ledger.payout
    return list(
        session.execute(
            sa.select(model.payee_id)
            .where(model.state == rules.QUEUED, model.programme == programme)
            .distinct()
        ).scalars()
    )


def batches(session: Session, actor: Actor, ledger: Ledger, policy, filters: dict):
    """Batches of the programmes the caller may see, newest first."""
    visible = [
        code
        for code in ledger.programmes
        if actor.role == ADMIN
        or actor.is_officer_of(ledger.unit_of(policy, code), rules.TREASURY_UNIT)
    ]
    if not visible:
        actor.require_officer_of(ledger.unit_of(policy, ledger.programmes[0]))
    model = ledger.batch
    query = sa.select(model).where(model.programme.in_(visible))
    if filters.get("state"):
        query = query.where(model.state == filters["state"])
    return keyset_page(
        session,
        query,
        [(model.created_at, DESC), (model.id, DESC)],
        filters.get("after"),
        filters.get("limit"),
    )


def batch(session: Session, actor: Actor, ledger: Ledger, policy, batch_id: str):
    row = session.get(ledger.batch, batch_id)
    if row is None:
        raise BATCH_NOT_FOUND
    try:
        require_reader(actor, ledger, policy, row.programme)
    except Exception as exc:  # someone who may not see it is told it does not exist
        raise BATCH_NOT_FOUND from exc
    line = ledger.line
    lines = session.execute(
        sa.select(line).where(line.batch_id == batch_id).order_by(line.id)
    ).scalars()
    return row, list(lines)


def reconciliation(session: Session, actor: Actor, ledger: Ledger, since: date, until: date):
    """Per programme: what was batched in [since, until), what the bureau confirmed paid or
    failed in it (by value date), what is still awaited and queued now, and whether every
    year's budget figures equal the sum of its payouts (paid, and queued or batched)."""
    actor.require_role(OFFICER, ADMIN)
    report = []
    for programme in ledger.programmes:
        report.append(
            {
                "programme": programme,
                "label": rules.PROGRAMMES[programme].label(),
                **_batched(session, ledger, programme, since, until),
                **_answered(session, ledger, programme, since, until),
                **_now(session, ledger, programme),
                "ledger_balanced": _balanced(session, ledger, programme),
            }
        )
    return {"since": since, "until": until, "programmes": report}


def _count_and_sum(session, model, where, prefix: str) -> dict:
    count, total = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(model.amount_cny), 0)).where(*where)
    ).one()
    return {f"{prefix}_count": count, f"{prefix}_cny": Decimal(total)}


def _batched(session, ledger: Ledger, programme: str, since: date, until: date) -> dict:
    line, batch = ledger.line, ledger.batch
    in_period = (
        sa.select(batch.id)
        .where(
            batch.programme == programme,
            batch.created_at >= clock.start_of(since),
            batch.created_at < clock.start_of(until),
        )
        .scalar_subquery()
    )
    return _count_and_sum(session, line, [line.batch_id.in_(in_period)], "batched")


def _answered(session, ledger: Ledger, programme: str, since: date, until: date) -> dict:
    line = ledger.line
    found = {}
    for state in (rules.PAID, rules.FAILED):
        where = [
            line.programme == programme,
            line.state == state,
            line.confirmed_on >= since,
            line.confirmed_on < until,
        ]
        found |= _count_and_sum(session, line, where, state)
    return found


def _now(session, ledger: Ledger, programme: str) -> dict:
    line, payout = ledger.line, ledger.payout
    awaiting = _count_and_sum(
        session, line, [line.programme == programme, line.state == rules.PENDING], "awaiting"
    )
    queued = _count_and_sum(
        session, payout, [payout.programme == programme, payout.state == rules.QUEUED], "queued"
    )
    return awaiting | queued


def _balanced(session, ledger: Ledger, programme: str) -> bool:
    payout, budget = ledger.payout, ledger.budget
    sums = session.execute(
        sa.select(
            payout.year,
            sa.func.coalesce(
                sa.func.sum(sa.case((payout.state == rules.PAID, payout.amount_cny), else_=0)), 0
            ),
            sa.func.coalesce(
                sa.func.sum(sa.case((payout.state != rules.PAID, payout.amount_cny), else_=0)), 0
            ),
        )
        .where(payout.programme == programme)
        .group_by(payout.year)
    ).all()
    figures = {
        row.year: (row.paid_cny, row.committed_cny)
        for row in session.execute(sa.select(budget).where(budget.programme == programme))
        .scalars()
        .all()
    }
    for year, paid, committed in sums:
        if figures.get(year, (rules.ZERO, rules.ZERO)) != (Decimal(paid), Decimal(committed)):
            return False
    years_with_payouts = {year for year, *_ in sums}
    return all(
        paid == committed == rules.ZERO
        for year, (paid, committed) in figures.items()
        if year not in years_with_payouts
    )
