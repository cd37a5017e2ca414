"""Indicators broken down by area, sex, age band and education (监测评估: 全区青年动态监测),
counted in the gateway, which alone holds the profiles; only counts leave it.

A person's facts are read from the profile: the area their residence is located in
(`gateway/areas.py`), their sex from the 17th digit of their citizen ID number (odd: male, even:
female; GB 11643) since the profile records no sex, their age band on the period's last day (or
today, if earlier) from the birth date, and their degree. None of these is ever put in an event,
a log or a metric.

Small cells are suppressed so no one is identifiable: a cell counting fewer than SMALL_CELL_K
people (but not none) shows no count. When a dimension would then hide one cell only, the
smallest other non-empty cell is hidden too (complementary suppression), or the total minus the
others would give it away.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from services.common.clock import clock

from . import areas
from .accounts import DEGREES
from .models import Account, YouthProfile

#: the plan's age bands of young people (14–35), inclusive years
AGE_BANDS = ((14, 17), (18, 24), (25, 29), (30, 35))
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Facts:
    """What a breakdown counts of one person: never their id, name or ID number."""

    area: str
    sex: str
    age_band: str
    education: str


def sex_of(citizen_id: str | None) -> str:
    """male or female from the ID number's 17th digit (odd, even); unknown without one."""
    if not citizen_id or len(citizen_id) != 18 or not citizen_id[16].isdigit():
        return UNKNOWN
    return "male" if int(citizen_id[16]) % 2 else "female"


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(age: int | None) -> str:
    for low, high in AGE_BANDS:
        if age is not None and low <= age <= high:
            return f"{low}-{high}"
    return UNKNOWN


def facts_of(profile: YouthProfile, day: date) -> Facts:
    return Facts(
        area=areas.locate(profile.residence) or areas.OTHER,
        sex=sex_of(profile.citizen_id),
        age_band=age_band(age_on(profile.birth_date, day)),
        education=profile.degree or UNKNOWN,
    )


def cells(facts: Iterable[Facts]) -> dict[str, Counter]:
    counts = {name: Counter() for name in ("area", "sex", "age_band", "education")}
    for one in facts:
        for name, counter in counts.items():
            counter[getattr(one, name)] += 1
    return counts


def dimension_keys() -> dict[str, list[str]]:
    """Every cell each dimension shows, in order, empty or not."""
    return {
        "area": [area.code for area in areas.configured()] + [areas.OTHER],
        "sex": ["female", "male", UNKNOWN],
        "age_band": [f"{low}-{high}" for low, high in AGE_BANDS] + [UNKNOWN],
        "education": list(DEGREES) + [UNKNOWN],
    }


def suppressed(counter: Counter, keys: list[str], k: int) -> list[dict]:
    """The cells of one dimension, each `{key, count, suppressed}`; small ones hidden."""
    small = {key for key in keys if 0 < counter[key] < k}
    if len(small) == 1:  # the total minus the others would reveal it: hide the next smallest
        others = sorted((counter[key], key) for key in keys if counter[key] and key not in small)
        if others:
            small.add(others[0][1])
    return [
        {
            "key": key,
            "count": None if key in small else counter[key],
            "suppressed": key in small,
        }
        for key in keys
    ]


def breakdown(facts: list[Facts], k: int) -> dict:
    """The counts of `facts` per dimension, small cells suppressed; the total is shown only
    when it is not itself a small cell."""
    counted = cells(facts)
    total = len(facts)
    return {
        "total": None if 0 < total < k else total,
        "dimensions": {
            name: suppressed(counted[name], keys, k) for name, keys in dimension_keys().items()
        },
    }


def registered_youth(session, since: date, until: date, day: date) -> list[Facts]:
    """The young people who registered in [since, until) (district dates), as facts."""
    rows = session.execute(
        sa.select(YouthProfile)
        .join(Account, Account.id == YouthProfile.account_id)
        .where(
            Account.role == "youth",
            Account.status != "erased",
            Account.created_at >= clock.start_of(since),
            Account.created_at < clock.start_of(until),
        )
    ).scalars()
    return [facts_of(profile, day) for profile in rows]


def people(session, person_ids: Iterable[str], day: date) -> list[Facts]:
    """The facts of the given people (those with a profile, not erased)."""
    ids = sorted(set(person_ids))
    found = []
    for start in range(0, len(ids), 500):  # bounded IN lists
        found += session.execute(
            sa.select(YouthProfile).where(YouthProfile.account_id.in_(ids[start : start + 500]))
        ).scalars()
    return [facts_of(profile, day) for profile in found if profile.citizen_id is not None]
