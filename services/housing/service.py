"""The housing service's nameko class: its entrypoints, and nothing else.

Each entrypoint loads its input with the contract's schema, opens a unit of work (or a reading
session), calls one handler of a feature module (`units`, `applications`, `lottery`,
`allocation`, `station`, `subsidies`, `ledger`) or one function of `queries`, and dumps the
answer. The rules are in those modules and in `domain.py`; the README's "Where things are"
says which holds what.
"""

from __future__ import annotations

from nameko.timer import timer

from services.common.benefits import ProgrammeCatalogue
from services.common.consumer import event_handler
from services.common.db import Database
from services.common.policy import Policy
from services.common.privacy import PersonalData
from services.common.rpc import rpc
from services.common.service import Audited, ServiceBase

from . import (
    allocation,
    applications,
    ledger,
    privacy,
    programmes,
    queries,
    station,
    subsidies,
    units,
)
from . import lottery as lotteries
from .contract import (
    AllocationRoundInput,
    AllocationRoundView,
    FollowUpInput,
    FollowUpView,
    HousingApplicationDecision,
    HousingApplicationFilter,
    HousingApplicationInput,
    HousingEligibilityQuery,
    HousingLeaseEnd,
    HousingLeaseFilter,
    HousingOfferAcceptedView,
    HousingPeriod,
    HousingSubsidyDecision,
    HousingSubsidyFilter,
    HousingSubsidyInput,
    HousingUnitFilter,
    HousingUnitInput,
    HousingUnitStateChange,
    HousingUnitUpdate,
    LedgerFilter,
    LotteryDrawInput,
    LotteryFilter,
    LotteryInput,
    NightsQuery,
    StationBookingInput,
)
from .events import EVENTS
from .messages import MESSAGES
from .models import Base
from .policy import HousingPolicy
from .queries import APPLICATION, LEASE, OFFER, SUBSIDY, UNIT, stay_view
from .repository import HousingRepository
from .schemas import JobsApplicationHired

#: seconds between sweeps for offers past their deadline (each sweep is one indexed query)
OFFER_SWEEP_SECONDS = 60

ROUND = AllocationRoundView()
ACCEPTANCE = HousingOfferAcceptedView()
FOLLOWUP = FollowUpView()


class HousingService(ServiceBase, Audited, PersonalData, ProgrammeCatalogue):
    """Housing (二.1): inventory, applications, allocation, station stays, subsidies, ledger."""

    name = "housing"
    messages = MESSAGES
    db = Database(
        Base.metadata, package="services.housing", events=EVENTS, repository=HousingRepository
    )
    policy = Policy(HousingPolicy)
    personal_data = privacy
    programmes_module = programmes

    def release_person(self, uow, person_id: str) -> None:
        """An erasure first closes what waits on the person (`privacy.release`)."""
        privacy.release(uow, person_id, self.policy)

    # -- units -----------------------------------------------------------------------------

    @rpc
    def create_unit(self, unit: dict) -> dict:
        """A unit of the inventory, available at once (station beds: bookable at once)."""
        fields = HousingUnitInput().load(unit)
        with self.db.unit_of_work() as uow:
            row = units.create(uow, self.caller.actor, fields, self.policy)
        return UNIT.dump(row)

    @rpc
    def update_unit(self, unit_id: str, changes: dict) -> dict:
        """Change a unit's description, rent or beds."""
        fields = HousingUnitUpdate().load(changes)
        with self.db.unit_of_work() as uow:
            row = units.update(uow, self.caller.actor, unit_id, fields, self.policy)
        return UNIT.dump(row)

    @rpc
    def get_unit(self, unit_id: str) -> dict:
        """One unit of the inventory."""
        with self.db.reading() as session:
            return queries.unit(session, unit_id)

    @rpc
    def list_units(self, filters: dict) -> dict:
        """Units by kind, state and area."""
        args = HousingUnitFilter().load(filters)
        with self.db.reading() as session:
            return queries.units(session, args)

    @rpc
    def set_unit_maintenance(self, unit_id: str, change: dict) -> dict:
        """Take an available unit out of service (维修)."""
        reason = HousingUnitStateChange().load(change)["reason"]
        with self.db.unit_of_work() as uow:
            row = units.take_out_of_service(uow, self.caller.actor, unit_id, reason)
        return UNIT.dump(row)

    @rpc
    def reopen_unit(self, unit_id: str, change: dict) -> dict:
        """Back in service: a rental goes at once to the next in line."""
        reason = HousingUnitStateChange().load(change)["reason"]
        with self.db.unit_of_work() as uow:
            row = units.reopen(uow, self.caller.actor, unit_id, reason, self.policy)
        return UNIT.dump(row)

    @rpc
    def station_nights(self, unit_id: str, query: dict) -> dict:
        """Beds booked and free for each night of a range."""
        args = NightsQuery().load(query)
        with self.db.reading() as session:
            return queries.station_nights(session, unit_id, args)

    # -- eligibility and applications ------------------------------------------------------

    @rpc
    def check_eligibility(self, person: dict, query: dict) -> dict:
        """The explanation an application of `kind` would get now, rule by rule; stores nothing."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        args = HousingEligibilityQuery().load(query)
        return applications.check_eligibility(person, args, self.policy)

    @rpc
    def submit_application(self, person: dict, application: dict) -> dict:
        """Apply for a kind of rental; failing a rule rejects it at once, with every reason."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        fields = HousingApplicationInput().load(application)
        with self.db.unit_of_work() as uow:
            row = applications.submit(uow, person, fields, self.policy)
        return APPLICATION.dump(row)

    @rpc
    def get_application(self, application_id: str) -> dict:
        """One application with its place in line (the applicant's own, or staff)."""
        with self.db.reading() as session:
            return queries.application(session, self.caller.actor, application_id, self.policy)

    @rpc
    def applications_of(
        self, after: str | None = None, limit: int = 20, person_id: str | None = None
    ) -> dict:
        """The person's applications, newest first."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.applications_of(session, person_id, after, limit, self.policy)

    @rpc
    def list_applications(self, filters: dict) -> dict:
        """Staff's review queue."""
        args = HousingApplicationFilter().load(filters)
        with self.db.reading() as session:
            return queries.applications(session, self.caller.actor, args, self.policy)

    @rpc
    def decide_application(self, application_id: str, decision: dict) -> dict:
        """An officer approves (onto the kind's list) or rejects with a reason."""
        fields = HousingApplicationDecision().load(decision)
        with self.db.unit_of_work() as uow:
            row, position = applications.decide(
                uow, self.caller.actor, application_id, fields, self.policy
            )
        return queries.application_view(row, position)

    @rpc
    def withdraw_application(self, application_id: str) -> dict:
        """The applicant gives up; a pending offer is withdrawn and its unit goes on."""
        with self.db.unit_of_work() as uow:
            row = applications.withdraw(uow, self.caller.actor, application_id, self.policy)
        return APPLICATION.dump(row)

    # -- allocation ------------------------------------------------------------------------

    @rpc
    def open_lottery(self, lottery: dict) -> dict:
        """Open a draw round (摇号) of a kind, naming the public value it will be drawn with."""
        fields = LotteryInput().load(lottery)
        with self.db.unit_of_work() as uow:
            draw = lotteries.open_round(uow, self.caller.actor, fields, self.policy)
        return lotteries.view(draw)

    @rpc
    def close_lottery(self, lottery_id: str) -> dict:
        """Applications close: freeze the entrants, publish their hash and the commitment."""
        with self.db.unit_of_work() as uow:
            draw = lotteries.close_round(uow, self.caller.actor, lottery_id, self.policy)
        return lotteries.view(draw)

    @rpc
    def draw_lottery(self, lottery_id: str, draw: dict) -> dict:
        """Draw with the public value as published; the seed is revealed."""
        fields = LotteryDrawInput().load(draw)
        with self.db.unit_of_work() as uow:
            row = lotteries.draw_round(uow, self.caller.actor, lottery_id, fields)
        return lotteries.view(row)

    @rpc
    def cancel_lottery(self, lottery_id: str) -> dict:
        """Call off an open round, before anything is fixed."""
        with self.db.unit_of_work() as uow:
            draw = lotteries.cancel_round(uow, self.caller.actor, lottery_id)
        return lotteries.view(draw)

    @rpc
    def get_lottery(self, lottery_id: str) -> dict:
        """One draw round, public: every input fixed so far, and whether its checks pass."""
        with self.db.reading() as session:
            return queries.lottery_draw(session, lottery_id)

    @rpc
    def list_lotteries(self, filters: dict) -> dict:
        """Draw rounds, newest first, public."""
        args = LotteryFilter().load(filters)
        with self.db.reading() as session:
            return queries.lotteries(session, args)

    @rpc
    def allocation_round(self, round: dict) -> dict:
        """Offer every available unit of a kind to the next in line, in order."""
        args = AllocationRoundInput().load(round)
        with self.db.unit_of_work() as uow:
            result = allocation.allocation_round(
                uow, self.caller.actor, args["kind"], self.policy, args.get("unit_id")
            )
        return ROUND.dump(result)

    @rpc
    def get_offer(self, offer_id: str) -> dict:
        """One offer (the person's own, or staff)."""
        with self.db.reading() as session:
            return queries.offer(session, self.caller.actor, offer_id)

    @rpc
    def offers_of(
        self, after: str | None = None, limit: int = 20, person_id: str | None = None
    ) -> dict:
        """The person's offers, newest first."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.offers_of(session, person_id, after, limit)

    @rpc
    def accept_offer(self, offer_id: str) -> dict:
        """Take the unit before the deadline: the lease starts today."""
        with self.db.unit_of_work() as uow:
            acceptance = allocation.accept(uow, self.caller.actor, offer_id)
        return ACCEPTANCE.dump(acceptance)

    @rpc
    def decline_offer(self, offer_id: str) -> dict:
        """Say no: the unit goes at once to the next in line."""
        with self.db.unit_of_work() as uow:
            offer = allocation.decline(uow, self.caller.actor, offer_id, self.policy)
        return OFFER.dump(offer)

    @rpc
    def expire_offers(self) -> dict:
        """Expire every pending offer past its deadline (the timer calls this every minute;
        operators and tests may call it too)."""
        return {"expired": allocation.sweep(self.db, self.policy)}

    @timer(interval=OFFER_SWEEP_SECONDS)
    def sweep_offers(self) -> None:
        """The timer's sweep of offers past their deadline."""
        allocation.sweep(self.db, self.policy)

    @rpc
    def list_leases(self, filters: dict) -> dict:
        """Leases by kind and state (staff)."""
        args = HousingLeaseFilter().load(filters)
        with self.db.reading() as session:
            return queries.leases(session, self.caller.actor, args)

    @rpc
    def end_lease(self, lease_id: str, end: dict) -> dict:
        """The tenancy ends (an officer records it); the unit goes to the next in line."""
        fields = HousingLeaseEnd().load(end)
        with self.db.unit_of_work() as uow:
            lease = allocation.end_lease(uow, self.caller.actor, lease_id, fields, self.policy)
        return LEASE.dump(lease)

    # -- the youth station (青年驿站) ------------------------------------------------------

    @rpc
    def book_station(self, person: dict, booking: dict) -> dict:
        """Free nights for a job-seeking graduate, one bed a night, within the person's cap."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        fields = StationBookingInput().load(booking)
        with self.db.unit_of_work() as uow:
            stay = station.book(uow, person, fields, self.policy)
        return stay_view(stay)

    @rpc
    def get_station_booking(self, booking_id: str) -> dict:
        """One booking with its nights (the guest's own, or staff)."""
        with self.db.reading() as session:
            return queries.station_booking(session, self.caller.actor, booking_id)

    @rpc
    def station_bookings_of(
        self, person_id: str, after: str | None = None, limit: int = 20
    ) -> dict:
        """The person's station bookings, newest first."""
        with self.db.reading() as session:
            return queries.station_bookings_of(session, person_id, after, limit)

    @rpc
    def cancel_station_booking(self, booking_id: str) -> dict:
        """The guest cancels before arriving: tonight and later nights are freed."""
        with self.db.unit_of_work() as uow:
            stay = station.cancel(uow, self.caller.actor, booking_id)
        return stay_view(stay)

    @rpc
    def check_in_station(self, booking_id: str) -> dict:
        """Staff check a guest in, on or after the first night."""
        with self.db.unit_of_work() as uow:
            stay = station.check_in(uow, self.caller.actor, booking_id)
        return stay_view(stay)

    @rpc
    def check_out_station(self, booking_id: str) -> dict:
        """The guest leaves; nights after tonight go back to the station."""
        with self.db.unit_of_work() as uow:
            stay = station.check_out(uow, self.caller.actor, booking_id)
        return stay_view(stay)

    @event_handler("jobs", "application.hired", JobsApplicationHired)
    def on_hired(self, event, uow):
        """Hired in the district: future station nights are freed, and a talent-apartment
        hint is sent once (in the inbox's unit of work)."""
        station.hired(uow, event.data)

    # -- subsidies -------------------------------------------------------------------------

    @rpc
    def submit_subsidy(self, person: dict, subsidy: dict) -> dict:
        """A home-purchase subsidy or housing-fund application, checked against its rules."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        fields = HousingSubsidyInput().load(subsidy)
        with self.db.unit_of_work() as uow:
            row = subsidies.submit(uow, person, fields, self.policy)
        return SUBSIDY.dump(row)

    @rpc
    def get_subsidy(self, subsidy_id: str) -> dict:
        """One subsidy application (the applicant's own, or staff)."""
        with self.db.reading() as session:
            return queries.subsidy(session, self.caller.actor, subsidy_id)

    @rpc
    def subsidies_of(
        self, after: str | None = None, limit: int = 20, person_id: str | None = None
    ) -> dict:
        """The person's subsidy applications, newest first."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.subsidies_of(session, person_id, after, limit)

    @rpc
    def list_subsidies(self, filters: dict) -> dict:
        """Staff's decision queue of subsidy applications."""
        args = HousingSubsidyFilter().load(filters)
        with self.db.reading() as session:
            return queries.subsidies(session, self.caller.actor, args)

    @rpc
    def decide_subsidy(self, subsidy_id: str, decision: dict) -> dict:
        """An officer grants (up to the amount requested) or refuses with a reason."""
        fields = HousingSubsidyDecision().load(decision)
        with self.db.unit_of_work() as uow:
            row = subsidies.decide(uow, self.caller.actor, subsidy_id, fields)
        return SUBSIDY.dump(row)

    # -- the talent ledger (人才台账) --------------------------------------------------------

    @rpc
    def list_ledger(self, filters: dict) -> dict:
        """The talent ledger (staff)."""
        args = LedgerFilter().load(filters)
        with self.db.reading() as session:
            return queries.ledger(session, self.caller.actor, args)

    @rpc
    def get_ledger_entry(self, entry_id: str) -> dict:
        """A ledger entry with its follow-up visits (staff)."""
        with self.db.reading() as session:
            return queries.ledger_entry(session, self.caller.actor, entry_id)

    @rpc
    def record_followup(self, entry_id: str, followup: dict) -> dict:
        """An officer's follow-up visit (跟踪服务), kept with the entry and in the audit trail."""
        fields = FollowUpInput().load(followup)
        with self.db.unit_of_work() as uow:
            visit = ledger.record_followup(uow, self.caller.actor, entry_id, fields)
        return FOLLOWUP.dump(visit)

    # -- the gateway's aggregated views ----------------------------------------------------

    @rpc
    def dashboard(self, person_id: str | None = None) -> dict:
        """The person's applications, offers, station bookings and subsidies, newest first."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.dashboard(session, person_id)

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """Figures for the district days [since, until): see the README's table of codes."""
        period = HousingPeriod().load({"since": since, "until": until})
        with self.db.reading() as session:
            return queries.indicators(session, period["since"], period["until"])
