"""Registrations made before check-in codes and arrival numbers existed keep their order and get
a code for each confirmed place, on both backends."""

import pytest
import sqlalchemy as sa

from services.common.db import create_engine_for
from services.common.migrations import upgrade

#: the database's own behaviour (locks, migrations, SQL): on both backends
pytestmark = pytest.mark.both_backends

#: the schema before check-in codes: the first events revision and the shared audit trail
BEFORE_CHECK_IN = ("7720dc40bf0e", "audit_0001")


def test_existing_registrations_are_numbered_in_queue_order_and_confirmed_ones_get_a_code(
    databases,
):
    url = databases.create("events_upgrade")
    for revision in BEFORE_CHECK_IN:
        upgrade("services.events", url, revision)
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO activity (id, title, description, category, organiser_unit, "
                    "venue, starts_at, ends_at, capacity, state, confirmed_count, "
                    "waitlisted_count, created_at) VALUES ('a1', '音乐节', '', 'festival', "
                    "'youth_league', '广场', '2026-12-20 06:00:00', '2026-12-20 09:00:00', 2, "
                    "'published', 2, 1, '2026-12-01 00:00:00')"
                )
            )
            for n, (rid, state) in enumerate(
                [("r3", "waitlisted"), ("r1", "confirmed"), ("r2", "confirmed")]
            ):
                conn.execute(
                    sa.text(
                        "INSERT INTO registration (id, activity_id, person_id, state, queued_at) "
                        "VALUES (:id, 'a1', :person, :state, :queued)"
                    ),
                    {
                        "id": rid,
                        "person": f"p{rid}",
                        "state": state,
                        "queued": f"2026-12-0{3 - n} 00:00:00",
                    },
                )
        upgrade("services.events", url)
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, sequence, check_in_code FROM registration ORDER BY sequence")
            ).all()
            last = conn.execute(sa.text("SELECT last_sequence FROM activity")).scalar()
    finally:
        engine.dispose()
    assert [(r.id, r.sequence) for r in rows] == [("r2", 1), ("r1", 2), ("r3", 3)]
    codes = [r.check_in_code for r in rows]
    assert codes[2] is None and all(len(c) == 8 for c in codes[:2]) and codes[0] != codes[1]
    assert last == 3
