"""`make bench`: every benchmark, each path printed beside its floor from the same run.

`python -m bench jobs_search` runs only the jobs search benchmark (PostgreSQL).
"""

import sys
import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

from bench import floors, jobs_search, messaging, paths  # noqa: E402
from bench.harness import own_vhost, report  # noqa: E402


def main() -> None:
    with own_vhost() as amqp_uri:
        measured = floors.measure_floors(amqp_uri)
        relays = messaging.measure(amqp_uri)
        (read, dashboard, inbox), memory = paths.measure(amqp_uri)
        searches, search_figures = jobs_search.measure(amqp_uri)
    rows = [(name, m, None) for name, m in measured.items()]
    rows.append(("gateway read of one service (activity)", read, measured["http-constant"]))
    rows.append(("dashboard (5 services at once)", dashboard, read))
    rows.append(("commit to notify inbox at ~200/s", inbox, None))
    rows.append(
        (
            "nameko RPC vs our RPC (concurrent)",
            measured["nameko-rpc-noop-concurrent"],
            measured["rpc-noop-concurrent"],
        )
    )
    rows += [(relay.name, relay, measured["kombu-publish-confirm-each"]) for relay in relays]
    rows += searches
    report(
        "bench",
        rows,
        {
            "http server RSS (MB)": measured["http-constant"].extra["server_rss_mb"],
            "dashboard p50 / single read p50": round(dashboard.p50_ms / read.p50_ms, 2),
            "process RSS after load (MB)": memory["rss_mb_after_load"],
            **search_figures,
        },
    )


def jobs_search_only() -> None:
    with own_vhost() as amqp_uri:
        rows, figures = jobs_search.measure(amqp_uri)
    if rows:
        report("jobs search", rows, figures)


if sys.argv[1:] == ["jobs_search"]:
    jobs_search_only()
else:
    main()
