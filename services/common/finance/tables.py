"""The tables of a paying service's ledger, as mixins its declarative base maps.

Each service that pays (jobs, startup) keeps its own budgets, payouts and batches in its own
database, so an approval and its commitment are one transaction and no service waits on
another to decide. The columns are declared once here and mapped by each service:

Example::

    class Budget(BudgetColumns, Base):
        pass
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..types import UtcDateTime

MONEY = sa.Numeric(14, 2)


class BudgetColumns:
    """A programme's envelope for one year (预算额度) and what is drawn on it. `envelope_cny`
    is NULL until the programme's unit sets it."""

    __tablename__ = "budget"

    @declared_attr.directive
    def __table_args__(cls):
        return (sa.UniqueConstraint("programme", "year"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    programme: Mapped[str] = mapped_column(sa.String(32))
    year: Mapped[int]
    envelope_cny: Mapped[Decimal | None] = mapped_column(MONEY)
    committed_cny: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    paid_cny: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    set_by: Mapped[str | None] = mapped_column(sa.String(36))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PayoutColumns:
    """Money an approval owes a payee (an employer, a person, a bank), committed from the
    budget of `year`: queued until a batch takes it, batched, paid. `source_id` is what was
    approved (a subsidy claim, a grant, a loan's quarter), once per programme."""

    __tablename__ = "payout"

    @declared_attr.directive
    def __table_args__(cls):
        return (
            sa.UniqueConstraint("programme", "source_id"),
            sa.Index(f"ix_{cls.__tablename__}_queue", "state", "programme", "queued_at", "id"),
            sa.Index(f"ix_{cls.__tablename__}_payee", "payee_id", "queued_at", "id"),
            sa.Index(f"ix_{cls.__tablename__}_paid_on", "paid_on"),
        )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    programme: Mapped[str] = mapped_column(sa.String(32))
    year: Mapped[int]
    source_id: Mapped[str] = mapped_column(sa.String(80))
    payee_id: Mapped[str] = mapped_column(sa.String(36))
    amount_cny: Mapped[Decimal] = mapped_column(MONEY)
    state: Mapped[str] = mapped_column(sa.String(16))
    batch_id: Mapped[str | None] = mapped_column(sa.String(36))
    attempts: Mapped[int] = mapped_column(default=0)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    paid_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PaymentBatchColumns:
    """Payouts of one programme sent together to the finance bureau (区财政局)."""

    __tablename__ = "payment_batch"

    @declared_attr.directive
    def __table_args__(cls):
        return (sa.Index("ix_payment_batch_list", "created_at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(60), unique=True)
    programme: Mapped[str] = mapped_column(sa.String(32))
    state: Mapped[str] = mapped_column(sa.String(16))
    line_count: Mapped[int]
    total_cny: Mapped[Decimal] = mapped_column(MONEY)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    exported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PaymentLineColumns:
    """One payout in one batch, and the bureau's answer: paid (with its reference and value
    date) or failed (with a reason code). A failed payout is queued again; its line stays."""

    __tablename__ = "payment_line"

    @declared_attr.directive
    def __table_args__(cls):
        return (
            sa.Index("ix_payment_line_batch", "batch_id", "id"),
            sa.Index("ix_payment_line_confirmed", "confirmed_on"),
        )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    batch_id: Mapped[str] = mapped_column(sa.String(36))
    payout_id: Mapped[str] = mapped_column(sa.String(36))
    programme: Mapped[str] = mapped_column(sa.String(32))
    payee_id: Mapped[str] = mapped_column(sa.String(36))
    amount_cny: Mapped[Decimal] = mapped_column(MONEY)
    state: Mapped[str] = mapped_column(sa.String(16))
    bank_reference: Mapped[str | None] = mapped_column(sa.String(60))
    failure_reason: Mapped[str | None] = mapped_column(sa.String(32))
    confirmed_on: Mapped[date | None]
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
