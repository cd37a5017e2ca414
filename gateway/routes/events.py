"""Activities, registrations, check-in, venues and stories (see services/events/README.md).

Each route only authenticates, validates with the events service's own schemas and calls the
service; who may see and change what is decided by the service with the caller's identity.
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

from ..accounts import ADMIN, OFFICER, YOUTH
from ..api import Call, Created, PageResult, route

SERVICE_ERRORS = (503, 504)
STAFF = (OFFICER, ADMIN)


class EventsRoutes:
    """Officers publish activities and check people in; young people browse, register and tell
    their stories; the publicity department moderates the stories column."""

    # -- activities -------------------------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/activities",
        summary="Create a draft activity of my unit",
        tags=["events"],
        roles=STAFF,
        body=ActivityInput,
        response=ActivityView,
        status=201,
        errors=(403, *SERVICE_ERRORS),
        description="An activity at a fitness-circle venue (`venue_id`) must fit its opening "
        "hours.",
    )
    def create_activity(self, call: Call):
        activity = self.services.events.create_activity(activity=call.body)
        return Created(activity, f"/api/v1/activities/{activity['id']}")

    @route(
        "PATCH",
        "/api/v1/activities/<activity_id>",
        summary="Change a draft activity",
        tags=["events"],
        roles=STAFF,
        body=ActivityChanges,
        response=ActivityView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
        description="Only drafts change; the activity is checked again as a whole.",
    )
    def update_activity(self, call: Call, activity_id: str):
        return self.services.events.update_activity(activity_id=activity_id, changes=call.body)

    @route(
        "POST",
        "/api/v1/activities/<activity_id>/publish",
        summary="Publish an activity: it opens to the public",
        tags=["events"],
        roles=STAFF,
        response=ActivityView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
    )
    def publish_activity(self, call: Call, activity_id: str):
        return self.services.events.publish_activity(activity_id=activity_id)

    @route(
        "POST",
        "/api/v1/activities/<activity_id>/cancel",
        summary="Cancel an activity; everyone registered is told why",
        tags=["events"],
        roles=STAFF,
        body=DecisionReason,
        response=ActivityView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
    )
    def cancel_activity(self, call: Call, activity_id: str):
        return self.services.events.cancel_activity(activity_id=activity_id, decision=call.body)

    @route(
        "POST",
        "/api/v1/activities/<activity_id>/finish",
        summary="Close an activity that took place; its attendance is final",
        tags=["events"],
        roles=STAFF,
        body=DecisionNote,
        response=ActivityView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
    )
    def finish_activity(self, call: Call, activity_id: str):
        return self.services.events.finish_activity(activity_id=activity_id, decision=call.body)

    @route(
        "GET",
        "/api/v1/activities",
        summary="Browse activities by category, area, venue and date",
        tags=["events"],
        query=ActivityFilter,
        response=ActivityPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
        description="Published activities, soonest first; `state=draft` is for organisers.",
    )
    def list_activities(self, call: Call):
        return PageResult.of(self.services.events.list_activities(filters=call.query))

    @route(
        "GET",
        "/api/v1/activities/<activity_id>",
        summary="One activity",
        tags=["events"],
        response=ActivityView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_activity(self, call: Call, activity_id: str):
        return self.services.events.get_activity(activity_id=activity_id)

    # -- registrations and check-in ---------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/activities/<activity_id>/registrations",
        summary="Register for an activity (a place, or the waitlist when it is full)",
        tags=["events"],
        roles=(YOUTH,),
        response=ActivityRegistrationView,
        status=201,
        errors=(404, 409, 422, *SERVICE_ERRORS),
        description="The gateway passes the service the person's id, birth date and age, "
        "nothing more; the audience's age range applies on the activity's day.",
    )
    def register_for_activity(self, call: Call, activity_id: str):
        facts = self.youth_facts(call)
        registration = self.services.events.register(
            activity_id=activity_id,
            person={
                "person_id": call.account_id,
                "age": facts.get("age"),
                "birth_date": facts.get("birth_date"),
            },
        )
        return Created(registration, f"/api/v1/me/registrations/{registration['id']}")

    @route(
        "GET",
        "/api/v1/activities/<activity_id>/registrations",
        summary="The activity's registrations in arrival order (organisers)",
        tags=["events"],
        roles=STAFF,
        query=RosterQuery,
        response=RosterPage,
        paginated=True,
        errors=(403, 404, *SERVICE_ERRORS),
        description="Person ids and states, never a check-in code.",
    )
    def activity_registrations(self, call: Call, activity_id: str):
        return PageResult.of(
            self.services.events.activity_registrations(activity_id=activity_id, query=call.query)
        )

    @route(
        "POST",
        "/api/v1/activities/<activity_id>/check-ins",
        summary="Check a person in with the one-time code they show",
        tags=["events"],
        roles=STAFF,
        body=CheckInInput,
        response=RosterEntry,
        errors=(403, 404, 409, *SERVICE_ERRORS),
        description="A code works once: the second scan is a 409 `check_in_code_used`.",
    )
    def check_in_to_activity(self, call: Call, activity_id: str):
        return self.services.events.check_in(activity_id=activity_id, check_in=call.body)

    @route(
        "GET",
        "/api/v1/me/registrations",
        summary="My activity registrations",
        tags=["events"],
        roles=(YOUTH,),
        query=PageQuery,
        response=ActivityRegistrationPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def my_activity_registrations(self, call: Call):
        page = self.services.events.registrations_of(
            person_id=call.account_id, after=call.query.get("after"), limit=call.query["limit"]
        )
        return PageResult.of(page)

    @route(
        "GET",
        "/api/v1/me/registrations/<registration_id>",
        summary="One of my registrations, with its check-in code while my place is confirmed",
        tags=["events"],
        roles=(YOUTH,),
        response=ActivityRegistrationView,
        errors=(404, *SERVICE_ERRORS),
    )
    def my_activity_registration(self, call: Call, registration_id: str):
        return self.services.events.get_registration(registration_id=registration_id)

    @route(
        "POST",
        "/api/v1/me/registrations/<registration_id>/cancel",
        summary="Cancel my registration (the first on the waitlist moves up)",
        tags=["events"],
        roles=(YOUTH,),
        response=ActivityRegistrationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def cancel_activity_registration(self, call: Call, registration_id: str):
        return self.services.events.cancel_registration(registration_id=registration_id)

    # -- venues -----------------------------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/venues",
        summary="Register a venue of the 15-minute fitness circle",
        tags=["events"],
        roles=STAFF,
        body=VenueInput,
        response=VenueView,
        status=201,
        errors=(403, *SERVICE_ERRORS),
        description="Officers of the units in the `venue_units` policy (区教体局 by default).",
    )
    def create_venue(self, call: Call):
        venue = self.services.events.create_venue(venue=call.body)
        return Created(venue, f"/api/v1/venues/{venue['id']}")

    @route(
        "PATCH",
        "/api/v1/venues/<venue_id>",
        summary="Change a venue, its opening hours say",
        tags=["events"],
        roles=STAFF,
        body=VenueChanges,
        response=VenueView,
        errors=(403, 404, *SERVICE_ERRORS),
    )
    def update_venue(self, call: Call, venue_id: str):
        return self.services.events.update_venue(venue_id=venue_id, changes=call.body)

    @route(
        "GET",
        "/api/v1/venues",
        summary="Venues of the fitness circle by area and kind, with opening hours",
        tags=["events"],
        query=VenueFilter,
        response=VenuePage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def list_venues(self, call: Call):
        return PageResult.of(self.services.events.list_venues(filters=call.query))

    @route(
        "GET",
        "/api/v1/venues/<venue_id>",
        summary="One venue, with its opening hours and whether it is open now",
        tags=["events"],
        response=VenueView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_venue(self, call: Call, venue_id: str):
        return self.services.events.get_venue(venue_id=venue_id)

    @route(
        "GET",
        "/api/v1/venues/<venue_id>/activities",
        summary="The activities a venue hosts, soonest first",
        tags=["events"],
        query=ActivityFilter,
        response=ActivityPage,
        paginated=True,
        errors=(403, 404, *SERVICE_ERRORS),
    )
    def venue_activities(self, call: Call, venue_id: str):
        return PageResult.of(
            self.services.events.venue_activities(venue_id=venue_id, filters=call.query)
        )

    # -- the stories column (我的青春在XX) ---------------------------------------------------------

    @route(
        "POST",
        "/api/v1/stories",
        summary="Submit my story to the column 我的青春在XX",
        tags=["events"],
        roles=(YOUTH,),
        body=StoryInput,
        response=StoryView,
        status=201,
        errors=SERVICE_ERRORS,
        description="It is published once a moderator of the publicity department approves it.",
    )
    def submit_story(self, call: Call):
        story = self.services.events.submit_story(story=call.body)
        return Created(story, f"/api/v1/stories/{story['id']}")

    @route(
        "GET",
        "/api/v1/stories",
        summary="The column: published stories, newest first",
        tags=["events"],
        query=StoryFilter,
        response=StoryPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
        description="Moderators also list `state=submitted` (the queue, oldest first), "
        "`rejected` and `taken_down`.",
    )
    def list_stories(self, call: Call):
        return PageResult.of(self.services.events.list_stories(filters=call.query))

    @route(
        "GET",
        "/api/v1/stories/<story_id>",
        summary="One story",
        tags=["events"],
        response=StoryView,
        errors=(404, *SERVICE_ERRORS),
        description="A story not (or no longer) published is seen by its author and the "
        "moderators only.",
    )
    def get_story(self, call: Call, story_id: str):
        return self.services.events.get_story(story_id=story_id)

    @route(
        "GET",
        "/api/v1/me/stories",
        summary="My stories, in every state",
        tags=["events"],
        roles=(YOUTH,),
        query=PageQuery,
        response=StoryPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def my_stories(self, call: Call):
        page = self.services.events.stories_of(
            person_id=call.account_id, after=call.query.get("after"), limit=call.query["limit"]
        )
        return PageResult.of(page)

    @route(
        "POST",
        "/api/v1/stories/<story_id>/approve",
        summary="Approve a submitted story: it is published",
        tags=["events"],
        roles=(OFFICER,),
        body=DecisionNote,
        response=StoryView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
    )
    def approve_story(self, call: Call, story_id: str):
        return self._moderate_story(story_id, "approve", call.body)

    @route(
        "POST",
        "/api/v1/stories/<story_id>/reject",
        summary="Reject a submitted story, with the reason its author is told",
        tags=["events"],
        roles=(OFFICER,),
        body=DecisionReason,
        response=StoryView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
    )
    def reject_story(self, call: Call, story_id: str):
        return self._moderate_story(story_id, "reject", call.body)

    @route(
        "POST",
        "/api/v1/stories/<story_id>/take-down",
        summary="Take a published story down, with the reason its author is told",
        tags=["events"],
        roles=(OFFICER,),
        body=DecisionReason,
        response=StoryView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
    )
    def take_down_story(self, call: Call, story_id: str):
        return self._moderate_story(story_id, "take_down", call.body)

    def _moderate_story(self, story_id: str, action: str, decision: dict):
        return self.services.events.moderate_story(
            story_id=story_id, action=action, decision=decision
        )
