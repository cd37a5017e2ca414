"""The rules of the staff second factor (gateway/second_factor.py): who must enrol, which codes
are accepted (once, within one step of now), recovery codes, and secrets sealed at rest."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from gateway import second_factor as rules

NOW = 1_800_000_000.0  # a fixed moment: 30 s steps, so codes are computed, not waited for


def code_at(secret: str, timestamp: float) -> str:
    return pyotp.TOTP(secret).at(timestamp)


@pytest.mark.parametrize(
    ("role", "enrolled", "required", "must_enrol"),
    [
        ("officer", False, True, True),
        ("admin", False, True, True),
        ("officer", True, True, False),
        ("officer", False, False, False),
        ("youth", False, True, False),
        ("employer", False, True, False),
        ("partner", False, True, False),
    ],
)
def test_only_staff_without_a_factor_must_enrol_and_only_while_required(
    role, enrolled, required, must_enrol
):
    assert rules.enrolment_required(role, enrolled, required) is must_enrol


def test_an_enrolled_account_always_needs_its_code():
    assert rules.code_required_at_sign_in(enrolled=True)
    assert not rules.code_required_at_sign_in(enrolled=False)


def test_the_provisioning_uri_is_what_an_authenticator_app_reads():
    secret = rules.new_secret()
    uri = urlparse(rules.provisioning_uri(secret, "officer_li"))
    query = parse_qs(uri.query)
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert uri.path == "/Youth%20City:officer_li"
    assert query["secret"] == [secret] and query["issuer"] == ["Youth City"]
    assert len(secret) == 32  # 160 bits of base32


def test_a_code_of_now_or_one_step_either_side_is_accepted():
    secret = rules.new_secret()
    now_step = rules.step_at(NOW)
    for offset in (-1, 0, 1):
        code = code_at(secret, NOW + offset * rules.STEP_SECONDS)
        assert rules.accepted_step(secret, code, NOW, None) == now_step + offset
    two_steps_ago = code_at(secret, NOW - 2 * rules.STEP_SECONDS)
    assert rules.accepted_step(secret, two_steps_ago, NOW, None) is None


def test_a_code_is_accepted_once_and_no_older_code_after_it():
    secret = rules.new_secret()
    code = code_at(secret, NOW)
    step = rules.accepted_step(secret, code, NOW, None)
    assert rules.accepted_step(secret, code, NOW + 5, step) is None  # replayed in its window
    earlier = code_at(secret, NOW - rules.STEP_SECONDS)
    assert rules.accepted_step(secret, earlier, NOW, step) is None
    later = code_at(secret, NOW + rules.STEP_SECONDS)
    assert rules.accepted_step(secret, later, NOW + rules.STEP_SECONDS, step) == step + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 56x"])
def test_codes_of_the_wrong_shape_are_refused(code):
    assert rules.accepted_step(rules.new_secret(), code, NOW, None) is None


def test_another_secrets_code_is_refused():
    code = code_at(rules.new_secret(), NOW)
    assert rules.accepted_step(rules.new_secret(), code, NOW, None) is None


def test_recovery_codes_are_distinct_long_and_forgiving_of_how_they_are_typed():
    codes = rules.new_recovery_codes()
    assert len(codes) == rules.RECOVERY_CODES == len(set(codes))
    for code in codes:
        assert len(rules.normalised_recovery_code(code)) == 16  # 80 bits of base32
        assert not rules.looks_like_totp(code)
    code = codes[0]
    typed = code.upper().replace("-", " ")
    assert rules.recovery_code_hash(typed) == rules.recovery_code_hash(code)
    assert rules.recovery_code_hash(codes[1]) != rules.recovery_code_hash(code)
    assert code not in rules.recovery_code_hash(code)


def test_a_sealed_secret_opens_only_with_its_key_and_for_its_account():
    seal = rules.SecretSeal("k" * 48)
    secret = rules.new_secret()
    sealed = seal.seal("account-1", secret)
    assert secret not in sealed
    assert seal.open("account-1", sealed) == secret
    assert seal.seal("account-1", secret) != sealed  # a fresh nonce each time
    assert seal.open("account-2", sealed) is None  # copied onto another account's row
    assert rules.SecretSeal("x" * 48).open("account-1", sealed) is None  # another key
    assert seal.open("account-1", "not-sealed") is None


def test_a_code_from_a_real_clock_is_accepted():
    secret = rules.new_secret()
    now = time.time()
    assert rules.accepted_step(secret, pyotp.TOTP(secret).now(), now, None) is not None


def test_a_local_platform_keeps_its_second_factor_key_across_restarts(tmp_path):
    from youthcity.supervisor import _local_key

    first = _local_key(tmp_path / "var")
    assert len(first) >= 32 and _local_key(tmp_path / "var") == first
    assert (tmp_path / "var" / "second-factor.key").stat().st_mode & 0o777 == 0o600
