"""The rules of identity that can be taken back (gateway/identity.py), without a gateway:
back-off that grows, refresh tokens and one-time codes, and the start refused without a key."""

from __future__ import annotations

import time

import pytest

from gateway import identity
from gateway.auth import RateLimiter, SignInGate, jwt_secret_problem
from gateway.identity import Backoff
from services.common.errors import RateLimited


def test_back_off_locks_only_after_the_free_failures_then_doubles_up_to_its_cap():
    backoff = Backoff(free=3, first_seconds=30, cap_seconds=900)
    assert [backoff.lock_after(n) for n in range(1, 10)] == [
        0,
        0,
        0,
        30,
        60,
        120,
        240,
        480,
        900,
    ]
    assert backoff.lock_after(10_000) == 900


def test_a_username_allows_about_a_hundred_guesses_a_day_not_fourteen_thousand():
    backoff, elapsed, guesses = identity.USERNAME_BACKOFF, 0.0, 0
    while elapsed < 86400:
        guesses += 1
        elapsed += backoff.lock_after(guesses)
    assert guesses < 150


def test_a_refresh_token_names_its_session_and_is_stored_only_as_a_hash():
    token = identity.new_refresh_token("session-1")
    assert identity.session_of(token) == "session-1"
    stored = identity.refresh_token_hash(token)
    assert token.split(".", 1)[1] not in stored and len(stored) == 64
    assert identity.same_hash(stored, identity.refresh_token_hash(token))
    assert not identity.same_hash(stored, identity.refresh_token_hash(token + "x"))
    assert identity.session_of("no-dot") is None and identity.session_of(".secret") is None


def test_a_code_is_six_digits_and_its_hash_is_bound_to_key_account_and_purpose():
    codes = {identity.new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 150
    base = identity.code_hash("key", "account", "password_reset", "123456")
    assert base != identity.code_hash("other-key", "account", "password_reset", "123456")
    assert base != identity.code_hash("key", "someone-else", "password_reset", "123456")
    assert base != identity.code_hash("key", "account", "other_purpose", "123456")


class _Settings:
    login_rate_limit_account = "1000/minute"
    login_rate_limit_address = "1000/minute"
    sign_in_backoff_address_after = 20


def test_failed_sign_ins_lock_the_username_whether_it_exists_or_not_and_success_forgives():
    gate = SignInGate(RateLimiter(), _Settings())
    for _ in range(identity.USERNAME_BACKOFF.free):
        gate.check("10.0.0.1", "Li_Ming")
        gate.failed("10.0.0.1", "Li_Ming")
    gate.check("10.0.0.1", "li_ming")  # still free: the tenth failure locks nothing
    gate.failed("10.0.0.1", "li_ming")
    with pytest.raises(RateLimited) as refused:
        gate.check("10.0.0.2", "LI_MING")  # another address, the same username (any case)
    assert 29 <= refused.value.params["retry_after"] <= 31
    gate.check("10.0.0.1", "someone_else")  # the address has failures left

    fresh = SignInGate(RateLimiter(), _Settings())
    for _ in range(5):
        fresh.failed("10.0.0.3", "wang")
    fresh.succeeded("wang")
    for _ in range(identity.USERNAME_BACKOFF.free):
        fresh.failed("10.0.0.3", "wang")
    fresh.check("10.0.0.3", "wang")  # the five before the success were forgiven


def test_failures_from_one_address_lock_it_for_every_username():
    gate = SignInGate(RateLimiter(), _Settings())
    for n in range(_Settings.sign_in_backoff_address_after + 1):
        gate.failed("10.0.0.9", f"user_{n}")
    with pytest.raises(RateLimited):
        gate.check("10.0.0.9", "a_new_name")
    gate.check("10.0.0.10", "a_new_name")


def test_a_lock_ends_when_its_time_is_up():
    limiter = RateLimiter()
    limiter.fail(Backoff(free=0, first_seconds=1), "kind", "key")
    assert limiter.locked_for("kind", "key") is not None
    time.sleep(1.1)
    assert limiter.locked_for("kind", "key") is None


@pytest.mark.parametrize("secret", [None, ""])
def test_without_jwt_secret_the_gateway_names_the_variable_and_the_fix_in_one_line(secret):
    problem = jwt_secret_problem(secret)
    assert problem.startswith("JWT_SECRET is not set") and "\n" not in problem
    assert "at least 32 bytes" in jwt_secret_problem("x" * 31)
    assert jwt_secret_problem("x" * 32) is None
