"""Routes of the housing service (see services/housing/README.md).

Young people apply, book station nights and answer offers under their own account; officers of
区住建局 (unit `housing`) and administrators manage units, review, allocate and follow up. The
gateway passes the service only the profile facts a rule needs (age, degree, months of social
insurance, graduation date, employment status), never a name, an ID number or a phone.
"""

from __future__ import annotations

from services.housing.contract import (
    AllocationRoundInput,
    AllocationRoundView,
    FollowUpInput,
    FollowUpView,
    HousingApplicationDecision,
    HousingApplicationFilter,
    HousingApplicationInput,
    HousingApplicationPage,
    HousingApplicationView,
    HousingEligibilityQuery,
    HousingEligibilityView,
    HousingLeaseEnd,
    HousingLeaseFilter,
    HousingLeasePage,
    HousingLeaseView,
    HousingOfferAcceptedView,
    HousingOfferPage,
    HousingOfferView,
    HousingSubsidyDecision,
    HousingSubsidyFilter,
    HousingSubsidyInput,
    HousingSubsidyPage,
    HousingSubsidyView,
    HousingUnitFilter,
    HousingUnitInput,
    HousingUnitPage,
    HousingUnitStateChange,
    HousingUnitUpdate,
    HousingUnitView,
    LedgerEntryView,
    LedgerFilter,
    LedgerPage,
    LotteryInput,
    LotteryView,
    NightsQuery,
    NightsView,
    PageQuery,
    StationBookingInput,
    StationBookingPage,
    StationBookingView,
)

from ..accounts import ADMIN, OFFICER, YOUTH
from ..api import Call, Created, PageResult, route

SERVICE_ERRORS = (503, 504)
STAFF = (OFFICER, ADMIN)
TAGS = ["housing"]
PREFIX = "/api/v1/housing"

#: the profile facts each kind of request rests on
APPLICATION_FACTS = ("person_id", "age", "degree", "local_social_insurance_months")
STATION_FACTS = ("person_id", "graduation_date", "employment_status")


class HousingRoutes:
    """Units, eligibility, applications, lotteries and offers, station stays, subsidies and
    the talent ledger."""

    def _facts(self, call: Call, names: tuple[str, ...]) -> dict:
        facts = self.youth_facts(call)
        return {name: facts.get(name) for name in names} | {"person_id": call.account_id}

    def _housing_page(self, call: Call, method: str) -> PageResult:
        page = getattr(self.services.housing, method)(
            person_id=call.account_id, after=call.query.get("after"), limit=call.query["limit"]
        )
        return PageResult.of(page)

    # -- units -----------------------------------------------------------------------------

    @route(
        "POST",
        f"{PREFIX}/units",
        summary="Add a unit to the inventory (talent apartment, public or affordable rental, "
        "youth-station room)",
        tags=TAGS,
        roles=STAFF,
        body=HousingUnitInput,
        response=HousingUnitView,
        status=201,
        errors=(422, *SERVICE_ERRORS),
    )
    def create_housing_unit(self, call: Call):
        unit = self.services.housing.create_unit(unit=call.body)
        return Created(unit, f"{PREFIX}/units/{unit['id']}")

    @route(
        "GET",
        f"{PREFIX}/units",
        summary="Browse units by kind, state and area",
        tags=TAGS,
        query=HousingUnitFilter,
        response=HousingUnitPage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def list_housing_units(self, call: Call):
        return PageResult.of(self.services.housing.list_units(filters=call.query))

    @route(
        "GET",
        f"{PREFIX}/units/<unit_id>",
        summary="One unit",
        tags=TAGS,
        response=HousingUnitView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_housing_unit(self, call: Call, unit_id: str):
        return self.services.housing.get_unit(unit_id=unit_id)

    @route(
        "PATCH",
        f"{PREFIX}/units/<unit_id>",
        summary="Change a unit's description, rent or beds",
        tags=TAGS,
        roles=STAFF,
        body=HousingUnitUpdate,
        response=HousingUnitView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def update_housing_unit(self, call: Call, unit_id: str):
        return self.services.housing.update_unit(unit_id=unit_id, changes=call.body)

    @route(
        "POST",
        f"{PREFIX}/units/<unit_id>/maintenance",
        summary="Take an available unit out of service",
        tags=TAGS,
        roles=STAFF,
        body=HousingUnitStateChange,
        response=HousingUnitView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def maintain_housing_unit(self, call: Call, unit_id: str):
        return self.services.housing.set_unit_maintenance(unit_id=unit_id, change=call.body)

    @route(
        "POST",
        f"{PREFIX}/units/<unit_id>/reopen",
        summary="Put a unit back in service (a rental goes to the next in line)",
        tags=TAGS,
        roles=STAFF,
        body=HousingUnitStateChange,
        response=HousingUnitView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def reopen_housing_unit(self, call: Call, unit_id: str):
        return self.services.housing.reopen_unit(unit_id=unit_id, change=call.body)

    @route(
        "GET",
        f"{PREFIX}/units/<unit_id>/nights",
        summary="A youth-station room's beds booked and free, night by night",
        tags=TAGS,
        query=NightsQuery,
        response=NightsView,
        errors=(404, 422, *SERVICE_ERRORS),
    )
    def station_unit_nights(self, call: Call, unit_id: str):
        return self.services.housing.station_nights(unit_id=unit_id, query=call.query)

    # -- eligibility and applications ---------------------------------------------------

    @route(
        "POST",
        f"{PREFIX}/eligibility-checks",
        summary="Would I be eligible? Each rule with its explanation",
        tags=TAGS,
        roles=(YOUTH,),
        body=HousingEligibilityQuery,
        response=HousingEligibilityView,
        errors=(422, *SERVICE_ERRORS),
        description="Nothing is stored. The age, degree and months of social insurance come "
        "from the profile; property and payroll are declared in the body (a POST, so that "
        "the declarations never sit in a URL or an access log).",
    )
    def housing_eligibility_check(self, call: Call):
        return self.services.housing.check_eligibility(
            person=self._facts(call, APPLICATION_FACTS), query=call.body
        )

    @route(
        "POST",
        f"{PREFIX}/applications",
        summary="Apply for a talent apartment, public or affordable rental",
        tags=TAGS,
        roles=(YOUTH,),
        body=HousingApplicationInput,
        response=HousingApplicationView,
        status=201,
        errors=(409, 422, *SERVICE_ERRORS),
        description="Evaluated at once: an application that fails a rule is rejected with "
        "every reason (state `rejected`); one that passes waits for an officer's review.",
    )
    def submit_housing_application(self, call: Call):
        application = self.services.housing.submit_application(
            person=self._facts(call, APPLICATION_FACTS), application=call.body
        )
        return Created(application, f"{PREFIX}/applications/{application['id']}")

    @route(
        "GET",
        "/api/v1/me/housing/applications",
        summary="My housing applications, with my place in line",
        tags=TAGS,
        roles=(YOUTH,),
        query=PageQuery,
        response=HousingApplicationPage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def my_housing_applications(self, call: Call):
        return self._housing_page(call, "applications_of")

    @route(
        "GET",
        f"{PREFIX}/applications",
        summary="Applications to review, by kind and state",
        tags=TAGS,
        roles=STAFF,
        query=HousingApplicationFilter,
        response=HousingApplicationPage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def list_housing_applications(self, call: Call):
        return PageResult.of(self.services.housing.list_applications(filters=call.query))

    @route(
        "GET",
        f"{PREFIX}/applications/<application_id>",
        summary="One application with its explanation rule by rule",
        tags=TAGS,
        roles=(YOUTH, *STAFF),
        response=HousingApplicationView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_housing_application(self, call: Call, application_id: str):
        return self.services.housing.get_application(application_id=application_id)

    @route(
        "POST",
        f"{PREFIX}/applications/<application_id>/decision",
        summary="Approve (onto the list) or reject an application, with the reason",
        tags=TAGS,
        roles=STAFF,
        body=HousingApplicationDecision,
        response=HousingApplicationView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def decide_housing_application(self, call: Call, application_id: str):
        return self.services.housing.decide_application(
            application_id=application_id, decision=call.body
        )

    @route(
        "POST",
        f"{PREFIX}/applications/<application_id>/withdraw",
        summary="Withdraw my application (a pending offer goes to the next in line)",
        tags=TAGS,
        roles=(YOUTH,),
        response=HousingApplicationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def withdraw_housing_application(self, call: Call, application_id: str):
        return self.services.housing.withdraw_application(application_id=application_id)

    # -- allocation ------------------------------------------------------------------------

    @route(
        "POST",
        f"{PREFIX}/lotteries",
        summary="Draw the order of a kind's approved applications (seeded, reproducible)",
        tags=TAGS,
        roles=STAFF,
        body=LotteryInput,
        response=LotteryView,
        status=201,
        errors=(409, 422, *SERVICE_ERRORS),
    )
    def run_housing_lottery(self, call: Call):
        lottery = self.services.housing.run_lottery(lottery=call.body)
        return Created(lottery, f"{PREFIX}/lotteries/{lottery['id']}")

    @route(
        "GET",
        f"{PREFIX}/lotteries/<lottery_id>",
        summary="A lottery's seed, entrants and order, re-run to show it reproduces",
        tags=TAGS,
        response=LotteryView,
        errors=(404, *SERVICE_ERRORS),
        description="Public, so that anyone can check the draw: each entrant's key is "
        "SHA-256 of `<seed>:<application id>`; groups in order, keys ascending within a group.",
    )
    def get_housing_lottery(self, call: Call, lottery_id: str):
        return self.services.housing.get_lottery(lottery_id=lottery_id)

    @route(
        "POST",
        f"{PREFIX}/allocation-rounds",
        summary="Offer every available unit of a kind to the next in line",
        tags=TAGS,
        roles=STAFF,
        body=AllocationRoundInput,
        response=AllocationRoundView,
        errors=(422, *SERVICE_ERRORS),
    )
    def housing_allocation_round(self, call: Call):
        return self.services.housing.allocation_round(round=call.body)

    @route(
        "GET",
        "/api/v1/me/housing/offers",
        summary="Units offered to me",
        tags=TAGS,
        roles=(YOUTH,),
        query=PageQuery,
        response=HousingOfferPage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def my_housing_offers(self, call: Call):
        return self._housing_page(call, "offers_of")

    @route(
        "GET",
        f"{PREFIX}/offers/<offer_id>",
        summary="One offer and its deadline",
        tags=TAGS,
        roles=(YOUTH, *STAFF),
        response=HousingOfferView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_housing_offer(self, call: Call, offer_id: str):
        return self.services.housing.get_offer(offer_id=offer_id)

    @route(
        "POST",
        f"{PREFIX}/offers/<offer_id>/accept",
        summary="Accept an offer before its deadline: the lease starts",
        tags=TAGS,
        roles=(YOUTH,),
        response=HousingOfferAcceptedView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def accept_housing_offer(self, call: Call, offer_id: str):
        return self.services.housing.accept_offer(offer_id=offer_id)

    @route(
        "POST",
        f"{PREFIX}/offers/<offer_id>/decline",
        summary="Decline an offer: the unit goes to the next in line",
        tags=TAGS,
        roles=(YOUTH,),
        response=HousingOfferView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def decline_housing_offer(self, call: Call, offer_id: str):
        return self.services.housing.decline_offer(offer_id=offer_id)

    @route(
        "GET",
        f"{PREFIX}/leases",
        summary="Leases by kind and state",
        tags=TAGS,
        roles=STAFF,
        query=HousingLeaseFilter,
        response=HousingLeasePage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def list_housing_leases(self, call: Call):
        return PageResult.of(self.services.housing.list_leases(filters=call.query))

    @route(
        "POST",
        f"{PREFIX}/leases/<lease_id>/end",
        summary="End a lease: the unit goes to the next in line",
        tags=TAGS,
        roles=STAFF,
        body=HousingLeaseEnd,
        response=HousingLeaseView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def end_housing_lease(self, call: Call, lease_id: str):
        return self.services.housing.end_lease(lease_id=lease_id, end=call.body)

    # -- the youth station -------------------------------------------------------------------

    @route(
        "POST",
        f"{PREFIX}/station-bookings",
        summary="Book free youth-station nights (one bed a night)",
        tags=TAGS,
        roles=(YOUTH,),
        body=StationBookingInput,
        response=StationBookingView,
        status=201,
        errors=(409, 422, *SERVICE_ERRORS),
        description="For job-seeking graduates from 1 year before to 2 years after graduation, "
        "at most 7 nights per person over all bookings (policy defaults). A full night is a "
        "409 `station_full` naming the night.",
    )
    def book_station_nights(self, call: Call):
        booking = self.services.housing.book_station(
            person=self._facts(call, STATION_FACTS), booking=call.body
        )
        return Created(booking, f"{PREFIX}/station-bookings/{booking['id']}")

    @route(
        "GET",
        "/api/v1/me/housing/station-bookings",
        summary="My youth-station bookings, night by night",
        tags=TAGS,
        roles=(YOUTH,),
        query=PageQuery,
        response=StationBookingPage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def my_station_bookings(self, call: Call):
        return self._housing_page(call, "station_bookings_of")

    @route(
        "GET",
        f"{PREFIX}/station-bookings/<booking_id>",
        summary="One youth-station booking",
        tags=TAGS,
        roles=(YOUTH, *STAFF),
        response=StationBookingView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_station_booking(self, call: Call, booking_id: str):
        return self.services.housing.get_station_booking(booking_id=booking_id)

    @route(
        "POST",
        f"{PREFIX}/station-bookings/<booking_id>/cancel",
        summary="Cancel my booking before arriving (its beds are freed)",
        tags=TAGS,
        roles=(YOUTH,),
        response=StationBookingView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def cancel_station_booking(self, call: Call, booking_id: str):
        return self.services.housing.cancel_station_booking(booking_id=booking_id)

    @route(
        "POST",
        f"{PREFIX}/station-bookings/<booking_id>/check-in",
        summary="Check a guest in",
        tags=TAGS,
        roles=STAFF,
        response=StationBookingView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def check_in_station_booking(self, call: Call, booking_id: str):
        return self.services.housing.check_in_station(booking_id=booking_id)

    @route(
        "POST",
        f"{PREFIX}/station-bookings/<booking_id>/check-out",
        summary="Check a guest out (nights after tonight are freed)",
        tags=TAGS,
        roles=STAFF,
        response=StationBookingView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def check_out_station_booking(self, call: Call, booking_id: str):
        return self.services.housing.check_out_station(booking_id=booking_id)

    # -- subsidies ---------------------------------------------------------------------------

    @route(
        "POST",
        f"{PREFIX}/subsidy-applications",
        summary="Apply for a home-purchase subsidy or housing-fund use",
        tags=TAGS,
        roles=(YOUTH,),
        body=HousingSubsidyInput,
        response=HousingSubsidyView,
        status=201,
        errors=(422, *SERVICE_ERRORS),
    )
    def submit_housing_subsidy(self, call: Call):
        subsidy = self.services.housing.submit_subsidy(
            person=self._facts(call, APPLICATION_FACTS), subsidy=call.body
        )
        return Created(subsidy, f"{PREFIX}/subsidy-applications/{subsidy['id']}")

    @route(
        "GET",
        "/api/v1/me/housing/subsidy-applications",
        summary="My subsidy applications",
        tags=TAGS,
        roles=(YOUTH,),
        query=PageQuery,
        response=HousingSubsidyPage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def my_housing_subsidies(self, call: Call):
        return self._housing_page(call, "subsidies_of")

    @route(
        "GET",
        f"{PREFIX}/subsidy-applications",
        summary="Subsidy applications to decide, by kind and state",
        tags=TAGS,
        roles=STAFF,
        query=HousingSubsidyFilter,
        response=HousingSubsidyPage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def list_housing_subsidies(self, call: Call):
        return PageResult.of(self.services.housing.list_subsidies(filters=call.query))

    @route(
        "GET",
        f"{PREFIX}/subsidy-applications/<subsidy_id>",
        summary="One subsidy application with its explanation",
        tags=TAGS,
        roles=(YOUTH, *STAFF),
        response=HousingSubsidyView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_housing_subsidy(self, call: Call, subsidy_id: str):
        return self.services.housing.get_subsidy(subsidy_id=subsidy_id)

    @route(
        "POST",
        f"{PREFIX}/subsidy-applications/<subsidy_id>/decision",
        summary="Grant (with the amount) or refuse (with the reason) a subsidy application",
        tags=TAGS,
        roles=STAFF,
        body=HousingSubsidyDecision,
        response=HousingSubsidyView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def decide_housing_subsidy(self, call: Call, subsidy_id: str):
        return self.services.housing.decide_subsidy(subsidy_id=subsidy_id, decision=call.body)

    # -- the talent ledger ------------------------------------------------------------------

    @route(
        "GET",
        f"{PREFIX}/ledger",
        summary="The talent ledger: everyone housed through the platform",
        tags=TAGS,
        roles=STAFF,
        query=LedgerFilter,
        response=LedgerPage,
        paginated=True,
        errors=(422, *SERVICE_ERRORS),
    )
    def housing_ledger(self, call: Call):
        return PageResult.of(self.services.housing.list_ledger(filters=call.query))

    @route(
        "GET",
        f"{PREFIX}/ledger/<entry_id>",
        summary="One ledger entry with its follow-up visits",
        tags=TAGS,
        roles=STAFF,
        response=LedgerEntryView,
        errors=(404, *SERVICE_ERRORS),
    )
    def housing_ledger_entry(self, call: Call, entry_id: str):
        return self.services.housing.get_ledger_entry(entry_id=entry_id)

    @route(
        "POST",
        f"{PREFIX}/ledger/<entry_id>/followups",
        summary="Record a follow-up visit",
        tags=TAGS,
        roles=STAFF,
        body=FollowUpInput,
        response=FollowUpView,
        status=201,
        errors=(404, 422, *SERVICE_ERRORS),
    )
    def record_housing_followup(self, call: Call, entry_id: str):
        visit = self.services.housing.record_followup(entry_id=entry_id, followup=call.body)
        return Created(visit, f"{PREFIX}/ledger/{entry_id}")
