"""One HTTP POST with a deadline, no redirects followed, and a bounded answer: what webhook
deliveries and the SMS provider adapter send. The standard library's http.client is enough here
and, with eventlet's patching, yields to other green threads while it waits."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit

import eventlet

USER_AGENT = "YouthCity-Notify/1.0"
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Unreachable(Exception):
    """No HTTP answer: refused, reset, timed out, or not HTTP at all. `reason` is a short code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST `body` to `url`; the whole exchange must finish within `timeout` seconds."""
    parts = urlsplit(url)
    connection_cls = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = connection_cls(parts.hostname, parts.port, timeout=timeout)
    try:
        with eventlet.Timeout(timeout, Unreachable("timeout")):
            connection.request(
                "POST",
                path,
                body=body,
                headers={"User-Agent": USER_AGENT, "Content-Length": str(len(body)), **headers},
            )
            response = connection.getresponse()
            answer = response.read(MAX_ANSWER_BYTES)
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, answer)
    except ConnectionRefusedError as exc:
        raise Unreachable("connection_refused") from exc
    except TimeoutError as exc:
        raise Unreachable("timeout") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise Unreachable(type(exc).__name__) from exc
    finally:
        connection.close()
