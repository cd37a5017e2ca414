"""Tables of the notify service."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.models import service_metadata
from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = service_metadata()


class Message(Base):
    """A message in a person's inbox, rendered in both languages from its event."""

    __tablename__ = "message"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "person_id"),
        sa.Index("ix_message_inbox", "person_id", "created_at", "id"),
        sa.Index("ix_message_unread", "person_id", "read_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    event_id: Mapped[str] = mapped_column(sa.String(64))
    event_type: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(40))
    mandatory: Mapped[bool] = mapped_column(default=False)
    title_zh: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    body_zh: Mapped[str] = mapped_column(sa.Text())
    body_en: Mapped[str] = mapped_column(sa.Text())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
