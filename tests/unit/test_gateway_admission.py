"""The gateway's admission: a request waits for a slot a bounded time, then is told when to
come back (429 `gateway_busy` with `Retry-After`) rather than left to time out."""

import random
import time

import eventlet
import pytest

from gateway.admission import MAX_RETRY_AFTER, Admission, GatewayBusy


def hold(admission: Admission, release: eventlet.Event) -> None:
    with admission.admitted():
        release.wait()


def test_a_request_is_served_at_once_while_a_slot_is_free():
    admission = Admission(2, queue_seconds=0.05, queue_limit=10)
    with admission.admitted(), admission.admitted():
        pass
    with admission.admitted():
        assert admission.waiting == 0


def test_a_request_waits_for_a_slot_at_most_the_queue_seconds_then_is_told_when_to_return():
    admission = Admission(1, queue_seconds=0.05, queue_limit=10, chooser=random.Random(1))
    release = eventlet.Event()
    holder = eventlet.spawn(hold, admission, release)
    eventlet.sleep(0)
    started = time.monotonic()
    with pytest.raises(GatewayBusy) as busy, admission.admitted():
        pass
    assert 0.04 <= time.monotonic() - started < 1
    assert busy.value.status == 429
    assert 1 <= busy.value.params["retry_after"] <= MAX_RETRY_AFTER
    release.send()
    holder.wait()
    with admission.admitted():  # the slot came back
        pass


def test_a_slot_freed_within_the_wait_serves_the_waiting_request():
    admission = Admission(1, queue_seconds=2, queue_limit=10)
    release = eventlet.Event()
    holder = eventlet.spawn(hold, admission, release)
    eventlet.sleep(0)
    eventlet.spawn_after(0.05, release.send)
    with admission.admitted():
        assert admission.waiting == 0
    holder.wait()


def test_beyond_the_queue_limit_a_request_is_refused_without_waiting():
    admission = Admission(1, queue_seconds=5, queue_limit=0)
    release = eventlet.Event()
    holder = eventlet.spawn(hold, admission, release)
    eventlet.sleep(0)
    started = time.monotonic()
    with pytest.raises(GatewayBusy), admission.admitted():
        pass
    assert time.monotonic() - started < 0.5
    release.send()
    holder.wait()


def test_the_time_to_come_back_grows_with_what_waits_and_is_spread():
    admission = Admission(4, queue_seconds=1, queue_limit=1000, chooser=random.Random(3))
    admission.mean_seconds = 0.5
    idle = {admission.retry_after() for _ in range(50)}
    admission.waiting = 100
    crowded = [admission.retry_after() for _ in range(200)]
    assert max(idle) <= 1
    # (100 + 4) × 0.5 / 4 = 13 s to drain, spread over [13, 26)
    assert min(crowded) >= 13 and max(crowded) <= 26 and len(set(crowded)) > 5
    admission.mean_seconds = 100
    assert admission.retry_after() == MAX_RETRY_AFTER
