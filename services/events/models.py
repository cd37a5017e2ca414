"""Tables of the events service."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.models import service_metadata
from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = service_metadata()


class Activity(Base):
    """An activity (活动) a unit organises: its place, time, capacity and audience."""

    __tablename__ = "activity"
    __table_args__ = (
        sa.Index("ix_activity_browse", "state", "starts_at", "id"),
        sa.Index("ix_activity_category", "state", "category", "starts_at", "id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    category: Mapped[str] = mapped_column(sa.String(40))
    organiser_unit: Mapped[str] = mapped_column(sa.String(40))
    venue: Mapped[str] = mapped_column(sa.String(200))
    area: Mapped[str | None] = mapped_column(sa.String(100))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    capacity: Mapped[int]
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    registration_opens_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(sa.String(16), default="draft")
    confirmed_count: Mapped[int] = mapped_column(default=0)
    waitlisted_count: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Registration(Base):
    """A person's place at an activity: confirmed, waitlisted (in order) or cancelled."""

    __tablename__ = "registration"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "person_id"),
        sa.Index("ix_registration_queue", "activity_id", "state", "queued_at", "id"),
        sa.Index("ix_registration_person", "person_id", "queued_at", "id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.ForeignKey("activity.id"))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    state: Mapped[str] = mapped_column(sa.String(16))
    age: Mapped[int | None] = mapped_column(
        doc="the age the decision was based on, as the gateway gave it"
    )
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    promoted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
