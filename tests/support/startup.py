"""Helpers for the startup service's tests: application bodies, officers of the step units,
calls as a given actor, the service's movable clock, and a broker of the module's own.

    with rpc_as(uri, "officer", unit="market_regulation") as cluster:
        cluster.startup.complete_step(registration_id=..., step="name_check")
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import time
import uuid
from contextlib import contextmanager
from datetime import datetime

import pytest
from kombu import Connection, Exchange, Queue
from stdnum.cn import uscc

from services.common.clock import clock
from services.common.context import CallContext
from services.common.rpc import StandaloneRpc
from services.startup.domain import STEPS
from services.startup.policy import StartupPolicy
from services.startup.service import StartupService

from .api import ADMIN, PASSWORD, Session, unique
from .infra import RUN_ID

STEP_UNITS = StartupPolicy().step_unit_map
_serial = itertools.count(1)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> str:
    """A district-local instant as ISO text (what the clock RPC takes)."""
    return datetime(year, month, day, hour, minute, tzinfo=clock.zone).isoformat()


def credit_code() -> str:
    """A valid GB 32100 unified social credit code, unique in this run."""
    first17 = f"91350100{RUN_ID[:4].upper()}{next(_serial):05d}"  # RUN_ID is hex: all allowed
    return first17 + uscc.calc_check_digit(first17)


def business(**overrides) -> dict:
    """A complete one-stop application (一表申请) for a small tech company."""
    return {
        "company_name": "XX青禾科技有限公司",
        "company_type": "limited_company",
        "registered_capital_cny": "100000.00",
        "address": "XX区双创智慧港A座301",
        "business_scope": "软件开发;信息技术咨询服务",
        "founders": [
            {"name": "李青", "share_percent": "70"},
            {"name": "王禾", "share_percent": 30},
        ],
        **overrides,
    }


def context(role: str, unit: str | None = None, actor_id: str | None = None) -> CallContext:
    return CallContext(
        request_id=uuid.uuid4().hex,
        actor_id=actor_id or str(uuid.uuid4()),
        actor_role=role,
        actor_unit=unit,
    )


@contextmanager
def rpc_as(amqp_uri: str, role: str, unit: str | None = None, actor_id: str | None = None):
    """Call services as an actor of `role` (and `unit`), as the gateway would on their behalf."""
    with StandaloneRpc(amqp_uri, timeout=10, context=context(role, unit, actor_id)) as cluster:
        yield cluster


def travel(amqp_uri: str, to: str | None) -> dict:
    """Move a running startup service's clock (it must run with CLOCK=adjustable); it
    sweeps the 2-hour promise at once and says what it published."""
    with StandaloneRpc(amqp_uri, timeout=10) as cluster:
        return cluster.startup.travel_clock(to=to)


class EventLog:
    """Every event on `startup.events` from now on, read by one long-lived consumer (what any
    outside subscriber does), for tests to wait on."""

    def __init__(self, amqp_uri: str, exchange: str = "startup.events"):
        self.connection = Connection(amqp_uri)
        queue = Queue(
            f"test-startup-events-{uuid.uuid4().hex[:8]}",
            Exchange(exchange, type="topic", durable=True),
            routing_key="#",
            exclusive=True,
        )
        self.received: list[dict] = []
        self.consumer = self.connection.Consumer([queue], on_message=self._on_message)
        self.consumer.consume()

    def _on_message(self, message) -> None:
        self.received.append(json.loads(message.body))
        message.ack()

    def about(self, subject: str, until_type: str | None = None, timeout: float = 20) -> list:
        """(`<entity>.<verb>`, data) of the events about `subject` in the order published,
        waiting until one of `until_type` has arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [
                (event["type"].split(".", 2)[2], event["data"])
                for event in self.received
                if event["subject"] == subject
            ]
            if until_type is None or any(kind == until_type for kind, _ in found):
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no {until_type} about {subject} in {timeout}s: {found}")
            with contextlib.suppress(socket.timeout, TimeoutError):
                self.connection.drain_events(timeout=0.2)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.consumer.cancel()
        self.connection.close()


# -- over HTTP -----------------------------------------------------------------------------------


class Staff:
    """Creates staff accounts through one admin session. (`Api.staff` signs the admin in for
    every account, and sign-ins are limited to LOGIN_RATE_LIMIT_ACCOUNT, 10 a minute, per
    username, so a few tests creating officers exhaust the admin's.)"""

    def __init__(self, api):
        self.api = api
        self._admin = None

    @property
    def admin(self):
        if self._admin is None:
            self._admin = self._sign_in_admin()
        return self._admin

    def _sign_in_admin(self, patience: float = 20):
        """The gateway reports ready before its bootstrap has created the admin (seen under
        load), so the first sign-in may be refused; retry slowly, sign-ins being limited."""
        deadline = time.monotonic() + patience
        while True:
            answer = self.api.anonymous.post(
                "/api/v1/auth/token", json={"username": ADMIN[0], "password": ADMIN[1]}
            )
            if answer.status_code != 401 or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert answer.status_code == 200, answer.text
        session = Session(self.api.base, answer.json()["access_token"])
        session.account = session.get("/api/v1/accounts/me").json()
        return session

    def __call__(self, role: str = "officer", unit: str | None = None, **fields):
        username = unique(role)
        body = {"username": username, "password": PASSWORD, "role": role, **fields}
        if unit:
            body["unit"] = unit
        answer = self.admin.post("/api/v1/admin/accounts", json=body)
        assert answer.status_code == 201, answer.text
        return self.api.sign_in(username, PASSWORD)


def approved_loan(staff: Staff, borrower, amount_cny: str = "100000.00", term_months: int = 24):
    """A loan `borrower` applied for, that its bank approved at 3.5 % and 区人社局 then approved:
    (the bank's session, the loan), ready to be disbursed."""
    bank = staff("partner", display_name="XX农村商业银行")
    lender = staff.admin.post(
        "/api/v1/startup/lenders", json={"name": "XX农村商业银行", "partner_account_id": bank.id}
    ).json()
    loan = borrower.post(
        "/api/v1/startup/loans",
        json={
            "borrower_kind": "individual",
            "amount_cny": amount_cny,
            "term_months": term_months,
            "purpose": "购置设备",
            "lender_id": lender["id"],
        },
    ).json()
    bank.post(
        f"/api/v1/startup/loans/{loan['id']}/review",
        json={"decision": "approve", "contract_rate_percent": "3.5"},
    )
    decided = staff("officer", unit="hrss").post(
        f"/api/v1/startup/loans/{loan['id']}/decision", json={"decision": "approve"}
    )
    assert decided.json()["state"] == "approved", decided.text
    return bank, loan


def unit_officers(staff: Staff) -> dict:
    """One officer session for each unit that completes a registration step."""
    return {unit: staff("officer", unit=unit) for unit in sorted(set(STEP_UNITS.values()))}


def complete_steps(officers: dict, registration_id: str, steps=STEPS, code: str | None = None):
    """Each step completed by an officer of its unit; returns the last answer."""
    answer = None
    for step in steps:
        body = {"credit_code": code or credit_code()} if step == "licence" else {}
        answer = officers[STEP_UNITS[step]].post(
            f"/api/v1/startup/registrations/{registration_id}/steps/{step}/complete", json=body
        )
        assert answer.status_code == 200, answer.text
    return answer


@pytest.fixture
def startup(start_service, databases):
    """A startup container on a migrated database, with a clock the test moves; its url."""
    url = databases.migrated("services.startup")
    start_service(StartupService, url, clock="adjustable")
    return url
