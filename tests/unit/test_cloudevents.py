import json
from datetime import UTC, datetime

import pytest

from services.common import cloudevents


def encoded(**overrides):
    fields = {
        "event_id": "3f1c",
        "service": "jobs",
        "event_type": "youthcity.jobs.application.hired",
        "time": datetime(2026, 11, 28, 8, 30, tzinfo=UTC),
        "subject": "42",
        "data_json": '{"application_id":42,"amount":"1500.00"}',
        "request_id": "req-1",
        "actor_id": "acct-9",
    } | overrides
    return cloudevents.encode(**fields)


def test_a_structured_event_has_every_attribute_and_the_data_as_stored():
    document = json.loads(encoded())
    assert document == {
        "specversion": "1.0",
        "id": "3f1c",
        "source": "/youthcity/jobs",
        "type": "youthcity.jobs.application.hired",
        "time": "2026-11-28T08:30:00.000000Z",
        "datacontenttype": "application/json",
        "subject": "42",
        "requestid": "req-1",
        "actorid": "acct-9",
        "data": {"application_id": 42, "amount": "1500.00"},
    }


def test_decoding_gives_back_the_event():
    event, data = cloudevents.decode(encoded(), cloudevents.CONTENT_TYPE)
    assert (event.id, event.type, event.subject, event.request_id) == (
        "3f1c",
        "youthcity.jobs.application.hired",
        "42",
        "req-1",
    )
    assert event.source_service == "jobs"
    assert event.time == datetime(2026, 11, 28, 8, 30, tzinfo=UTC)
    assert data == {"application_id": 42, "amount": "1500.00"}
    assert event.context().request_id == "req-1"


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"{}", "application/json", "content type is not application/cloudevents+json"),
        (b"not json", cloudevents.CONTENT_TYPE, "body is not JSON"),
        (b'{"specversion":"0.3"}', cloudevents.CONTENT_TYPE, "not a CloudEvents 1.0 document"),
        (
            b'{"specversion":"1.0","id":"x"}',
            cloudevents.CONTENT_TYPE,
            "missing attributes: source, type, time",
        ),
    ],
)
def test_what_is_not_a_cloudevent_is_refused_with_a_reason_that_quotes_nothing(
    body, content_type, reason
):
    with pytest.raises(cloudevents.UndecodableEvent) as refused:
        cloudevents.decode(body, content_type)
    assert refused.value.reason == reason
