"""Money after the decision (services/common/finance): budgets per programme and year, payment
batches for the finance bureau (区财政局) with their export and confirmation, the
reconciliation report, and the bank details payees give once.

A programme's ledger is kept by the service that decides it (jobs: hiring and traineeship
subsidies; startup: the startup grant and the loans' interest subsidy); `<ledger>` in a path
names that service. The services check who may act (the programme's unit sets envelopes and
makes batches, the bureau confirms them); the gateway adds what only it holds: the payees' bank
details, into a batch's export and nowhere else.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from services.common.clock import clock, utcnow
from services.common.db import Database
from services.common.errors import NotFound
from services.common.finance.contract import (
    BatchFilter,
    BatchInput,
    BatchPage,
    BatchView,
    BudgetInput,
    BudgetView,
    ConfirmationInput,
    PayoutFilter,
    PayoutPage,
    ReconciliationQuery,
    ReconciliationView,
)
from services.common.finance.rules import LEDGERS, PROGRAMMES, mask_account
from services.common.rpc import ClusterProxy

from .. import payments_export
from ..accounts import EMPLOYER, OFFICER, PARTNER, STAFF, YOUTH
from ..api import Call, PageResult
from ..composition import Routes
from ..fanout import call_all
from ..models import BankAccount
from ..settings import GatewaySettings

routes = Routes(tags=["payments"])
PAYEES = (YOUTH, EMPLOYER, PARTNER)
SERVICE_ERRORS = (503, 504)


class BankAccountInput(Schema):
    holder = fields.String(required=True, validate=validate.Length(min=1, max=100))
    bank_name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    number = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{8,30}$", error="bank_account_number"),
        metadata={"description": "8 to 30 digits", "example": "6222020200112233445"},
    )


class BankAccountView(Schema):
    holder = fields.String()
    bank_name = fields.String()
    number_masked = fields.String(metadata={"description": "the last four digits"})
    updated_at = fields.DateTime()


class BudgetQuery(Schema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class BudgetList(Schema):
    year = fields.Integer()
    items = fields.List(fields.Nested(BudgetView))
    degraded = fields.List(fields.Dict())


def _ledger(services: ClusterProxy, ledger: str):
    """The service that keeps `ledger`; an unknown one is a 404."""
    if ledger not in LEDGERS:
        raise NotFound("ledger", code="ledger_not_found")
    return getattr(services, ledger)


# -- the payee's bank account --------------------------------------------------------------


def _account_view(row: BankAccount) -> dict:
    return {
        "holder": row.holder,
        "bank_name": row.bank_name,
        "number_masked": mask_account(row.number),
        "updated_at": row.updated_at,
    }


@routes.route(
    "GET",
    "/api/v1/me/bank-account",
    summary="My bank account for payments, masked",
    roles=PAYEES,
    response=BankAccountView,
    errors=(404,),
)
def my_bank_account(call: Call, *, db: Database):
    with db.reading() as session:
        row = session.get(BankAccount, call.account_id)
        if row is None:
            raise NotFound("bank account", code="bank_account_not_set")
        return _account_view(row)


@routes.route(
    "PUT",
    "/api/v1/me/bank-account",
    summary="Give (or correct) the bank account every programme pays me into",
    roles=PAYEES,
    body=BankAccountInput,
    response=BankAccountView,
    errors=(422,),
    description="Given once and used for every payment: subsidies, grants, interest "
    "subsidies. Shown masked; written in full only into a payment batch's export for the "
    "finance bureau; deleted when the person is erased.",
)
def set_my_bank_account(call: Call, *, db: Database):
    with db.unit_of_work() as uow:
        row = uow.session.get(BankAccount, call.account_id)
        if row is None:
            row = BankAccount(account_id=call.account_id)
            uow.session.add(row)
        row.holder, row.bank_name, row.number = (
            call.body["holder"],
            call.body["bank_name"],
            call.body["number"],
        )
        row.updated_at = utcnow()
        uow.audit("bank_account.set", ("account", call.account_id))
        uow.commit()
        return _account_view(row)


def accounts_of(db: Database, payee_ids) -> dict[str, BankAccount]:
    """The bank accounts held for `payee_ids`, by payee."""
    ids = list(payee_ids)
    found = {}
    with db.reading() as session:
        for start in range(0, len(ids), 500):
            query = sa.select(BankAccount).where(
                BankAccount.account_id.in_(ids[start : start + 500])
            )
            found.update({row.account_id: row for row in session.execute(query).scalars()})
            session.expunge_all()
    return found


# -- budgets -------------------------------------------------------------------------------


@routes.route(
    "GET",
    "/api/v1/budgets",
    summary="Each programme's envelope, committed, paid and left for a year",
    roles=STAFF,
    query=BudgetQuery,
    response=BudgetList,
    errors=(422,),
    description="Every paying service is asked at once; one that does not answer is named in "
    "`degraded`.",
)
def list_budgets(call: Call, *, services: ClusterProxy, settings: GatewaySettings):
    year = call.query.get("year") or clock.today().year
    timeout = settings.view_timeout
    within = services.with_timeout(timeout)
    calls = {name: functools.partial(getattr(within, name).budgets, year=year) for name in LEDGERS}
    results, degraded = call_all(calls, timeout)
    items = [item for name in LEDGERS for item in (results.get(name) or {}).get("items", [])]
    return {"year": year, "items": items, "degraded": [d.as_dict() for d in degraded]}


@routes.route(
    "PUT",
    "/api/v1/budgets/<programme>/<year>",
    summary="Set a programme's envelope for a year (its responsible unit)",
    roles=(OFFICER,),
    body=BudgetInput,
    response=BudgetView,
    errors=(403, 404, 409, 422, *SERVICE_ERRORS),
    description="`programme`: " + ", ".join(PROGRAMMES) + ". Not below what is already "
    "committed and paid (409 `envelope_below_spent`).",
)
def set_budget(call: Call, programme: str, year: str, *, services: ClusterProxy):
    found = PROGRAMMES.get(programme)
    if found is None or not year.isdigit():
        raise NotFound("budget", code="budget_not_found")
    return _ledger(services, found.ledger).set_budget(
        programme=programme, year=int(year), budget=call.body
    )


# -- payouts and batches ---------------------------------------------------------------------


@routes.route(
    "GET",
    "/api/v1/payments/<ledger>/payouts",
    summary="Payouts of a programme: queued, batched, paid",
    roles=STAFF,
    query=PayoutFilter,
    response=PayoutPage,
    paginated=True,
    errors=(403, 404, *SERVICE_ERRORS),
    description="`ledger`: " + ", ".join(LEDGERS) + ".",
)
def list_payouts(call: Call, ledger: str, *, services: ClusterProxy):
    return PageResult.of(_ledger(services, ledger).list_payouts(filters=call.query))


@routes.route(
    "GET",
    "/api/v1/payments/<ledger>/batches",
    summary="Payment batches, newest first",
    roles=STAFF,
    query=BatchFilter,
    response=BatchPage,
    paginated=True,
    errors=(403, 404, *SERVICE_ERRORS),
)
def list_batches(call: Call, ledger: str, *, services: ClusterProxy):
    return PageResult.of(_ledger(services, ledger).list_batches(filters=call.query))


@routes.route(
    "POST",
    "/api/v1/payments/<ledger>/batches",
    summary="Collect a programme's queued payouts into a batch for the finance bureau",
    roles=(OFFICER,),
    body=BatchInput,
    response=BatchView,
    status=201,
    errors=(403, 404, 409, 422, *SERVICE_ERRORS),
    description="Only payouts whose payee has given a bank account are taken; the others stay "
    "queued (`held_back`). 409 `nothing_to_batch` when none is ready.",
)
def create_batch(call: Call, ledger: str, *, services: ClusterProxy, db: Database):
    keeper = _ledger(services, ledger)
    waiting = keeper.queued_payees(programme=call.body["programme"])
    ready = sorted(accounts_of(db, waiting))
    return keeper.create_batch(batch=call.body, payee_ids=ready)


@routes.route(
    "GET",
    "/api/v1/payments/<ledger>/batches/<batch_id>",
    summary="A payment batch with its lines and their outcomes",
    roles=STAFF,
    response=BatchView,
    errors=(404, *SERVICE_ERRORS),
)
def get_batch(call: Call, ledger: str, batch_id: str, *, services: ClusterProxy):
    return _ledger(services, ledger).get_batch(batch_id=batch_id)


def _export(services, db, ledger: str, batch_id: str) -> tuple[dict, dict]:
    batch = _ledger(services, ledger).export_batch(batch_id=batch_id)
    return batch, accounts_of(db, {line["payee_id"] for line in batch["lines"]})


def _download(body, content_type: str, reference: str, extension: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{reference}.{extension}"'
    response.headers["Cache-Control"] = "no-store"  # it holds account numbers
    return response


@routes.route(
    "GET",
    "/api/v1/payments/<ledger>/batches/<batch_id>/export.csv",
    summary="The batch as the finance bureau's file, CSV (with the payees' bank details)",
    roles=STAFF,
    errors=(403, 404, *SERVICE_ERRORS),
    response_content_type="text/csv",
    description="Columns: " + ", ".join(payments_export.COLUMNS) + ". The bureau fills the "
    "last three. Every export is recorded in the service's audit trail.",
)
def export_batch_csv(call: Call, ledger: str, batch_id: str, *, services, db: Database):
    batch, accounts = _export(services, db, ledger, batch_id)
    text = payments_export.as_csv(batch, accounts)
    return _download(text, "text/csv; charset=utf-8", batch["reference"], "csv")


@routes.route(
    "GET",
    "/api/v1/payments/<ledger>/batches/<batch_id>/export.xlsx",
    summary="The batch as the finance bureau's file, XLSX (with the payees' bank details)",
    roles=STAFF,
    errors=(403, 404, *SERVICE_ERRORS),
    response_content_type=payments_export.XLSX_TYPE,
    description="The same columns as the CSV, account numbers as text.",
)
def export_batch_xlsx(call: Call, ledger: str, batch_id: str, *, services, db: Database):
    batch, accounts = _export(services, db, ledger, batch_id)
    body = payments_export.as_xlsx(batch, accounts)
    return _download(body, payments_export.XLSX_TYPE, batch["reference"], "xlsx")


@routes.route(
    "POST",
    "/api/v1/payments/<ledger>/batches/<batch_id>/confirmation",
    summary="The finance bureau's answer: lines paid or failed (failed ones are queued again)",
    roles=(OFFICER,),
    body=ConfirmationInput,
    response=BatchView,
    errors=(403, 404, 409, 422, *SERVICE_ERRORS),
    description="Officers of the finance bureau (`finance`) only. The console reads the "
    "bureau's filled-in export file into this body.",
)
def confirm_batch(call: Call, ledger: str, batch_id: str, *, services: ClusterProxy):
    return _ledger(services, ledger).confirm_batch(batch_id=batch_id, confirmation=call.body)


@routes.route(
    "GET",
    "/api/v1/payments/reconciliation",
    summary="Reconciliation for a period: batched, paid, failed, awaited, queued, balanced",
    roles=STAFF,
    query=ReconciliationQuery,
    response=ReconciliationView,
    errors=(422,),
)
def reconciliation(call: Call, *, services: ClusterProxy, settings: GatewaySettings):
    since, until = call.query["since"], call.query["until"]
    timeout = settings.view_timeout
    within = services.with_timeout(timeout)
    calls = {
        name: functools.partial(
            getattr(within, name).reconciliation, since=str(since), until=str(until)
        )
        for name in LEDGERS
    }
    results, degraded = call_all(calls, timeout)
    programmes = [p for name in LEDGERS for p in (results.get(name) or {}).get("programmes", [])]
    return {
        "since": since,
        "until": until,
        "programmes": programmes,
        "degraded": [d.as_dict() for d in degraded],
    }
