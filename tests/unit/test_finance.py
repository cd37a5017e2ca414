"""Budgets and payment batches (services/common/finance): an envelope's arithmetic, and the
jobs ledger's handlers from a granted subsidy to the bureau's answer, against an in-memory
unit of work."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.common.actor import Actor
from services.common.clock import clock
from services.common.errors import Conflict, Forbidden, InvalidInput
from services.common.finance import ledger as finance
from services.common.finance import rules
from services.jobs import subsidies
from services.jobs.events import EVENTS
from services.jobs.models import Budget, Payout
from services.jobs.payments import LEDGER
from services.jobs.policy import JobsPolicy
from tests.support.fake_jobs import VERIFIED_FACTS, WRITTEN_AT, FakeJobsRepository, application
from tests.support.fakes import FakeUnitOfWork

POLICY = JobsPolicy()
HRSS = Actor("o1", "officer", "hrss")
BUREAU = Actor("f1", "officer", "finance")
HOST = Actor("e1", "employer")


@pytest.fixture(autouse=True)
def _district_day():
    clock.travel_to(WRITTEN_AT)
    yield
    clock.reset()


# -- the envelope --------------------------------------------------------------------------


def test_a_commitment_that_does_not_fit_what_is_left_is_refused_in_both_languages():
    figures = rules.Figures(Decimal("2000.00"), Decimal("1500.00"))
    assert figures.left == Decimal("500.00")
    with pytest.raises(Conflict) as refused:
        figures.committing(Decimal("1500.00"), "hiring_subsidy", 2026)
    problem = refused.value
    assert (problem.code, problem.status, problem.params["left"]) == (
        "budget_exhausted",
        409,
        "500.00",
    )
    assert "一次性扩岗补助" in problem.messages["zh-CN"] and "500.00" in problem.messages["zh-CN"]
    assert "One-off hiring subsidy" in problem.messages["en"]
    assert figures.committing(Decimal("500.00"), "hiring_subsidy", 2026).left == Decimal("0.00")


def test_an_envelope_nobody_set_limits_nothing_but_counts_and_paying_moves_committed_to_paid():
    figures = rules.Figures(None).committing(Decimal("9e9"), "hiring_subsidy", 2026)
    assert (figures.left, figures.committed) == (None, Decimal("9e9"))
    paid = rules.Figures(Decimal("100"), Decimal("60"), Decimal("10")).paying(Decimal("60"))
    assert (paid.committed, paid.paid, paid.left) == (Decimal("0"), Decimal("70"), Decimal("30"))


def test_an_envelope_cannot_be_cut_below_what_is_committed_and_paid():
    with pytest.raises(Conflict) as refused:
        rules.Figures(Decimal("100"), Decimal("60"), Decimal("30")).with_envelope(Decimal("89"))
    assert refused.value.code == "envelope_below_spent"
    assert refused.value.field == "envelope_cny"


def test_an_account_number_shows_only_its_last_four_digits():
    assert rules.mask_account("6222020200112233445") == "**** 3445"
    assert rules.mask_account(None) is None


# -- the jobs ledger -----------------------------------------------------------------------


def granted_claims(*people: str, envelope: str | None = "3000.00"):
    """Hires of `people` by `e1`, each claimed; the envelope of the year set first."""
    hires = [
        application(
            id=f"app-{p}",
            person_id=p,
            post_id=f"post-{p}",
            state="hired",
            graduate=True,
            contract_with_social_insurance=True,
            hired_at=WRITTEN_AT,
        )
        for p in people
    ]
    uow = FakeUnitOfWork(FakeJobsRepository(*hires), EVENTS)
    if envelope is not None:
        finance.set_envelope(
            uow, HRSS, LEDGER, POLICY, "hiring_subsidy", WRITTEN_AT.year, Decimal(envelope)
        )
    claims = [subsidies.claim(uow, HOST, {"application_id": f"app-{p}"}, POLICY) for p in people]
    return uow, claims


def grant(uow, claim):
    return subsidies.decide(uow, HRSS, claim.id, {"decision": "grant"}, POLICY, VERIFIED_FACTS)


def budget(uow) -> Budget:
    return uow.repo.rows(Budget)[0]


def test_granting_a_subsidy_commits_it_and_queues_its_payout_to_the_employer():
    uow, (claim,) = granted_claims("p1")
    grant(uow, claim)
    (payout,) = uow.repo.rows(Payout)
    assert (payout.programme, payout.payee_id, payout.amount_cny, payout.state) == (
        "hiring_subsidy",
        "e1",
        Decimal("1500"),
        "queued",
    )
    assert (budget(uow).committed_cny, budget(uow).paid_cny) == (Decimal("1500"), Decimal("0"))
    assert uow.event_types()[-2:] == ["subsidy.decided", "payment.queued"]
    assert uow.audited[0][0] == "budget.set"


def test_an_exhausted_envelope_refuses_the_next_grant_and_the_claim_stays_claimed():
    uow, (first, second) = granted_claims("p1", "p2", envelope="2000.00")
    grant(uow, first)
    with pytest.raises(Conflict) as refused:
        grant(uow, second)
    assert refused.value.code == "budget_exhausted"
    assert refused.value.params["left"] == "500.00"


def test_only_the_programmes_unit_sets_its_envelope_for_this_year_or_the_next():
    uow = FakeUnitOfWork(FakeJobsRepository(), EVENTS)
    with pytest.raises(Forbidden):
        finance.set_envelope(uow, BUREAU, LEDGER, POLICY, "hiring_subsidy", 2026, Decimal(1))
    with pytest.raises(InvalidInput) as refused:
        finance.set_envelope(uow, HRSS, LEDGER, POLICY, "startup_grant", 2026, Decimal(1))
    assert refused.value.errors[0]["field"] == "programme"
    with pytest.raises(InvalidInput) as refused:
        finance.set_envelope(
            uow, HRSS, LEDGER, POLICY, "hiring_subsidy", WRITTEN_AT.year + 5, Decimal(1)
        )
    assert refused.value.errors[0]["code"] == "budget_year_out_of_range"


def test_a_batch_takes_the_queued_payouts_of_payees_with_an_account_and_holds_back_the_rest():
    uow, claims = granted_claims("p1", "p2")
    for claim in claims:
        grant(uow, claim)
    with pytest.raises(Forbidden):
        finance.create_batch(uow, BUREAU, LEDGER, POLICY, "hiring_subsidy")
    batch, lines, held_back = finance.create_batch(
        uow, HRSS, LEDGER, POLICY, "hiring_subsidy", payees=["e1"]
    )
    assert (batch.line_count, batch.total_cny, held_back) == (2, Decimal("3000"), 0)
    assert batch.reference == f"HIRING_SUBSIDY-{WRITTEN_AT:%Y%m%d}-001"
    assert {p.state for p in uow.repo.rows(Payout)} == {"batched"}
    with pytest.raises(Conflict) as refused:
        finance.create_batch(uow, HRSS, LEDGER, POLICY, "hiring_subsidy")
    assert refused.value.code == "nothing_to_batch"


def test_the_bureau_confirms_one_line_paid_and_one_failed_which_goes_back_to_the_queue():
    uow, claims = granted_claims("p1", "p2")
    for claim in claims:
        grant(uow, claim)
    batch, lines, _ = finance.create_batch(uow, HRSS, LEDGER, POLICY, "hiring_subsidy")
    paid_on = WRITTEN_AT.date() + timedelta(days=3)
    answer = {
        "paid_on": paid_on,
        "lines": [
            {"line_id": lines[0].id, "outcome": "paid", "bank_reference": "TR-1"},
            {"line_id": lines[1].id, "outcome": "failed", "reason": "account_closed"},
        ],
    }
    with pytest.raises(Forbidden):
        finance.confirm(uow, HRSS, LEDGER, POLICY, batch.id, answer)
    finance.confirm(uow, BUREAU, LEDGER, POLICY, batch.id, answer)
    assert batch.state == "settled"
    states = {p.id: (p.state, p.paid_on, p.attempts) for p in uow.repo.rows(Payout)}
    assert states[lines[0].payout_id] == ("paid", paid_on, 0)
    assert states[lines[1].payout_id] == ("queued", None, 1)
    assert (budget(uow).committed_cny, budget(uow).paid_cny) == (Decimal("1500"), Decimal("1500"))
    assert uow.event_types()[-2:] == ["payment.paid", "payment.failed"]
    assert uow.recorded[-1].data["reason"] == "account_closed"
    with pytest.raises(Conflict) as refused:
        finance.confirm(uow, BUREAU, LEDGER, POLICY, batch.id, answer)
    assert refused.value.code == "payment_line_settled"
    again, _, _ = finance.create_batch(uow, HRSS, LEDGER, POLICY, "hiring_subsidy")
    assert again.line_count == 1 and again.reference.endswith("-002")


def test_a_line_of_another_batch_is_refused_naming_it():
    uow, (claim,) = granted_claims("p1")
    grant(uow, claim)
    batch, _, _ = finance.create_batch(uow, HRSS, LEDGER, POLICY, "hiring_subsidy")
    answer = {"paid_on": date(2026, 1, 1), "lines": [{"line_id": "nope", "outcome": "paid"}]}
    with pytest.raises(InvalidInput) as refused:
        finance.confirm(uow, BUREAU, LEDGER, POLICY, batch.id, answer)
    assert refused.value.errors[0]["field"] == "lines.0.line_id"
