"""The gateway: the only HTTP entrance of the platform.

`GatewayService` is composed of one mixin of routes per area (`gateway/routes/`); it also
answers the services' RPC calls for contact details, which it alone holds.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from nameko.extensions import DependencyProvider

from services.common.db import Database
from services.common.errors import NotFound
from services.common.rpc import RpcClient, rpc
from services.common.service import ServiceBase

from .api import Api
from .auth import hash_password
from .events import EVENTS
from .messages import MESSAGES
from .models import Account, Base
from .read_model import ReadModel
from .routes.accounts import AccountRoutes
from .routes.admin import AdminRoutes
from .routes.console import ConsoleRoutes
from .routes.events import EventsRoutes
from .routes.housing import HousingRoutes
from .routes.jobs import JobsRoutes
from .routes.meta import MetaRoutes
from .routes.notify import NotifyRoutes
from .routes.privacy import PrivacyRoutes
from .routes.startup import StartupRoutes
from .routes.views import ViewRoutes
from .store import account_by_username, add_account

log = logging.getLogger(__name__)


class AdminBootstrap(DependencyProvider):
    """On start, creates the first administrator from ADMIN_USERNAME and ADMIN_PASSWORD if no
    account has that username yet (a restart or a second replica changes nothing)."""

    done = False

    def readiness(self) -> tuple[bool, str]:
        """Not ready until the administrator exists: a sign-in right after start must work."""
        return (
            (True, "administrator in place") if self.done else (False, "creating the administrator")
        )

    def start(self) -> None:
        try:
            self._create_administrator()
        finally:
            self.done = True

    def _create_administrator(self) -> None:
        settings = self.container.config["YOUTHCITY"]
        username, password = settings.admin_username, settings.admin_password
        if not username or not password:
            return
        database = next(d for d in self.container.dependencies if isinstance(d, Database))
        with database.unit_of_work() as uow:
            if account_by_username(uow.session, username) is not None:
                return
            add_account(
                uow.session,
                role="admin",
                username=username,
                password_hash=hash_password(password),
                display_name="Administrator",
            )
            try:
                uow.commit()
                log.info("bootstrap administrator created", extra={"username": username})
            except sa.exc.IntegrityError:
                pass  # another replica created it first


class GatewayService(
    ServiceBase,
    MetaRoutes,
    AccountRoutes,
    AdminRoutes,
    JobsRoutes,
    HousingRoutes,
    StartupRoutes,
    EventsRoutes,
    NotifyRoutes,
    ViewRoutes,
    PrivacyRoutes,
    ConsoleRoutes,
):
    name = "gateway"
    messages = MESSAGES
    db = Database(Base.metadata, package="gateway", events=EVENTS)
    api = Api(MESSAGES)
    services = RpcClient()
    read_model = ReadModel()
    bootstrap = AdminBootstrap()

    @rpc
    def contact_details(self, person_id: str) -> dict:
        """How to reach a person, for notify at the moment it sends: never stored elsewhere."""
        with self.db.reading() as session:
            account = session.get(Account, person_id)
            if account is None or account.status == "erased":
                raise NotFound("person")
            name = account.profile.name if account.profile else account.display_name
            return {
                "person_id": account.id,
                "name": name,
                "email": account.email,
                "phone": account.phone,
                "locale": account.locale,
            }
