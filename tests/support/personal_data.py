"""Looking for a person in a service's database after their erasure: every column of every
table, read back as text, searched for each of the person's details.

    leftovers = found_in_database(url, {"name": "林晓雨", "phone": "13912345678"})
    assert leftovers == {}
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from services.common.db import create_engine_for


def _as_text(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def found_in_database(url: str, details: dict[str, str], skip: tuple[str, ...] = ()) -> dict:
    """{(table, column): [names of the details found there]} for every table but `skip`."""
    engine = create_engine_for(url)
    metadata = sa.MetaData()
    found: dict[tuple[str, str], set[str]] = {}
    try:
        metadata.reflect(engine)
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                if table.name in skip:
                    continue
                for row in conn.execute(sa.select(table)).mappings():
                    for column, value in row.items():
                        if value is None:
                            continue
                        text = _as_text(value)
                        for name, detail in details.items():
                            if detail in text:
                                found.setdefault((table.name, column), set()).add(name)
    finally:
        engine.dispose()
    return {where: sorted(names) for where, names in found.items()}


def row_counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            return {
                table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
                for table in tables
            }
    finally:
        engine.dispose()
