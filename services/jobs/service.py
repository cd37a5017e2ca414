"""The jobs service's nameko class: a thin adapter between messages and the domain."""

from services.common.db import Database
from services.common.service import ServiceBase

from .models import Base


class JobsService(ServiceBase):
    name = "jobs"
    db = Database(Base.metadata, package="services.jobs")
