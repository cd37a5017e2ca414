from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import DomainError, Forbidden, IllegalTransition, NotFound
from services.events import domain

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
OPEN = domain.RegistrationWindow(None, None)
ANY_AGE = domain.Audience(None, None)


def place(confirmed, capacity=2, state=domain.PUBLISHED, audience=ANY_AGE, window=OPEN, age=22):
    return domain.place_for_new_registration(state, capacity, confirmed, audience, window, age, NOW)


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
    domain.Organiser("a", "officer", "youth_league").check_may_manage("youth_league")
    domain.Organiser("b", "admin", None).check_may_manage("youth_league")
    with pytest.raises(Forbidden):
        domain.Organiser("c", "officer", "hrss").check_may_manage("youth_league")
    with pytest.raises(Forbidden):
        domain.Organiser("d", "youth", None).check_may_manage("youth_league")


def test_someone_elses_registration_does_not_exist_for_the_caller():
    domain.check_registration_owner("p1", "youth", "p1")
    with pytest.raises(NotFound):
        domain.check_registration_owner("p2", "youth", "p1")
