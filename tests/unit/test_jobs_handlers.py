"""The jobs service's workflows for employers, practice units, posts and job fairs, run against
an in-memory unit of work: what each decides, tells and audits, and what it refuses.

Applications, traineeships and subsidies are in `test_jobs_hiring_handlers.py`.
"""

from __future__ import annotations

import pytest

from services.common.actor import Actor
from services.common.clock import clock
from services.common.errors import Conflict, DomainError, Forbidden, IllegalTransition, NotFound
from services.jobs import employers, fairs, posts, practice_units
from services.jobs.events import EVENTS
from services.jobs.models import Employer, Fair, FairBooth, PostTransition
from services.jobs.policy import JobsPolicy
from tests.support.fake_jobs import WRITTEN_AT, FakeJobsRepository, employer, fair, post
from tests.support.fakes import FakeUnitOfWork

POLICY = JobsPolicy()
OFFICER = Actor("o1", "officer", "hrss")
LEAGUE_OFFICER = Actor("o2", "officer", "youth_league")
OWNER = Actor("e1", "employer")
OTHER_EMPLOYER = Actor("e2", "employer")
YOUTH = Actor("p1", "youth")


@pytest.fixture(autouse=True)
def _district_day():
    clock.travel_to(WRITTEN_AT)
    yield
    clock.reset()


def unit_of_work(*rows) -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeJobsRepository(*rows), EVENTS)


def registration(**changes) -> dict:
    return {
        "credit_code": "91410200000000001X",
        "industry": "hospitality",
        "area": "北门街道",
        "address": "",
        "in_district": True,
        "description": "",
        **changes,
    }


def draft(**changes) -> dict:
    return {
        "kind": "traineeship",
        "title": "文旅讲解见习岗",
        "description": "",
        "tags": ["讲解"],
        "area": "宋城街道",
        "industry": "culture_tourism",
        "education": "bachelor",
        "positions": 2,
        "address": "",
        "traineeship_months": 6,
        **changes,
    }


def steps_of(uow, post_id: str) -> list[tuple]:
    rows = uow.repo.rows(PostTransition, lambda row: row.post_id == post_id)
    return [(row.action, row.from_state, row.to_state, row.actor_id) for row in rows]


# -- employers --------------------------------------------------------------------------------


def test_an_employer_registers_its_organisation_pending_verification():
    uow = unit_of_work()
    row = employers.register(uow, Actor("e9", "employer"), registration(), "北门酒店")
    assert (row.id, row.name, row.state, row.practice_unit) == ("e9", "北门酒店", "pending", False)
    assert uow.committed and uow.recorded == []


def test_a_credit_code_another_employer_registered_is_refused():
    uow = unit_of_work(employer())
    with pytest.raises(Conflict) as refused:
        employers.register(
            uow, Actor("e9", "employer"), registration(credit_code="91350100M000100Y43"), "x"
        )
    assert (refused.value.code, refused.value.field) == ("credit_code_registered", "credit_code")
    assert not uow.committed


def test_an_account_registers_one_organisation():
    with pytest.raises(Conflict) as refused:
        employers.register(unit_of_work(employer()), OWNER, registration(), "again")
    assert refused.value.code == "employer_already_registered"


def test_a_deciding_officer_verifies_an_employer_who_is_told_and_the_decision_audited():
    uow = unit_of_work(employer(state="pending"))
    row = employers.decide(uow, OFFICER, "e1", "verify", "材料齐全", POLICY)
    assert (row.state, row.decided_by) == ("verified", "o1")
    assert uow.event_types() == ["employer.verified"]
    assert uow.recorded[0].data["employer_id"] == "e1"
    assert uow.audited == [
        (
            "employer.verified",
            ("employer", "e1"),
            "材料齐全",
            {"credit_code": "91350100M000100Y43", "credit_code_checked": True},
        )
    ]


def test_a_rejected_employer_corrects_its_details_and_is_reviewed_again():
    uow = unit_of_work(employer(state="pending"))
    employers.decide(uow, OFFICER, "e1", "reject", "营业执照不清晰", POLICY)
    assert uow.recorded[0].data["reason"] == "营业执照不清晰"
    row = employers.correct(unit_of_work(uow.repo.get(Employer, "e1")), OWNER, {"area": "北门街道"})
    assert (row.state, row.rejection_reason, row.area) == ("pending", None, "北门街道")


def test_a_verified_employer_with_a_new_credit_code_needs_a_new_verification():
    row = employers.correct(unit_of_work(employer()), OWNER, {"credit_code": "91410200000000001X"})
    assert (row.state, row.credit_code) == ("pending", "91410200000000001X")


def test_an_officer_of_another_unit_does_not_decide_and_nothing_is_recorded():
    uow = unit_of_work(employer(state="pending"))
    with pytest.raises(Forbidden) as refused:
        employers.decide(uow, LEAGUE_OFFICER, "e1", "verify", None, POLICY)
    assert refused.value.code == "not_responsible_unit"
    assert uow.repo.get(Employer, "e1").state == "pending"
    assert uow.recorded == [] and uow.audited == []


def test_an_employer_is_decided_once():
    with pytest.raises(IllegalTransition):
        employers.decide(unit_of_work(employer()), OFFICER, "e1", "reject", "late", POLICY)


# -- practice units (产教融合) ------------------------------------------------------------------


def test_an_officer_designates_a_verified_employer_a_practice_unit_with_its_schools():
    uow = unit_of_work(employer())
    row = practice_units.designate(uow, OFFICER, "e1", ["XX职业技术学院"], POLICY)
    assert (row.practice_unit, row.practice_partners) == (True, ["XX职业技术学院"])
    assert uow.audited == [
        (
            "employer.practice_unit_designated",
            ("employer", "e1"),
            None,
            {"partners": ["XX职业技术学院"]},
        )
    ]


def test_an_employer_not_yet_verified_is_not_designated():
    with pytest.raises(DomainError) as refused:
        practice_units.designate(
            unit_of_work(employer(state="pending")), OFFICER, "e1", ["XX学院"], POLICY
        )
    assert refused.value.code == "employer_not_verified"


# -- posts ------------------------------------------------------------------------------------


def test_an_employer_drafts_a_post_found_by_its_chinese_words_and_kept_in_its_history():
    uow = unit_of_work(employer(in_district=False))
    row = posts.create(uow, OWNER, draft(), POLICY)
    assert (row.state, row.employer_name, row.in_district) == ("draft", "宋城文旅有限公司", False)
    assert row.education_rank == 5
    assert {"见习", "讲解", "文旅"} <= uow.repo.terms[row.id]
    assert steps_of(uow, row.id) == [("create", None, "draft", "e1")]
    assert uow.committed and uow.recorded == []


def test_a_post_needs_a_registered_employer():
    with pytest.raises(DomainError) as refused:
        posts.create(unit_of_work(), OWNER, draft(), POLICY)
    assert (refused.value.code, refused.value.status) == ("employer_not_registered", 409)


def test_a_draft_is_submitted_approved_and_published_with_every_step_kept():
    uow = unit_of_work(employer(), post(state="draft", published_at=None, submitted_at=None))
    posts.take_step(uow, OWNER, "post-1", "submit", None, POLICY)
    row = posts.take_step(uow, OFFICER, "post-1", "approve", None, POLICY)
    assert row.state == "published" and row.published_at >= WRITTEN_AT
    assert uow.event_types() == ["posting.published"]
    assert uow.audited == [("post.approve", ("post", "post-1"), None, {"from": "pending_review"})]
    assert steps_of(uow, "post-1") == [
        ("submit", "draft", "pending_review", "e1"),
        ("approve", "pending_review", "published", "o1"),
    ]


def test_a_returned_post_is_a_draft_again_and_its_employer_is_told_why():
    uow = unit_of_work(employer(), post(state="pending_review", published_at=None))
    row = posts.take_step(uow, OFFICER, "post-1", "return", "薪资不明确", POLICY)
    assert row.state == "draft"
    assert uow.recorded[0].type == "posting.returned"
    assert uow.recorded[0].data["reason"] == "薪资不明确"


def test_an_employer_not_yet_verified_does_not_submit():
    uow = unit_of_work(employer(state="pending"), post(state="draft", published_at=None))
    with pytest.raises(DomainError) as refused:
        posts.take_step(uow, OWNER, "post-1", "submit", None, POLICY)
    assert refused.value.code == "employer_not_verified"
    assert not uow.committed


def test_closing_a_published_post_is_told_but_closing_a_draft_is_not():
    published = unit_of_work(employer(), post())
    assert posts.take_step(published, OWNER, "post-1", "close", None, POLICY).state == "closed"
    assert published.event_types() == ["posting.closed"]
    drafted = unit_of_work(employer(), post(state="draft", published_at=None))
    assert posts.take_step(drafted, OFFICER, "post-1", "close", "重复", POLICY).closed_at
    assert drafted.event_types() == []
    assert drafted.audited == [("post.close", ("post", "post-1"), "重复", {"from": "draft"})]


def test_an_unknown_step_does_not_exist():
    with pytest.raises(NotFound):
        posts.take_step(unit_of_work(post()), OWNER, "post-1", "promote", None, POLICY)


def test_only_the_owners_draft_is_edited_and_its_search_index_follows():
    uow = unit_of_work(employer(), post(state="draft", published_at=None, kind="traineeship"))
    row = posts.edit(uow, OWNER, "post-1", {"title": "酒店前台实习", "kind": "internship"}, POLICY)
    assert (row.title, row.traineeship_months) == ("酒店前台实习", None)
    assert "前台" in uow.repo.terms["post-1"]
    with pytest.raises(NotFound):
        posts.edit(uow, OTHER_EMPLOYER, "post-1", {"title": "x"}, POLICY)
    with pytest.raises(IllegalTransition):
        posts.edit(unit_of_work(post()), OWNER, "post-1", {"title": "x"}, POLICY)


# -- job fairs (春风行动) ----------------------------------------------------------------------


def test_a_deciding_officer_opens_a_fair_in_the_name_of_their_unit():
    details = {
        key: getattr(fair(), key)
        for key in ("title", "description", "mode", "venue", "area", "starts_at", "ends_at")
    }
    uow = unit_of_work()
    row = fairs.open_fair(uow, OFFICER, {**details, "booth_capacity": 10}, POLICY)
    assert (row.state, row.organiser_unit, row.booth_count) == ("open", "hrss", 0)
    with pytest.raises(Forbidden):
        fairs.open_fair(unit_of_work(), LEAGUE_OFFICER, {**details, "booth_capacity": 1}, POLICY)


def test_a_verified_employer_takes_a_free_booth_showing_its_published_posts():
    uow = unit_of_work(employer(), fair(), post())
    booth, shown = fairs.book_booth(uow, OWNER, "fair-1", {"post_ids": ["post-1", "post-1"]})
    assert (booth.employer_name, booth.post_ids) == ("宋城文旅有限公司", ["post-1"])
    assert list(shown) == ["post-1"]
    assert uow.repo.get(Fair, "fair-1").booth_count == 1
    with pytest.raises(Conflict) as again:
        fairs.book_booth(uow, OWNER, "fair-1", {"post_ids": []})
    assert again.value.code == "booth_already_booked"


def test_no_booth_is_left_once_the_fair_is_full():
    uow = unit_of_work(employer(), fair(booth_count=2))
    with pytest.raises(DomainError) as refused:
        fairs.book_booth(uow, OWNER, "fair-1", {"post_ids": []})
    assert (refused.value.code, refused.value.params) == ("fair_booths_full", {"capacity": 2})
    assert uow.repo.rows(FairBooth) == []


def test_a_booth_shows_only_the_employers_own_published_posts():
    others = post(id="post-2", employer_id="e2")
    drafted = post(id="post-3", state="draft")
    for post_ids in (["post-2"], ["post-3"], ["missing"]):
        uow = unit_of_work(employer(), fair(), others, drafted)
        with pytest.raises(DomainError) as refused:
            fairs.book_booth(uow, OWNER, "fair-1", {"post_ids": post_ids})
        assert (refused.value.code, refused.value.field) == ("booth_posts_not_open", "post_ids")


def test_a_young_person_registers_for_a_fair_once_and_is_told_where_and_when():
    uow = unit_of_work(fair())
    row, shown = fairs.register(uow, "fair-1", {"person_id": "p1"})
    assert shown.registration_count == 1
    assert uow.event_types() == ["fair.registered"]
    assert uow.recorded[0].data["place"] == "文化广场"
    assert uow.recorded[0].data["registration_id"] == row.id
    with pytest.raises(Conflict) as again:
        fairs.register(uow, "fair-1", {"person_id": "p1"})
    assert again.value.code == "fair_already_registered"


def test_a_fair_that_has_ended_takes_no_one():
    ended = fair(ends_at=WRITTEN_AT)
    with pytest.raises(DomainError) as refused:
        fairs.register(unit_of_work(ended), "fair-1", {"person_id": "p1"})
    assert refused.value.code == "fair_not_open"
