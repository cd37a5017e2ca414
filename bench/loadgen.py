"""A keep-alive HTTP load generator, for machines without wrk: run as its own process.

    python -m bench.loadgen URL CONNECTIONS SECONDS HEADERS_JSON [PATHS_FILE]

With PATHS_FILE (one path per line), each request asks for one of them at random.

prints {"rate", "p50_ms", "p99_ms", "count", "non_2xx"} as JSON.
"""

import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from bench.harness import median, percentile  # noqa: E402


def worker(url, seconds, headers, paths, latencies, statuses):
    parts = urlsplit(url)
    paths = paths or [parts.path + (f"?{parts.query}" if parts.query else "")]
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}\r\n".encode() for path in paths
    ]
    chooser = random.Random(7)
    sock = eventlet.connect((parts.hostname, parts.port or 80))
    reader = sock.makefile("rb")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        sock.sendall(chooser.choice(requests))
        status = int(reader.readline().split()[1])
        length = 0
        while True:
            line = reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        reader.read(length)
        latencies.append((time.perf_counter() - started) * 1000)
        statuses.append(status)
    sock.close()


def main():
    url, connections, seconds, headers = (
        sys.argv[1],
        int(sys.argv[2]),
        float(sys.argv[3]),
        json.loads(sys.argv[4]),
    )
    listing = sys.argv[5] if len(sys.argv) > 5 else ""
    paths = Path(listing).read_text().split() if listing else None
    latencies, statuses = [], []
    pool = eventlet.GreenPool()
    started = time.monotonic()
    for _ in range(connections):
        pool.spawn(worker, url, seconds, headers, paths, latencies, statuses)
    pool.waitall()
    elapsed = time.monotonic() - started
    print(
        json.dumps(
            {
                "rate": len(latencies) / elapsed,
                "p50_ms": median(latencies),
                "p99_ms": percentile(latencies, 99),
                "count": len(latencies),
                "non_2xx": sum(1 for s in statuses if not 200 <= s < 400),
            }
        )
    )


if __name__ == "__main__":
    main()
