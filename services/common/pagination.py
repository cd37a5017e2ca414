"""Keyset pagination: one way to page every list of the platform.

A page is asked for with `limit` and an opaque `after` cursor (the sort key of the last row seen),
never with an offset: a page stays stable while new rows arrive and costs the same however deep
it is. The cursor encodes the sort key's values; the query continues strictly after them, ties
broken by the unique last sort column (normally the id).

Example::

    page = keyset_page(
        session, select(Post).where(Post.state == "published"),
        order=[(Post.published_at, DESC), (Post.id, DESC)], after=cursor, limit=20,
    )
    return {"items": PostSchema(many=True).dump(page.items), "next_cursor": page.next_cursor}
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .errors import InvalidInput

ASC, DESC = False, True
MAX_LIMIT = 100
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(values: tuple) -> str:
    def plain(value):
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, columns: list) -> tuple:
    """The sort key values a cursor names, typed like `columns`; a bad one is a 422 on `after`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError("wrong arity")
        return tuple(_typed(value, column) for value, column in zip(values, columns, strict=True))
    except (ValueError, TypeError) as exc:
        raise InvalidInput.for_field("after", "invalid") from exc


def _typed(value, column):
    if value is None:
        return None
    python_type = column.type.python_type
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    if python_type in (int, str, float) and not isinstance(value, python_type):
        return python_type(value)
    return value


def clamp_limit(limit: int | None) -> int:
    return max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))


def _after_clause(order: list, values: tuple):
    """(a, b, c) strictly after (va, vb, vc) under each column's direction."""
    alternatives = []
    for index, (column, descending) in enumerate(order):
        equal = [col == values[i] for i, (col, _) in enumerate(order[:index])]
        beyond = column < values[index] if descending else column > values[index]
        alternatives.append(sa.and_(*equal, beyond))
    return sa.or_(*alternatives)


def keyset_page(
    session: Session,
    query,
    order: list,
    after: str | None,
    limit: int | None,
    key=None,
    rows: bool = False,
) -> Page:
    """Items of `query` sorted by `order` [(column, DESC|ASC)…], starting after the cursor.

    Items are the selected entities, or whole rows with `rows=True` (a Core query of a table).
    `key(item)` gives an item's sort values when they are not its attributes named like the
    columns.
    """
    limit = clamp_limit(limit)
    columns = [column for column, _ in order]
    if after:
        query = query.where(_after_clause(order, decode_cursor(after, columns)))
    query = query.order_by(
        *[column.desc() if descending else column.asc() for column, descending in order]
    )
    result = session.execute(query.limit(limit + 1))
    items = result.all() if rows else result.scalars().all()
    more = len(items) > limit
    items = items[:limit]
    next_cursor = None
    if more and items:
        last = items[-1]
        values = key(last) if key else tuple(getattr(last, column.key) for column in columns)
        next_cursor = encode_cursor(values)
    return Page(items, next_cursor)
