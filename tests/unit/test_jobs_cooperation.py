"""District–university cooperation in the jobs service (issue 28, plan 一.3 and 一.5), run against
an in-memory unit of work: universities, cooperation projects with milestones and outcomes,
practice units with a term and their placements, roadshows employers join, and city-level fairs.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.common.actor import Actor
from services.common.clock import clock
from services.common.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from services.jobs import cooperation, domain, fairs, practice_units, roadshows
from services.jobs.events import EVENTS
from services.jobs.models import CooperationProject, ProjectMilestone, Roadshow, University
from services.jobs.policy import JobsPolicy
from tests.support.fake_jobs import WRITTEN_AT, FakeJobsRepository, employer, fair, post
from tests.support.fakes import FakeUnitOfWork

POLICY = JobsPolicy()
ORGANISATION = Actor("o9", "officer", "organisation")
HRSS = Actor("o1", "officer", "hrss")
OWNER = Actor("e1", "employer")
YOUTH = Actor("p1", "youth")
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _district_day():
    clock.travel_to(WRITTEN_AT)
    yield
    clock.reset()


def unit_of_work(*rows) -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeJobsRepository(*rows), EVENTS)


def university(**changes) -> University:
    return University(
        **{
            "id": "u1",
            "name": "XX大学",
            "city": "杭州市",
            "website": None,
            "registered_by": "o9",
            "registered_at": WRITTEN_AT,
            **changes,
        }
    )


def project(**changes) -> CooperationProject:
    return CooperationProject(
        **{
            "id": "pr1",
            "university_id": "u1",
            "university_name": "XX大学",
            "kind": "platform_building",
            "title": "智慧景区联合实验室",
            "description": "",
            "partner_employer_ids": [],
            "starts_on": clock.today(),
            "ends_on": None,
            "state": "active",
            "milestone_count": 1,
            "milestones_done": 0,
            "outcome_count": 0,
            "lead_unit": "organisation",
            "published_by": "o9",
            "published_at": WRITTEN_AT,
            "updated_at": WRITTEN_AT,
            **changes,
        }
    )


def milestone(**changes) -> ProjectMilestone:
    return ProjectMilestone(
        **{
            "id": "m1",
            "project_id": "pr1",
            "title": "挂牌",
            "due_on": clock.today() + timedelta(days=10),
            "done": False,
            **changes,
        }
    )


def roadshow(**changes) -> Roadshow:
    starts = WRITTEN_AT + timedelta(days=3)
    return Roadshow(
        **{
            "id": "rs1",
            "university_id": "u1",
            "university_name": "XX大学",
            "title": "文旅产业专题推介会",
            "industry": "culture_tourism",
            "description": "",
            "venue": "报告厅",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "employer_capacity": 1,
            "employer_count": 0,
            "state": "open",
            "organiser_unit": "organisation",
            "created_by": "o9",
            "created_at": WRITTEN_AT,
            **changes,
        }
    )


# -- universities and projects ----------------------------------------------------------------


def test_only_the_cooperation_units_officer_registers_a_university_and_once_by_name():
    with pytest.raises(Forbidden) as refused:
        cooperation.register_university(
            unit_of_work(), HRSS, {"name": "XX大学", "city": "杭州市"}, POLICY
        )
    assert refused.value.code == "not_responsible_unit"
    uow = unit_of_work(university())
    with pytest.raises(Conflict) as taken:
        cooperation.register_university(
            uow, ORGANISATION, {"name": "XX大学", "city": "杭州市"}, POLICY
        )
    assert taken.value.code == "university_registered"
    fresh = unit_of_work()
    row = cooperation.register_university(
        fresh, ORGANISATION, {"name": "YY学院", "city": "宁波市"}, POLICY
    )
    assert (row.name, row.registered_by) == ("YY学院", "o9")
    assert fresh.event_types() == ["university.registered"]


def test_a_project_is_published_with_a_registered_university_its_kind_and_milestones():
    uow = unit_of_work(university())
    details = {
        "university_id": "u1",
        "kind": "technology_transfer",
        "title": "客流预测成果转化",
        "description": "",
        "partner_employer_ids": [],
        "starts_on": clock.today(),
        "ends_on": None,
        "milestones": [{"title": "签约", "due_on": clock.today() + timedelta(days=5)}],
    }
    row, milestones = cooperation.publish_project(uow, ORGANISATION, details, POLICY)
    assert (row.state, row.university_name, row.lead_unit, row.milestone_count) == (
        "active",
        "XX大学",
        "organisation",
        1,
    )
    assert [m.title for m in milestones] == ["签约"]
    assert uow.recorded[0].data["kind"] == "technology_transfer"
    assert uow.audited[0][0] == "cooperation.project_published"
    with pytest.raises(NotFound):
        cooperation.publish_project(
            unit_of_work(), ORGANISATION, {**details, "university_id": "nope"}, POLICY
        )
    with pytest.raises(NotFound) as unknown:
        cooperation.publish_project(
            unit_of_work(university()),
            ORGANISATION,
            {**details, "partner_employer_ids": ["nobody"]},
            POLICY,
        )
    assert unknown.value.params == {"resource": "employer"}


def test_a_milestone_is_done_once_and_told_whether_on_time():
    uow = unit_of_work(project(), milestone())
    row = cooperation.complete_milestone(uow, ORGANISATION, "pr1", "m1", POLICY)
    assert row.done and uow.repo.get(CooperationProject, "pr1").milestones_done == 1
    [event] = uow.recorded
    assert (event.type, event.data["on_time"]) == ("cooperation.milestone_done", True)
    with pytest.raises(DomainError) as twice:
        cooperation.complete_milestone(uow, ORGANISATION, "pr1", "m1", POLICY)
    assert twice.value.code == "milestone_already_done"


def test_a_milestone_of_another_project_does_not_exist_for_this_one():
    uow = unit_of_work(project(), project(id="pr2"), milestone(project_id="pr2"))
    with pytest.raises(NotFound):
        cooperation.complete_milestone(uow, ORGANISATION, "pr1", "m1", POLICY)


def test_a_completed_project_takes_no_more_outcomes():
    uow = unit_of_work(project())
    outcome = {"title": "专利许可", "description": "", "achieved_on": clock.today()}
    cooperation.record_outcome(uow, ORGANISATION, "pr1", outcome, POLICY)
    done = cooperation.complete_project(uow, ORGANISATION, "pr1", POLICY)
    assert (done.state, done.outcome_count) == ("completed", 1)
    with pytest.raises(DomainError) as refused:
        cooperation.record_outcome(uow, ORGANISATION, "pr1", outcome, POLICY)
    assert refused.value.code == "project_not_active"


# -- practice units ---------------------------------------------------------------------------


def test_a_practice_unit_is_verified_for_a_term_serving_registered_universities():
    uow = unit_of_work(employer(), university())
    row = practice_units.designate(uow, HRSS, "e1", [], POLICY, {"university_ids": ["u1"]})
    today = clock.today()
    assert row.practice_partners == ["XX大学"] and row.practice_university_ids == ["u1"]
    assert (row.practice_from, row.practice_until) == (today, domain.add_years(today, 3))
    [event] = uow.recorded
    assert (event.type, event.data["university_ids"]) == ("practice_unit.verified", ["u1"])


def test_a_term_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidInput):
        practice_units.designate(
            unit_of_work(employer()),
            HRSS,
            "e1",
            ["XX学院"],
            POLICY,
            {"valid_from": TODAY, "valid_until": TODAY},
        )


def practice_unit(**changes):
    return employer(
        **{
            "practice_unit": True,
            "practice_partners": ["XX大学"],
            "practice_university_ids": ["u1"],
            "practice_from": clock.today() - timedelta(days=30),
            "practice_until": clock.today() + timedelta(days=300),
            "students_placed": 0,
            **changes,
        }
    )


def placement(**changes) -> dict:
    return {
        "university_id": "u1",
        "students": 4,
        "starts_on": clock.today(),
        "ends_on": clock.today() + timedelta(days=60),
        **changes,
    }


def test_a_practice_unit_reports_students_placed_as_a_count():
    uow = unit_of_work(practice_unit(), university())
    row = practice_units.record_placement(uow, OWNER, placement())
    assert row.students == 4 and uow.repo.get(type(practice_unit()), "e1").students_placed == 4
    [event] = uow.recorded
    assert set(event.data) == {
        "placement_id",
        "employer_id",
        "university_id",
        "students",
        "starts_on",
        "ends_on",
    }


@pytest.mark.parametrize(
    ("unit", "body", "code"),
    [
        (dict(practice_until=date(2020, 1, 1)), {}, "practice_unit_not_active"),
        ({}, {"university_id": "u2"}, "university_not_served"),
    ],
)
def test_a_placement_needs_an_active_unit_and_a_university_it_serves(unit, body, code):
    uow = unit_of_work(practice_unit(**unit), university())
    with pytest.raises(DomainError) as refused:
        practice_units.record_placement(uow, OWNER, placement(**body))
    assert refused.value.code == code


def test_a_practice_units_state_follows_its_term():
    assert domain.practice_state(False, None, TODAY) is None
    assert domain.practice_state(True, None, TODAY) == "active"
    assert domain.practice_state(True, TODAY, TODAY) == "active"  # its last day still counts
    assert domain.practice_state(True, TODAY - timedelta(days=1), TODAY) == "expired"


# -- roadshows and city fairs -----------------------------------------------------------------


def test_a_verified_employer_joins_a_roadshow_once_while_places_last():
    uow = unit_of_work(employer(), post(state="published"), roadshow(), university())
    row, _ = roadshows.join(uow, OWNER, "rs1", {"post_ids": ["post-1"]})
    assert (row.employer_name, row.post_ids) == ("宋城文旅有限公司", ["post-1"])
    assert uow.event_types() == ["roadshow.joined"]
    with pytest.raises(Conflict) as again:
        roadshows.join(uow, OWNER, "rs1", {"post_ids": []})
    assert again.value.code == "roadshow_already_joined"
    other = unit_of_work(
        employer(id="e2", credit_code="91410200000000002X"), roadshow(employer_count=1)
    )
    with pytest.raises(DomainError) as full:
        roadshows.join(other, Actor("e2", "employer"), "rs1", {"post_ids": []})
    assert full.value.code == "roadshow_full"


def test_an_employer_not_yet_verified_does_not_join_a_roadshow():
    with pytest.raises(DomainError) as refused:
        roadshows.join(
            unit_of_work(employer(state="pending"), roadshow()), OWNER, "rs1", {"post_ids": []}
        )
    assert refused.value.code == "employer_not_verified"


def test_roadshows_are_organised_by_the_cooperation_unit_at_a_registered_university():
    details = {
        "university_id": "u1",
        "title": "推介会",
        "industry": "culture_tourism",
        "description": "",
        "venue": "报告厅",
        "starts_at": WRITTEN_AT + timedelta(days=1),
        "ends_at": WRITTEN_AT + timedelta(days=1, hours=2),
        "employer_capacity": 5,
    }
    with pytest.raises(Forbidden):
        roadshows.organise(unit_of_work(university()), HRSS, details, POLICY)
    uow = unit_of_work(university())
    row = roadshows.organise(uow, ORGANISATION, details, POLICY)
    assert (row.university_name, row.state, row.organiser_unit) == (
        "XX大学",
        "open",
        "organisation",
    )
    assert uow.event_types() == ["roadshow.published"]


def test_a_city_fair_is_listed_for_registrations_and_offers_no_booths():
    details = {
        "title": "市级招聘会",
        "description": "",
        "mode": "on_site",
        "venue": "市人才市场",
        "organiser": "市人社局",
        "starts_at": WRITTEN_AT + timedelta(days=2),
        "ends_at": WRITTEN_AT + timedelta(days=2, hours=6),
    }
    uow = unit_of_work(employer())
    row = fairs.list_city_fair(uow, HRSS, details, POLICY)
    assert (row.level, row.booth_capacity) == ("city", 0)
    with pytest.raises(DomainError) as refused:
        fairs.book_booth(uow, OWNER, row.id, {"post_ids": []})
    assert refused.value.code == "city_fair_no_booths"
    registration, _ = fairs.register(uow, row.id, {"person_id": "p1"})
    assert uow.recorded[-1].data["level"] == "city" and registration.person_id == "p1"


def test_a_district_fairs_registration_says_its_level():
    uow = unit_of_work(fair())
    fairs.register(uow, "fair-1", {"person_id": "p1"})
    assert uow.recorded[-1].data["level"] == "district"
