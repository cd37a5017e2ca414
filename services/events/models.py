"""Tables of the events service.

Every filter and sort of the service's queries has its index here; the comment beside each
names the query it serves.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.models import service_metadata
from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = service_metadata()


class Venue(Base):
    """A venue of the 15-minute fitness circle (15分钟健身圈): a fitness centre, a court, a trail,
    a school ground open to the public, a youth home; with its weekly opening hours."""

    __tablename__ = "venue"
    __table_args__ = (
        sa.Index("ix_venue_name", "name", "id"),  # the list, sorted by name
        sa.Index("ix_venue_area", "area", "name", "id"),  # ?area=
        sa.Index("ix_venue_kind", "kind", "name", "id"),  # ?kind=
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(40))
    area: Mapped[str] = mapped_column(sa.String(100))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    opening_hours: Mapped[list] = mapped_column(
        sa.JSON(), doc="[{weekdays: [1..7], opens: 'HH:MM', closes: 'HH:MM'}]"
    )
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Activity(Base):
    """An activity (活动) a unit organises: its place, time, capacity and audience."""

    __tablename__ = "activity"
    __table_args__ = (
        # browsing (?state=&starts_from=&starts_until=) and the activities held in a period
        sa.Index("ix_activity_browse", "state", "starts_at", "id"),
        sa.Index("ix_activity_category", "state", "category", "starts_at", "id"),  # ?category=
        sa.Index("ix_activity_area", "state", "area", "starts_at", "id"),  # ?area=
        sa.Index("ix_activity_venue", "venue_id", "state", "starts_at", "id"),  # a venue's
        sa.Index("ix_activity_unit", "organiser_unit", "state", "starts_at", "id"),  # drafts
        sa.Index("ix_activity_cancelled_at", "cancelled_at"),  # cancellations in a period
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    category: Mapped[str] = mapped_column(sa.String(40))
    organiser_unit: Mapped[str] = mapped_column(sa.String(40))
    venue_id: Mapped[str | None] = mapped_column(sa.ForeignKey("venue.id"))
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
    confirmed_count: Mapped[int] = mapped_column(
        default=0, doc="places taken: confirmed and checked-in registrations"
    )
    waitlisted_count: Mapped[int] = mapped_column(default=0)
    attended_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_sequence: Mapped[int] = mapped_column(
        default=0,
        server_default="0",
        doc="the arrival number of the latest registration: the queue's order",
    )
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Registration(Base):
    """A person's place at an activity: confirmed, waitlisted (in arrival order), checked in,
    or cancelled (by the person, or with the activity)."""

    __tablename__ = "registration"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "person_id"),
        sa.UniqueConstraint("activity_id", "check_in_code"),  # a scanned code names one place
        # the waitlist in order, places taken, a roster by state
        sa.Index("ix_registration_line", "activity_id", "state", "sequence"),
        sa.Index("ix_registration_roster", "activity_id", "sequence", "id"),  # the whole roster
        sa.Index("ix_registration_person", "person_id", "queued_at", "id"),  # mine
        sa.Index("ix_registration_queued_at", "queued_at"),  # registrations in a period
        sa.Index("ix_registration_promoted_at", "promoted_at"),  # promotions in a period
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.ForeignKey("activity.id"))
    person_id: Mapped[str | None] = mapped_column(
        sa.String(36), doc="None once the person's data was erased: the place is still counted"
    )
    state: Mapped[str] = mapped_column(sa.String(16))
    age: Mapped[int | None] = mapped_column(
        doc="the age on the activity's day the decision was based on"
    )
    sequence: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="arrival number within the activity"
    )
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    promoted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    check_in_code: Mapped[str | None] = mapped_column(
        sa.String(16), doc="one-time code shown to the person while their place is confirmed"
    )
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    checked_in_by: Mapped[str | None] = mapped_column(sa.String(36))
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_by: Mapped[str | None] = mapped_column(
        sa.String(16),
        doc="'person', 'activity' (the organiser cancelled the activity) or 'erasure'",
    )
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ShowcaseEntry(Base):
    """An entrant of a farm-product showcase or live-commerce contest (青年助农平台): a young
    person or a company, what it sells, and the sales the organiser reported."""

    __tablename__ = "showcase_entry"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "entrant_id"),
        sa.Index("ix_showcase_entry_activity", "activity_id", "entered_at", "id"),  # entrants
        sa.Index("ix_showcase_entry_entrant", "entrant_id", "entered_at", "id"),  # mine
        sa.Index("ix_showcase_entry_entered_at", "entered_at"),  # entries in a period
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(sa.ForeignKey("activity.id"))
    entrant_id: Mapped[str | None] = mapped_column(
        sa.String(36), doc="the entrant's account; None once a person's data was erased"
    )
    entrant_kind: Mapped[str] = mapped_column(sa.String(10))
    products: Mapped[str] = mapped_column(sa.Text())
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sales_cny: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    orders: Mapped[int | None]
    sales_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Story(Base):
    """A story for the column 我的青春在XX ("My youth in XX"): a young person's account of
    growing up and working here, published once the publicity department approves it."""

    __tablename__ = "story"
    __table_args__ = (
        sa.Index("ix_story_state", "state", "published_at", "id"),  # the column, newest first
        sa.Index("ix_story_queue", "state", "submitted_at", "id"),  # moderation, oldest first
        sa.Index("ix_story_author", "author_id", "submitted_at", "id"),  # mine
        sa.Index("ix_story_submitted_at", "submitted_at"),  # submissions in a period
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    author_id: Mapped[str | None] = mapped_column(
        sa.String(36), doc="None once the author's data was erased (the story is emptied)"
    )
    title: Mapped[str] = mapped_column(sa.String(100))
    body: Mapped[str] = mapped_column(sa.Text())
    byline: Mapped[str | None] = mapped_column(
        sa.String(60), doc="how the author wishes to be credited (a pen name), shown with it"
    )
    state: Mapped[str] = mapped_column(sa.String(16))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(sa.String(36))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
