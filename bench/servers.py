"""The services floors are measured against, each started as its own process.

    python -m bench.servers http        # a constant JSON answer on the gateway's http stack
    python -m bench.servers rpc         # a no-op RPC on our kit (services.common.rpc)
    python -m bench.servers nameko-rpc  # the same no-op on nameko's own RPC, for reference

Both run in a nameko container exactly like a real service (same runner, same probes).
"""

import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import os  # noqa: E402
import sys  # noqa: E402

from nameko.rpc import rpc as nameko_rpc  # noqa: E402
from werkzeug.wrappers import Response  # noqa: E402

from gateway.http import http  # noqa: E402
from gateway.settings import GatewaySettings  # noqa: E402
from services.common.config import Settings  # noqa: E402
from services.common.ops import Operations  # noqa: E402
from services.common.rpc import rpc  # noqa: E402
from services.common.runner import run_service  # noqa: E402
from services.common.service import ServiceBase  # noqa: E402

CONSTANT = b'{"status":"ok","items":[1,2,3]}'


class ConstantHttp(ServiceBase):
    name = "bench_http"

    @http("GET", "/constant")
    def constant(self, request):
        return Response(CONSTANT, mimetype="application/json")


class NoopRpc(ServiceBase):
    name = "bench_rpc"

    @rpc
    def noop(self):
        return None


class NamekoNoopRpc:
    """Not a ServiceBase: its own RPC (`travel_clock`) would declare the same request queue as
    nameko's, non-durable where nameko's is durable, and the broker refuses the second."""

    name = "bench_nameko_rpc"
    ops = Operations()  # the probes the bench waits on

    @nameko_rpc
    def noop(self):
        return None


def main():
    kind = sys.argv[1]
    service = {"http": ConstantHttp, "rpc": NoopRpc, "nameko-rpc": NamekoNoopRpc}[kind]
    # the http floor runs the gateway's own web server, which reads the gateway's settings
    settings_class = GatewaySettings if kind == "http" else Settings
    settings = settings_class.from_env(service.name, int(os.environ.get("METRICS_PORT", "0")))
    extra = {"WEB_SERVER_ADDRESS": f"127.0.0.1:{os.environ.get('BENCH_HTTP_PORT', '0')}"}
    run_service(service, settings.with_overrides(log_level="WARNING"), extra)


if __name__ == "__main__":
    main()
