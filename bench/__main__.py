"""`make bench`: every benchmark, each path printed beside its floor from the same run.

`python -m bench jobs_search` runs only the jobs search benchmark (PostgreSQL);
`python -m bench paths` only the platform's paths, each beside the constant-answer floor;
`python -m bench flash` only the flash crowd (bench/flash.py), which exits 1 when its checks fail.
"""

import os
import secrets
import sys
import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

# the bench's platform and its callers share one key, as a platform's processes do
os.environ.setdefault("CALL_CONTEXT_KEYS", secrets.token_urlsafe(32))
os.environ.setdefault("JWT_SECRET", secrets.token_urlsafe(48))

from bench import flash, floors, jobs_search, messaging, paths  # noqa: E402
from bench.harness import own_vhost, report  # noqa: E402


def main() -> None:
    with own_vhost() as amqp_uri:
        measured = floors.measure_floors(amqp_uri)
        relays = messaging.measure(amqp_uri)
        path, path_figures = paths.measure(amqp_uri)
        searches, search_figures = jobs_search.measure(amqp_uri)
        crowd, crowd_figures, crowd_failures = flash.measure(amqp_uri)
    rows = [(name, m, None) for name, m in measured.items()]
    rows += _path_rows(measured["http-constant"], path)
    rows.append(
        (
            "nameko RPC vs our RPC (concurrent)",
            measured["nameko-rpc-noop-concurrent"],
            measured["rpc-noop-concurrent"],
        )
    )
    rows += [(relay.name, relay, measured["kombu-publish-confirm-each"]) for relay in relays]
    rows += searches
    rows.append((FLASH_LABEL, crowd, None))
    report(
        "bench",
        rows,
        {
            "http server RSS (MB)": measured["http-constant"].extra["server_rss_mb"],
            **_path_figures(path, path_figures),
            **search_figures,
            **{f"flash crowd: {key}": value for key, value in crowd_figures.items()},
        },
    )
    _verdict(crowd_failures)


FLASH_LABEL = "flash crowd: registrations, 5,000 for 500"


def _verdict(failures: list[str]) -> None:
    """The flash crowd's checks: FAILED and exit status 1 when one failed."""
    for failure in failures:
        print(f"FAILED: {failure}")
    if failures:
        sys.exit(1)
    print("flash crowd: every check passed")


def _path_figures(path: dict, figures: dict) -> dict:
    return {
        "dashboard p50 / single RPC read p50, one caller": round(
            path["dashboard-alone"].p50_ms / path["single-alone"].p50_ms, 2
        ),
        "stale post reads after the load": path["posts"].extra["stale_reads_after"],
        "read model hit ratio, posts under the load": path["posts"].extra["read_model_hit_ratio"],
        "posts first read in (s; they live GATEWAY_READ_MODEL_MAX_AGE)": path["posts"].extra[
            "warm_up_seconds"
        ],
        "read model hit ratio, dashboard reads": path["dashboard"].extra["read_model_hit_ratio"],
        "process RSS after load (MB)": figures["rss_mb_after_load"],
        "CPU ms per application (goal: all <= 10)": figures["cpu_ms_per_application"],
        "CPU ms per activity registration": figures["cpu_ms_per_registration"],
        "CPU ms per dashboard": figures["cpu_ms_per_dashboard"],
        "CPU ms per post read": figures["cpu_ms_per_post_read"],
        "CPU ms per year of indicators": figures["cpu_ms_per_year_of_indicators"],
    }


def _path_rows(floor, path: dict) -> list:
    return [
        ("posts read, 10,000 at random, under writes", path["posts"], floor),
        ("one activity read (a single RPC call)", path["single"], floor),
        ("dashboard (kept; else 5 services at once)", path["dashboard"], path["single"]),
        ("one activity read, one caller", path["single-alone"], None),
        ("dashboard, one caller", path["dashboard-alone"], path["single-alone"]),
        ("apply to a post at ~200/s", path["writes"], None),
        ("its event, commit to notify inbox", path["inbox"], None),
    ]


def jobs_search_only() -> None:
    with own_vhost() as amqp_uri:
        rows, figures = jobs_search.measure(amqp_uri)
    if rows:
        report("jobs search", rows, figures)


def paths_only() -> None:
    with own_vhost() as amqp_uri:
        floor, _ = floors.http_floor(amqp_uri)
        path, path_figures = paths.measure(amqp_uri)
    report("paths", _path_rows(floor, path), _path_figures(path, path_figures))


def flash_only() -> None:
    with own_vhost() as amqp_uri:
        crowd, figures, failures = flash.measure(amqp_uri)
    report("flash crowd", [(FLASH_LABEL, crowd, None)], figures)
    _verdict(failures)


if sys.argv[1:] == ["jobs_search"]:
    jobs_search_only()
elif sys.argv[1:] == ["paths"]:
    paths_only()
elif sys.argv[1:] == ["flash"]:
    flash_only()
else:
    main()
