"""Farm-product showcases and live-commerce contests (showcases.py) against the in-memory
repository: who enters, once, while it is open; the organiser reports sales once it started;
an erasure unlinks the entrant and keeps the sales."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.common.actor import Actor
from services.common.errors import Conflict, DomainError, Forbidden
from services.events import privacy, showcases
from services.events.events import EVENTS
from services.events.models import ShowcaseEntry
from tests.support.fake_events import FakeEventsRepository, activity
from tests.support.fakes import FakeUnitOfWork

SELLER = Actor("p1", "youth")
COMPANY = Actor("c1", "employer")
ORGANISER = Actor("o1", "officer", "commerce")
OTHER_UNIT = Actor("o2", "officer", "hrss")


def a_showcase(**columns):
    return activity(unit="commerce", category="product_showcase", **columns)


def enter(repo, row, actor=SELLER):
    uow = FakeUnitOfWork(repo, EVENTS)
    return uow, showcases.enter(uow, actor, row.id, {"products": "高山绿茶"})


def test_people_and_companies_enter_a_showcase_once_while_it_is_open():
    row = a_showcase()
    repo = FakeEventsRepository(row)
    uow, entry = enter(repo, row)
    assert entry.entrant_kind == "person" and uow.event_types() == ["showcase.entered"]
    assert enter(repo, row, COMPANY)[1].entrant_kind == "company"
    with pytest.raises(Conflict):
        enter(repo, row)
    with pytest.raises(Forbidden):
        enter(repo, row, ORGANISER)
    ended = a_showcase(starts_in=timedelta(hours=-5), lasts=timedelta(hours=1))
    with pytest.raises(DomainError) as closed:
        enter(FakeEventsRepository(ended), ended)
    assert closed.value.code == "showcase_not_open"
    music = activity(unit="commerce")
    with pytest.raises(DomainError) as other:
        enter(FakeEventsRepository(music), music)
    assert other.value.code == "not_a_showcase"


def test_the_organiser_reports_sales_once_the_showcase_started():
    ahead = a_showcase()
    repo = FakeEventsRepository(ahead)
    _, entry = enter(repo, ahead)
    report = {"sales_cny": Decimal("12800.00"), "orders": 96}
    with pytest.raises(DomainError) as early:
        showcases.report_sales(FakeUnitOfWork(repo, EVENTS), ORGANISER, ahead.id, entry.id, report)
    assert early.value.code == "sales_before_showcase"

    started = a_showcase(starts_in=timedelta(hours=-1))
    repo = FakeEventsRepository(started)
    _, entry = enter(repo, started)
    with pytest.raises(Forbidden):
        showcases.report_sales(
            FakeUnitOfWork(repo, EVENTS),
            Actor("o2", "officer", "hrss"),
            started.id,
            entry.id,
            report,
        )
    uow = FakeUnitOfWork(repo, EVENTS)
    showcases.report_sales(uow, ORGANISER, started.id, entry.id, report)
    assert (entry.sales_cny, entry.orders) == (Decimal("12800.00"), 96)
    assert uow.event_types() == ["showcase.sales_reported"]


def test_an_erased_entrant_leaves_the_entry_and_its_sales_without_a_trace():
    row = a_showcase()
    repo = FakeEventsRepository(row)
    _, entry = enter(repo, row)
    entry.sales_cny = Decimal(5)
    privacy.anonymise(FakeUnitOfWork(repo, EVENTS), "p1")
    (kept,) = repo.rows(ShowcaseEntry, lambda e: True)
    assert (kept.entrant_id, kept.products, kept.sales_cny) == (None, "", Decimal(5))
