"""Tables of the housing service."""

from sqlalchemy.orm import DeclarativeBase

from services.common.models import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()
