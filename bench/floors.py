"""The floors: what the platform's own machinery costs with no work in it.

* HTTP floor: a constant JSON answer from a nameko http entrypoint on the gateway's stack, loaded
  from a separate process;
* RPC floor: a no-op RPC round trip on our kit, sequential latency and concurrent throughput
  (and nameko's own RpcProxy on the same no-op, for reference);
* broker floors: raw kombu publishing of persistent messages, without and with a publisher
  confirm per message, and raw kombu consuming with acks.
"""

from __future__ import annotations

import sys
import time

import eventlet
from kombu import Connection, Exchange, Queue

from .harness import (
    Measurement,
    free_port,
    http_load,
    median,
    own_vhost,
    percentile,
    process,
    rss_mb,
)

PAYLOAD = b'{"id":"3f1c","type":"youthcity.bench.thing.happened","data":{"n":1}}'


def http_floor(
    amqp_uri: str, connections: int = 16, seconds: float = 8
) -> tuple[Measurement, float]:
    port, metrics = free_port(), free_port()
    env = {"AMQP_URI": amqp_uri, "BENCH_HTTP_PORT": str(port), "METRICS_PORT": str(metrics)}
    args = [sys.executable, "-m", "bench.servers", "http"]
    with process(args, env, ready_url=f"http://127.0.0.1:{port}/constant") as child:
        measured = http_load(
            "http-constant", f"http://127.0.0.1:{port}/constant", connections, seconds
        )
        return measured, rss_mb(child.pid)


def _calls(name: str, call, calls: int, concurrency: int, seconds: float, make_caller=None):
    """Sequential latency of `call`, then throughput of `concurrency` green threads calling."""
    call()  # warm up: queues declared, connections open
    latencies = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - started) * 1000)
    sequential = Measurement(
        f"{name}-sequential",
        "calls/s",
        1000 / median(latencies),
        median(latencies),
        percentile(latencies, 99),
        calls,
    )
    done, spans = [], []
    deadline = time.monotonic() + seconds + 1  # +1: a caller may first open its own proxy

    def caller():
        with (make_caller or _shared(call))() as own:
            own()
            while time.monotonic() < deadline:
                started = time.perf_counter()
                own()
                ended = time.perf_counter()
                done.append((ended - started) * 1000)
                spans.append((started, ended))

    pool = eventlet.GreenPool()
    for _ in range(concurrency):
        pool.spawn(caller)
    pool.waitall()
    window = max(end for _, end in spans) - min(start for start, _ in spans)
    concurrent = Measurement(
        f"{name}-concurrent",
        "calls/s",
        len(done) / window,
        median(done),
        percentile(done, 99),
        len(done),
        {"concurrency": concurrency},
    )
    return sequential, concurrent


def _shared(call):
    from contextlib import nullcontext

    return lambda: nullcontext(call)


def rpc_floor(amqp_uri: str, calls: int = 2000, concurrency: int = 16, seconds: float = 5):
    """Our RPC (one connection per process, direct reply-to) on a no-op method."""
    from services.common.rpc import StandaloneRpc

    metrics = free_port()
    env = {"AMQP_URI": amqp_uri, "METRICS_PORT": str(metrics)}
    args = [sys.executable, "-m", "bench.servers", "rpc"]
    ready = f"http://127.0.0.1:{metrics}/readyz"
    with process(args, env, ready_url=ready), StandaloneRpc(amqp_uri) as cluster:
        return _calls("rpc-noop", cluster.bench_rpc.noop, calls, concurrency, seconds)


def nameko_rpc_floor(amqp_uri: str, calls: int = 2000, concurrency: int = 16, seconds: float = 5):
    """nameko's own RpcProxy on the same no-op, for reference (a proxy per green thread: one
    proxy's reply consumer reads one socket)."""
    from contextlib import contextmanager

    from nameko.standalone.rpc import ClusterRpcProxy

    @contextmanager
    def own_proxy():
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}) as own:
            yield own.bench_nameko_rpc.noop

    metrics = free_port()
    env = {"AMQP_URI": amqp_uri, "METRICS_PORT": str(metrics)}
    args = [sys.executable, "-m", "bench.servers", "nameko-rpc"]
    ready = f"http://127.0.0.1:{metrics}/readyz"
    with process(args, env, ready_url=ready), ClusterRpcProxy({"AMQP_URI": amqp_uri}) as cluster:
        noop = cluster.bench_nameko_rpc.noop
        return _calls("nameko-rpc-noop", noop, calls, concurrency, seconds, make_caller=own_proxy)


def kombu_floors(amqp_uri: str, plain: int = 20000, confirmed: int = 3000):
    exchange = Exchange("bench.floor", type="topic", durable=True)
    queue = Queue("bench.floor", exchange, routing_key="#", durable=True)
    results = []
    for label, count, options in (
        ("kombu-publish", plain, {}),
        ("kombu-publish-confirm-each", confirmed, {"confirm_publish": True}),
    ):
        with Connection(amqp_uri, transport_options=options) as conn:
            producer = conn.Producer()
            queue(conn.default_channel).declare()
            started = time.perf_counter()
            for _ in range(count):
                producer.publish(
                    PAYLOAD,
                    exchange=exchange,
                    routing_key="bench.x",
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                )
            elapsed = time.perf_counter() - started
        results.append(Measurement(label, "msg/s", count / elapsed, count=count))
    total = plain + confirmed
    with Connection(amqp_uri) as conn:
        received = []
        with conn.Consumer(
            [queue],
            callbacks=[lambda body, message: (received.append(1), message.ack())],
            prefetch_count=200,
        ):
            started = time.perf_counter()
            while len(received) < total:
                conn.drain_events(timeout=10)
            elapsed = time.perf_counter() - started
        queue(conn.default_channel).delete()
    results.append(Measurement("kombu-consume-ack", "msg/s", total / elapsed, count=total))
    return results


def measure_floors(amqp_uri: str) -> dict[str, Measurement]:
    http, http_rss = http_floor(amqp_uri)
    http.extra["server_rss_mb"] = round(http_rss, 1)
    sequential, concurrent = rpc_floor(amqp_uri)
    nameko_sequential, nameko_concurrent = nameko_rpc_floor(amqp_uri)
    publish, publish_confirmed, consume = kombu_floors(amqp_uri)
    measured = (
        http,
        sequential,
        concurrent,
        nameko_sequential,
        nameko_concurrent,
        publish,
        publish_confirmed,
        consume,
    )
    return {m.name: m for m in measured}


def main() -> None:
    from .harness import report

    with own_vhost() as amqp_uri:
        floors = measure_floors(amqp_uri)
    report(
        "floors",
        [(name, measured, None) for name, measured in floors.items()],
        {"http server RSS (MB)": floors["http-constant"].extra["server_rss_mb"]},
    )
