"""Eligibility that changes only because days pass (issue 23), over HTTP on the whole platform
with the district's clock moved, not the real day: a young person who turns 16 becomes
eligible for the traineeship's unemployed-youth route overnight, with no fact changing, and
the gateway's daily check tells them (政策找人), once."""

from __future__ import annotations

from datetime import date

from services.common.rpc import StandaloneRpc
from tests.support.api import citizen_id
from tests.support.messaging import wait_for

FOUND = "youthcity.gateway.benefit.found"
#: 23:30 UTC on 30 November 2026: the district's 1 December
DECEMBER_FIRST = "2026-11-30T23:30:00+00:00"
#: 23:30 UTC on 1 December 2026: the district's 2 December
DECEMBER_SECOND = "2026-12-01T23:30:00+00:00"


def traineeship_verdict(session) -> str:
    answer = session.get("/api/v1/me/benefits").json()
    [programme] = [p for p in answer["programmes"] if p["key"] == "traineeship"]
    return programme["verdict"]


def daily_check(amqp_uri: str, person_id: str) -> dict:
    """The gateway's daily check of one person, on demand (its timer runs the same)."""
    with StandaloneRpc(amqp_uri, timeout=20) as cluster:
        return cluster.gateway.check_benefits_as_days_pass(person_ids=[person_id])


def told_of_traineeship(session) -> list[dict]:
    inbox = session.get("/api/v1/me/messages").json()["items"]
    return [m for m in inbox if m["event_type"] == FOUND and "就业见习" in m["title"]]


def test_a_person_who_turns_16_overnight_is_told_of_the_traineeship(
    api, platform_clock, platform_amqp_uri
):
    platform_clock(DECEMBER_FIRST)
    # 16 on the district's 2 December: the unemployed-youth route opens at 16
    person = api.youth(citizen_id=citizen_id(date(2010, 12, 2)), employment_status="unemployed")
    assert person.get("/api/v1/accounts/me").json()["profile"]["age"] == 15
    assert traineeship_verdict(person) == "not_eligible"
    first = daily_check(platform_amqp_uri, person.id)
    assert first["found"] == 0  # the first check only records the answer

    platform_clock(DECEMBER_SECOND)
    assert traineeship_verdict(person) == "eligible"
    daily_check(platform_amqp_uri, person.id)  # (or the timer, a moment before)
    [message] = wait_for(
        lambda: told_of_traineeship(person),
        timeout=30,
        interval=0.3,
        message="the traineeship found as the days passed",
    )
    assert message["title"].startswith("您可享受新的政策")
    # once: a later check tells nothing again
    assert daily_check(platform_amqp_uri, person.id)["found"] == 0
    assert len(told_of_traineeship(person)) == 1
