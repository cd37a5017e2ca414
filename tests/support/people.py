"""Young people seeded in bulk straight into a migrated gateway database, each signed in: for
the benchmarks (a flash crowd; what one registration costs), whose thousands of accounts would
otherwise cost an argon2 hash each through HTTP registration before the clock even starts."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, date, datetime, timedelta

from services.common.config import database_url_for
from services.common.db import create_engine_for

from .jobs import writing


def seed_youth(url: str, count: int, birth_date: date) -> list[tuple[str, str]]:
    """Insert `count` active young people (an account, a profile born on `birth_date`, and a
    live session each) into the gateway database at `url`; their (account id, session id).
    The accounts have no password: they are signed in through their sessions only (mint the
    access tokens with `gateway.auth.Tokens` and the platform's JWT_SECRET)."""
    from gateway.models import Account, AuthSession, YouthProfile

    now = datetime.now(UTC)
    people = [(str(uuid.uuid4()), str(uuid.uuid4())) for _ in range(count)]
    engine = create_engine_for(url)
    try:
        for offset in range(0, count, 2000):
            chunk = people[offset : offset + 2000]
            with writing(engine) as conn:
                conn.execute(
                    Account.__table__.insert(),
                    [
                        {
                            "id": account_id,
                            "username": f"crowd-{account_id[:18]}",
                            "role": "youth",
                            "locale": "zh-CN",
                            "status": "active",
                            "created_at": now,
                            "must_change_password": False,
                        }
                        for account_id, _ in chunk
                    ],
                )
                conn.execute(
                    YouthProfile.__table__.insert(),
                    [
                        {
                            "account_id": account_id,
                            "birth_date": birth_date,
                            "local_social_insurance_months": 0,
                            "updated_at": now,
                        }
                        for account_id, _ in chunk
                    ],
                )
                conn.execute(
                    AuthSession.__table__.insert(),
                    [
                        {
                            "id": session_id,
                            "account_id": account_id,
                            "refresh_hash": hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                            "started_at": now,
                            "refreshed_at": now,
                            "expires_at": now + timedelta(days=1),
                        }
                        for account_id, session_id in chunk
                    ],
                )
    finally:
        engine.dispose()
    return people


def signed_in(platform, count: int, birth_date: date) -> list[str]:
    """`count` young people seeded into the platform's gateway database, as their bearer tokens."""
    from gateway.auth import Tokens

    people = seed_youth(database_url_for("gateway", platform.env), count, birth_date)
    tokens = Tokens(platform.env["JWT_SECRET"], 3600)
    return [tokens.issue(account, "youth", None, session) for account, session in people]
