"""The 15-minute circle (15分钟健身圈, plan 三.4; see services/events/README.md): bookable time
slots of venues (school grounds open to the public), the register of youth sports clubs
(青少年体育俱乐部), mental-health sessions at companies, villages and offices (心理健康进企业、
进村、进机关) and counselling bookings. Finding venues within a walk is `GET /api/v1/venues
?near=` (`events.py`).

Each route only authenticates, validates with the events service's schemas and calls the
service, which decides who may see and change what with the caller's identity. A counselling
booking is sensitive personal data (PIPL art. 28): the service shows it to its person and to
the health unit's officers, to no one else (an administrator included).
"""

from __future__ import annotations

from services.events.contract import (
    ClubChanges,
    ClubFilter,
    ClubInput,
    ClubPage,
    ClubView,
    CounsellingFilter,
    CounsellingInput,
    CounsellingPage,
    CounsellingView,
    DecisionReason,
    HeldInput,
    OutreachFilter,
    OutreachInput,
    OutreachPage,
    OutreachView,
    PageQuery,
    ScheduleInput,
    SlotBookingPage,
    SlotBookingView,
    SlotFilter,
    SlotInput,
    SlotPage,
    SlotView,
)

from ..accounts import EMPLOYER, OFFICER, STAFF, YOUTH
from ..composition import Routes
from ..forward import BODY, MY_PAGE, QUERY

routes = Routes(tags=["events"])

# -- slots of venues ---------------------------------------------------------------------------

routes.forward(
    "publish_venue_slot",
    "POST",
    "/api/v1/venues/<venue_id>/slots",
    summary="Offer a bookable time slot of a venue (a school ground open to the public, say)",
    roles=STAFF,
    body=SlotInput,
    response=SlotView,
    status=201,
    errors=(403, 404),
    description="Officers of the `venue_units` policy (区教体局 by default); the slot must lie "
    "within the venue's opening hours, in district time.",
    rpc="events.publish_slot",
    arguments={"slot": BODY},
)

routes.forward(
    "venue_slots",
    "GET",
    "/api/v1/venues/<venue_id>/slots",
    summary="A venue's open time slots, soonest first, with the places left",
    query=SlotFilter,
    response=SlotPage,
    paginated=True,
    errors=(404,),
    rpc="events.venue_slots",
    arguments={"filters": QUERY},
)

routes.forward(
    "book_slot",
    "POST",
    "/api/v1/slots/<slot_id>/bookings",
    summary="Book a place in a venue's time slot",
    roles=(YOUTH,),
    response=SlotBookingView,
    status=201,
    errors=(404, 409),
    description="While places last (409 `slot_full` after), from a week before the slot; one "
    "place a person, three slots ahead at most (the events policy).",
    rpc="events.book_slot",
)

routes.forward(
    "my_slot_bookings",
    "GET",
    "/api/v1/me/slot-bookings",
    summary="My bookings of venues' time slots, newest first",
    roles=(YOUTH,),
    query=PageQuery,
    response=SlotBookingPage,
    paginated=True,
    rpc="events.slot_bookings_of",
    arguments=MY_PAGE,
)

routes.forward(
    "cancel_slot_booking",
    "POST",
    "/api/v1/me/slot-bookings/<booking_id>/cancel",
    summary="Give up my place in a slot before it starts",
    roles=(YOUTH,),
    response=SlotBookingView,
    errors=(404, 409),
    rpc="events.cancel_slot_booking",
)

# -- youth sports clubs (青少年体育俱乐部) -------------------------------------------------------

routes.forward(
    "register_sports_club",
    "POST",
    "/api/v1/sports-clubs",
    summary="Enter a youth sports club in the register",
    roles=(OFFICER,),
    body=ClubInput,
    response=ClubView,
    status=201,
    errors=(403, 404),
    description="Officers of the `club_register_units` policy (区教体局 by default).",
    rpc="events.register_club",
    arguments={"club": BODY},
    location="/api/v1/sports-clubs/{id}",
)

routes.forward(
    "update_sports_club",
    "PATCH",
    "/api/v1/sports-clubs/<club_id>",
    summary="Change a club in the register",
    roles=(OFFICER,),
    body=ClubChanges,
    response=ClubView,
    errors=(403, 404),
    rpc="events.update_club",
    arguments={"changes": BODY},
)

routes.forward(
    "deregister_sports_club",
    "POST",
    "/api/v1/sports-clubs/<club_id>/deregister",
    summary="Take a club off the register, with the reason",
    roles=(OFFICER,),
    body=DecisionReason,
    response=ClubView,
    errors=(403, 404, 409),
    rpc="events.deregister_club",
    arguments={"decision": BODY},
)

routes.forward(
    "list_sports_clubs",
    "GET",
    "/api/v1/sports-clubs",
    summary="The register of youth sports clubs, by name",
    query=ClubFilter,
    response=ClubPage,
    paginated=True,
    rpc="events.list_clubs",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_sports_club",
    "GET",
    "/api/v1/sports-clubs/<club_id>",
    summary="One youth sports club",
    response=ClubView,
    errors=(404,),
    rpc="events.get_club",
)

# -- mental-health sessions at companies, villages and offices ------------------------------

routes.forward(
    "request_outreach",
    "POST",
    "/api/v1/mental-health/outreach",
    summary="Ask for a mental-health session at a company, a village or an office",
    roles=(EMPLOYER, OFFICER),
    body=OutreachInput,
    response=OutreachView,
    status=201,
    description="心理健康进企业、进村(社区)、进机关: a company asks with its employer account, "
    "a village or an office through an officer; the health unit (区卫健委) handles it.",
    rpc="events.request_outreach",
    arguments={"request": BODY},
    location="/api/v1/mental-health/outreach/{id}",
)

routes.forward(
    "list_outreach",
    "GET",
    "/api/v1/mental-health/outreach",
    summary="Mental-health session requests: the health unit's queue, or my own",
    roles=(EMPLOYER, OFFICER),
    query=OutreachFilter,
    response=OutreachPage,
    paginated=True,
    rpc="events.list_outreach",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_outreach",
    "GET",
    "/api/v1/mental-health/outreach/<request_id>",
    summary="One mental-health session request (its requester and the health unit)",
    roles=(EMPLOYER, OFFICER),
    response=OutreachView,
    errors=(404,),
    rpc="events.get_outreach",
)

for _action, _summary, _body in (
    ("schedule", "Schedule the session: its time and place (the health unit)", ScheduleInput),
    ("decline", "Decline the request, with the reason (the health unit)", DecisionReason),
    ("hold", "Record the session held, with its attendance (the health unit)", HeldInput),
):
    routes.forward(
        f"{_action}_outreach",
        "POST",
        f"/api/v1/mental-health/outreach/<request_id>/{_action}",
        summary=_summary,
        roles=(OFFICER,),
        body=_body,
        response=OutreachView,
        errors=(403, 404, 409),
        rpc="events.decide_outreach",
        arguments={"action": _action, "decision": BODY},
    )

routes.forward(
    "withdraw_outreach",
    "POST",
    "/api/v1/mental-health/outreach/<request_id>/withdraw",
    summary="Withdraw my request for a session",
    roles=(EMPLOYER, OFFICER),
    response=OutreachView,
    errors=(403, 404, 409),
    rpc="events.decide_outreach",
    arguments={"action": "withdraw"},
)

# -- counselling (sensitive personal data, PIPL art. 28) -------------------------------------

routes.forward(
    "book_counselling",
    "POST",
    "/api/v1/me/counselling",
    summary="Book counselling, with my separate consent to the processing of health data",
    roles=(YOUTH,),
    body=CounsellingInput,
    response=CounsellingView,
    status=201,
    description="`consent` must be true (单独同意, PIPL art. 29); the booking is seen by me and "
    "the health unit's officers only, and is in my data export.",
    rpc="events.book_counselling",
    arguments={"booking": BODY},
    location="/api/v1/mental-health/counselling/{id}",
)

routes.forward(
    "my_counselling",
    "GET",
    "/api/v1/me/counselling",
    summary="My counselling bookings",
    roles=(YOUTH,),
    query=PageQuery,
    response=CounsellingPage,
    paginated=True,
    rpc="events.counselling_of",
    arguments=MY_PAGE,
)

routes.forward(
    "cancel_my_counselling",
    "POST",
    "/api/v1/me/counselling/<booking_id>/cancel",
    summary="Cancel my counselling booking",
    roles=(YOUTH,),
    response=CounsellingView,
    errors=(404, 409),
    rpc="events.decide_counselling",
    arguments={"action": "cancel"},
)

routes.forward(
    "counselling_queue",
    "GET",
    "/api/v1/mental-health/counselling",
    summary="Counselling bookings to handle (the health unit's officers only)",
    roles=(OFFICER,),
    query=CounsellingFilter,
    response=CounsellingPage,
    paginated=True,
    errors=(403,),
    rpc="events.counselling_queue",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_counselling",
    "GET",
    "/api/v1/mental-health/counselling/<booking_id>",
    summary="One counselling booking (its person and the health unit's officers only)",
    roles=(YOUTH, OFFICER),
    response=CounsellingView,
    errors=(404,),
    rpc="events.get_counselling",
)

for _action, _summary, _body in (
    ("schedule", "Schedule the counselling: its time and place", ScheduleInput),
    ("complete", "Record the counselling held", None),
    ("cancel", "Cancel the counselling booking", None),
):
    routes.forward(
        f"{_action}_counselling",
        "POST",
        f"/api/v1/mental-health/counselling/<booking_id>/{_action}",
        summary=f"{_summary} (the health unit)",
        roles=(OFFICER,),
        **({"body": _body} if _body else {}),
        response=CounsellingView,
        errors=(403, 404, 409),
        rpc="events.decide_counselling",
        arguments={"action": _action, **({"decision": BODY} if _body else {})},
    )
