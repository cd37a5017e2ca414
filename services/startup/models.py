"""Tables of the startup service."""

from sqlalchemy.orm import DeclarativeBase

from services.common.models import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()
