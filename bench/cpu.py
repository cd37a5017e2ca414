"""What one operation costs the machine: CPU time summed over every process that serves it.

Latency under load says how long a caller waits; it does not say how many operations a core
can carry, which is what sizing a district's platform needs. This reads each process's user and
system time from /proc before and after a run of calls made one after another (so the figure is
the work, not waiting), for the platform's own processes and the local database and broker
servers. The broker and database may serve others on a shared machine: run on a quiet one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tests.support.platform import processes_of

_TICKS = os.sysconf("SC_CLK_TCK")
# the servers' process names, as /proc/<pid>/comm gives them
_SERVERS = {"postgres": "postgresql", "beam.smp": "rabbitmq"}


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    # its own and its reaped children's (a database backend that ended is counted by the
    # postmaster from then on): utime, stime, cutime, cstime
    return sum(int(field) for field in fields[11:15]) / _TICKS


def _servers() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if name in _SERVERS:
            found.setdefault(_SERVERS[name], []).append(int(entry.name))
    return found


def _cpu_by_process(platform) -> dict[str, float]:
    groups = {name: [pid] for name, pid in processes_of(platform).items()} | _servers()
    return {name: sum(_cpu_seconds(pid) for pid in pids) for name, pids in groups.items()}


def cpu_per_call(platform, call: Callable[[int], None], count: int = 300) -> dict[str, float]:
    """Milliseconds of CPU per call, by process and in total ("all"), over `count` calls made
    one after another (`call(index)`); processes that spent nothing measurable are left out."""
    before = _cpu_by_process(platform)
    for index in range(count):
        call(index)
    after = _cpu_by_process(platform)
    spent = {
        name: round((after[name] - before.get(name, 0.0)) * 1000 / count, 2)
        for name in after
        if after[name] - before.get(name, 0.0) > 0
    }
    return {**dict(sorted(spent.items())), "all": round(sum(spent.values()), 2)}
