"""Signatures between platform processes (services/common/trust.py): only the keys' holders
sign, rotation keeps both keys valid, and a short key stops the process."""

import pytest

from services.common import trust

OLD, NEW = "o" * 32, "n" * 32


@pytest.fixture(autouse=True)
def keys_of_the_run():
    """These tests change the process's keys; the run's own come back after each."""
    saved = trust._keys
    yield
    trust._keys = saved


def test_a_signature_verifies_only_the_payload_it_was_made_for():
    trust.configure([NEW])
    signature = trust.sign(b'{"actor_role":"youth"}')
    assert signature.startswith("v1,")
    assert trust.verify(b'{"actor_role":"youth"}', signature)
    assert not trust.verify(b'{"actor_role":"admin"}', signature)
    assert not trust.verify(b'{"actor_role":"youth"}', None)
    assert not trust.verify(b'{"actor_role":"youth"}', "v2," + signature[3:])


def test_during_a_rotation_both_keys_verify_and_the_first_signs():
    trust.configure([OLD])
    signed_with_old = trust.sign(b"payload")
    trust.configure([NEW, OLD])
    assert trust.verify(b"payload", signed_with_old)
    signed_with_new = trust.sign(b"payload")
    trust.configure([NEW])
    assert trust.verify(b"payload", signed_with_new)
    assert not trust.verify(b"payload", signed_with_old)


def test_a_process_without_a_long_enough_key_does_not_start():
    with pytest.raises(trust.UntrustedKeys, match="CALL_CONTEXT_KEYS"):
        trust.configure([])
    with pytest.raises(trust.UntrustedKeys, match="32 bytes"):
        trust.configure(["short"])
