"""Tables of the events service.

Every filter and sort of the service's queries has its index here; the comment beside each
names the query it serves.
"""

from __future__ import annotations

from datetime import date, datetime
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
        sa.Index("ix_venue_location", "latitude", "longitude"),  # ?near= (its bounding box)
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
    latitude: Mapped[float | None] = mapped_column(sa.Float(), doc="GCJ-02 (vocabulary.DATUM)")
    longitude: Mapped[float | None] = mapped_column(sa.Float(), doc="GCJ-02 (vocabulary.DATUM)")
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


# -- the 15-minute circle (15分钟健身圈, 三.4) ---------------------------------------------------


class VenueSlot(Base):
    """A bookable time slot of a venue (a school ground open to the public, 学校体育场地向社会
    开放; a court): its places, booked one per young person while places last."""

    __tablename__ = "venue_slot"
    __table_args__ = (
        sa.Index("ix_venue_slot_venue", "venue_id", "starts_at", "id"),  # a venue's slots
        sa.Index("ix_venue_slot_starts_at", "starts_at"),  # slots offered in a period
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    venue_id: Mapped[str] = mapped_column(sa.ForeignKey("venue.id"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    capacity: Mapped[int]
    booked_count: Mapped[int] = mapped_column(default=0, server_default="0")
    state: Mapped[str] = mapped_column(sa.String(16), default="open")
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SlotBooking(Base):
    """A young person's place in a venue's time slot."""

    __tablename__ = "slot_booking"
    __table_args__ = (
        sa.UniqueConstraint("slot_id", "person_id"),  # one booking per person per slot
        sa.Index("ix_slot_booking_person", "person_id", "booked_at", "id"),  # mine
        sa.Index("ix_slot_booking_booked_at", "booked_at"),  # bookings in a period
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    slot_id: Mapped[str] = mapped_column(sa.ForeignKey("venue_slot.id"))
    person_id: Mapped[str | None] = mapped_column(
        sa.String(36), doc="None once the person's data was erased: the booking is still counted"
    )
    state: Mapped[str] = mapped_column(sa.String(16))
    booked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_by: Mapped[str | None] = mapped_column(
        sa.String(16), doc="'person', 'slot' (the officer cancelled the slot) or 'erasure'"
    )
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SportsClub(Base):
    """A youth sports club (青少年体育俱乐部) in the register the education and sports bureau
    keeps: an organisation, so nothing here is a young person's data."""

    __tablename__ = "sports_club"
    __table_args__ = (
        sa.Index("ix_sports_club_state", "state", "name", "id"),  # the register, by name
        sa.Index("ix_sports_club_area", "area", "name", "id"),  # ?area=
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    sports: Mapped[list] = mapped_column(sa.JSON(), doc="the sports it trains, free words")
    area: Mapped[str] = mapped_column(sa.String(100))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    registration_number: Mapped[str] = mapped_column(
        sa.String(60), default="", doc="its social-organisation registration number, if any"
    )
    venue_id: Mapped[str | None] = mapped_column(sa.ForeignKey("venue.id"))
    youth_members: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    state: Mapped[str] = mapped_column(sa.String(16))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deregistered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    deregister_reason: Mapped[str | None] = mapped_column(sa.Text())
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OutreachRequest(Base):
    """A request for a mental-health session (心理健康进企业、进村(社区)、进机关) by a company,
    a village or an office, which the health unit schedules and holds. Seen by its requester and
    the health unit only."""

    __tablename__ = "outreach_request"
    __table_args__ = (
        sa.Index("ix_outreach_queue", "state", "requested_at", "id"),  # the health unit's queue
        sa.Index("ix_outreach_requester", "requested_by", "requested_at", "id"),  # mine
        sa.Index("ix_outreach_requested_at", "requested_at"),  # requests in a period
        sa.Index("ix_outreach_held_at", "held_at"),  # sessions held in a period
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    setting: Mapped[str] = mapped_column(sa.String(16), doc="enterprise, village or office")
    organisation: Mapped[str] = mapped_column(sa.String(200))
    area: Mapped[str] = mapped_column(sa.String(100), default="")
    topic: Mapped[str] = mapped_column(sa.Text(), default="")
    audience_size: Mapped[int]
    preferred_from: Mapped[date]
    preferred_until: Mapped[date]
    requested_by: Mapped[str] = mapped_column(sa.String(36))
    state: Mapped[str] = mapped_column(sa.String(16))
    scheduled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    place: Mapped[str | None] = mapped_column(sa.String(300))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text())
    decided_by: Mapped[str | None] = mapped_column(sa.String(36))
    held_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attendance: Mapped[int | None]
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CounsellingBooking(Base):
    """A person's counselling booking (心理咨询预约): sensitive personal data (PIPL art. 28),
    made with a separate consent recorded here, read by the person and the health unit's
    officers only, in no other export, event or figure but counts."""

    __tablename__ = "counselling_booking"
    __table_args__ = (
        sa.Index("ix_counselling_person", "person_id", "requested_at", "id"),  # mine
        sa.Index("ix_counselling_queue", "state", "requested_at", "id"),  # the health unit's
        sa.Index("ix_counselling_requested_at", "requested_at"),  # bookings in a period
        sa.Index("ix_counselling_completed_at", "completed_at"),  # sessions in a period
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str | None] = mapped_column(
        sa.String(36), doc="None once the person's data was erased (the row keeps its dates)"
    )
    mode: Mapped[str] = mapped_column(sa.String(16))
    preferred_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    concern: Mapped[str] = mapped_column(sa.Text(), default="", doc="what the person wrote")
    consent_version: Mapped[str | None] = mapped_column(sa.String(40))
    consented_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(sa.String(16))
    scheduled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    place: Mapped[str | None] = mapped_column(sa.String(300))
    handled_by: Mapped[str | None] = mapped_column(sa.String(36))
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_by: Mapped[str | None] = mapped_column(sa.String(16))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
