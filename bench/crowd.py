"""A flash crowd from outside the platform: run as its own process.

    python -m bench.crowd PLAN_JSON RESULT_JSON

The plan names the gateway (`host`, `port`), the `path` to POST, one bearer `token` per person,
the `seconds` over which their first attempts are spread (evenly, in a shuffled order), the
`timeout` of one attempt and the `give_up_after` seconds (from the start) past which a
throttled person stops trying. Each person opens a connection of their own, as people on their
own phones do; an answer 429 with `Retry-After` is waited out and tried again, as a client
following the protocol does.

The result lists every attempt: person, sent and answered times (seconds from the start), the
status, `Retry-After`, and the answer's `id`, `state` and `waitlist_position` when it made one.
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


def attempt(plan: dict, token: str) -> dict:
    """One POST on a fresh connection: status, Retry-After and the answer's JSON body."""
    request = (
        f"POST {plan['path']} HTTP/1.1\r\nHost: {plan['host']}:{plan['port']}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()
    with eventlet.Timeout(plan["timeout"]):
        sock = eventlet.connect((plan["host"], plan["port"]))
        try:
            sock.sendall(request)
            reader = sock.makefile("rb")
            status_line = reader.readline().split()
            status = int(status_line[1]) if len(status_line) > 1 else "closed unanswered"
            headers = {}
            while True:
                line = reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = reader.read(int(headers.get("content-length", 0)))
        finally:
            sock.close()
    try:
        answer = json.loads(body) if body else {}
    except ValueError:
        answer = {}
    return {"status": status, "retry_after": headers.get("retry-after"), "answer": answer}


def person(plan: dict, index: int, token: str, start: float, first_at: float, attempts: list):
    eventlet.sleep(max(0.0, start + first_at - time.monotonic()))
    while True:
        sent = time.monotonic() - start
        try:
            outcome = attempt(plan, token)
        except eventlet.Timeout:
            outcome = {"status": "timeout", "retry_after": None, "answer": {}}
        except OSError as exc:
            outcome = {"status": f"error: {type(exc).__name__}", "retry_after": None, "answer": {}}
        answer = outcome.pop("answer")
        attempts.append(
            {
                "person": index,
                "sent": sent,
                "answered": time.monotonic() - start,
                **outcome,
                "id": answer.get("id"),
                "state": answer.get("state"),
                "waitlist_position": answer.get("waitlist_position"),
                "code": answer.get("code"),
            }
        )
        wait = outcome["retry_after"]
        if outcome["status"] != 429 or wait is None or not wait.isdigit():
            return
        again = time.monotonic() + int(wait)
        if again - start > plan["give_up_after"]:
            return
        eventlet.sleep(int(wait))


def main():
    plan = json.loads(Path(sys.argv[1]).read_text())
    tokens = plan["tokens"]
    order = list(range(len(tokens)))
    random.Random(27).shuffle(order)
    spacing = plan["seconds"] / len(tokens)
    attempts: list[dict] = []
    pool = eventlet.GreenPool(len(tokens) + 1)
    start = time.monotonic()
    for slot, index in enumerate(order):
        pool.spawn_n(person, plan, index, tokens[index], start, slot * spacing, attempts)
    pool.waitall()
    Path(sys.argv[2]).write_text(
        json.dumps({"elapsed": time.monotonic() - start, "attempts": attempts})
    )


if __name__ == "__main__":
    main()
