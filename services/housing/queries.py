"""The read side: what the housing service answers, on a reading session (one snapshot), as the
contract's views. Lists are keyset pages; a person's own records are 404 to anyone but them and
housing staff; staff-only lists refuse anyone else (403 `not_responsible_unit`). Also the
gateway's aggregated views: a person's dashboard and the plan's indicators.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.clock import clock
from services.common.errors import InvalidInput, NotFound
from services.common.pagination import DESC, Page, keyset_page

from . import domain, lottery
from .contract import (
    BookedNight,
    FollowUpView,
    HousingApplicationView,
    HousingLeaseView,
    HousingOfferView,
    HousingSubsidyView,
    HousingUnitView,
    LedgerEntryView,
    LotterySummary,
    StationBookingView,
)
from .messages import MESSAGES
from .models import (
    HousingApplication,
    HousingUnit,
    Lease,
    LedgerEntry,
    LedgerFollowUp,
    Lottery,
    Offer,
    StationBooking,
    StationNight,
    SubsidyApplication,
)
from .policy import HousingPolicy
from .repository import HousingRepository
from .station import Stay
from .vocabulary import (
    GRANTED,
    NIGHT_BOOKED,
    NIGHT_CANCELLED,
    RENTAL_KINDS,
    STATION_BED,
    WAITLISTED,
)

UNIT = HousingUnitView()
APPLICATION = HousingApplicationView()
OFFER = HousingOfferView()
BOOKING = StationBookingView()
LEASE = HousingLeaseView()
SUBSIDY = HousingSubsidyView()
ENTRY = LedgerEntryView()
FOLLOWUP = FollowUpView()
NIGHTS = BookedNight(many=True)
LOTTERY_SUMMARY = LotterySummary()

#: items of each kind a person's dashboard shows, newest first
DASHBOARD_ITEMS = 20


def page_view(page: Page, schema) -> dict:
    """A page of rows as its schema's views, with the cursor of the next page."""
    return {"items": schema.dump(page.items, many=True), "next_cursor": page.next_cursor}


def application_view(row: HousingApplication, position: int | None) -> dict:
    """An application with its place in line (None unless it waits in one)."""
    return {**APPLICATION.dump(row), "waitlist_position": position}


def stay_view(stay: Stay) -> dict:
    """A station booking with its nights."""
    return {**BOOKING.dump(stay.booking), "nights": NIGHTS.dump(stay.nights)}


def _found(row, resource: str):
    if row is None:
        raise NotFound(resource)
    return row


def _visible(actor: Actor, row, resource: str):
    """A person sees their own; housing staff see all; to anyone else it does not exist."""
    if row is None or not domain.may_see(actor, row.person_id):
        raise NotFound(resource)
    return row


def _filtered(model, args: dict, names: tuple[str, ...]):
    """All rows of `model`, narrowed by the filters of `names` present in `args`."""
    query = sa.select(model)
    for name in names:
        if name in args:
            query = query.where(getattr(model, name) == args[name])
    return query


def _of_person(
    session: Session, model, newest_by, person_id: str, after: str | None, limit: int
) -> Page:
    """A page of the person's rows of `model`, newest first by `newest_by`."""
    return keyset_page(
        session,
        sa.select(model).where(model.person_id == person_id),
        [(newest_by, DESC), (model.id, DESC)],
        after,
        limit,
    )


# -- units -----------------------------------------------------------------------------------


def unit(session: Session, unit_id: str) -> dict:
    """One unit of the inventory, to anyone."""
    return UNIT.dump(_found(session.get(HousingUnit, unit_id), "unit"))


def units(session: Session, args: dict) -> dict:
    """Units by kind, state and area, in id order."""
    query = _filtered(HousingUnit, args, ("kind", "state", "area"))
    page = keyset_page(session, query, [(HousingUnit.id, False)], args.get("after"), args["limit"])
    return page_view(page, UNIT)


def station_nights(session: Session, unit_id: str, args: dict) -> dict:
    """Beds booked and free in a station room for each night of a range: one grouped query."""
    nights = domain.nights_from(args["first_night"], args["nights"])
    room = _found(session.get(HousingUnit, unit_id), "unit")
    if room.kind != STATION_BED:
        raise InvalidInput.for_field("unit_id", "not_a_station", MESSAGES)
    booked = dict(
        session.execute(
            sa.select(StationNight.night, sa.func.count())
            .where(
                StationNight.unit_id == unit_id,
                StationNight.state == NIGHT_BOOKED,
                StationNight.night.between(nights[0], nights[-1]),
            )
            .group_by(StationNight.night)
        ).all()
    )
    return {
        "unit_id": unit_id,
        "nights": [
            {
                "night": night.isoformat(),
                "beds": room.beds,
                "booked": booked.get(night, 0),
                "free": max(0, room.beds - booked.get(night, 0)),
            }
            for night in nights
        ],
    }


# -- applications and lotteries --------------------------------------------------------------


def _application_views(session: Session, rows: list, policy: HousingPolicy) -> list[dict]:
    """Views with each waiting application's place in line: one query per kind at most."""
    repo = HousingRepository(session)
    waiting: dict[str, list[str]] = {}
    for row in rows:
        if row.state == WAITLISTED:
            waiting.setdefault(row.kind, []).append(row.id)
    positions = {}
    for kind, ids in waiting.items():
        positions |= repo.waitlist_positions(kind, policy.allocation_for(kind), ids)
    return [application_view(row, positions.get(row.id)) for row in rows]


def application(session: Session, actor: Actor, application_id: str, policy: HousingPolicy) -> dict:
    """One application with its place in line, to the applicant and staff."""
    row = _visible(actor, session.get(HousingApplication, application_id), "application")
    return _application_views(session, [row], policy)[0]


def applications_of(
    session: Session, person_id: str, after: str | None, limit: int, policy: HousingPolicy
) -> dict:
    """The person's applications, newest first."""
    page = _of_person(
        session, HousingApplication, HousingApplication.submitted_at, person_id, after, limit
    )
    return {
        "items": _application_views(session, page.items, policy),
        "next_cursor": page.next_cursor,
    }


def applications(session: Session, actor: Actor, args: dict, policy: HousingPolicy) -> dict:
    """Staff's review queue: applications by kind and state, oldest first."""
    domain.require_staff(actor)
    page = keyset_page(
        session,
        _filtered(HousingApplication, args, ("kind", "state")),
        [(HousingApplication.submitted_at, False), (HousingApplication.id, False)],
        args.get("after"),
        args["limit"],
    )
    return {
        "items": _application_views(session, page.items, policy),
        "next_cursor": page.next_cursor,
    }


def lottery_draw(session: Session, lottery_id: str) -> dict:
    """One draw round with its checks, to anyone."""
    return lottery.view(_found(session.get(Lottery, lottery_id), "lottery"))


def lotteries(session: Session, args: dict) -> dict:
    """Draw rounds, newest first, to anyone (a page of summaries: the entrants are on each
    round's own page)."""
    page = keyset_page(
        session,
        _filtered(Lottery, args, ("kind",)),
        [(Lottery.created_at, DESC), (Lottery.id, DESC)],
        args.get("after"),
        args["limit"],
    )
    return {
        "items": [LOTTERY_SUMMARY.dump(lottery.summary(row)) for row in page.items],
        "next_cursor": page.next_cursor,
    }


# -- offers and leases -----------------------------------------------------------------------


def offer(session: Session, actor: Actor, offer_id: str) -> dict:
    """One offer, to the person it was made to and staff."""
    return OFFER.dump(_visible(actor, session.get(Offer, offer_id), "offer"))


def offers_of(session: Session, person_id: str, after: str | None, limit: int) -> dict:
    """The person's offers, newest first."""
    return page_view(_of_person(session, Offer, Offer.offered_at, person_id, after, limit), OFFER)


def leases(session: Session, actor: Actor, args: dict) -> dict:
    """Leases by kind and state, newest first (staff)."""
    domain.require_staff(actor)
    page = keyset_page(
        session,
        _filtered(Lease, args, ("kind", "state")),
        [(Lease.starts_on, DESC), (Lease.id, DESC)],
        args.get("after"),
        args["limit"],
    )
    return page_view(page, LEASE)


# -- the youth station -----------------------------------------------------------------------


def _stay_views(session: Session, rows: list) -> list[dict]:
    """Bookings with their nights: one query for the whole page."""
    nights = HousingRepository(session).nights_of([row.id for row in rows])
    return [stay_view(Stay(row, nights.get(row.id, []))) for row in rows]


def station_booking(session: Session, actor: Actor, booking_id: str) -> dict:
    """One booking with its nights, to the guest and staff."""
    row = _visible(actor, session.get(StationBooking, booking_id), "station booking")
    return _stay_views(session, [row])[0]


def station_bookings_of(session: Session, person_id: str, after: str | None, limit: int) -> dict:
    """The person's station bookings with their nights, newest first."""
    page = _of_person(session, StationBooking, StationBooking.created_at, person_id, after, limit)
    return {"items": _stay_views(session, page.items), "next_cursor": page.next_cursor}


# -- subsidies -------------------------------------------------------------------------------


def subsidy(session: Session, actor: Actor, subsidy_id: str) -> dict:
    """One subsidy application, to the applicant and staff."""
    row = session.get(SubsidyApplication, subsidy_id)
    return SUBSIDY.dump(_visible(actor, row, "subsidy application"))


def subsidies_of(session: Session, person_id: str, after: str | None, limit: int) -> dict:
    """The person's subsidy applications, newest first."""
    page = _of_person(
        session, SubsidyApplication, SubsidyApplication.submitted_at, person_id, after, limit
    )
    return page_view(page, SUBSIDY)


def subsidies(session: Session, actor: Actor, args: dict) -> dict:
    """Staff's decision queue: subsidy applications by kind and state, oldest first."""
    domain.require_staff(actor)
    page = keyset_page(
        session,
        _filtered(SubsidyApplication, args, ("kind", "state")),
        [(SubsidyApplication.submitted_at, False), (SubsidyApplication.id, False)],
        args.get("after"),
        args["limit"],
    )
    return page_view(page, SUBSIDY)


# -- the talent ledger -----------------------------------------------------------------------


def ledger(session: Session, actor: Actor, args: dict) -> dict:
    """The talent ledger by kind and person, the most recently housed first (staff)."""
    domain.require_staff(actor)
    page = keyset_page(
        session,
        _filtered(LedgerEntry, args, ("kind", "person_id")),
        [(LedgerEntry.housed_since, DESC), (LedgerEntry.id, DESC)],
        args.get("after"),
        args["limit"],
    )
    return page_view(page, ENTRY)


def ledger_entry(session: Session, actor: Actor, entry_id: str) -> dict:
    """A ledger entry with its follow-up visits, the latest first (staff)."""
    domain.require_staff(actor)
    entry = _found(session.get(LedgerEntry, entry_id), "ledger entry")
    visits = session.execute(
        sa.select(LedgerFollowUp)
        .where(LedgerFollowUp.entry_id == entry_id)
        .order_by(LedgerFollowUp.visited_on.desc(), LedgerFollowUp.id)
    ).scalars()
    return {**ENTRY.dump(entry), "visits": FOLLOWUP.dump(visits.all(), many=True)}


# -- the gateway's aggregated views ----------------------------------------------------------


def _title(kind: str, noun_zh: str, noun_en: str) -> dict:
    zh, en = domain.KIND_LABELS[kind]
    return {"zh-CN": f"{zh}{noun_zh}", "en": f"{en} {noun_en}".strip()}


def _item(kind: str, row, title: dict, updated_at: datetime, path: str) -> dict:
    return {
        "kind": f"housing.{kind}",
        "id": row.id,
        "title": title,
        "state": row.state,
        "next_step": domain.next_step(kind, row.state),
        "updated_at": updated_at,
        "link": f"/api/v1/housing/{path}/{row.id}",
    }


def _application_item(row: HousingApplication) -> dict:
    title = _title(row.kind, "申请", "application")
    return _item("application", row, title, row.updated_at, "applications")


def _offer_item(row: Offer) -> dict:
    title = _title(row.kind, "房源分配", "offer")
    return _item("offer", row, title, row.responded_at or row.offered_at, "offers")


def _stay_item(row: StationBooking) -> dict:
    heading = _title(STATION_BED, "预订", "booking")
    title = {
        "zh-CN": f"{heading['zh-CN']} {row.first_night}–{row.last_night}",
        "en": f"{heading['en']} {row.first_night} to {row.last_night}",
    }
    return _item("stationbooking", row, title, row.updated_at, "station-bookings")


def _subsidy_item(row: SubsidyApplication) -> dict:
    title = _title(row.kind, "申请", "application")
    updated_at = row.decided_at or row.submitted_at
    return _item("subsidy", row, title, updated_at, "subsidy-applications")


#: what a person's dashboard lists: rows of each model, newest first by a column, as items
DASHBOARD_SOURCES = (
    (HousingApplication, HousingApplication.submitted_at, _application_item),
    (Offer, Offer.offered_at, _offer_item),
    (StationBooking, StationBooking.created_at, _stay_item),
    (SubsidyApplication, SubsidyApplication.submitted_at, _subsidy_item),
)


def dashboard(session: Session, person_id: str) -> dict:
    """The person's housing applications, offers, station bookings and subsidy applications,
    newest first (four queries, at most `DASHBOARD_ITEMS` of each)."""
    items = []
    for model, newest_by, item_of in DASHBOARD_SOURCES:
        rows = session.execute(
            sa.select(model)
            .where(model.person_id == person_id)
            .order_by(newest_by.desc())
            .limit(DASHBOARD_ITEMS)
        ).scalars()
        items += [item_of(row) for row in rows]
    items.sort(key=lambda item: item["updated_at"], reverse=True)
    for item in items:
        item["updated_at"] = item["updated_at"].isoformat()
    return {"items": items}


# -- the plan's indicators -------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """District days [first_day, end_day), and the instants they start and end."""

    first_day: date
    end_day: date
    start: datetime
    end: datetime

    @classmethod
    def of(cls, first_day: date, end_day: date) -> Period:
        return cls(first_day, end_day, clock.start_of(first_day), clock.start_of(end_day))


Figures = Iterator[tuple[str, float]]


def _applications(session: Session, period: Period) -> Figures:
    """Applications made, and decisions taken (automatic rejections included), by kind."""
    app = HousingApplication
    for kind, count in session.execute(
        sa.select(app.kind, sa.func.count())
        .where(app.submitted_at >= period.start, app.submitted_at < period.end)
        .group_by(app.kind)
    ):
        yield f"applications.submitted.{kind}", count
    for kind, decision, count in session.execute(
        sa.select(app.kind, app.decision, sa.func.count())
        .where(app.decided_at >= period.start, app.decided_at < period.end)
        .group_by(app.kind, app.decision)
    ):
        yield f"applications.{decision}.{kind}", count


def _allocations(session: Session, period: Period) -> Figures:
    """Leases started by kind, and offers that moved on (declined, expired)."""
    for kind, count in session.execute(
        sa.select(Lease.kind, sa.func.count())
        .where(Lease.starts_on >= period.first_day, Lease.starts_on < period.end_day)
        .group_by(Lease.kind)
    ):
        yield f"allocations.{kind}", count
    for state, count in session.execute(
        sa.select(Offer.state, sa.func.count())
        .where(
            Offer.state.in_(domain.MOVED_ON_OFFER_STATES),
            Offer.responded_at >= period.start,
            Offer.responded_at < period.end,
        )
        .group_by(Offer.state)
    ):
        yield f"offers.{state}", count


def _occupancy(session: Session, period: Period) -> Figures:
    """Rental units, running leases and their ratio, by kind, at the end of the period."""
    units = dict(
        session.execute(
            sa.select(HousingUnit.kind, sa.func.count())
            .where(HousingUnit.kind.in_(RENTAL_KINDS), HousingUnit.created_at < period.end)
            .group_by(HousingUnit.kind)
        ).all()
    )
    occupied = dict(
        session.execute(
            sa.select(Lease.kind, sa.func.count())
            .where(
                Lease.starts_on < period.end_day,
                sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= period.end_day),
            )
            .group_by(Lease.kind)
        ).all()
    )
    for kind in RENTAL_KINDS:
        total, let = units.get(kind, 0), occupied.get(kind, 0)
        yield f"units.{kind}", total
        yield f"leases_active.{kind}", let
        yield f"occupancy.{kind}", round(let / total, 4) if total else 0.0


def _station(session: Session, period: Period) -> Figures:
    """Station nights booked in the period (stayed or to stay), and nights given back."""
    nights = dict(
        session.execute(
            sa.select(StationNight.state, sa.func.count())
            .where(StationNight.night >= period.first_day, StationNight.night < period.end_day)
            .group_by(StationNight.state)
        ).all()
    )
    yield "station_nights", nights.get(NIGHT_BOOKED, 0)
    yield "station_nights.freed", nights.get(NIGHT_CANCELLED, 0)


def _subsidies(session: Session, period: Period) -> Figures:
    """Subsidies granted, and their amount, by kind."""
    sub = SubsidyApplication
    for kind, count, amount in session.execute(
        sa.select(sub.kind, sa.func.count(), sa.func.sum(sub.amount_granted_cny))
        .where(sub.state == GRANTED, sub.decided_at >= period.start, sub.decided_at < period.end)
        .group_by(sub.kind)
    ):
        yield f"subsidies.granted.{kind}", count
        yield f"subsidies.granted_cny.{kind}", float(amount or 0)


def _ledger(session: Session, period: Period) -> Figures:
    """People entering the talent ledger, and follow-up visits made."""
    yield (
        "ledger.housed",
        session.execute(
            sa.select(sa.func.count()).where(
                LedgerEntry.housed_since >= period.first_day,
                LedgerEntry.housed_since < period.end_day,
            )
        ).scalar(),
    )
    yield (
        "ledger.followups",
        session.execute(
            sa.select(sa.func.count()).where(
                LedgerFollowUp.visited_on >= period.first_day,
                LedgerFollowUp.visited_on < period.end_day,
            )
        ).scalar(),
    )


def indicators(session: Session, since: date, until: date) -> dict[str, float]:
    """Figures for the district days [since, until): see the README's table of codes."""
    period = Period.of(since, until)
    figures = {}
    for count in (_applications, _allocations, _occupancy, _station, _subsidies, _ledger):
        for code, value in count(session, period):
            figures[f"housing.{code}"] = value
    return figures
