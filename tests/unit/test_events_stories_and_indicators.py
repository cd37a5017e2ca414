"""The stories column's moderation, the dashboard's next steps, the indicators' arithmetic and
the service's policy, without I/O."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.common.actor import Actor
from services.common.config import Settings
from services.common.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from services.common.policy import PolicyError, load_policy
from services.events import domain
from services.events.policy import EventsPolicy

ZONE = ZoneInfo("Asia/Shanghai")
MODERATORS = ("publicity",)


def reader(role="officer", unit="publicity", account_id="m1"):
    return Actor(account_id, role, unit)


def test_publicity_officers_approve_and_reject_with_a_reason():
    assert domain.moderate(domain.SUBMITTED, "approve", None) == domain.STORY_PUBLISHED
    assert domain.moderate(domain.SUBMITTED, "reject", "与专栏主题无关") == domain.REJECTED
    assert domain.moderate(domain.STORY_PUBLISHED, "take_down", "作者要求撤下") == (
        domain.TAKEN_DOWN
    )
    with pytest.raises(InvalidInput) as no_reason:
        domain.moderate(domain.SUBMITTED, "reject", "  ")
    assert no_reason.value.errors[0]["field"] == "reason"
    assert no_reason.value.errors[0]["code"] == "reason_required"
    with pytest.raises(IllegalTransition):
        domain.moderate(domain.REJECTED, "approve", None)


def test_only_moderators_moderate_and_list_anything_but_the_column():
    domain.check_may_moderate(reader(), MODERATORS)
    domain.check_may_list_stories(reader(), domain.SUBMITTED, MODERATORS)
    domain.check_may_list_stories(
        reader(role="youth", unit=None), domain.STORY_PUBLISHED, MODERATORS
    )
    for other in (reader(unit="youth_league"), reader(role="admin", unit=None)):
        with pytest.raises(Forbidden, match="not_story_moderator"):
            domain.check_may_moderate(other, MODERATORS)
        with pytest.raises(Forbidden):
            domain.check_may_list_stories(other, domain.SUBMITTED, MODERATORS)


def test_an_unpublished_story_exists_only_for_its_author_and_the_moderators():
    author = reader(role="youth", unit=None, account_id="author")
    domain.check_may_read_story(author, domain.SUBMITTED, "author", MODERATORS)
    domain.check_may_read_story(reader(), domain.REJECTED, "author", MODERATORS)
    anyone = reader(role=None, unit=None, account_id=None)
    domain.check_may_read_story(anyone, domain.STORY_PUBLISHED, "author", MODERATORS)
    stranger = reader(role="youth", unit=None, account_id="else")
    with pytest.raises(NotFound):
        domain.check_may_read_story(stranger, domain.SUBMITTED, "a", MODERATORS)


def test_only_young_people_submit_stories():
    domain.check_may_submit_story(Actor("p1", "youth"))
    with pytest.raises(Forbidden):
        domain.check_may_submit_story(Actor("o1", "officer"))


NOW = datetime(2026, 12, 1, 2, tzinfo=UTC)
STARTS = datetime(2026, 12, 20, 6, tzinfo=UTC)


def test_the_next_step_of_a_place_is_the_code_and_of_the_waitlist_its_position():
    step = domain.registration_next_step(
        domain.CONFIRMED, None, "K7QXM2PA", STARTS, STARTS + timedelta(hours=2), NOW, ZONE
    )
    assert step["zh-CN"] == "2026-12-20 14:00 到场时出示签到码 K7QXM2PA"
    assert "K7QXM2PA" in step["en"]
    waiting = domain.registration_next_step(
        domain.WAITLISTED, 3, None, STARTS, STARTS + timedelta(hours=2), NOW, ZONE
    )
    assert waiting["zh-CN"].startswith("候补第3位")
    over = STARTS + timedelta(hours=2)
    assert (
        domain.registration_next_step(domain.CONFIRMED, None, "X", STARTS, over, over, ZONE) is None
    )
    assert domain.story_next_step(domain.REJECTED, "篇幅过短")["zh-CN"] == "未通过审核:篇幅过短"
    assert domain.story_next_step(domain.STORY_PUBLISHED, None) is None


def test_a_period_is_whole_local_days_and_must_not_be_reversed():
    period = domain.Period.of(date(2026, 12, 1), date(2027, 1, 1), ZONE)
    assert period.since == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert period.until == datetime(2026, 12, 31, 16, tzinfo=UTC)
    with pytest.raises(InvalidInput) as reversed_:
        domain.Period.of(date(2026, 12, 1), date(2026, 12, 1), ZONE)
    assert reversed_.value.errors[0]["code"] == "period_reversed"


def test_the_attendance_rate_is_the_share_of_places_whose_holder_came():
    assert domain.attendance_rate(3, 4) == 0.75
    assert domain.attendance_rate(2, 3) == 0.6667
    assert domain.attendance_rate(0, 0) == 0.0


def test_a_district_overrides_the_policy_without_code():
    env = {
        "EVENTS_POLICY": '{"story_moderator_units": ["publicity", "cyberspace"], '
        '"check_in_opens_minutes_before_start": "30"}'
    }
    policy = load_policy(EventsPolicy, Settings.from_env("events", env=env))
    assert policy.story_moderator_units == ("publicity", "cyberspace")
    assert policy.check_in_opens_minutes_before_start == 30
    assert load_policy(EventsPolicy, Settings.from_env("events", env={})) == EventsPolicy()
    with pytest.raises(PolicyError):
        load_policy(
            EventsPolicy,
            Settings.from_env("events", env={"EVENTS_POLICY": '{"capacity_bonus": 3}'}),
        )
