"""Incubator spaces, training places, and what an erasure gives back, through the handlers
(incubator.py, training.py, privacy.release) against the in-memory repository."""

from datetime import date, datetime, timedelta

import pytest

from services.common.clock import clock
from services.common.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from services.startup import incubator, loans, privacy, registration, training
from services.startup.contract import BusinessRegistrationInput, CourseInput, SpaceInput
from services.startup.contract.loans import LoanInput
from services.startup.models import Course, Enrolment, IncubatorSpace
from tests.support.fake_startup import (
    ADMIN,
    POLICY,
    FakeStartupRepository,
    a_lender,
    officer,
    person,
    unit_of_work,
    youth,
)

NDRC = officer("development_reform")
HRSS = officer("hrss")
MONDAY = datetime(2026, 3, 9, 10, 0, tzinfo=clock.zone)


def a_space(repo, code: str = "A-301-05", kind: str = "desk") -> IncubatorSpace:
    fields = SpaceInput().load({"code": code, "kind": kind, "building": "A座", "area_m2": "4.5"})
    return incubator.create_space(unit_of_work(repo), NDRC, fields, POLICY)


def applied(repo, person_id: str = "p1", kind: str = "desk"):
    fields = {"space_kind": kind, "project": "乡村文旅短视频工作室", "team_size": 3}
    return incubator.apply(unit_of_work(repo), youth(person_id), person(person_id), fields)


def allocation(space, starts_on=date(2026, 4, 1), ends_on=date(2027, 4, 1)) -> dict:
    return {"space_id": space.id, "starts_on": starts_on, "ends_on": ends_on}


# -- incubator spaces -------------------------------------------------------------------------


def test_the_park_unit_or_an_admin_adds_spaces_under_unique_codes():
    repo = FakeStartupRepository()
    space = a_space(repo)
    assert space.state == "available"
    fields = SpaceInput().load({"code": "B-1", "kind": "office", "building": "B", "area_m2": "20"})
    with pytest.raises(Forbidden):
        incubator.create_space(unit_of_work(repo), HRSS, fields, POLICY)
    incubator.create_space(unit_of_work(repo), ADMIN, fields, POLICY)
    with pytest.raises(Conflict) as taken:
        a_space(repo, "B-1")
    assert taken.value.code == "space_code_taken"


def test_one_open_incubator_application_per_person():
    repo = FakeStartupRepository()
    uow = unit_of_work(repo)
    incubator.apply(
        uow, youth("p1"), person("p1"), {"space_kind": "desk", "project": "x", "team_size": 1}
    )
    assert uow.event_types() == ["incubator.applied"]
    with pytest.raises(Conflict) as refused:
        applied(repo)
    assert refused.value.code == "incubator_application_open"


def test_a_free_space_of_the_kind_applied_for_is_allocated_and_becomes_occupied():
    repo = FakeStartupRepository()
    desk, office = a_space(repo), a_space(repo, "B-1", "office")
    application = applied(repo)
    with pytest.raises(InvalidInput) as wrong_kind:
        incubator.allocate(unit_of_work(repo), NDRC, application.id, allocation(office), POLICY)
    assert wrong_kind.value.errors[0]["code"] == "space_kind_mismatch"
    assert application.state == "applied" and office.state == "available"

    uow = unit_of_work(repo)
    incubator.allocate(uow, NDRC, application.id, allocation(desk), POLICY)
    assert (application.state, application.space_id, desk.state) == (
        "allocated",
        desk.id,
        "occupied",
    )
    assert uow.event_types() == ["incubator.allocated"]
    assert uow.recorded[0].data["space_code"] == "A-301-05"

    other = applied(repo, "p2")
    with pytest.raises(Conflict) as taken:
        incubator.allocate(unit_of_work(repo), NDRC, other.id, allocation(desk), POLICY)
    assert taken.value.code == "space_not_available"


def test_a_tenancy_longer_than_24_months_is_refused():
    repo = FakeStartupRepository()
    desk, application = a_space(repo), applied(repo)
    long = allocation(desk, ends_on=date(2028, 4, 2))
    with pytest.raises(InvalidInput) as refused:
        incubator.allocate(unit_of_work(repo), NDRC, application.id, long, POLICY)
    assert refused.value.errors[0]["code"] == "tenancy_too_long"


def test_ending_a_tenancy_frees_its_space():
    repo = FakeStartupRepository()
    desk, application = a_space(repo), applied(repo)
    incubator.allocate(unit_of_work(repo), NDRC, application.id, allocation(desk), POLICY)
    uow = unit_of_work(repo)
    ending = {"ended_on": date(2026, 9, 30), "reason": "迁出"}
    incubator.end_tenancy(uow, NDRC, application.id, ending, POLICY)

    assert (application.state, desk.state) == ("ended", "available")
    assert uow.event_types() == ["incubator.tenancy_ended"]
    assert uow.audited[0][:3] == (
        "incubator.tenancy_ended",
        ("incubator_application", application.id),
        "迁出",
    )


def test_only_the_park_unit_refuses_and_only_the_applicant_withdraws():
    repo = FakeStartupRepository()
    application = applied(repo)
    with pytest.raises(Forbidden):
        incubator.reject(unit_of_work(repo), HRSS, application.id, "名额已满", POLICY)
    with pytest.raises(NotFound):
        incubator.withdraw(unit_of_work(repo), youth("p2"), application.id)
    uow = unit_of_work(repo)
    incubator.withdraw(uow, youth("p1"), application.id)
    assert application.state == "withdrawn" and uow.event_types() == ["incubator.withdrawn"]


# -- training ---------------------------------------------------------------------------------


def a_course(repo, capacity: int = 2, starts_on: date = date(2026, 4, 1)) -> Course:
    fields = CourseInput().load(
        {
            "title": "SYB创业培训(第12期)",
            "mode": "onsite",
            "starts_on": starts_on.isoformat(),
            "ends_on": (starts_on + timedelta(days=9)).isoformat(),
            "hours": 80,
            "capacity": capacity,
        }
    )
    return training.create_course(unit_of_work(repo), HRSS, fields, POLICY)


def enrolled(repo, course, person_id: str = "p1") -> Enrolment:
    return training.enrol(unit_of_work(repo), youth(person_id), person(person_id), course.id)


def test_the_training_unit_publishes_a_course():
    repo = FakeStartupRepository()
    uow = unit_of_work(repo)
    fields = CourseInput().load(
        {
            "title": "SYB",
            "mode": "online",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-02",
            "hours": 8,
            "capacity": 5,
        }
    )
    course = training.create_course(uow, HRSS, fields, POLICY)
    assert course.organiser_unit == "hrss" and uow.event_types() == ["course.published"]
    with pytest.raises(Forbidden):
        training.create_course(unit_of_work(repo), NDRC, fields, POLICY)


def test_places_last_until_the_course_is_full_and_one_each():
    clock.travel_to(MONDAY)
    repo = FakeStartupRepository()
    course = a_course(repo, capacity=2)
    enrolled(repo, course, "p1")
    with pytest.raises(Conflict) as twice:
        enrolled(repo, course, "p1")
    assert twice.value.code == "course_already_enrolled"
    enrolled(repo, course, "p2")
    with pytest.raises(DomainError) as full:
        enrolled(repo, course, "p3")
    assert (full.value.code, course.enrolled_count) == ("course_full", 2)


def test_a_cancelled_place_goes_back_and_may_be_taken_up_again():
    clock.travel_to(MONDAY)
    repo = FakeStartupRepository()
    course = a_course(repo, capacity=1)
    enrolment = enrolled(repo, course)
    uow = unit_of_work(repo)
    training.cancel(uow, youth("p1"), enrolment.id)
    assert (enrolment.state, course.enrolled_count) == ("cancelled", 0)
    assert uow.event_types() == ["enrolment.cancelled"]
    again = enrolled(repo, course)
    assert again is enrolment and (again.state, again.cancelled_at) == ("enrolled", None)


def test_nobody_enrols_once_the_course_has_started():
    repo = FakeStartupRepository()
    course = a_course(repo, starts_on=date(2026, 3, 1))
    clock.travel_to(MONDAY)
    with pytest.raises(DomainError) as refused:
        enrolled(repo, course)
    assert refused.value.code == "course_not_open"


def test_an_officer_of_the_organising_unit_records_completion():
    clock.travel_to(MONDAY)
    repo = FakeStartupRepository()
    enrolment = enrolled(repo, a_course(repo))
    with pytest.raises(Forbidden):
        training.complete(unit_of_work(repo), NDRC, enrolment.id)
    uow = unit_of_work(repo)
    training.complete(uow, HRSS, enrolment.id)
    assert enrolment.state == "completed" and uow.event_types() == ["enrolment.completed"]
    assert uow.audited[0][:2] == ("enrolment.completed", ("enrolment", enrolment.id))


# -- what an erasure closes first -------------------------------------------------------------


def test_an_erasure_gives_back_what_waits_on_the_person_and_keeps_what_is_under_way():
    clock.travel_to(MONDAY)
    repo = FakeStartupRepository(a_lender())
    business = BusinessRegistrationInput().load(
        {
            "company_name": "XX青禾科技有限公司",
            "company_type": "limited_company",
            "registered_capital_cny": "100000",
            "address": "XX区",
            "business_scope": "软件开发",
            "founders": [{"name": "李青", "share_percent": "100"}],
        }
    )
    pending = registration.submit(unit_of_work(repo), youth("p1"), person("p1"), business, POLICY)
    loan_terms = LoanInput().load(
        {
            "borrower_kind": "individual",
            "amount_cny": "1000",
            "term_months": 12,
            "purpose": "x",
            "lender_id": "lender-bank-1",
        }
    )
    loan = loans.apply(unit_of_work(repo), youth("p1"), person("p1"), loan_terms, POLICY)
    application = applied(repo)
    future = enrolled(repo, a_course(repo, starts_on=date(2026, 4, 1)))
    running_course = a_course(repo, starts_on=date(2026, 3, 9))
    running = enrolled(repo, running_course)

    uow = unit_of_work(repo)
    privacy.release(uow, "p1", POLICY)

    assert uow.event_types() == [
        "registration.withdrawn",
        "loan.withdrawn",
        "incubator.withdrawn",
        "enrolment.cancelled",
    ]
    assert (pending.state, loan.state, application.state) == ("withdrawn",) * 3
    assert (future.state, running.state, running_course.enrolled_count) == (
        "cancelled",
        "enrolled",
        1,
    )
    again = unit_of_work(repo)
    privacy.release(again, "p1", POLICY)
    assert again.recorded == []
