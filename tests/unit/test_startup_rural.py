"""Rural revitalisation (plan 三.3) through its handlers (rural.py) against the in-memory
repository, and its rules (domain/rural.py): who publishes and decides, the forms a project
seeks, places and terms, and what an erasure withdraws."""

from datetime import date
from decimal import Decimal

import pytest

from services.common.actor import Actor
from services.common.errors import Conflict, DomainError, Forbidden, IllegalTransition
from services.startup import privacy, rural
from services.startup.contract.rural import (
    DoerCallInput,
    PartnerApplicationInput,
    PartnerDecisionInput,
    RuralProjectInput,
)
from services.startup.domain import rural as rules
from tests.support.fake_startup import (
    POLICY,
    FakeStartupRepository,
    officer,
    unit_of_work,
    youth,
)

AGRICULTURE = officer("agriculture")
ORGANISATION = officer("organisation")
COMPANY = Actor("company-1", "employer")


def a_project(repo, seeks=("capital", "technical_service")):
    fields = RuralProjectInput().load(
        {"title": "茶叶合伙项目", "village": "XX村", "sector": "特色种植", "seeks": list(seeks)}
    )
    return rural.publish_project(unit_of_work(repo), AGRICULTURE, fields, POLICY)


def applied(repo, project, actor=None, form="technical_service", **extra):
    fields = PartnerApplicationInput().load(
        {"contribution_form": form, "contribution": "技术指导", **extra}
    )
    return rural.apply_as_partner(unit_of_work(repo), actor or youth("p1"), project.id, fields)


def a_call(repo, places=1):
    fields = DoerCallInput().load({"title": "驻村选派", "villages": ["XX村"], "places": places})
    return rural.open_call(unit_of_work(repo), ORGANISATION, fields, POLICY)


def doer(repo, call, person_id="p1", age=25):
    facts = {"person_id": person_id, "age": age, "degree": "bachelor"}
    return rural.apply_as_doer(
        unit_of_work(repo), youth(person_id), facts, call.id, {"statement": "愿意驻村"}, POLICY
    )


def test_only_the_agriculture_unit_publishes_partnership_projects():
    repo = FakeStartupRepository()
    fields = RuralProjectInput().load(
        {"title": "t", "village": "v", "sector": "s", "seeks": ["capital"]}
    )
    with pytest.raises(Forbidden):
        rural.publish_project(unit_of_work(repo), officer("hrss"), fields, POLICY)
    uow = unit_of_work(repo)
    project = rural.publish_project(uow, AGRICULTURE, fields, POLICY)
    assert (project.state, project.organiser_unit) == ("open", "agriculture")
    assert uow.event_types() == ["rural_project.published"]


def test_an_application_offers_a_form_the_project_seeks_once_per_applicant():
    repo = FakeStartupRepository()
    project = a_project(repo, seeks=("technical_service",))
    with pytest.raises(DomainError) as refused:
        applied(repo, project, form="capital", capital_cny="1000.00")
    assert refused.value.code == "contribution_not_sought"
    application = applied(repo, project)
    assert application.applicant_kind == "person"
    with pytest.raises(Conflict):
        applied(repo, project)
    by_company = applied(repo, project, actor=COMPANY)
    assert by_company.applicant_kind == "company"


def test_capital_needs_its_amount_and_a_decline_its_reason():
    from marshmallow import ValidationError

    with pytest.raises(ValidationError) as missing:
        PartnerApplicationInput().load({"contribution_form": "capital", "contribution": "投资"})
    assert missing.value.messages == {"capital_cny": ["capital_amount_required"]}
    with pytest.raises(ValidationError):
        PartnerDecisionInput().load({"decision": "decline"})


def test_the_unit_accepts_then_follows_up_and_a_closed_project_takes_no_more():
    repo = FakeStartupRepository()
    project = a_project(repo)
    application = applied(repo, project, form="capital", capital_cny="500000.00")
    with pytest.raises(DomainError) as early:
        rural.follow_up(
            unit_of_work(repo),
            AGRICULTURE,
            application.id,
            {"recorded_on": date(2026, 1, 1), "progress": "on_track"},
        )
    assert early.value.code == "partner_not_accepted"
    with pytest.raises(Forbidden):
        rural.decide_partner(
            unit_of_work(repo), ORGANISATION, application.id, {"decision": "accept"}
        )
    rural.decide_partner(unit_of_work(repo), AGRICULTURE, application.id, {"decision": "accept"})
    assert (application.state, project.accepted_count) == ("accepted", 1)
    uow = unit_of_work(repo)
    entry = rural.follow_up(
        uow,
        AGRICULTURE,
        application.id,
        {"recorded_on": date(2026, 1, 1), "progress": "on_track", "invested_cny": Decimal(1)},
    )
    assert entry.application_id == application.id
    assert uow.event_types() == ["partner_application.followed_up"]
    rural.close_project(unit_of_work(repo), AGRICULTURE, project.id)
    with pytest.raises(DomainError) as closed:
        applied(repo, project, actor=youth("p2"))
    assert closed.value.code == "rural_call_closed"


def test_the_organisation_department_selects_while_places_last_and_posts_for_a_term():
    repo = FakeStartupRepository()
    call = a_call(repo, places=1)
    with pytest.raises(DomainError) as old:
        doer(repo, call, "p9", age=POLICY.doer_max_age + 1)
    assert old.value.code == "doer_too_old"
    first, second = doer(repo, call, "p1"), doer(repo, call, "p2")
    with pytest.raises(Forbidden):
        rural.decide_doer(unit_of_work(repo), AGRICULTURE, first.id, {"decision": "select"})
    rural.decide_doer(unit_of_work(repo), ORGANISATION, first.id, {"decision": "select"})
    with pytest.raises(DomainError) as full:
        rural.decide_doer(unit_of_work(repo), ORGANISATION, second.id, {"decision": "select"})
    assert full.value.code == "doer_call_full"
    posting = {"village": "XX村", "posted_from": date(2027, 1, 4), "posted_until": date(2029, 1, 5)}
    with pytest.raises(DomainError) as long:
        rural.post_doer(unit_of_work(repo), ORGANISATION, first.id, posting, POLICY)
    assert long.value.code == "posting_term"
    posting["posted_until"] = date(2028, 12, 31)
    rural.post_doer(unit_of_work(repo), ORGANISATION, first.id, posting, POLICY)
    assert (first.state, first.village) == ("posted", "XX村")
    with pytest.raises(IllegalTransition):
        rural.post_doer(unit_of_work(repo), ORGANISATION, second.id, posting, POLICY)


def test_an_erasure_withdraws_what_still_waits_and_keeps_what_was_decided():
    repo = FakeStartupRepository()
    project, call = a_project(repo), a_call(repo, places=2)
    waiting = applied(repo, project)
    posted = doer(repo, call, "p1")
    rural.decide_doer(unit_of_work(repo), ORGANISATION, posted.id, {"decision": "select"})
    uow = unit_of_work(repo)
    privacy.release(uow, "p1", POLICY)
    assert (waiting.state, posted.state) == ("withdrawn", "selected")
    assert "partner_application.withdrawn" in uow.event_types()


def test_a_posting_term_ends_after_it_starts_within_the_maximum():
    rules.check_posting_term(date(2027, 1, 1), date(2028, 12, 31), 24)
    for until in (date(2027, 1, 1), date(2029, 1, 2)):
        with pytest.raises(DomainError):
            rules.check_posting_term(date(2027, 1, 1), until, 24)
