"""Activities, registrations, check-in, venues and stories (see services/events/README.md).

Officers publish activities and check people in; young people browse, register and tell their
stories; the publicity department moderates the stories column. Each route only authenticates,
validates with the events service's own schemas and calls the service; who may see and change
what is decided by the service with the caller's identity.
"""

from __future__ import annotations

from services.events.contract import (
    ActivityChanges,
    ActivityFilter,
    ActivityInput,
    ActivityPage,
    ActivityRegistrationPage,
    ActivityRegistrationView,
    ActivityView,
    CheckInInput,
    DecisionNote,
    DecisionReason,
    PageQuery,
    RosterEntry,
    RosterPage,
    RosterQuery,
    StoryFilter,
    StoryInput,
    StoryPage,
    StoryView,
    VenueChanges,
    VenueFilter,
    VenueInput,
    VenuePage,
    VenueView,
)

from ..accounts import OFFICER, STAFF, YOUTH
from ..composition import Routes
from ..forward import BODY, MY_PAGE, QUERY, caller_facts

routes = Routes(tags=["events"])


# -- activities -------------------------------------------------------------------------------

routes.forward(
    "create_activity",
    "POST",
    "/api/v1/activities",
    summary="Create a draft activity of my unit",
    roles=STAFF,
    body=ActivityInput,
    response=ActivityView,
    status=201,
    errors=(403,),
    description="An activity at a fitness-circle venue (`venue_id`) must fit its opening hours.",
    rpc="events.create_activity",
    arguments={"activity": BODY},
    location="/api/v1/activities/{id}",
)

routes.forward(
    "update_activity",
    "PATCH",
    "/api/v1/activities/<activity_id>",
    summary="Change a draft activity",
    roles=STAFF,
    body=ActivityChanges,
    response=ActivityView,
    errors=(403, 404, 409),
    description="Only drafts change; the activity is checked again as a whole.",
    rpc="events.update_activity",
    arguments={"changes": BODY},
)

routes.forward(
    "publish_activity",
    "POST",
    "/api/v1/activities/<activity_id>/publish",
    summary="Publish an activity: it opens to the public",
    roles=STAFF,
    response=ActivityView,
    errors=(403, 404, 409),
    rpc="events.publish_activity",
)

routes.forward(
    "cancel_activity",
    "POST",
    "/api/v1/activities/<activity_id>/cancel",
    summary="Cancel an activity; everyone registered is told why",
    roles=STAFF,
    body=DecisionReason,
    response=ActivityView,
    errors=(403, 404, 409),
    rpc="events.cancel_activity",
    arguments={"decision": BODY},
)

routes.forward(
    "finish_activity",
    "POST",
    "/api/v1/activities/<activity_id>/finish",
    summary="Close an activity that took place; its attendance is final",
    roles=STAFF,
    body=DecisionNote,
    response=ActivityView,
    errors=(403, 404, 409),
    rpc="events.finish_activity",
    arguments={"decision": BODY},
)

routes.forward(
    "list_activities",
    "GET",
    "/api/v1/activities",
    summary="Browse activities by category, area, venue and date",
    query=ActivityFilter,
    response=ActivityPage,
    paginated=True,
    errors=(403,),
    description="Published activities, soonest first; `state=draft` is for organisers.",
    rpc="events.list_activities",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_activity",
    "GET",
    "/api/v1/activities/<activity_id>",
    summary="One activity",
    response=ActivityView,
    errors=(404,),
    rpc="events.get_activity",
)

# -- registrations and check-in ---------------------------------------------------------------

routes.forward(
    "register_for_activity",
    "POST",
    "/api/v1/activities/<activity_id>/registrations",
    summary="Register for an activity (a place, or the waitlist when it is full)",
    roles=(YOUTH,),
    response=ActivityRegistrationView,
    status=201,
    errors=(404, 409, 422),
    description="The gateway passes the service the person's id, birth date and age, "
    "nothing more; the audience's age range applies on the activity's day.",
    rpc="events.register",
    arguments={"person": caller_facts("age", "birth_date")},
    location="/api/v1/me/registrations/{id}",
)

routes.forward(
    "activity_registrations",
    "GET",
    "/api/v1/activities/<activity_id>/registrations",
    summary="The activity's registrations in arrival order (organisers)",
    roles=STAFF,
    query=RosterQuery,
    response=RosterPage,
    paginated=True,
    errors=(403, 404),
    description="Person ids and states, never a check-in code.",
    rpc="events.activity_registrations",
    arguments={"query": QUERY},
)

routes.forward(
    "check_in_to_activity",
    "POST",
    "/api/v1/activities/<activity_id>/check-ins",
    summary="Check a person in with the one-time code they show",
    roles=STAFF,
    body=CheckInInput,
    response=RosterEntry,
    errors=(403, 404, 409),
    description="A code works once: the second scan is a 409 `check_in_code_used`.",
    rpc="events.check_in",
    arguments={"check_in": BODY},
)

routes.forward(
    "my_activity_registrations",
    "GET",
    "/api/v1/me/registrations",
    summary="My activity registrations",
    roles=(YOUTH,),
    query=PageQuery,
    response=ActivityRegistrationPage,
    paginated=True,
    rpc="events.registrations_of",
    arguments=MY_PAGE,
)

routes.forward(
    "my_activity_registration",
    "GET",
    "/api/v1/me/registrations/<registration_id>",
    summary="One of my registrations, with its check-in code while my place is confirmed",
    roles=(YOUTH,),
    response=ActivityRegistrationView,
    errors=(404,),
    rpc="events.get_registration",
)

routes.forward(
    "cancel_activity_registration",
    "POST",
    "/api/v1/me/registrations/<registration_id>/cancel",
    summary="Cancel my registration (the first on the waitlist moves up)",
    roles=(YOUTH,),
    response=ActivityRegistrationView,
    errors=(404, 409),
    rpc="events.cancel_registration",
)

# -- venues -----------------------------------------------------------------------------------

routes.forward(
    "create_venue",
    "POST",
    "/api/v1/venues",
    summary="Register a venue of the 15-minute fitness circle",
    roles=STAFF,
    body=VenueInput,
    response=VenueView,
    status=201,
    errors=(403,),
    description="Officers of the units in the `venue_units` policy (区教体局 by default).",
    rpc="events.create_venue",
    arguments={"venue": BODY},
    location="/api/v1/venues/{id}",
)

routes.forward(
    "update_venue",
    "PATCH",
    "/api/v1/venues/<venue_id>",
    summary="Change a venue, its opening hours say",
    roles=STAFF,
    body=VenueChanges,
    response=VenueView,
    errors=(403, 404),
    rpc="events.update_venue",
    arguments={"changes": BODY},
)

routes.forward(
    "list_venues",
    "GET",
    "/api/v1/venues",
    summary="Venues of the fitness circle by area and kind, or within a walk of a point",
    description="With `near=lat,lng` (GCJ-02), the venues within `minutes` (15 by default) of "
    "walking, nearest first: great-circle distance × the detour factor, at the walking speed "
    "of the events policy (services/events/README.md).",
    query=VenueFilter,
    response=VenuePage,
    paginated=True,
    rpc="events.list_venues",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_venue",
    "GET",
    "/api/v1/venues/<venue_id>",
    summary="One venue, with its opening hours and whether it is open now",
    response=VenueView,
    errors=(404,),
    rpc="events.get_venue",
)

routes.forward(
    "venue_activities",
    "GET",
    "/api/v1/venues/<venue_id>/activities",
    summary="The activities a venue hosts, soonest first",
    query=ActivityFilter,
    response=ActivityPage,
    paginated=True,
    errors=(403, 404),
    rpc="events.venue_activities",
    arguments={"filters": QUERY},
)

# -- the stories column (我的青春在XX) ---------------------------------------------------------

routes.forward(
    "submit_story",
    "POST",
    "/api/v1/stories",
    summary="Submit my story to the column 我的青春在XX",
    roles=(YOUTH,),
    body=StoryInput,
    response=StoryView,
    status=201,
    description="It is published once a moderator of the publicity department approves it.",
    rpc="events.submit_story",
    arguments={"story": BODY},
    location="/api/v1/stories/{id}",
)

routes.forward(
    "list_stories",
    "GET",
    "/api/v1/stories",
    summary="The column: published stories, newest first",
    query=StoryFilter,
    response=StoryPage,
    paginated=True,
    errors=(403,),
    description="Moderators also list `state=submitted` (the queue, oldest first), "
    "`rejected` and `taken_down`.",
    rpc="events.list_stories",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_story",
    "GET",
    "/api/v1/stories/<story_id>",
    summary="One story",
    response=StoryView,
    errors=(404,),
    description="A story not (or no longer) published is seen by its author and the "
    "moderators only.",
    rpc="events.get_story",
)

routes.forward(
    "my_stories",
    "GET",
    "/api/v1/me/stories",
    summary="My stories, in every state",
    roles=(YOUTH,),
    query=PageQuery,
    response=StoryPage,
    paginated=True,
    rpc="events.stories_of",
    arguments=MY_PAGE,
)

routes.forward(
    "approve_story",
    "POST",
    "/api/v1/stories/<story_id>/approve",
    summary="Approve a submitted story: it is published",
    roles=(OFFICER,),
    body=DecisionNote,
    response=StoryView,
    errors=(403, 404, 409),
    rpc="events.moderate_story",
    arguments={"action": "approve", "decision": BODY},
)

routes.forward(
    "reject_story",
    "POST",
    "/api/v1/stories/<story_id>/reject",
    summary="Reject a submitted story, with the reason its author is told",
    roles=(OFFICER,),
    body=DecisionReason,
    response=StoryView,
    errors=(403, 404, 409),
    rpc="events.moderate_story",
    arguments={"action": "reject", "decision": BODY},
)

routes.forward(
    "take_down_story",
    "POST",
    "/api/v1/stories/<story_id>/take-down",
    summary="Take a published story down, with the reason its author is told",
    roles=(OFFICER,),
    body=DecisionReason,
    response=StoryView,
    errors=(403, 404, 409),
    rpc="events.moderate_story",
    arguments={"action": "take_down", "decision": BODY},
)
