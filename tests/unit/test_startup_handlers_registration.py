"""One-stop business registration and its 2-hour promise, through the handlers (registration.py,
sla.py) against the in-memory repository: no broker, no database."""

from datetime import datetime, timedelta

import pytest

from services.common.clock import clock
from services.common.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from services.startup import registration, sla
from services.startup.contract import BusinessRegistrationInput
from services.startup.domain import STEPS
from services.startup.models import BusinessRegistration
from tests.support.fake_startup import (
    POLICY,
    FakeStartupRepository,
    officer,
    person,
    unit_of_work,
    youth,
)

UNITS = POLICY.step_unit_map
CODE = "91350100M000100Y43"
#: a Tuesday, a working day, at the window's opening
TUESDAY_9 = datetime(2026, 3, 10, 9, 0, tzinfo=clock.zone)


def minutes(seconds: int) -> int:
    """Whole minutes of business time (the clock runs on from where a test puts it)."""
    return round(seconds / 60)


def application(**overrides) -> dict:
    body = {
        "company_name": "XX青禾科技有限公司",
        "company_type": "limited_company",
        "registered_capital_cny": "100000.00",
        "address": "XX区双创智慧港A座301",
        "business_scope": "软件开发",
        "founders": [
            {"name": "李青", "share_percent": "70"},
            {"name": "王禾", "share_percent": 30},
        ],
        **overrides,
    }
    return BusinessRegistrationInput().load(body)


def submitted(repo, person_id: str = "p1", at: datetime = TUESDAY_9) -> BusinessRegistration:
    clock.travel_to(at)
    return registration.submit(
        unit_of_work(repo), youth(person_id), person(person_id), application(), POLICY
    )


def complete(repo, row, step: str, code: str = CODE):
    uow = unit_of_work(repo)
    completion = {"credit_code": code} if step == "licence" else {}
    registration.complete_step(uow, officer(UNITS[step]), row.id, step, completion, POLICY)
    return uow


def test_a_submission_starts_the_promise_with_its_warning_and_breach_in_business_time():
    repo = FakeStartupRepository()
    clock.travel_to(TUESDAY_9)
    uow = unit_of_work(repo)
    row = registration.submit(uow, youth("p1"), person("p1"), application(), POLICY)

    assert uow.committed and uow.event_types() == ["registration.submitted"]
    data = uow.recorded[0].data
    submitted_at = datetime.fromisoformat(data["submitted_at"])
    assert datetime.fromisoformat(data["warn_due_at"]) - submitted_at == timedelta(minutes=90)
    # 09:00 + 2 h of window time ends at 11:00, before the lunch break
    assert datetime.fromisoformat(data["breach_due_at"]) - submitted_at == timedelta(hours=2)
    shown = registration.view(row, POLICY, row.updated_at)
    assert [(s["step"], s["unit"], s["ready"]) for s in shown["steps"]][:2] == [
        ("name_check", "market_regulation", True),
        ("licence", "market_regulation", False),
    ]
    assert shown["business_time"]["status"] == "on_track"
    assert repo.get(BusinessRegistration, row.id) is row


def test_an_officer_of_another_unit_may_not_complete_a_step_and_nothing_is_recorded():
    repo = FakeStartupRepository()
    row = submitted(repo)
    uow = unit_of_work(repo)
    with pytest.raises(Forbidden) as refused:
        registration.complete_step(uow, officer("taxation"), row.id, "name_check", {}, POLICY)
    assert refused.value.code == "not_responsible_unit"
    assert uow.recorded == [] and not uow.committed


def test_a_step_waits_for_its_prerequisites():
    repo = FakeStartupRepository()
    row = submitted(repo)
    with pytest.raises(DomainError) as refused:
        complete(repo, row, "seal")
    assert (refused.value.code, refused.value.status) == ("step_prerequisites_pending", 409)


def test_the_licence_needs_a_credit_code_no_other_business_holds():
    repo = FakeStartupRepository()
    first, second = submitted(repo, "p1"), submitted(repo, "p2")
    for row in (first, second):
        complete(repo, row, "name_check")
    with pytest.raises(InvalidInput) as missing:
        registration.complete_step(
            unit_of_work(repo), officer(UNITS["licence"]), first.id, "licence", {}, POLICY
        )
    assert missing.value.errors[0]["code"] == "licence_needs_credit_code"
    complete(repo, first, "licence")
    with pytest.raises(Conflict) as taken:
        complete(repo, second, "licence")
    assert taken.value.code == "credit_code_taken"


def test_the_last_step_in_time_completes_the_business_and_counts_the_graduate():
    repo = FakeStartupRepository()
    row = submitted(repo)
    clock.travel_to(TUESDAY_9 + timedelta(minutes=50))
    for step in STEPS[:-1]:
        complete(repo, row, step)
    last = complete(repo, row, STEPS[-1])

    assert last.event_types() == ["registration.step_completed", "registration.completed"]
    completed = last.recorded[1].data
    assert completed["within_target"] is True and completed["graduate"] is True
    assert minutes(completed["elapsed_business_seconds"]) == 50
    assert last.audited[0][:2] == ("registration.step_completed", ("business_registration", row.id))
    assert row.state == "completed" and row.credit_code == CODE
    assert registration.view(row, POLICY, row.updated_at)["business_time"]["status"] == "met"


def test_a_business_completed_late_before_a_sweep_noticed_still_reports_its_breach():
    repo = FakeStartupRepository()
    row = submitted(repo)
    clock.travel_to(TUESDAY_9 + timedelta(hours=5))  # 14:00: 3 h of window time used
    for step in STEPS[:-1]:
        complete(repo, row, step)
    last = complete(repo, row, STEPS[-1])

    assert last.event_types() == [
        "registration.step_completed",
        "registration.sla_breached",
        "registration.completed",
    ]
    assert last.recorded[1].data["pending_steps"] == []
    assert last.recorded[2].data["within_target"] is False


def test_a_unit_refuses_its_pending_step_with_a_reason_kept_out_of_the_event():
    repo = FakeStartupRepository()
    row = submitted(repo)
    uow = unit_of_work(repo)
    registration.reject(uow, officer("market_regulation"), row.id, "名称与在先企业相同", POLICY)

    assert row.state == "rejected" and row.rejected_step == "name_check"
    assert uow.event_types() == ["registration.rejected"]
    assert uow.recorded[0].data["unit"] == "market_regulation"
    assert "名称与在先企业相同" not in str(uow.recorded[0].data)
    assert uow.audited[0][2] == "名称与在先企业相同"


def test_a_unit_with_nothing_pending_may_not_refuse():
    repo = FakeStartupRepository()
    row = submitted(repo)
    with pytest.raises(Forbidden) as refused:
        registration.reject(unit_of_work(repo), officer("customs"), row.id, "no", POLICY)
    assert refused.value.code == "not_responsible_unit"
    assert row.state == "in_progress"


def test_only_the_founder_withdraws_and_the_promise_stops_counting():
    repo = FakeStartupRepository()
    row = submitted(repo, "p1")
    clock.travel_to(TUESDAY_9 + timedelta(minutes=30))
    with pytest.raises(NotFound):
        registration.withdraw(unit_of_work(repo), youth("p2"), row.id, POLICY)
    uow = unit_of_work(repo)
    registration.withdraw(uow, youth("p1"), row.id, POLICY)

    assert uow.event_types() == ["registration.withdrawn"] and row.state == "withdrawn"
    clock.travel_to(TUESDAY_9 + timedelta(hours=3))
    business_time = registration.view(row, POLICY, clock.utcnow())["business_time"]
    assert (minutes(business_time["elapsed_seconds"]), business_time["status"]) == (30, "stopped")


def _sweep(repo) -> tuple[dict, list]:
    units = []

    def open_unit():
        units.append(unit_of_work(repo))
        return units[-1]

    swept = sla.sweep(open_unit, POLICY)
    return swept, [event for unit in units for event in unit.recorded]


def test_the_sweep_warns_at_75_percent_then_reports_the_breach_each_once():
    repo = FakeStartupRepository()
    row = submitted(repo)
    complete(repo, row, "name_check")

    clock.travel_to(TUESDAY_9 + timedelta(minutes=91))
    swept, recorded = _sweep(repo)
    assert swept == {"warned": 1, "breached": 0}
    assert [event.type for event in recorded] == ["registration.sla_warned"]
    assert recorded[0].data["pending_units"] == sorted(set(UNITS.values()))
    assert _sweep(repo)[0] == {"warned": 0, "breached": 0}

    clock.travel_to(TUESDAY_9 + timedelta(minutes=121))
    swept, recorded = _sweep(repo)
    assert swept == {"warned": 0, "breached": 1}
    assert minutes(recorded[0].data["elapsed_business_seconds"]) == 121
    assert registration.view(row, POLICY, clock.utcnow())["business_time"]["status"] == "breached"


def test_the_sweep_leaves_closed_applications_alone():
    repo = FakeStartupRepository()
    row = submitted(repo)
    registration.withdraw(unit_of_work(repo), youth("p1"), row.id, POLICY)
    clock.travel_to(TUESDAY_9 + timedelta(days=1))
    assert _sweep(repo) == ({"warned": 0, "breached": 0}, [])
