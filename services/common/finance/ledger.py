"""The handlers of a paying service's ledger: commit an approval's amount, set an envelope,
collect queued payouts into a batch, export it, and apply the finance bureau's answer.

Each takes the unit of work first and the service's `Ledger` (its mapped tables and who is
responsible for each programme); rows are reached through the repository's named queries
(`FinanceQueries`, `services/common/finance/queries.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..actor import ADMIN, Actor
from ..clock import clock, utcnow
from ..errors import Conflict, InvalidInput, NotFound
from ..models import new_id
from . import rules
from .messages import FINANCE

BATCH_NOT_FOUND = NotFound("payment batch", code="payment_batch_not_found")
PAYOUT_NOT_FOUND = NotFound("payout", code="payout_not_found")
#: the most payouts one batch carries (a bureau's file stays small enough to check by hand)
MAX_BATCH_LINES = 1000


@dataclass(frozen=True)
class Ledger:
    """A service's ledger: its name (the service), its four mapped tables, and the unit
    responsible for each of its programmes under the service's policy."""

    name: str
    budget: type
    payout: type
    batch: type
    line: type
    units: Callable[[object], dict[str, str]]

    @property
    def programmes(self) -> tuple[str, ...]:
        return rules.programmes_of(self.name)

    def unit_of(self, policy, programme: str) -> str:
        return self.units(policy)[programme]


def figures_of(budget) -> rules.Figures:
    return rules.Figures(budget.envelope_cny, budget.committed_cny, budget.paid_cny)


def _apply(budget, figures: rules.Figures) -> None:
    budget.envelope_cny, budget.committed_cny, budget.paid_cny = (
        figures.envelope,
        figures.committed,
        figures.paid,
    )
    budget.updated_at = utcnow()


def commit(uow, ledger: Ledger, programme: str, source_id: str, payee_id: str, amount: Decimal):
    """An approval owes `amount` to `payee_id`: commit it from this year's envelope (409
    `budget_exhausted` when it does not fit) and queue the payout, in the approval's
    transaction. The caller commits the unit of work."""
    year = clock.today().year
    budget = uow.repo.budget_for_update(ledger.budget, programme, year)
    _apply(budget, figures_of(budget).committing(amount, programme, year))
    now = utcnow()
    payout = ledger.payout(
        id=new_id(),
        programme=programme,
        year=year,
        source_id=source_id,
        payee_id=payee_id,
        amount_cny=amount,
        state=rules.QUEUED,
        attempts=0,
        queued_at=now,
        updated_at=now,
    )
    uow.repo.add(payout)
    uow.record("payment.queued", subject=payout.id, data=_payout_data(payout))
    return payout


def set_envelope(uow, actor: Actor, ledger: Ledger, policy, programme: str, year: int, envelope):
    """The programme's responsible unit sets its envelope for `year`; not below what is already
    committed and paid (409 `envelope_below_spent`). Audited with the previous figure."""
    rules.check_programme(ledger.name, programme)
    actor.require_officer_of(ledger.unit_of(policy, programme))
    low, high = clock.today().year - 1, clock.today().year + 1
    if not low <= year <= high:
        raise InvalidInput.for_field(
            "year", "budget_year_out_of_range", FINANCE, low=low, high=high
        )
    budget = uow.repo.budget_for_update(ledger.budget, programme, year)
    before = budget.envelope_cny
    _apply(budget, figures_of(budget).with_envelope(envelope))
    budget.set_by = actor.account_id
    uow.audit(
        "budget.set",
        ("budget", budget.id),
        None,
        {
            "programme": programme,
            "year": year,
            "from": None if before is None else str(before),
            "to": str(envelope),
        },
    )
    uow.commit()
    return budget


def require_reader(actor: Actor, ledger: Ledger, policy, programme: str) -> None:
    """Batches and payouts are seen by the programme's unit, the finance bureau and admins."""
    if actor.role == ADMIN or actor.is_officer_of(
        ledger.unit_of(policy, programme), rules.TREASURY_UNIT
    ):
        return
    actor.require_officer_of(ledger.unit_of(policy, programme))


def create_batch(uow, actor: Actor, ledger: Ledger, policy, programme: str, payees=None):
    """The programme's unit collects its queued payouts (oldest first, at most
    MAX_BATCH_LINES) into a batch for the bureau. With `payees`, only those payees' payouts are
    taken (the gateway names the payees whose bank account it holds); the rest are held back.
    409 `nothing_to_batch` when none is waiting."""
    rules.check_programme(ledger.name, programme)
    actor.require_officer_of(ledger.unit_of(policy, programme))
    queued = uow.repo.queued_payouts(ledger.payout, programme, MAX_BATCH_LINES)
    ready = [p for p in queued if payees is None or p.payee_id in set(payees)]
    if not ready:
        raise Conflict("nothing_to_batch", messages=FINANCE.render("nothing_to_batch"))
    now = utcnow()
    serial = uow.repo.batches_since(ledger.batch, programme, clock.start_of(clock.today())) + 1
    batch = ledger.batch(
        id=new_id(),
        reference=rules.batch_reference(programme, clock.today(), serial),
        programme=programme,
        state=rules.CREATED,
        line_count=len(ready),
        total_cny=sum((p.amount_cny for p in ready), rules.ZERO),
        created_at=now,
        created_by=actor.account_id,
    )
    uow.repo.add(batch)
    lines = []
    for payout in ready:
        payout.state, payout.batch_id, payout.updated_at = rules.BATCHED, batch.id, now
        line = ledger.line(
            id=new_id(),
            batch_id=batch.id,
            payout_id=payout.id,
            programme=programme,
            payee_id=payout.payee_id,
            amount_cny=payout.amount_cny,
            state=rules.PENDING,
        )
        uow.repo.add(line)
        lines.append(line)
    uow.record(
        "payment.batched",
        subject=batch.id,
        data={
            "batch_id": batch.id,
            "reference": batch.reference,
            "programme": programme,
            "line_count": batch.line_count,
            "total_cny": batch.total_cny,
        },
    )
    uow.audit("batch.created", ("payment_batch", batch.id), None, {"lines": len(lines)})
    uow.commit()
    return batch, lines, len(queued) - len(ready)


def export(uow, actor: Actor, ledger: Ledger, policy, batch_id: str):
    """The batch and its lines for the bureau's file. The file carries the payees' bank
    details, so every export is audited; the first marks the batch exported."""
    batch = uow.repo.locked(ledger.batch, batch_id, BATCH_NOT_FOUND)
    require_reader(actor, ledger, policy, batch.programme)
    if batch.state == rules.CREATED:
        batch.state, batch.exported_at = rules.EXPORTED, utcnow()
    uow.audit("batch.exported", ("payment_batch", batch.id), None, {"lines": batch.line_count})
    uow.commit()
    return batch, uow.repo.lines_of(ledger.line, batch.id)


def confirm(uow, actor: Actor, ledger: Ledger, policy, batch_id: str, answer: dict):
    """The finance bureau answers lines of a batch: paid (the commitment becomes paid in the
    payout's budget year) or failed (the payout is queued again for a later batch). A line is
    answered once; the batch is settled when every line is."""
    actor.require_officer_of(rules.TREASURY_UNIT)
    batch = uow.repo.locked(ledger.batch, batch_id, BATCH_NOT_FOUND)
    lines = {line.id: line for line in uow.repo.lines_of(ledger.line, batch.id)}
    now = utcnow()
    for index, outcome in enumerate(answer["lines"]):
        line = lines.get(outcome["line_id"])
        if line is None:
            raise InvalidInput.for_field(
                f"lines.{index}.line_id",
                "payment_line_not_in_batch",
                FINANCE,
                line_id=outcome["line_id"],
            )
        rules.check_outcome(line.state)
        payout = uow.repo.locked(ledger.payout, line.payout_id, PAYOUT_NOT_FOUND)
        line.state, line.confirmed_on, line.confirmed_at = (
            outcome["outcome"],
            answer["paid_on"],
            now,
        )
        if line.state == rules.PAID:
            _paid(uow, ledger, payout, line, outcome.get("bank_reference"), answer["paid_on"])
        else:
            _failed(uow, payout, line, outcome.get("reason") or "other")
        payout.updated_at = now
    if all(line.state != rules.PENDING for line in lines.values()):
        batch.state, batch.settled_at = rules.SETTLED, now
    uow.audit("batch.confirmed", ("payment_batch", batch.id), None, {"lines": len(answer["lines"])})
    uow.commit()
    return batch, list(lines.values())


def _paid(uow, ledger: Ledger, payout, line, reference: str | None, paid_on) -> None:
    line.bank_reference = reference
    payout.state, payout.paid_on = rules.PAID, paid_on
    budget = uow.repo.budget_for_update(ledger.budget, payout.programme, payout.year)
    _apply(budget, figures_of(budget).paying(payout.amount_cny))
    uow.record(
        "payment.paid",
        subject=payout.id,
        data=_payout_data(payout) | {"batch_id": line.batch_id, "paid_on": paid_on},
    )


def _failed(uow, payout, line, reason: str) -> None:
    line.failure_reason = reason
    uow.record(
        "payment.failed",
        subject=payout.id,
        data=_payout_data(payout) | {"batch_id": line.batch_id, "reason": reason},
    )
    # back to the queue: still committed, paid in a later batch once the payee's details are right
    payout.state, payout.batch_id = rules.QUEUED, None
    payout.attempts += 1


def _payout_data(payout) -> dict:
    return {
        "payout_id": payout.id,
        "programme": payout.programme,
        "year": payout.year,
        "source_id": payout.source_id,
        "payee_id": payout.payee_id,
        "amount_cny": payout.amount_cny,
    }


def payees(rows: Iterable) -> list[str]:
    """Each payee once, in order."""
    return list(dict.fromkeys(row.payee_id for row in rows))
