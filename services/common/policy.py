"""Policy parameters: the numbers of the plan's rules, as documented defaults a district overrides.

Each service declares its parameters in one frozen dataclass, each default with its source in a
comment, and reads it through the `Policy` dependency. A district overrides any of them without
code, in either place (the environment wins):

* `POLICY_FILE`: a JSON file with a section per service, `{"jobs": {"hiring_subsidy_cny": "2000"}}`;
* `<SERVICE>_POLICY`: the same section as JSON in the environment (`JOBS_POLICY='{...}'`).

Values are converted to each field's type (int, Decimal, float, bool, date, tuple of those).

Example::

    @dataclass(frozen=True)
    class JobsPolicy:
        hiring_subsidy_cny: Decimal = Decimal("1500")  # 一次性扩岗补助: 1,500 CNY per graduate

    class JobsService(ServiceBase):
        policy = Policy(JobsPolicy)

        def claim(self, ...):
            amount = self.policy.hiring_subsidy_cny
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from decimal import Decimal
from pathlib import Path

from nameko.extensions import DependencyProvider

from .config import settings_of


class PolicyError(ValueError):
    pass


def _convert(value, kind):
    origin = typing.get_origin(kind)
    if origin is tuple:
        (item_kind, *_rest) = typing.get_args(kind)
        return tuple(_convert(item, item_kind) for item in value)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return None if value is None else _convert(value, options[0])
    if kind is Decimal:
        return Decimal(str(value))
    if kind is date:
        return value if isinstance(value, date) else date.fromisoformat(value)
    if kind is bool:
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
    if kind in (int, float, str):
        return kind(value)
    return value


def policy_overrides(settings) -> dict:
    """The district's overrides of `settings.service`'s policy: its section of `POLICY_FILE`,
    then `<SERVICE>_POLICY`, which wins."""
    overrides = {}
    if settings.policy_file:
        sections = json.loads(Path(settings.policy_file).read_text(encoding="utf-8"))
        overrides.update(sections.get(settings.service, {}))
    if settings.policy_inline:
        overrides.update(json.loads(settings.policy_inline))
    return overrides


def load_policy(policy_cls: type, settings):
    """`policy_cls` with the district's overrides applied; unknown names are refused."""
    service = settings.service
    overrides = policy_overrides(settings)
    hints = typing.get_type_hints(policy_cls)
    known = {field.name for field in dataclasses.fields(policy_cls)}
    unknown = set(overrides) - known
    if unknown:
        raise PolicyError(f"{service} has no policy parameters named {', '.join(sorted(unknown))}")
    try:
        return policy_cls(
            **{name: _convert(value, hints[name]) for name, value in overrides.items()}
        )
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise PolicyError(f"invalid {service} policy: {exc}") from exc


class Policy(DependencyProvider):
    """Injects the service's policy, loaded once at setup (a bad override stops the start)."""

    def __init__(self, policy_cls: type):
        self.policy_cls = policy_cls
        self.policy = None

    def setup(self) -> None:
        self.policy = load_policy(self.policy_cls, settings_of(self.container))

    def get_dependency(self, worker_ctx):
        return self.policy
