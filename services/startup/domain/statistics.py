"""The statistics the indicators report: a median, and the nearest-rank percentile."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal


def percentile(values: list[Decimal], fraction: Decimal) -> Decimal | None:
    """The nearest-rank percentile (the smallest value with at least `fraction` of the values at
    or below it): a value that occurred, so "90 % finished within X" holds exactly."""
    if not values:
        return None
    ordered = sorted(values)
    rank = int((fraction * len(ordered)).to_integral_value(rounding=ROUND_CEILING))
    return ordered[max(rank, 1) - 1]


def median(values: list[Decimal]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
