"""The rules of activities and registrations, without I/O."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.common.actor import Actor
from services.common.errors import DomainError, Forbidden, IllegalTransition, NotFound
from services.events import domain

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
OPEN = domain.RegistrationWindow(None, None)
ANY_AGE = domain.Audience(None, None)


def place(confirmed, capacity=2, state=domain.PUBLISHED, audience=ANY_AGE, window=OPEN, age=22):
    domain.check_may_register(state, audience, window, age, NOW)
    return domain.CONFIRMED if domain.has_place(confirmed, capacity) else domain.WAITLISTED


def test_places_are_confirmed_while_they_last_then_the_waitlist_begins():
    assert [place(n) for n in range(4)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]


@pytest.mark.parametrize(("age", "allowed"), [(13, False), (14, True), (35, True), (36, False)])
def test_the_audience_age_range_is_inclusive(age, allowed):
    audience = domain.Audience(14, 35)
    if allowed:
        assert place(0, audience=audience, age=age) == "confirmed"
    else:
        with pytest.raises(DomainError) as refused:
            place(0, audience=audience, age=age)
        assert refused.value.code == "age_out_of_range"
        assert refused.value.params == {"age": age, "min_age": 14, "max_age": 35}


def test_an_age_range_needs_a_known_age():
    with pytest.raises(DomainError) as refused:
        place(0, audience=domain.Audience(14, 35), age=None)
    assert refused.value.code == "age_unknown"


def test_registration_only_inside_its_window_and_only_when_published():
    with pytest.raises(DomainError, match="registration_not_open"):
        place(0, window=domain.RegistrationWindow(NOW + timedelta(hours=1), None))
    with pytest.raises(DomainError, match="registration_closed"):
        place(0, window=domain.RegistrationWindow(None, NOW - timedelta(seconds=1)))
    with pytest.raises(DomainError, match="activity_not_open"):
        place(0, state=domain.DRAFT)


def test_activity_transitions_follow_the_workflow():
    assert domain.next_activity_state(domain.DRAFT, "publish") == domain.PUBLISHED
    assert domain.next_activity_state(domain.PUBLISHED, "cancel") == domain.CANCELLED
    with pytest.raises(IllegalTransition):
        domain.next_activity_state(domain.CANCELLED, "publish")


def test_only_officers_of_the_organising_unit_or_admins_manage_an_activity():
    domain.check_may_manage(Actor("a", "officer", "youth_league"), "youth_league")
    domain.check_may_manage(Actor("b", "admin", None), "youth_league")
    with pytest.raises(Forbidden):
        domain.check_may_manage(Actor("c", "officer", "hrss"), "youth_league")
    with pytest.raises(Forbidden):
        domain.check_may_manage(Actor("d", "youth", None), "youth_league")


def test_someone_elses_registration_does_not_exist_for_the_caller():
    domain.check_registration_owner(Actor("p1", "youth"), "p1")
    with pytest.raises(NotFound):
        domain.check_registration_owner(Actor("p2", "youth"), "p1")


def test_a_cancelled_registration_may_be_made_again_but_no_second_one_while_it_is_in_play():
    domain.check_may_register_again(None)
    domain.check_may_register_again(domain.REG_CANCELLED)
    for state in domain.ACTIVE_REGISTRATION:
        with pytest.raises(DomainError, match="already_registered"):
            domain.check_may_register_again(state)


def test_without_a_closing_time_registration_stays_open_until_the_activity_ends():
    ends = NOW + timedelta(hours=2)
    window = domain.registration_window(None, None, ends)
    assert window.refusal_at(NOW + timedelta(hours=1)) is None
    assert window.refusal_at(ends + timedelta(seconds=1)).code == "registration_closed"


def test_the_audience_range_applies_to_the_age_on_the_activitys_day():
    zone = ZoneInfo("Asia/Shanghai")
    birth = date(1991, 12, 20)  # 34 on 1 December 2026, 35 on the 20th, 36 a year later
    on_the_day = datetime(2026, 12, 20, 2, tzinfo=UTC)  # 10:00 in the district
    assert domain.age_at_activity(birth, 34, on_the_day, zone) == 35
    assert domain.age_at_activity(birth, 34, on_the_day + timedelta(days=365), zone) == 36
    assert domain.age_at_activity(None, 34, on_the_day, zone) == 34


def test_cancelling_is_refused_once_checked_in_cancelled_or_over():
    later = NOW + timedelta(hours=1)
    domain.check_cancellable(domain.CONFIRMED, later, NOW)
    domain.check_cancellable(domain.WAITLISTED, later, NOW)
    for state, code in (
        (domain.CHECKED_IN, "registration_attended"),
        (domain.REG_CANCELLED, "registration_already_cancelled"),
    ):
        with pytest.raises(DomainError, match=code):
            domain.check_cancellable(state, later, NOW)
    with pytest.raises(DomainError, match="activity_already_over"):
        domain.check_cancellable(domain.CONFIRMED, NOW, NOW)


def test_a_freed_place_promotes_only_while_the_activity_is_published_and_not_over():
    later = NOW + timedelta(hours=1)
    assert domain.promotes_on_cancel(True, domain.PUBLISHED, later, NOW)
    assert not domain.promotes_on_cancel(False, domain.PUBLISHED, later, NOW)
    assert not domain.promotes_on_cancel(True, domain.CANCELLED, later, NOW)
    assert not domain.promotes_on_cancel(True, domain.PUBLISHED, NOW, NOW)


def test_registration_transitions_follow_the_workflow():
    assert domain.next_registration_state(domain.WAITLISTED, "promote") == domain.CONFIRMED
    assert domain.next_registration_state(domain.CHECKED_IN, "void") == domain.REG_CANCELLED
    with pytest.raises(IllegalTransition):
        domain.next_registration_state(domain.CONFIRMED, "promote")
    with pytest.raises(IllegalTransition):
        domain.next_registration_state(domain.CHECKED_IN, "cancel")


def test_a_draft_exists_only_for_its_organisers_and_a_published_one_is_refused_to_others():
    other = Actor("c", "officer", "hrss")
    with pytest.raises(NotFound) as hidden:
        domain.check_may_manage_activity(other, domain.DRAFT, "youth_league")
    assert hidden.value.render()["zh-CN"] == "未找到该活动"
    with pytest.raises(Forbidden):
        domain.check_may_manage_activity(other, domain.PUBLISHED, "youth_league")
    domain.check_may_see_activity(
        Actor("a", "officer", "youth_league"), domain.DRAFT, "youth_league"
    )
    assert domain.draft_units(other) == ("hrss",)
    assert domain.draft_units(Actor("b", "admin", None)) is None
    with pytest.raises(Forbidden, match="drafts_for_organisers"):
        domain.draft_units(Actor("y", "youth", None))


def test_an_activity_is_published_before_it_ends_and_finished_once_it_started():
    with pytest.raises(DomainError, match="activity_already_over"):
        domain.check_may_publish(NOW, NOW)
    domain.check_may_publish(NOW + timedelta(minutes=1), NOW)
    with pytest.raises(DomainError, match="activity_not_started"):
        domain.check_may_finish(NOW + timedelta(minutes=1), NOW)
    domain.check_may_finish(NOW, NOW)
