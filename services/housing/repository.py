"""How the housing handlers reach their rows: `uow.repo`, one named query at a time.

Every query a decision rests on is here, with the lock it needs: a unit's row while its beds are
counted, the next application in line (`SKIP LOCKED` on PostgreSQL, so two allocations never
offer to the same person), a pending offer while it is closed. The database's unique indexes are
the last guard against a double application or an overbooked bed; the methods that insert under
one turn its refusal into the domain's (`application_open`, `station_full`,
`station_night_taken`). `tests/support/fake_housing.py` answers the same queries from memory.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import sqlalchemy as sa

from services.common.errors import Conflict
from services.common.repository import Repository

from .domain import Households
from .models import (
    HousingApplication,
    HousingUnit,
    LedgerEntry,
    Lottery,
    Offer,
    StationBooking,
    StationNight,
    SubsidyApplication,
)
from .vocabulary import (
    AVAILABLE,
    CHECKED_IN,
    CONFIRMED,
    LOTTERY,
    NIGHT_BOOKED,
    OPEN_APPLICATION_STATES,
    PENDING,
    ROUND_CLOSED,
    ROUND_OPEN,
    WAITLISTED,
)


def queue_order(method: str) -> list:
    """The order of a kind's list: the draws in order for a lottery, arrival for a waitlist."""
    if method == LOTTERY:
        return [HousingApplication.drawn_at, HousingApplication.lottery_position]
    return [HousingApplication.submitted_at, HousingApplication.id]


def waiting(kind: str, method: str):
    """The applications waiting in a kind's line (a lottery's only once drawn: frozen in a
    round that is not drawn yet, they have no place), in order."""
    query = sa.select(HousingApplication).where(
        HousingApplication.kind == kind, HousingApplication.state == WAITLISTED
    )
    if method == LOTTERY:
        query = query.where(HousingApplication.lottery_position.is_not(None))
    return query.order_by(*queue_order(method))


class HousingRepository(Repository):
    """The housing service's rows: units, applications and their lines, offers, leases, the
    talent ledger, and the youth station's bookings and nights."""

    # -- applications and their lines ------------------------------------------------------

    def add_application(self, row: HousingApplication) -> None:
        """A new application, written now: a second open one of its kind for the person is
        refused by the database's unique index (409 `application_open`)."""
        self.session.add(row)
        try:
            self.session.flush()
        except sa.exc.IntegrityError as exc:
            raise Conflict("application_open") from exc

    def add_subsidy(self, row: SubsidyApplication) -> None:
        """A new subsidy application, written now: a second standing one of a once-per-person
        kind is refused by the database's unique key (409 `subsidy_once_per_person`)."""
        self.session.add(row)
        try:
            self.session.flush()
        except sa.exc.IntegrityError as exc:
            raise Conflict("subsidy_once_per_person", field="kind") from exc

    def open_applications_of(self, person_id: str) -> list[HousingApplication]:
        """The person's open applications, locked."""
        return self._all(
            sa.select(HousingApplication)
            .where(
                HousingApplication.person_id == person_id,
                HousingApplication.state.in_(OPEN_APPLICATION_STATES),
            )
            .with_for_update()
        )

    def waitlist_positions(self, kind: str, method: str, ids: list[str]) -> dict[str, int]:
        """The place in their kind's line of the applications `ids` (those waiting in it)."""
        ranked = waiting(kind, method).order_by(None).subquery()
        position = sa.func.row_number().over(
            order_by=[ranked.c[column.key] for column in queue_order(method)]
        )
        numbered = sa.select(ranked.c.id, position.label("position")).subquery()
        return dict(
            self.session.execute(
                sa.select(numbered.c.id, numbered.c.position).where(numbered.c.id.in_(ids))
            ).all()
        )

    def first_in_line(
        self, kind: str, method: str, households: Households | None = None
    ) -> HousingApplication | None:
        """The first application in a kind's line whose household is one of `households`
        (any, when None), locked; one another allocation holds is skipped (`SKIP LOCKED` on
        PostgreSQL), so two rounds never offer to the same person."""
        query = waiting(kind, method)
        if households is not None:
            # an application from before household sizes were asked counts as one person
            size = sa.func.coalesce(HousingApplication.household_size, 1)
            query = query.where(size.between(households.fewest, households.most))
        query = query.limit(1).with_for_update(skip_locked=True)
        return self.session.execute(query).scalar_one_or_none()

    def undrawn(self, kind: str) -> list[HousingApplication]:
        """The approved applications of a kind in no draw round yet, locked, by id."""
        return self._all(
            sa.select(HousingApplication)
            .where(
                HousingApplication.kind == kind,
                HousingApplication.state == WAITLISTED,
                HousingApplication.lottery_id.is_(None),
            )
            .order_by(HousingApplication.id)
            .with_for_update()
        )

    def entrants_of(self, lottery_id: str) -> list[HousingApplication]:
        """The applications frozen in a draw round, locked."""
        return self._all(
            sa.select(HousingApplication)
            .where(HousingApplication.lottery_id == lottery_id)
            .with_for_update()
        )

    def pending_round(self, kind: str) -> Lottery | None:
        """The kind's draw round that is open or closed, not drawn yet (at most one)."""
        return self.session.execute(
            sa.select(Lottery).where(
                Lottery.kind == kind, Lottery.state.in_((ROUND_OPEN, ROUND_CLOSED))
            )
        ).scalar_one_or_none()

    def add_round(self, row: Lottery) -> None:
        """A new draw round: a second pending round of its kind, opened at the same instant, is
        refused by the database's unique index (409 `round_pending`)."""
        self.session.add(row)
        try:
            self.session.flush()
        except sa.exc.IntegrityError as exc:
            raise Conflict("round_pending") from exc

    # -- units, offers, leases -------------------------------------------------------------

    def available_units(self, kind: str) -> list[HousingUnit]:
        """The available units of a kind, locked, oldest first."""
        return self._all(
            sa.select(HousingUnit)
            .where(HousingUnit.kind == kind, HousingUnit.state == AVAILABLE)
            .order_by(HousingUnit.created_at, HousingUnit.id)
            .with_for_update()
        )

    def pending_offer_of(self, application_id: str) -> Offer | None:
        """The application's pending offer, locked, if it has one."""
        return self.session.execute(
            sa.select(Offer)
            .where(Offer.application_id == application_id, Offer.state == PENDING)
            .with_for_update()
        ).scalar_one_or_none()

    def due_offers(self, now: datetime, limit: int) -> list[str]:
        """Ids of pending offers past their deadline, the most overdue first."""
        return list(
            self.session.execute(
                sa.select(Offer.id)
                .where(Offer.state == PENDING, Offer.respond_by < now)
                .order_by(Offer.respond_by)
                .limit(limit)
            ).scalars()
        )

    def offer_unless_taken(self, offer_id: str) -> Offer | None:
        """The offer, locked; None when another replica's sweep holds it (`SKIP LOCKED`)."""
        return self.session.execute(
            sa.select(Offer).where(Offer.id == offer_id).with_for_update(skip_locked=True)
        ).scalar_one_or_none()

    def ledger_entry_of(self, lease_id: str) -> LedgerEntry | None:
        """The talent-ledger entry a lease made."""
        return self.session.execute(
            sa.select(LedgerEntry).where(LedgerEntry.lease_id == lease_id)
        ).scalar_one_or_none()

    # -- the youth station -----------------------------------------------------------------

    def highest_bed_booked(self, unit_id: str, since: date) -> int | None:
        """The highest bed number booked in a station room from `since` on."""
        return self.session.execute(
            sa.select(sa.func.max(StationNight.bed)).where(
                StationNight.unit_id == unit_id,
                StationNight.state == NIGHT_BOOKED,
                StationNight.night >= since,
            )
        ).scalar()

    def nights_held(self, person_id: str) -> list[date]:
        """The nights the person holds a bed, at any station (cancelled ones do not count)."""
        return list(
            self.session.execute(
                sa.select(StationNight.night).where(
                    StationNight.person_id == person_id, StationNight.state == NIGHT_BOOKED
                )
            ).scalars()
        )

    def beds_taken(self, unit_id: str, first: date, last: date) -> dict[date, set[int]]:
        """For each night from `first` to `last`, the bed numbers already booked in the room."""
        taken: dict[date, set[int]] = defaultdict(set)
        for night, bed in self.session.execute(
            sa.select(StationNight.night, StationNight.bed).where(
                StationNight.unit_id == unit_id,
                StationNight.state == NIGHT_BOOKED,
                StationNight.night.between(first, last),
            )
        ):
            taken[night].add(bed)
        return taken

    def add_stay(self, booking: StationBooking, nights: list[StationNight]) -> None:
        """A new booking and its nights, written now. The unique beds per night and nights per
        person refuse what another booking took between the count and this insert: the
        person's night (409 `station_night_taken`) or the last bed (409 `station_full`)."""
        self.session.add(booking)
        self.session.flush()
        self.session.add_all(nights)
        try:
            self.session.flush()
        except sa.exc.IntegrityError as exc:
            first = booking.first_night.isoformat()
            if "uq_station_night_person" in str(exc.orig):
                raise Conflict("station_night_taken", params={"night": first}) from exc
            raise Conflict("station_full", params={"night": first}) from exc

    def nights_of(self, booking_ids: list[str]) -> dict[str, list[StationNight]]:
        """The nights of each booking, in order (one query for a whole page)."""
        nights: dict[str, list[StationNight]] = defaultdict(list)
        if booking_ids:
            for night in self.session.execute(
                sa.select(StationNight)
                .where(StationNight.booking_id.in_(booking_ids))
                .order_by(StationNight.night)
            ).scalars():
                nights[night.booking_id].append(night)
        return nights

    def booked_nights_after(self, booking_id: str, after: date) -> list[StationNight]:
        """The booking's nights still booked after `after`, locked."""
        return self._all(
            sa.select(StationNight)
            .where(
                StationNight.booking_id == booking_id,
                StationNight.state == NIGHT_BOOKED,
                StationNight.night > after,
            )
            .with_for_update()
        )

    def upcoming_stays_of(self, person_id: str) -> list[StationBooking]:
        """The person's bookings not yet begun (confirmed), locked."""
        return self._all(
            sa.select(StationBooking)
            .where(StationBooking.person_id == person_id, StationBooking.state == CONFIRMED)
            .with_for_update()
        )

    def stays_beyond(self, person_id: str, night: date) -> list[StationBooking]:
        """The person's bookings, to come or under way, with nights after `night`, locked."""
        return self._all(
            sa.select(StationBooking)
            .where(
                StationBooking.person_id == person_id,
                StationBooking.state.in_((CONFIRMED, CHECKED_IN)),
                StationBooking.last_night > night,
            )
            .order_by(StationBooking.first_night)
            .with_for_update()
        )

    def _all(self, query) -> list:
        return list(self.session.execute(query).scalars())
