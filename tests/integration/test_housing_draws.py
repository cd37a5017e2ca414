"""Draw rounds through a real housing service on RabbitMQ, on SQLite and PostgreSQL: the
commitment and the entrant list's hash are public once applications close and the seed is not;
an application approved after the close waits for the next round; the draw reveals a seed that
matches the commitment; the events say as much and no more; and the database refuses a second
pending round of a kind even when two officers open one at the same instant."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.db import create_engine_for
from services.common.errors import Conflict, DomainError
from services.housing import verify_draw
from services.housing.models import Lottery
from services.housing.repository import HousingRepository
from tests.support import housing as support
from tests.support.housing import declared, person

#: the database's own behaviour (the partial unique index, locks): on both backends
pytestmark = pytest.mark.both_backends

housing_amqp_uri = support.housing_amqp_uri
housing = support.housing


def approved(housing, group: str = "general") -> dict:
    facts = person()
    application = housing.youth(facts).submit_application(
        person=facts, application=declared("public_rental")
    )
    housing.officer().decide_application(
        application_id=application["id"],
        decision={"decision": "approved", "preference_group": group},
    )
    return {**application, "facts": facts}


def round_body(hours: int = 1) -> dict:
    return {
        "kind": "public_rental",
        "title": "2026年第3批公租房摇号",
        "public_value_source": support.PUBLIC_VALUE_SOURCE,
        "public_value_at": (utcnow() + timedelta(hours=hours)).isoformat(),
    }


def outbox(housing, subject: str) -> list[dict]:
    engine = create_engine_for(housing.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT type, data FROM outbox WHERE subject = :s ORDER BY seq"),
                {"s": subject},
            ).all()
            return [{"type": row.type, "data": json.loads(row.data)} for row in rows]
    finally:
        engine.dispose()


def test_the_commitment_is_public_at_close_and_the_seed_only_at_the_draw(housing):
    officer, public = housing.officer(), housing.rpc.housing
    entrants = [approved(housing, group) for group in ("general", "priority", "general")]
    opened = officer.open_lottery(lottery=round_body())
    assert (opened["state"], opened["entrants"], opened["commitment"]) == ("open", None, None)

    closed = officer.close_lottery(lottery_id=opened["id"])
    seen = public.get_lottery(lottery_id=opened["id"])  # anyone, no identity
    assert seen == closed and seen["state"] == "closed"
    assert seen["seed"] is None and seen["order"] is None and seen["reproduced"] is None
    assert [e["group"] for e in seen["entrants"]] == ["priority", "general", "general"]
    assert {e["application_id"] for e in seen["entrants"]} == {a["id"] for a in entrants}
    assert seen["entrants_hash"] == verify_draw.entrants_hash(seen["entrants"])
    mine = housing.youth(entrants[0]["facts"]).get_application(application_id=entrants[0]["id"])
    assert mine["lottery_id"] == opened["id"] and mine["lottery_position"] is None
    assert mine["waitlist_position"] is None

    late = approved(housing)  # after the close: the next round's
    with pytest.raises(DomainError) as early:
        officer.draw_lottery(lottery_id=opened["id"], draw={"public_value": "1 2 3"})
    assert early.value.code == "public_value_not_yet"
    housing.clock.advance(timedelta(hours=1))
    drawn = officer.draw_lottery(lottery_id=opened["id"], draw={"public_value": "1 2 3"})
    assert hashlib.sha256(drawn["seed"].encode()).hexdigest() == seen["commitment"]
    assert drawn["checks"] == {"commitment": True, "entrants_hash": True, "order": True}
    assert late["id"] not in drawn["order"]
    first = officer.get_application(application_id=drawn["order"][0])
    assert first["lottery_position"] == 1 and first["waitlist_position"] == 1

    events = outbox(housing, opened["id"])
    assert [e["type"].rsplit(".", 2)[-2:] for e in events] == [
        ["lottery", "opened"],
        ["lottery", "closed"],
        ["lottery", "drawn"],
    ]
    assert events[1]["data"]["commitment"] == seen["commitment"]
    assert events[1]["data"]["seed"] is None and events[2]["data"]["seed"] == drawn["seed"]
    [listed] = public.list_lotteries(filters={"kind": "public_rental"})["items"]
    assert (listed["id"], listed["state"], listed["entrant_count"]) == (opened["id"], "drawn", 3)


def test_an_officer_chosen_seed_is_refused(housing):
    with pytest.raises(DomainError) as refused:
        housing.officer().open_lottery(lottery={**round_body(), "seed": "notarised-2026-07"})
    assert refused.value.status == 422 and refused.value.field == "seed"


def test_the_database_refuses_a_second_pending_round_of_a_kind(housing):
    engine = create_engine_for(housing.database_url)

    def round_row(row_id: str) -> Lottery:
        return Lottery(
            id=row_id,
            kind="public_rental",
            state="open",
            algorithm=verify_draw.ALGORITHM,
            public_value_source=support.PUBLIC_VALUE_SOURCE,
            public_value_at=utcnow() + timedelta(days=1),
            created_at=utcnow(),
        )

    try:
        with Session(engine) as session:
            HousingRepository(session).add_round(round_row("round-a"))
            session.commit()
        with Session(engine) as session, pytest.raises(Conflict) as second:
            HousingRepository(session).add_round(round_row("round-b"))
        assert second.value.code == "round_pending"
        with Session(engine) as session:
            session.execute(sa.update(Lottery).values(state="cancelled"))
            HousingRepository(session).add_round(round_row("round-c"))
            session.commit()
    finally:
        engine.dispose()


def test_a_draw_made_before_rounds_is_kept_drawn_and_still_reproduced(databases):
    from services.common.migrations import upgrade
    from services.housing import domain, lottery

    url = databases.create("housing")
    upgrade("services.housing", url, "c0e1a7d2b502")  # the head before draw rounds
    entrants = [{"application_id": f"app-{i}", "group": "general"} for i in range(5)]
    order = domain.draw(
        "notarised-2026-07", [domain.Entrant(e["application_id"], "general") for e in entrants], ()
    )
    drawn_at = utcnow().replace(microsecond=0)
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO housing_lottery (id, kind, seed, algorithm, groups, entrants, "
                    "result, drawn_at) VALUES ('old', 'public_rental', 'notarised-2026-07', "
                    ':algorithm, \'["priority", "general"]\', :entrants, :result, :drawn_at)'
                ),
                {
                    "algorithm": domain.LOTTERY_ALGORITHM,
                    "entrants": json.dumps(entrants),
                    "result": json.dumps(order),
                    "drawn_at": drawn_at,
                },
            )
        upgrade("services.housing", url)
        with Session(engine) as session:
            old = session.get(Lottery, "old")
            assert (old.state, old.created_at) == ("drawn", old.drawn_at)
            view = lottery.view(old)
        assert view["reproduced"] is True and view["order"] == order
        assert view["checks"] == {"commitment": None, "entrants_hash": None, "order": True}
    finally:
        engine.dispose()
