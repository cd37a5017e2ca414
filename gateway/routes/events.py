"""Activities and registrations (`/api/v1/activities`, `/api/v1/me/registrations`)."""

from __future__ import annotations

from services.events.schemas import (
    ActivityFilter,
    ActivityInput,
    ActivityPage,
    ActivityView,
    PageQuery,
    RegistrationPage,
    RegistrationView,
)

from ..accounts import ADMIN, OFFICER, YOUTH
from ..api import Call, Created, PageResult, route

SERVICE_ERRORS = (503, 504)


class EventsRoutes:
    """Officers publish activities; young people browse them and register."""

    @route(
        "POST",
        "/api/v1/activities",
        summary="Create a draft activity of my unit",
        tags=["events"],
        roles=(OFFICER, ADMIN),
        body=ActivityInput,
        response=ActivityView,
        status=201,
        errors=(403, *SERVICE_ERRORS),
    )
    def create_activity(self, call: Call):
        activity = self.services.events.create_activity(activity=call.body)
        return Created(activity, f"/api/v1/activities/{activity['id']}")

    @route(
        "POST",
        "/api/v1/activities/<activity_id>/publish",
        summary="Publish an activity: it opens to the public",
        tags=["events"],
        roles=(OFFICER, ADMIN),
        response=ActivityView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
    )
    def publish_activity(self, call: Call, activity_id: str):
        return self.services.events.publish_activity(activity_id=activity_id)

    @route(
        "GET",
        "/api/v1/activities",
        summary="Browse activities by category, area and date",
        tags=["events"],
        query=ActivityFilter,
        response=ActivityPage,
        paginated=True,
        errors=SERVICE_ERRORS,
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

    @route(
        "POST",
        "/api/v1/activities/<activity_id>/registrations",
        summary="Register for an activity (a place, or the waitlist when it is full)",
        tags=["events"],
        roles=(YOUTH,),
        response=RegistrationView,
        status=201,
        errors=(404, 409, 422, *SERVICE_ERRORS),
        description="The gateway passes the service the person's id and age, nothing more.",
    )
    def register_for_activity(self, call: Call, activity_id: str):
        facts = self.youth_facts(call)
        registration = self.services.events.register(
            activity_id=activity_id,
            person={"person_id": facts["person_id"], "age": facts.get("age")},
        )
        return Created(registration, f"/api/v1/me/registrations/{registration['id']}")

    @route(
        "POST",
        "/api/v1/me/registrations/<registration_id>/cancel",
        summary="Cancel my registration (the first on the waitlist moves up)",
        tags=["events"],
        roles=(YOUTH,),
        response=RegistrationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def cancel_registration(self, call: Call, registration_id: str):
        return self.services.events.cancel_registration(registration_id=registration_id)

    @route(
        "GET",
        "/api/v1/me/registrations",
        summary="My activity registrations",
        tags=["events"],
        roles=(YOUTH,),
        query=PageQuery,
        response=RegistrationPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def my_registrations(self, call: Call):
        page = self.services.events.registrations_of(
            person_id=call.account_id, after=call.query.get("after"), limit=call.query["limit"]
        )
        return PageResult.of(page)
