"""Notify's rules, without I/O: templates, channel plans, retry schedules, topic patterns,
webhook signatures and the failure policy."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from services.notify import domain
from services.notify.domain import (
    DELIVERED,
    EMAIL,
    INAPP,
    NOT_CONFIGURED,
    OPTED_OUT,
    PENDING,
    SKIPPED,
    SMS,
    Template,
)


def template(**changes) -> Template:
    fields = {
        "recipient": "person_id",
        "category": "activities",
        "mandatory": False,
        "title": {"zh-CN": "报名成功:{activity_title}", "en": "Registered: {activity_title}"},
        "body": {"zh-CN": "时间 {starts_at}", "en": "At {starts_at}"},
    }
    return Template(**{**fields, **changes})


def test_a_template_renders_both_languages_with_district_local_times():
    title, body = template().render(
        {"activity_title": "青年音乐节", "starts_at": "2026-12-20T06:00:00Z"}
    )
    assert title == {"zh-CN": "报名成功:青年音乐节", "en": "Registered: 青年音乐节"}
    assert body == {"zh-CN": "时间 2026-12-20 14:00", "en": "At 2026-12-20 14:00"}


def test_a_missing_field_stays_visible_instead_of_failing_the_event():
    title, _ = template().render({})
    assert title["en"] == "Registered: {activity_title}"


def test_template_problems_name_unknown_placeholders_recipient_and_channels():
    bad = template(
        title={"zh-CN": "{nope}", "en": "{activity_title"}, recipient="who", channels=("fax",)
    )
    problems = domain.template_problems(bad, {"person_id", "activity_title", "starts_at"})
    assert problems == [
        ("title.zh-CN", "template.unknown_placeholder"),
        ("title.en", "template.malformed"),
        ("recipient", "template.unknown_field"),
        ("channels", "template.unknown_channel"),
    ]
    assert domain.template_problems(template(), {"person_id", "activity_title", "starts_at"}) == []


def test_example_data_follows_the_schema_types():
    data = domain.example_data({"title": "String", "starts_at": "DateTime", "capacity": "Integer"})
    assert data == {"title": "<title>", "starts_at": "2026-12-20T06:00:00+00:00", "capacity": 1}


def plan(t: Template, opted_out=(), configured=(EMAIL, SMS)):
    return domain.plan_channels(t, set(opted_out), configured, (EMAIL,), (EMAIL, SMS))


def test_an_ordinary_message_goes_in_app_and_by_the_default_channels():
    result = plan(template())
    assert result.in_inbox
    assert result.deliveries == ((INAPP, DELIVERED, None), (EMAIL, PENDING, None))


def test_a_mandatory_message_reaches_the_inbox_even_when_in_app_is_turned_off():
    off = {(INAPP, "activities"), (SMS, "activities")}
    result = plan(template(mandatory=True), off)
    assert result.in_inbox
    assert result.deliveries == (
        (INAPP, DELIVERED, None),
        (EMAIL, PENDING, None),
        (SMS, SKIPPED, OPTED_OUT),
    )


def test_opting_out_of_in_app_keeps_an_ordinary_message_out_of_the_inbox():
    result = plan(template(), {(INAPP, "activities")})
    assert not result.in_inbox and result.deliveries[0] == (INAPP, SKIPPED, OPTED_OUT)


def test_a_template_chooses_its_channels_and_an_unconfigured_channel_is_skipped():
    result = plan(template(channels=("sms",)), configured=(EMAIL,))
    assert result.deliveries == ((INAPP, DELIVERED, None), (SMS, SKIPPED, NOT_CONFIGURED))
    assert plan(template(channels=())).deliveries == ((INAPP, DELIVERED, None),)


def test_retry_delays_follow_the_schedule_then_stop():
    delays = (5.0, 300.0)
    assert domain.next_attempt_delay(1, delays) == 5.0
    assert domain.next_attempt_delay(2, delays) == 300.0
    assert domain.next_attempt_delay(3, delays) is None
    assert domain.next_attempt_delay(1, delays, jitter=0.1, rand=lambda: 1.0) == pytest.approx(5.5)
    assert domain.next_attempt_delay(1, delays, jitter=0.1, rand=lambda: 0.0) == pytest.approx(4.5)


@pytest.mark.parametrize(
    ("pattern", "key", "matches"),
    [
        ("youthcity.jobs.#", "youthcity.jobs.application.hired", True),
        ("youthcity.jobs.#", "youthcity.housing.unit.allocated", False),
        ("youthcity.*.application.*", "youthcity.housing.application.decided", True),
        ("youthcity.*.application", "youthcity.housing.application.decided", False),
        ("#", "youthcity.events.activity.published", True),
        ("youthcity.#.published", "youthcity.events.activity.published", True),
        ("youthcity.events.activity.published", "youthcity.events.activity.published", True),
        ("#.#", "youthcity.events.activity.published", True),
        ("youthcity.#.#.published", "youthcity.published", True),
        ("#.application.#", "youthcity.jobs.application.hired", True),
        ("#.application.#", "youthcity.jobs.employer.verified", False),
        ("*.#", "youthcity", True),
        ("*.*.#", "youthcity", False),
        ("youthcity.jobs", "youthcity.jobs.application.hired", False),
        ("youthcity.jobs.application.hired.#", "youthcity.jobs.application.hired", True),
    ],
)
def test_topic_patterns_match_as_rabbitmq_does(pattern, key, matches):
    assert domain.topic_matches(pattern, key) is matches


def test_patterns_are_dot_separated_words_stars_and_hashes():
    assert domain.valid_pattern("youthcity.jobs.#")
    assert domain.valid_pattern("#.application.#")
    assert not domain.valid_pattern("#.#.#")  # a third `#` says nothing more, and costs time
    assert not domain.valid_pattern("youthcity..jobs")
    assert not domain.valid_pattern("youthcity.jo bs")
    assert not domain.valid_pattern("")


def test_a_pathological_pattern_set_is_matched_in_linear_time():
    """What a partner could once register (50 patterns of 200 characters, each nearly all
    `#`) against a long event type: backtracking took seconds per pattern; now well under 10 ms
    for the whole set, even past the limit on `#` a subscription may hold."""
    key = ".".join(["youthcity", "events", "registration", "confirmed"] * 10)
    patterns = [".".join(["#"] * 99 + [f"x{n}"]) for n in range(50)]
    assert all(len(pattern) >= 200 for pattern in patterns)
    started = time.perf_counter()
    matched = domain.subscribed(patterns, key)
    elapsed = time.perf_counter() - started
    assert matched is False and elapsed < 0.010, elapsed
    assert domain.topic_matches(".".join(["#"] * 99 + ["confirmed"]), key) is True


def test_a_signature_verifies_with_the_standard_webhooks_library():
    secret, now = domain.new_secret(), datetime.now(UTC)
    body = '{"id":"e1","type":"youthcity.jobs.application.hired"}'
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": domain.signature_header([secret], "msg_1", now, body),
    }
    assert Webhook(secret).verify(body, headers)["id"] == "e1"
    with pytest.raises(WebhookVerificationError):
        Webhook(domain.new_secret()).verify(body, headers)
    tampered = {**headers, "webhook-id": "msg_2"}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, tampered)


def test_during_an_overlap_both_secrets_sign():
    now = datetime.now(UTC)
    old, new = domain.new_secret(), domain.new_secret()
    in_force = domain.signing_secrets(new, old, now + timedelta(hours=1), now)
    assert in_force == [new, old]
    assert domain.signing_secrets(new, old, now - timedelta(seconds=1), now) == [new]
    header = domain.signature_header(in_force, "msg_1", now, "{}")
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(now.timestamp()))}
    for secret in (old, new):
        Webhook(secret).verify("{}", {**headers, "webhook-signature": header}, json_parse=False)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (200, "delivered"),
        (204, "delivered"),
        (None, "retry"),
        (503, "retry"),
        (429, "retry"),
        (410, "gone"),
        (400, "failed"),
        (301, "failed"),
    ],
)
def test_answers_are_classified_as_the_failure_policy_says(status, kind):
    assert domain.classify_response(status).kind == kind


def test_a_retry_after_in_seconds_is_kept_and_a_date_ignored():
    assert domain.classify_response(429, retry_after="7").retry_after == 7.0
    assert (
        domain.classify_response(429, retry_after="Wed, 21 Oct 2026 07:28:00 GMT").retry_after
        is None
    )


def test_an_endpoint_is_disabled_after_a_run_of_failures_or_a_410():
    retry = domain.classify_response(503)
    runs = 0
    for _ in range(2):
        runs = domain.failures_after(runs, retry)
        assert domain.disable_reason(runs, retry, 3) is None
    runs = domain.failures_after(runs, retry)
    assert domain.disable_reason(runs, retry, 3) == "consecutive_failures"
    assert domain.failures_after(runs, domain.classify_response(200)) == 0
    assert domain.disable_reason(1, domain.classify_response(410), 3) == "gone"


@pytest.mark.parametrize(
    "text",
    ["{title:>999999999}", "{title!r}", "{title.__class__}", "{title[0]}", "{title"],
)
def test_a_placeholder_that_is_more_than_a_field_name_makes_the_template_malformed(text):
    with pytest.raises(ValueError):
        domain.placeholders(text)


def test_filling_a_template_substitutes_names_only_and_keeps_unknown_ones():
    values = {"title": "青年音乐节", "starts_at": "2026-12-20T06:00:00Z"}
    assert domain.fill("报名成功:{title} {venue} {{literal}}", values) == (
        "报名成功:青年音乐节 {venue} {literal}"
    )
