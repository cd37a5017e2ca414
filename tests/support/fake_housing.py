"""The housing service's repository in memory: `HousingRepository`'s named queries answered from
the rows a test gives it, so the feature modules' handlers are tested with no database.

The unique indexes the real repository leans on are checked here the same way: a second open
application of a kind (409 `application_open`), a person's second bed on a night
(`station_night_taken`), a bed booked twice (`station_full`). Locks are no-ops: one test, one
caller.

Below it, the rows and callers the handlers' tests build on.

Example::

    repo = FakeHousingRepository(housing_unit("room-1", STATION_BED, beds=1))
    uow = unit_of_work(repo)
    stay = station.book(uow, graduate("p-1"), {"unit_id": "room-1", ...}, POLICY)
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict
from services.housing.domain import HOUSING_UNIT, Households
from services.housing.events import EVENTS
from services.housing.models import (
    HousingApplication,
    HousingUnit,
    LedgerEntry,
    Lottery,
    Offer,
    StationBooking,
    StationNight,
    SubsidyApplication,
)
from services.housing.vocabulary import (
    APPROVED,
    AVAILABLE,
    CHECKED_IN,
    CONFIRMED,
    LOTTERY,
    NIGHT_BOOKED,
    OPEN_APPLICATION_STATES,
    PENDING,
    ROUND_CLOSED,
    ROUND_OPEN,
    STATION_BED,
    TALENT_APARTMENT,
    WAITLISTED,
)

from .fakes import FakeRepository, FakeUnitOfWork


class FakeHousingRepository(FakeRepository):
    """`services.housing.repository.HousingRepository` over rows in memory."""

    # -- applications and their lines ------------------------------------------------------

    def add_application(self, row: HousingApplication) -> None:
        if row.state in OPEN_APPLICATION_STATES and self.rows(
            HousingApplication,
            lambda a: (
                a.person_id == row.person_id
                and a.kind == row.kind
                and a.state in OPEN_APPLICATION_STATES
            ),
        ):
            raise Conflict("application_open")
        self.add(row)

    def add_subsidy(self, row: SubsidyApplication) -> None:
        if row.person_key and self.rows(
            SubsidyApplication, lambda a: a.person_key == row.person_key
        ):
            raise Conflict("subsidy_once_per_person", field="kind")
        self.add(row)

    def open_applications_of(self, person_id: str) -> list[HousingApplication]:
        return self.rows(
            HousingApplication,
            lambda a: a.person_id == person_id and a.state in OPEN_APPLICATION_STATES,
        )

    def _line(self, kind: str, method: str) -> list[HousingApplication]:
        waiting = self.rows(
            HousingApplication,
            lambda a: (
                a.kind == kind
                and a.state == WAITLISTED
                and (method != LOTTERY or a.lottery_position is not None)
            ),
        )
        if method == LOTTERY:
            return sorted(waiting, key=lambda a: (a.drawn_at, a.lottery_position))
        return sorted(waiting, key=lambda a: (a.submitted_at, a.id))

    def waitlist_positions(self, kind: str, method: str, ids: list[str]) -> dict[str, int]:
        line = self._line(kind, method)
        return {a.id: place for place, a in enumerate(line, start=1) if a.id in ids}

    def first_in_line(
        self, kind: str, method: str, households: Households | None = None
    ) -> HousingApplication | None:
        line = self._line(kind, method)
        if households is not None:
            line = [a for a in line if households.fit(a.household_size)]
        return line[0] if line else None

    def undrawn(self, kind: str) -> list[HousingApplication]:
        waiting = self.rows(
            HousingApplication,
            lambda a: a.kind == kind and a.state == WAITLISTED and a.lottery_id is None,
        )
        return sorted(waiting, key=lambda a: a.id)

    def entrants_of(self, lottery_id: str) -> list[HousingApplication]:
        return self.rows(HousingApplication, lambda a: a.lottery_id == lottery_id)

    def pending_round(self, kind: str) -> Lottery | None:
        pending = self.rows(
            Lottery, lambda r: r.kind == kind and r.state in (ROUND_OPEN, ROUND_CLOSED)
        )
        return pending[0] if pending else None

    def add_round(self, row: Lottery) -> None:
        if self.pending_round(row.kind) is not None:
            raise Conflict("round_pending")
        self.add(row)

    # -- units, offers, leases -------------------------------------------------------------

    def available_units(self, kind: str) -> list[HousingUnit]:
        units = self.rows(HousingUnit, lambda u: u.kind == kind and u.state == AVAILABLE)
        return sorted(units, key=lambda u: (u.created_at, u.id))

    def pending_offer_of(self, application_id: str) -> Offer | None:
        offers = self.rows(
            Offer, lambda o: o.application_id == application_id and o.state == PENDING
        )
        return offers[0] if offers else None

    def due_offers(self, now: datetime, limit: int) -> list[str]:
        due = self.rows(Offer, lambda o: o.state == PENDING and o.respond_by < now)
        return [o.id for o in sorted(due, key=lambda o: o.respond_by)][:limit]

    def offer_unless_taken(self, offer_id: str) -> Offer | None:
        return self.get(Offer, offer_id)

    def ledger_entry_of(self, lease_id: str) -> LedgerEntry | None:
        entries = self.rows(LedgerEntry, lambda e: e.lease_id == lease_id)
        return entries[0] if entries else None

    # -- the youth station -----------------------------------------------------------------

    def _booked(self, where) -> list[StationNight]:
        return self.rows(StationNight, lambda n: n.state == NIGHT_BOOKED and where(n))

    def highest_bed_booked(self, unit_id: str, since: date) -> int | None:
        beds = [n.bed for n in self._booked(lambda n: n.unit_id == unit_id and n.night >= since)]
        return max(beds, default=None)

    def nights_held(self, person_id: str) -> list[date]:
        return [n.night for n in self._booked(lambda n: n.person_id == person_id)]

    def beds_taken(self, unit_id: str, first: date, last: date) -> dict[date, set[int]]:
        taken: dict[date, set[int]] = defaultdict(set)
        for n in self._booked(lambda n: n.unit_id == unit_id and first <= n.night <= last):
            taken[n.night].add(n.bed)
        return taken

    def add_stay(self, booking: StationBooking, nights: list[StationNight]) -> None:
        held = {(n.person_id, n.night) for n in self._booked(lambda n: True)}
        beds = {(n.unit_id, n.night, n.bed) for n in self._booked(lambda n: True)}
        first = booking.first_night.isoformat()
        for night in nights:
            if (night.person_id, night.night) in held:
                raise Conflict("station_night_taken", params={"night": first})
            if (night.unit_id, night.night, night.bed) in beds:
                raise Conflict("station_full", params={"night": first})
        self.add(booking)
        for night in nights:
            self.add(night)

    def nights_of(self, booking_ids: list[str]) -> dict[str, list[StationNight]]:
        nights: dict[str, list[StationNight]] = defaultdict(list)
        for n in sorted(
            self.rows(StationNight, lambda n: n.booking_id in booking_ids), key=lambda n: n.night
        ):
            nights[n.booking_id].append(n)
        return nights

    def booked_nights_after(self, booking_id: str, after: date) -> list[StationNight]:
        return self._booked(lambda n: n.booking_id == booking_id and n.night > after)

    def upcoming_stays_of(self, person_id: str) -> list[StationBooking]:
        return self.rows(
            StationBooking, lambda b: b.person_id == person_id and b.state == CONFIRMED
        )

    def stays_beyond(self, person_id: str, night: date) -> list[StationBooking]:
        stays = self.rows(
            StationBooking,
            lambda b: (
                b.person_id == person_id
                and b.state in (CONFIRMED, CHECKED_IN)
                and b.last_night > night
            ),
        )
        return sorted(stays, key=lambda b: b.first_night)


# -- rows and callers for the handlers' tests ------------------------------------------------

OFFICER = Actor("officer-housing", "officer", HOUSING_UNIT)
ADMIN = Actor("admin-1", "admin")
OTHER_OFFICER = Actor("officer-hrss", "officer", "hrss")


def youth(person_id: str) -> Actor:
    return Actor(person_id, "youth")


def unit_of_work(repo: FakeHousingRepository) -> FakeUnitOfWork:
    """A fresh unit of work on `repo`, checking events against the housing catalogue."""
    return FakeUnitOfWork(repo, EVENTS)


def housing_unit(unit_id: str, kind: str = TALENT_APARTMENT, **fields) -> HousingUnit:
    """An available unit of the inventory (a station room with `beds=`)."""
    created = fields.pop("created_at", utcnow())
    return HousingUnit(
        **{
            "id": unit_id,
            "kind": kind,
            "title": f"{kind} {unit_id}",
            "address": "XX区青年路1号",
            "area": None,
            "area_m2": Decimal("45.00"),
            "rooms": 1,
            "rent_cny": Decimal("0") if kind == STATION_BED else Decimal("800.00"),
            "beds": 1,
            "homestay": False,
            "state": AVAILABLE,
            "created_at": created,
            "updated_at": created,
            **fields,
        }
    )


def waiting_application(
    application_id: str, person_id: str, kind: str = TALENT_APARTMENT, **fields
) -> HousingApplication:
    """An approved application on its kind's list (submitted `submitted_at`, default now)."""
    submitted = fields.pop("submitted_at", utcnow())
    return HousingApplication(
        **{
            "id": application_id,
            "person_id": person_id,
            "kind": kind,
            "state": WAITLISTED,
            "age": 25,
            "degree": "bachelor",
            "social_insurance_months": 24,
            "owns_property": False,
            "on_payroll": False,
            "household_size": 1,
            "eligible": True,
            "eligibility": "[]",
            "preference_group": "general",
            "decision": APPROVED,
            "submitted_at": submitted,
            "updated_at": submitted,
            **fields,
        }
    )


def graduate(person_id: str, **facts) -> dict:
    """Profile facts as the gateway passes them: an eligible job-seeking graduate of today."""
    return {
        "person_id": person_id,
        "age": 25,
        "degree": "bachelor",
        "local_social_insurance_months": 24,
        "graduation_date": clock.today().isoformat(),
        "employment_status": "unemployed",
        **facts,
    }
