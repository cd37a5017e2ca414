"""The startup service's read side, on a reading session (one snapshot, no writes).

* `records`: each feature's records as their callers may see them, one by id or a page;
* `dashboard`: a young person's items across every feature;
* `indicators`: the service's figures for a period, and the graduates it counts for the plan.

Each answers what the RPC returns (a view's dump); the write side is the feature modules.
"""

from . import dashboard, indicators, records, rural, servicing

__all__ = ["dashboard", "indicators", "records", "rural", "servicing"]
