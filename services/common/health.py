"""What a check on `/readyz` says, and whether it may take the pod out of service.

Readiness answers "can this pod serve?", so it fails only for what is wrong with *this* pod:
not started yet, a schema outside the range its code supports, shutting down. A dependency every
pod shares (the broker, the database server) being away is the same for all replicas; failing
readiness on it would take every pod out at once and turn the gateway's own problem+json 503
into the ingress's HTML page. Such a check is reported (`gates=False`): `/readyz` still answers
200 with `status: degraded` and the check's detail, and `youthcity_dependency_up` goes to 0, which
is what alerts look at. A consumer that cannot get back to a broker that is reachable again is
the process's own fault: `/healthz` fails for it, so the kubelet restarts it (`Link.liveness`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One check's answer: `ok`, a `detail` for people, and whether it `gates` readiness."""

    ok: bool
    detail: str
    gates: bool = True

    @classmethod
    def of(cls, answer) -> Check:
        """A `Check` from what an extension's `readiness()` returned: a Check, or the older
        `(ok, detail)` pair, which gates."""
        if isinstance(answer, Check):
            return answer
        ok, detail = answer
        return cls(bool(ok), detail)


def dependency(ok: bool, detail: str) -> Check:
    """The answer of a shared dependency's check: reported, never gating."""
    return Check(ok, detail, gates=False)
