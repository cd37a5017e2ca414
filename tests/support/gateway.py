"""The gateway started in the test process (no other service), for tests of the API's
conventions: accounts, tokens, problems, limits, OpenAPI."""

from __future__ import annotations

import os

import pytest

from .api import Api


def gateway_port(container) -> int:
    from gateway.http import GatewayWebServer

    server = next(ext for ext in container.subextensions if isinstance(ext, GatewayWebServer))
    return server.port


@pytest.fixture
def start_gateway(start_service, databases):
    """`start_gateway(**env)`: a gateway on a free port with its own migrated database; returns
    an `Api` for it (`.container` is the nameko container). The bootstrap admin is
    `tests.support.api.ADMIN`."""
    from gateway.service import GatewayService

    from .api import ADMIN

    def start(**env) -> Api:
        settings_env = {
            **os.environ,
            "ADMIN_USERNAME": ADMIN[0],
            "ADMIN_PASSWORD": ADMIN[1],
            "RATE_LIMIT_ADDRESS": "100000/minute",
            "LOGIN_RATE_LIMIT_ADDRESS": "100000/minute",
            # every test signs up and signs in from 127.0.0.1, and signs in as the bootstrap
            # administrator without changing its password (tests of those rules set their own)
            "REGISTRATION_RATE_LIMIT_ADDRESS": "100000/minute",
            "REGISTRATION_BACKOFF_AFTER": "100000",
            "SIGN_IN_BACKOFF_ADDRESS_AFTER": "100000",
            "ADMIN_PASSWORD_CHANGE_REQUIRED": "false",
            # the tests register dozens of young people with no SMS provider to prove phones
            # (tests of that proof set it true)
            "REGISTRATION_PHONE_PROOF_REQUIRED": "false",
            "STAFF_SECOND_FACTOR_REQUIRED": "false",
            **env,
        }
        container = start_service(
            GatewayService,
            databases.migrated("gateway"),
            extra_config={"WEB_SERVER_ADDRESS": "127.0.0.1:0"},
            env=settings_env,
        )
        api = Api(f"http://127.0.0.1:{gateway_port(container)}")
        api.container = container
        return api

    return start
