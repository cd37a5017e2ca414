"""The startup service's nameko class: a thin adapter between messages and the domain."""

from services.common.db import Database
from services.common.service import ServiceBase

from .models import Base


class StartupService(ServiceBase):
    name = "startup"
    db = Database(Base.metadata, package="services.startup")
