"""Structured logs: one JSON object a line, with the service and the request id.

Personal data never reaches a log line: callers log ids, and `configure_logging` silences the
access logs that would print query strings (eventlet's WSGI server writes whole request lines).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import warnings

from .context import current_context

_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

# Last line of defence: a library may put a value into an exception message (SQLAlchemy prints
# statement parameters), so anything shaped like a citizen ID or a mobile number is masked.
_CITIZEN_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)((?:\+?86)?1[3-9]\d)\d{4}(\d{4})(?!\d)")


def redact(text: str) -> str:
    """Mask citizen IDs and mobile numbers wherever they appear in `text`."""
    return _MOBILE.sub(r"\1****\2", _CITIZEN_ID.sub(r"\1********\2", text))


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line; `extra=` fields become keys of their own."""

    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        context = current_context()
        if context is not None:
            entry["request_id"] = context.request_id
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class ExpectedErrors(logging.Filter):
    """A refusal the caller caused (a DomainError) is not a fault of the service: nameko logs it
    as a warning with a traceback; we keep one line at info."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "nameko.containers" and str(record.msg).startswith("(expected)"):
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def configure_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Route every logger of the process to stderr in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(ExpectedErrors())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # eventlet's WSGI access log prints the request line with its query string; we write our own
    # access line (path without query) instead, see services.common.web.
    logging.getLogger("nameko.web.server").setLevel(logging.WARNING)
    # kombu and amqp log connection URLs and message bodies at DEBUG
    for noisy in ("kombu", "amqp", "nameko.containers", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.captureWarnings(True)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="eventlet")
