"""Tables of the housing service.

Capacity is guarded twice: the service locks the row it counts against (`FOR UPDATE` on
PostgreSQL; SQLite writers are serialised), and partial unique indexes make the impossible
unrepresentable: one bed per night per bed number, one night per person, one pending offer and
one active lease per unit, one open application per person and kind.
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


def _where(condition: str) -> dict:
    """A partial index's condition, on both backends."""
    return {"sqlite_where": sa.text(condition), "postgresql_where": sa.text(condition)}


class HousingUnit(Base):
    """A unit of the inventory: a talent apartment (人才公寓, a converted homestay 民宿 too),
    a public rental (公租房), an affordable rental (保租房) or a youth-station room whose
    `beds` are booked per night (青年驿站)."""

    __tablename__ = "housing_unit"
    __table_args__ = (
        sa.Index("ix_housing_unit_browse", "kind", "state", "id"),
        sa.Index("ix_housing_unit_state", "state", "id"),
        sa.CheckConstraint("beds >= 1", name="beds_positive"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    title: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300))
    area: Mapped[str | None] = mapped_column(sa.String(100), doc="district area (街道/乡镇)")
    area_m2: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))
    rooms: Mapped[int]
    rent_cny: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2), doc="monthly rent")
    beds: Mapped[int] = mapped_column(default=1)
    homestay: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class HousingApplication(Base):
    """A person's application for a kind of rental, with the facts and declarations the
    decision rests on and its explanation rule by rule."""

    __tablename__ = "housing_application"
    __table_args__ = (
        sa.Index("ix_housing_application_person", "person_id", "submitted_at", "id"),
        sa.Index("ix_housing_application_queue", "kind", "state", "submitted_at", "id"),
        sa.Index("ix_housing_application_drawn", "kind", "state", "drawn_at", "lottery_position"),
        sa.Index("ix_housing_application_state", "state", "submitted_at", "id"),
        sa.Index("ix_housing_application_decided", "decided_at", "kind", "state"),
        sa.Index(
            "uq_housing_application_open",
            "person_id",
            "kind",
            unique=True,
            **_where("state IN ('submitted', 'waitlisted', 'offered')"),
        ),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    kind: Mapped[str] = mapped_column(sa.String(24))
    state: Mapped[str] = mapped_column(sa.String(16))
    age: Mapped[int | None]
    degree: Mapped[str | None] = mapped_column(sa.String(24))
    social_insurance_months: Mapped[int | None]
    # the declarations are NULL only once the person's data was erased (README "Personal data")
    owns_property: Mapped[bool | None]
    on_payroll: Mapped[bool | None]
    household_size: Mapped[int | None] = mapped_column(default=1)
    eligible: Mapped[bool]
    eligibility: Mapped[str] = mapped_column(sa.Text(), doc="the explanation, rule by rule (JSON)")
    preference_group: Mapped[str | None] = mapped_column(sa.String(40))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decision: Mapped[str | None] = mapped_column(sa.String(16), doc="approved or rejected")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(sa.String(36))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text())
    lottery_id: Mapped[str | None] = mapped_column(sa.String(36))
    lottery_position: Mapped[int | None]
    drawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Lottery(Base):
    """A draw round (摇号): opened naming a public value to come, closed by freezing its
    entrants and committing to a secret seed, drawn when the public value is known. Every
    input is kept so anyone can re-run it (`verify_draw.py`). Rows drawn before rounds existed
    (`sha256-groups-v1`) have no commitment and no public value."""

    __tablename__ = "housing_lottery"
    __table_args__ = (
        sa.Index("ix_housing_lottery_kind", "kind", "drawn_at", "id"),
        sa.Index("ix_housing_lottery_listed", "created_at", "id"),
        sa.Index("ix_housing_lottery_kind_listed", "kind", "created_at", "id"),
        # one round of a kind at a time between opening and the draw: which round an approved
        # application joins is never in doubt
        sa.Index(
            "uq_housing_lottery_pending",
            "kind",
            unique=True,
            **_where("state IN ('open', 'closed')"),
        ),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    state: Mapped[str] = mapped_column(sa.String(16), doc="open, closed, drawn or cancelled")
    title: Mapped[str | None] = mapped_column(sa.String(200))
    algorithm: Mapped[str] = mapped_column(sa.String(40))
    public_value_source: Mapped[str | None] = mapped_column(
        sa.Text(), doc="the public value, named when the round opens"
    )
    public_value_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), doc="when the public value is published: close before, draw after"
    )
    public_value: Mapped[str | None] = mapped_column(sa.String(200), doc="entered at the draw")
    seed: Mapped[str | None] = mapped_column(
        sa.String(200), doc="generated at close, secret until the draw"
    )
    commitment: Mapped[str | None] = mapped_column(sa.String(64), doc="SHA-256 of the seed")
    entrants_hash: Mapped[str | None] = mapped_column(sa.String(64))
    groups: Mapped[str | None] = mapped_column(
        sa.Text(), doc="preference groups in draw order (JSON)"
    )
    entrants: Mapped[str | None] = mapped_column(
        sa.Text(), doc="[{application_id, group}] frozen at close, in order (JSON)"
    )
    result: Mapped[str | None] = mapped_column(
        sa.Text(), doc="application ids in drawn order (JSON)"
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_by: Mapped[str | None] = mapped_column(sa.String(36))
    drawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    drawn_by: Mapped[str | None] = mapped_column(sa.String(36))


class Offer(Base):
    """A unit offered to an applicant, to accept or decline before `respond_by`."""

    __tablename__ = "housing_offer"
    __table_args__ = (
        sa.Index("ix_housing_offer_due", "state", "respond_by"),
        sa.Index("ix_housing_offer_person", "person_id", "offered_at", "id"),
        sa.Index(
            "uq_housing_offer_unit_pending", "unit_id", unique=True, **_where("state = 'pending'")
        ),
        sa.Index(
            "uq_housing_offer_application_pending",
            "application_id",
            unique=True,
            **_where("state = 'pending'"),
        ),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_application.id"))
    unit_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_unit.id"))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    kind: Mapped[str] = mapped_column(sa.String(24))
    method: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(16))
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    respond_by: Mapped[datetime] = mapped_column(UtcDateTime())
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Lease(Base):
    """A tenancy that started when an offer was accepted."""

    __tablename__ = "housing_lease"
    __table_args__ = (
        sa.Index("ix_housing_lease_person", "person_id", "starts_on"),
        sa.Index("ix_housing_lease_kind", "kind", "starts_on", "ends_on"),
        sa.Index("ix_housing_lease_state", "state", "starts_on", "id"),
        sa.Index(
            "uq_housing_lease_unit_active", "unit_id", unique=True, **_where("state = 'active'")
        ),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_unit.id"))
    application_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_application.id"))
    offer_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_offer.id"))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    kind: Mapped[str] = mapped_column(sa.String(24))
    rent_cny: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    state: Mapped[str] = mapped_column(sa.String(16))
    starts_on: Mapped[date] = mapped_column(sa.Date())
    ends_on: Mapped[date | None] = mapped_column(sa.Date())
    end_reason: Mapped[str | None] = mapped_column(sa.Text())


class StationBooking(Base):
    """A stay at the youth station (青年驿站): consecutive nights, one bed each night."""

    __tablename__ = "station_booking"
    __table_args__ = (
        sa.Index("ix_station_booking_person", "person_id", "created_at", "id"),
        sa.Index("ix_station_booking_unit", "unit_id", "first_night", "id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    unit_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_unit.id"))
    state: Mapped[str] = mapped_column(sa.String(16))
    first_night: Mapped[date] = mapped_column(sa.Date())
    last_night: Mapped[date] = mapped_column(sa.Date())
    nights_booked: Mapped[int] = mapped_column(doc="nights still held (not cancelled)")
    graduation_date: Mapped[date | None] = mapped_column(sa.Date(), doc="as the gateway gave it")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    checked_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(40))


class StationNight(Base):
    """One bed for one night of a booking. A booked bed number is unique per unit and night,
    and a person holds at most one bed a night: the database refuses an overbooking even if
    the service's lock were bypassed."""

    __tablename__ = "station_night"
    __table_args__ = (
        sa.Index("ix_station_night_load", "unit_id", "night", "state"),
        sa.Index("ix_station_night_person", "person_id", "state", "night"),
        sa.Index("ix_station_night_booking", "booking_id", "night"),
        sa.Index("ix_station_night_period", "night", "state"),
        sa.Index(
            "uq_station_night_bed",
            "unit_id",
            "night",
            "bed",
            unique=True,
            **_where("state = 'booked'"),
        ),
        sa.Index(
            "uq_station_night_person",
            "person_id",
            "night",
            unique=True,
            **_where("state = 'booked'"),
        ),
        sa.CheckConstraint("bed >= 1", name="bed_positive"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    booking_id: Mapped[str] = mapped_column(sa.ForeignKey("station_booking.id"))
    unit_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_unit.id"))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    night: Mapped[date] = mapped_column(sa.Date())
    bed: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(16))
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SubsidyApplication(Base):
    """A home-purchase subsidy (购房补贴) or housing-fund (住房公积金) application."""

    __tablename__ = "subsidy_application"
    __table_args__ = (
        sa.Index("ix_subsidy_application_person", "person_id", "submitted_at", "id"),
        sa.Index("ix_subsidy_application_state", "state", "submitted_at", "id"),
        sa.Index("ix_subsidy_application_decided", "decided_at", "kind", "state"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    kind: Mapped[str] = mapped_column(sa.String(24))
    state: Mapped[str] = mapped_column(sa.String(16))
    amount_requested_cny: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    amount_granted_cny: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    household_size: Mapped[int | None]
    # `<kind>:<person>` while an application stands (submitted or granted): once per person
    # ever, kept by the database; a refusal frees it
    person_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    property_address: Mapped[str | None] = mapped_column(sa.String(300))
    contract_date: Mapped[date | None] = mapped_column(sa.Date())
    age: Mapped[int | None]
    degree: Mapped[str | None] = mapped_column(sa.String(24))
    social_insurance_months: Mapped[int | None]
    on_payroll: Mapped[bool | None] = mapped_column(doc="NULL once the person's data was erased")
    eligible: Mapped[bool]
    eligibility: Mapped[str] = mapped_column(sa.Text())
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(sa.String(36))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text())


class LedgerEntry(Base):
    """The talent ledger (人才台账): one entry for each person housed through the platform."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        sa.Index("ix_ledger_entry_housed", "housed_since", "id"),
        sa.Index("ix_ledger_entry_person", "person_id"),
        sa.UniqueConstraint("lease_id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    lease_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_lease.id"))
    unit_id: Mapped[str] = mapped_column(sa.ForeignKey("housing_unit.id"))
    kind: Mapped[str] = mapped_column(sa.String(24))
    housed_since: Mapped[date] = mapped_column(sa.Date())
    moved_out_on: Mapped[date | None] = mapped_column(sa.Date())
    followups: Mapped[int] = mapped_column(default=0)
    last_followup_on: Mapped[date | None] = mapped_column(sa.Date())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LedgerFollowUp(Base):
    """A follow-up visit (跟踪服务) an officer recorded on a ledger entry."""

    __tablename__ = "ledger_followup"
    __table_args__ = (
        sa.Index("ix_ledger_followup_entry", "entry_id", "visited_on", "id"),
        sa.Index("ix_ledger_followup_recorded", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    entry_id: Mapped[str] = mapped_column(sa.ForeignKey("ledger_entry.id"))
    visited_on: Mapped[date] = mapped_column(sa.Date())
    method: Mapped[str] = mapped_column(sa.String(16))
    employment_status: Mapped[str | None] = mapped_column(sa.String(24))
    notes: Mapped[str] = mapped_column(sa.Text(), default="")
    recorded_by: Mapped[str | None] = mapped_column(sa.String(36))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TalentHint(Base):
    """A talent-apartment hint sent to a person hired in the district: once per person."""

    __tablename__ = "talent_hint"

    person_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    job_application_id: Mapped[str] = mapped_column(sa.String(64))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime())
