"""`FinanceQueries` (services/common/finance/queries.py) over rows in memory, for the fake
repositories of the services that pay."""

from __future__ import annotations

from services.common.clock import utcnow
from services.common.finance import rules
from services.common.models import new_id


class FakeFinanceQueries:
    """The ledger's named queries; mixed into a `FakeRepository`."""

    def budget_for_update(self, model, programme: str, year: int):
        found = self.rows(model, lambda row: (row.programme, row.year) == (programme, year))
        if found:
            return found[0]
        row = model(
            id=new_id(),
            programme=programme,
            year=year,
            envelope_cny=None,
            committed_cny=rules.ZERO,
            paid_cny=rules.ZERO,
            updated_at=utcnow(),
        )
        self.add(row)
        return row

    def queued_payouts(self, model, programme: str, limit: int) -> list:
        queued = self.rows(
            model, lambda row: row.state == rules.QUEUED and row.programme == programme
        )
        return sorted(queued, key=lambda row: (row.queued_at, row.id))[:limit]

    def batches_since(self, model, programme: str, since) -> int:
        return len(
            self.rows(model, lambda row: row.programme == programme and row.created_at >= since)
        )

    def lines_of(self, model, batch_id: str) -> list:
        return sorted(self.rows(model, lambda row: row.batch_id == batch_id), key=lambda r: r.id)

    def payout_from(self, model, programme: str, source_id: str):
        found = self.rows(
            model, lambda row: row.programme == programme and row.source_id == source_id
        )
        return found[0] if found else None
