"""`Payments`: the RPCs of a paying service's ledger, as a mixin of its nameko class (like
`PersonalData`). The class names its `ledger` and has `db`, `policy` and `caller`.

Example::

    class JobsService(ServiceBase, Audited, PersonalData, Payments):
        ledger = Ledger("jobs", Budget, Payout, PaymentBatch, PaymentLine,
                        units=lambda policy: {"hiring_subsidy": policy.deciding_unit, ...})
"""

from __future__ import annotations

from ..errors import InvalidInput
from ..rpc import rpc
from . import ledger as handlers
from . import queries
from .contract import (
    BatchFilter,
    BatchInput,
    BatchView,
    BudgetInput,
    BudgetsView,
    ConfirmationInput,
    PayoutFilter,
    PayoutView,
    ReconciliationQuery,
    ReconciliationView,
)
from .messages import FINANCE

BATCH = BatchView()
PAYOUT = PayoutView()


class Payments:
    """Budgets, payouts and payment batches of the service's programmes."""

    @rpc
    def budgets(self, year: int) -> dict:
        """Each programme's envelope, committed, paid and left for `year` (officers, admins)."""
        with self.db.reading() as session:
            found = queries.budgets(session, self.caller.actor, self.ledger, self.policy, year)
            return BudgetsView().dump(found)

    @rpc
    def spending(self, year: int) -> dict:
        """The same figures for the indicators page, which the gateway shows to staff."""
        with self.db.reading() as session:
            return BudgetsView().dump(
                queries.budgets(session, None, self.ledger, self.policy, year)
            )

    @rpc
    def set_budget(self, programme: str, year: int, budget: dict) -> dict:
        fields = BudgetInput().load(budget)
        with self.db.unit_of_work() as uow:
            row = handlers.set_envelope(
                uow,
                self.caller.actor,
                self.ledger,
                self.policy,
                programme,
                int(year),
                fields["envelope_cny"],
            )
            view = queries.budget_view(self.ledger, self.policy, programme, row.year, row)
        return BudgetsView().dump({"year": row.year, "items": [view]})["items"][0]

    @rpc
    def list_payouts(self, filters: dict) -> dict:
        args = PayoutFilter().load(filters)
        with self.db.reading() as session:
            page = queries.payouts(session, self.caller.actor, self.ledger, self.policy, args)
            return {"items": PAYOUT.dump(page.items, many=True), "next_cursor": page.next_cursor}

    @rpc
    def queued_payees(self, programme: str) -> list:
        with self.db.reading() as session:
            return queries.queued_payees(
                session, self.caller.actor, self.ledger, self.policy, programme
            )

    @rpc
    def create_batch(self, batch: dict, payee_ids: list | None = None) -> dict:
        """Collect the programme's queued payouts into a batch (only `payee_ids`' when given)."""
        fields = BatchInput().load(batch)
        with self.db.unit_of_work() as uow:
            row, lines, held_back = handlers.create_batch(
                uow, self.caller.actor, self.ledger, self.policy, fields["programme"], payee_ids
            )
        return self._batch_view(row, lines) | {"held_back": held_back}

    @rpc
    def list_batches(self, filters: dict) -> dict:
        args = BatchFilter().load(filters)
        with self.db.reading() as session:
            page = queries.batches(session, self.caller.actor, self.ledger, self.policy, args)
            items = [self._batch_view(row, None) for row in page.items]
            return {"items": items, "next_cursor": page.next_cursor}

    @rpc
    def get_batch(self, batch_id: str) -> dict:
        with self.db.reading() as session:
            row, lines = queries.batch(
                session, self.caller.actor, self.ledger, self.policy, batch_id
            )
            return self._batch_view(row, lines)

    @rpc
    def export_batch(self, batch_id: str) -> dict:
        """The batch and its lines for the bureau's file (the gateway adds the bank details)."""
        with self.db.unit_of_work() as uow:
            row, lines = handlers.export(uow, self.caller.actor, self.ledger, self.policy, batch_id)
            return self._batch_view(row, lines)

    @rpc
    def confirm_batch(self, batch_id: str, confirmation: dict) -> dict:
        """The finance bureau's answer for lines of the batch."""
        fields = ConfirmationInput().load(confirmation)
        with self.db.unit_of_work() as uow:
            row, lines = handlers.confirm(
                uow, self.caller.actor, self.ledger, self.policy, batch_id, fields
            )
            return self._batch_view(row, lines)

    @rpc
    def reconciliation(self, since: str, until: str) -> dict:
        args = ReconciliationQuery().load({"since": since, "until": until})
        if args["until"] <= args["since"]:
            raise InvalidInput.for_field("until", "reconciliation_period_reversed", FINANCE)
        with self.db.reading() as session:
            report = queries.reconciliation(
                session, self.caller.actor, self.ledger, args["since"], args["until"]
            )
            return ReconciliationView().dump(report)

    def _batch_view(self, row, lines) -> dict:
        view = BATCH.dump(row) | {"ledger": self.ledger.name}
        if lines is not None:
            view["lines"] = BATCH.fields["lines"].serialize("lines", {"lines": lines})
        return view
