"""JSON as every boundary of the platform writes it (HTTP bodies, RPC, events)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value) -> bytes:
    """Plain JSON: datetimes, decimals and UUIDs as strings, never kombu's type markers."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default).encode()
