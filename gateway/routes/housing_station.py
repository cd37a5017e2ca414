"""Routes of the youth station (青年驿站, see services/housing/README.md): free nights for young
people looking for work in the district, one bed a night, and the rooms' nights booked and free.

A booking rests on the graduation date and the employment status of the young person's profile;
officers of 区住建局 and administrators check guests in and out.
"""

from __future__ import annotations

from services.housing.contract import (
    NightsQuery,
    NightsView,
    PageQuery,
    StationBookingInput,
    StationBookingPage,
    StationBookingView,
)

from ..accounts import STAFF, YOUTH
from ..composition import Routes
from ..forward import BODY, MY_PAGE, QUERY, caller_facts

routes = Routes(tags=["housing"])

#: who may stay: a graduate of the policy's window who is looking for work
STATION_FACTS = caller_facts("graduation_date", "employment_status")


# -- nights ----------------------------------------------------------------------------

routes.forward(
    "station_unit_nights",
    "GET",
    "/api/v1/housing/units/<unit_id>/nights",
    summary="A youth-station room's beds booked and free, night by night",
    query=NightsQuery,
    response=NightsView,
    errors=(404, 422),
    rpc="housing.station_nights",
    arguments={"query": QUERY},
)

# -- bookings --------------------------------------------------------------------------

routes.forward(
    "book_station_nights",
    "POST",
    "/api/v1/housing/station-bookings",
    summary="Book free youth-station nights (one bed a night)",
    roles=(YOUTH,),
    body=StationBookingInput,
    response=StationBookingView,
    status=201,
    errors=(409, 422),
    description="For job-seeking graduates from 1 year before to 2 years after graduation, "
    "at most 7 nights per person over all bookings (policy defaults). A full night is a "
    "409 `station_full` naming the night.",
    rpc="housing.book_station",
    arguments={"person": STATION_FACTS, "booking": BODY},
    location="/api/v1/housing/station-bookings/{id}",
)

routes.forward(
    "my_station_bookings",
    "GET",
    "/api/v1/me/housing/station-bookings",
    summary="My youth-station bookings, night by night",
    roles=(YOUTH,),
    query=PageQuery,
    response=StationBookingPage,
    paginated=True,
    errors=(422,),
    rpc="housing.station_bookings_of",
    arguments=MY_PAGE,
)

routes.forward(
    "get_station_booking",
    "GET",
    "/api/v1/housing/station-bookings/<booking_id>",
    summary="One youth-station booking",
    roles=(YOUTH, *STAFF),
    response=StationBookingView,
    errors=(404,),
    rpc="housing.get_station_booking",
)

routes.forward(
    "cancel_station_booking",
    "POST",
    "/api/v1/housing/station-bookings/<booking_id>/cancel",
    summary="Cancel my booking before arriving (its beds are freed)",
    roles=(YOUTH,),
    response=StationBookingView,
    errors=(404, 409),
    rpc="housing.cancel_station_booking",
)

routes.forward(
    "check_in_station_booking",
    "POST",
    "/api/v1/housing/station-bookings/<booking_id>/check-in",
    summary="Check a guest in",
    roles=STAFF,
    response=StationBookingView,
    errors=(404, 409),
    rpc="housing.check_in_station",
)

routes.forward(
    "check_out_station_booking",
    "POST",
    "/api/v1/housing/station-bookings/<booking_id>/check-out",
    summary="Check a guest out (nights after tonight are freed)",
    roles=STAFF,
    response=StationBookingView,
    errors=(404, 409),
    rpc="housing.check_out_station",
)
