"""Routes of the housing service (see services/housing/README.md): units, eligibility and
applications, lotteries, offers and leases, subsidies and the talent ledger. The youth station's
nights and bookings are in `housing_station.py`.

Young people apply and answer offers under their own account; officers of 区住建局 (unit
`housing`) and administrators manage units, review, allocate and follow up. The gateway passes
the service only the profile facts a rule needs, never a name, an ID number or a phone.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from werkzeug.wrappers import Response

from services.housing import verify_draw
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
    LotteryDrawInput,
    LotteryFilter,
    LotteryInput,
    LotteryPage,
    LotteryView,
    PageQuery,
)

from ..accounts import STAFF, YOUTH
from ..api import Call
from ..composition import Routes
from ..forward import BODY, MY_PAGE, QUERY, caller_facts

routes = Routes(tags=["housing"])

#: what an application or a subsidy rests on: the age, the degree, months of social insurance
APPLICATION_FACTS = caller_facts("age", "degree", "local_social_insurance_months")


# -- units -----------------------------------------------------------------------------

routes.forward(
    "create_housing_unit",
    "POST",
    "/api/v1/housing/units",
    summary="Add a unit to the inventory (talent apartment, public or affordable rental, "
    "youth-station room)",
    roles=STAFF,
    body=HousingUnitInput,
    response=HousingUnitView,
    status=201,
    errors=(422,),
    rpc="housing.create_unit",
    arguments={"unit": BODY},
    location="/api/v1/housing/units/{id}",
)

routes.forward(
    "list_housing_units",
    "GET",
    "/api/v1/housing/units",
    summary="Browse units by kind, state and area",
    query=HousingUnitFilter,
    response=HousingUnitPage,
    paginated=True,
    errors=(422,),
    rpc="housing.list_units",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_housing_unit",
    "GET",
    "/api/v1/housing/units/<unit_id>",
    summary="One unit",
    response=HousingUnitView,
    errors=(404,),
    rpc="housing.get_unit",
)

routes.forward(
    "update_housing_unit",
    "PATCH",
    "/api/v1/housing/units/<unit_id>",
    summary="Change a unit's description, rent or beds",
    roles=STAFF,
    body=HousingUnitUpdate,
    response=HousingUnitView,
    errors=(404, 409, 422),
    rpc="housing.update_unit",
    arguments={"changes": BODY},
)

routes.forward(
    "maintain_housing_unit",
    "POST",
    "/api/v1/housing/units/<unit_id>/maintenance",
    summary="Take an available unit out of service",
    roles=STAFF,
    body=HousingUnitStateChange,
    response=HousingUnitView,
    errors=(404, 409, 422),
    rpc="housing.set_unit_maintenance",
    arguments={"change": BODY},
)

routes.forward(
    "reopen_housing_unit",
    "POST",
    "/api/v1/housing/units/<unit_id>/reopen",
    summary="Put a unit back in service (a rental goes to the next in line)",
    roles=STAFF,
    body=HousingUnitStateChange,
    response=HousingUnitView,
    errors=(404, 409, 422),
    rpc="housing.reopen_unit",
    arguments={"change": BODY},
)

# -- eligibility and applications ---------------------------------------------------

routes.forward(
    "housing_eligibility_check",
    "POST",
    "/api/v1/housing/eligibility-checks",
    summary="Would I be eligible? Each rule with its explanation",
    roles=(YOUTH,),
    body=HousingEligibilityQuery,
    response=HousingEligibilityView,
    errors=(422,),
    description="Nothing is stored. The age, degree and months of social insurance come "
    "from the profile; property and payroll are declared in the body (a POST, so that "
    "the declarations never sit in a URL or an access log).",
    rpc="housing.check_eligibility",
    arguments={"person": APPLICATION_FACTS, "query": BODY},
)

routes.forward(
    "submit_housing_application",
    "POST",
    "/api/v1/housing/applications",
    summary="Apply for a talent apartment, public or affordable rental",
    roles=(YOUTH,),
    body=HousingApplicationInput,
    response=HousingApplicationView,
    status=201,
    errors=(409, 422),
    description="Evaluated at once: an application that fails a rule is rejected with "
    "every reason (state `rejected`); one that passes waits for an officer's review.",
    rpc="housing.submit_application",
    arguments={"person": APPLICATION_FACTS, "application": BODY},
    location="/api/v1/housing/applications/{id}",
)

routes.forward(
    "my_housing_applications",
    "GET",
    "/api/v1/me/housing/applications",
    summary="My housing applications, with my place in line",
    roles=(YOUTH,),
    query=PageQuery,
    response=HousingApplicationPage,
    paginated=True,
    errors=(422,),
    rpc="housing.applications_of",
    arguments=MY_PAGE,
)

routes.forward(
    "list_housing_applications",
    "GET",
    "/api/v1/housing/applications",
    summary="Applications to review, by kind and state",
    roles=STAFF,
    query=HousingApplicationFilter,
    response=HousingApplicationPage,
    paginated=True,
    errors=(422,),
    rpc="housing.list_applications",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_housing_application",
    "GET",
    "/api/v1/housing/applications/<application_id>",
    summary="One application with its explanation rule by rule",
    roles=(YOUTH, *STAFF),
    response=HousingApplicationView,
    errors=(404,),
    rpc="housing.get_application",
)

routes.forward(
    "decide_housing_application",
    "POST",
    "/api/v1/housing/applications/<application_id>/decision",
    summary="Approve (onto the list) or reject an application, with the reason",
    roles=STAFF,
    body=HousingApplicationDecision,
    response=HousingApplicationView,
    errors=(404, 409, 422),
    rpc="housing.decide_application",
    arguments={"decision": BODY},
)

routes.forward(
    "withdraw_housing_application",
    "POST",
    "/api/v1/housing/applications/<application_id>/withdraw",
    summary="Withdraw my application (a pending offer goes to the next in line)",
    roles=(YOUTH,),
    response=HousingApplicationView,
    errors=(404, 409),
    rpc="housing.withdraw_application",
)

# -- allocation ------------------------------------------------------------------------

# the draw rounds (摇号): committed before they are drawn, public to anyone, without sign-in
# (services/housing/README.md "The draw")

LOTTERY_ROUTE = "/api/v1/housing/lotteries/{id}"

routes.forward(
    "open_housing_lottery",
    "POST",
    "/api/v1/housing/lotteries",
    summary="Open a draw round of a kind, naming the public value it will be drawn with",
    roles=STAFF,
    body=LotteryInput,
    response=LotteryView,
    status=201,
    errors=(409, 422),
    description="The public value must be published after now (`public_value_at`): the round "
    "closes before it and is drawn after it. A `seed` is refused (422): the platform generates "
    "it at close and publishes its SHA-256.",
    rpc="housing.open_lottery",
    arguments={"lottery": BODY},
    location=LOTTERY_ROUTE,
)

routes.forward(
    "list_housing_lotteries",
    "GET",
    "/api/v1/housing/lotteries",
    summary="Draw rounds, newest first (public)",
    query=LotteryFilter,
    response=LotteryPage,
    paginated=True,
    errors=(422,),
    rpc="housing.list_lotteries",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_housing_lottery",
    "GET",
    "/api/v1/housing/lotteries/<lottery_id>",
    summary="A draw round's public inputs and order, with the checks anyone can repeat",
    response=LotteryView,
    errors=(404,),
    description="Public, without sign-in, and without personal data: entrants are application "
    "ids. `entrants_hash` and `commitment` appear when applications close; the `seed`, the "
    "`public_value` and the `order` at the draw. `GET /api/v1/housing/verify_draw.py` re-runs "
    "it from this JSON with Python's standard library alone.",
    rpc="housing.get_lottery",
)

routes.forward(
    "close_housing_lottery",
    "POST",
    "/api/v1/housing/lotteries/<lottery_id>/close",
    summary="Close applications: freeze the entrants, publish their hash and the commitment",
    roles=STAFF,
    response=LotteryView,
    errors=(404, 409),
    rpc="housing.close_lottery",
)

routes.forward(
    "draw_housing_lottery",
    "POST",
    "/api/v1/housing/lotteries/<lottery_id>/draw",
    summary="Draw with the named public value as published; the seed is revealed",
    roles=STAFF,
    body=LotteryDrawInput,
    response=LotteryView,
    errors=(404, 409, 422),
    rpc="housing.draw_lottery",
    arguments={"draw": BODY},
)

routes.forward(
    "cancel_housing_lottery",
    "POST",
    "/api/v1/housing/lotteries/<lottery_id>/cancel",
    summary="Call off an open round (before it closes nothing is fixed)",
    roles=STAFF,
    response=LotteryView,
    errors=(404, 409),
    rpc="housing.cancel_lottery",
)


@routes.route(
    "GET",
    "/api/v1/housing/verify_draw.py",
    summary="The script that re-runs a draw round from its public JSON (Python 3.11+, "
    "standard library only)",
    response_content_type="text/x-python",
)
def housing_draw_script(call: Call):
    body = Path(verify_draw.__file__).read_bytes()
    response = Response(body, content_type="text/x-python; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(call.request)


routes.forward(
    "housing_allocation_round",
    "POST",
    "/api/v1/housing/allocation-rounds",
    summary="Offer every available unit of a kind (or one named unit) to the next in line "
    "whose household fits it",
    roles=STAFF,
    body=AllocationRoundInput,
    response=AllocationRoundView,
    errors=(404, 409, 422),
    rpc="housing.allocation_round",
    arguments={"round": BODY},
)

routes.forward(
    "my_housing_offers",
    "GET",
    "/api/v1/me/housing/offers",
    summary="Units offered to me",
    roles=(YOUTH,),
    query=PageQuery,
    response=HousingOfferPage,
    paginated=True,
    errors=(422,),
    rpc="housing.offers_of",
    arguments=MY_PAGE,
)

routes.forward(
    "get_housing_offer",
    "GET",
    "/api/v1/housing/offers/<offer_id>",
    summary="One offer and its deadline",
    roles=(YOUTH, *STAFF),
    response=HousingOfferView,
    errors=(404,),
    rpc="housing.get_offer",
)

routes.forward(
    "accept_housing_offer",
    "POST",
    "/api/v1/housing/offers/<offer_id>/accept",
    summary="Accept an offer before its deadline: the lease starts",
    roles=(YOUTH,),
    response=HousingOfferAcceptedView,
    errors=(404, 409),
    rpc="housing.accept_offer",
)

routes.forward(
    "decline_housing_offer",
    "POST",
    "/api/v1/housing/offers/<offer_id>/decline",
    summary="Decline an offer: the unit goes to the next in line",
    roles=(YOUTH,),
    response=HousingOfferView,
    errors=(404, 409),
    rpc="housing.decline_offer",
)

routes.forward(
    "list_housing_leases",
    "GET",
    "/api/v1/housing/leases",
    summary="Leases by kind and state",
    roles=STAFF,
    query=HousingLeaseFilter,
    response=HousingLeasePage,
    paginated=True,
    errors=(422,),
    rpc="housing.list_leases",
    arguments={"filters": QUERY},
)

routes.forward(
    "end_housing_lease",
    "POST",
    "/api/v1/housing/leases/<lease_id>/end",
    summary="End a lease: the unit goes to the next in line",
    roles=STAFF,
    body=HousingLeaseEnd,
    response=HousingLeaseView,
    errors=(404, 409, 422),
    rpc="housing.end_lease",
    arguments={"end": BODY},
)

# -- subsidies ---------------------------------------------------------------------------

routes.forward(
    "submit_housing_subsidy",
    "POST",
    "/api/v1/housing/subsidy-applications",
    summary="Apply for a home-purchase subsidy or housing-fund use",
    roles=(YOUTH,),
    body=HousingSubsidyInput,
    response=HousingSubsidyView,
    status=201,
    errors=(409, 422),
    description="The amount asked is bounded by the policy's schedule: for the purchase "
    "subsidy by `household_size` (1, 2, 3 or more persons), for housing-fund use by a cap "
    "(422 `amount_above_schedule` naming the most that may be asked); a purchase subsidy is "
    "once per person while one stands, submitted or granted (409 `subsidy_once_per_person`).",
    rpc="housing.submit_subsidy",
    arguments={"person": APPLICATION_FACTS, "subsidy": BODY},
    location="/api/v1/housing/subsidy-applications/{id}",
)

routes.forward(
    "my_housing_subsidies",
    "GET",
    "/api/v1/me/housing/subsidy-applications",
    summary="My subsidy applications",
    roles=(YOUTH,),
    query=PageQuery,
    response=HousingSubsidyPage,
    paginated=True,
    errors=(422,),
    rpc="housing.subsidies_of",
    arguments=MY_PAGE,
)

routes.forward(
    "list_housing_subsidies",
    "GET",
    "/api/v1/housing/subsidy-applications",
    summary="Subsidy applications to decide, by kind and state",
    roles=STAFF,
    query=HousingSubsidyFilter,
    response=HousingSubsidyPage,
    paginated=True,
    errors=(422,),
    rpc="housing.list_subsidies",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_housing_subsidy",
    "GET",
    "/api/v1/housing/subsidy-applications/<subsidy_id>",
    summary="One subsidy application with its explanation",
    roles=(YOUTH, *STAFF),
    response=HousingSubsidyView,
    errors=(404,),
    rpc="housing.get_subsidy",
)

routes.forward(
    "decide_housing_subsidy",
    "POST",
    "/api/v1/housing/subsidy-applications/<subsidy_id>/decision",
    summary="Grant (with the amount) or refuse (with the reason) a subsidy application",
    roles=STAFF,
    body=HousingSubsidyDecision,
    response=HousingSubsidyView,
    errors=(404, 409, 422),
    rpc="housing.decide_subsidy",
    arguments={"decision": BODY},
)

# -- the talent ledger ------------------------------------------------------------------

routes.forward(
    "housing_ledger",
    "GET",
    "/api/v1/housing/ledger",
    summary="The talent ledger: everyone housed through the platform",
    roles=STAFF,
    query=LedgerFilter,
    response=LedgerPage,
    paginated=True,
    errors=(422,),
    rpc="housing.list_ledger",
    arguments={"filters": QUERY},
)

routes.forward(
    "housing_ledger_entry",
    "GET",
    "/api/v1/housing/ledger/<entry_id>",
    summary="One ledger entry with its follow-up visits",
    roles=STAFF,
    response=LedgerEntryView,
    errors=(404,),
    rpc="housing.get_ledger_entry",
)

routes.forward(
    "record_housing_followup",
    "POST",
    "/api/v1/housing/ledger/<entry_id>/followups",
    summary="Record a follow-up visit",
    roles=STAFF,
    body=FollowUpInput,
    response=FollowUpView,
    status=201,
    errors=(404, 422),
    rpc="housing.record_followup",
    arguments={"followup": BODY},
    location="/api/v1/housing/ledger/{entry_id}",
)
