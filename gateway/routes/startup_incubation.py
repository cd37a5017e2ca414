"""Startup support that comes after the registration (see services/startup/README.md): desks
and offices in the innovation park (双创智慧港) and startup training courses (创业培训).

Officers of the park's and the training's units and administrators manage them; young people
apply and enrol under their own account.
"""

from __future__ import annotations

from services.startup.contract import (
    AllocationInput,
    CourseFilter,
    CourseInput,
    CoursePage,
    CourseView,
    EnrolmentFilter,
    EnrolmentPage,
    EnrolmentView,
    IncubatorApplicationPage,
    IncubatorApplicationView,
    IncubatorFilter,
    IncubatorInput,
    SpaceFilter,
    SpaceInput,
    SpacePage,
    SpaceView,
    StartupRefusalInput,
    TenancyEndInput,
)

from ..accounts import ADMIN, OFFICER, YOUTH
from ..composition import Routes
from ..forward import BODY, QUERY, caller_facts

routes = Routes(tags=["startup"])


# -- incubator spaces (双创智慧港) ----------------------------------------------------------

routes.forward(
    "create_incubator_space",
    "POST",
    "/api/v1/startup/spaces",
    summary="Add a desk or an office to the innovation park's inventory",
    roles=(OFFICER, ADMIN),
    body=SpaceInput,
    response=SpaceView,
    status=201,
    errors=(409,),
    rpc="startup.create_space",
    arguments={"space": BODY},
)

routes.forward(
    "list_incubator_spaces",
    "GET",
    "/api/v1/startup/spaces",
    summary="The innovation park's desks and offices, by kind and state",
    query=SpaceFilter,
    response=SpacePage,
    paginated=True,
    rpc="startup.list_spaces",
    arguments={"filters": QUERY},
)

routes.forward(
    "apply_for_incubator_space",
    "POST",
    "/api/v1/startup/incubator-applications",
    summary="Apply for a desk or an office in the innovation park",
    roles=(YOUTH,),
    body=IncubatorInput,
    response=IncubatorApplicationView,
    status=201,
    errors=(409,),
    rpc="startup.apply_for_space",
    arguments={"application": BODY, "applicant": caller_facts()},
    location="/api/v1/startup/incubator-applications/{id}",
)

routes.forward(
    "list_incubator_applications",
    "GET",
    "/api/v1/startup/incubator-applications",
    summary="Incubator applications and tenancies: mine, or all (the park's unit, admins)",
    roles=(YOUTH, OFFICER, ADMIN),
    query=IncubatorFilter,
    response=IncubatorApplicationPage,
    paginated=True,
    errors=(403,),
    rpc="startup.list_incubator_applications",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_incubator_application",
    "GET",
    "/api/v1/startup/incubator-applications/<application_id>",
    summary="One incubator application and its tenancy",
    roles=(YOUTH, OFFICER, ADMIN),
    response=IncubatorApplicationView,
    errors=(404,),
    rpc="startup.get_incubator_application",
)

routes.forward(
    "allocate_incubator_space",
    "POST",
    "/api/v1/startup/incubator-applications/<application_id>/allocation",
    summary="Allocate a free space of the kind applied for, with the tenancy's dates",
    roles=(OFFICER,),
    body=AllocationInput,
    response=IncubatorApplicationView,
    errors=(404, 409),
    rpc="startup.allocate_space",
    arguments={"allocation": BODY},
)

routes.forward(
    "reject_incubator_application",
    "POST",
    "/api/v1/startup/incubator-applications/<application_id>/reject",
    summary="Refuse an incubator application, with the reason",
    roles=(OFFICER,),
    body=StartupRefusalInput,
    response=IncubatorApplicationView,
    errors=(404, 409),
    rpc="startup.reject_incubator_application",
    arguments={"refusal": BODY},
)

routes.forward(
    "end_incubator_tenancy",
    "POST",
    "/api/v1/startup/incubator-applications/<application_id>/end-tenancy",
    summary="End a tenancy (on its date or early): the space is free again",
    roles=(OFFICER,),
    body=TenancyEndInput,
    response=IncubatorApplicationView,
    errors=(404, 409),
    rpc="startup.end_tenancy",
    arguments={"ending": BODY},
)

routes.forward(
    "withdraw_incubator_application",
    "POST",
    "/api/v1/startup/incubator-applications/<application_id>/withdraw",
    summary="Withdraw my incubator application",
    roles=(YOUTH,),
    response=IncubatorApplicationView,
    errors=(404, 409),
    rpc="startup.withdraw_incubator_application",
)

# -- startup training (创业培训) -----------------------------------------------------------

routes.forward(
    "create_training_course",
    "POST",
    "/api/v1/startup/courses",
    summary="Open a startup training course for enrolment",
    roles=(OFFICER, ADMIN),
    body=CourseInput,
    response=CourseView,
    status=201,
    rpc="startup.create_course",
    arguments={"course": BODY},
    location="/api/v1/startup/courses/{id}",
)

routes.forward(
    "list_training_courses",
    "GET",
    "/api/v1/startup/courses",
    summary="Startup training courses, soonest first",
    query=CourseFilter,
    response=CoursePage,
    paginated=True,
    rpc="startup.list_courses",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_training_course",
    "GET",
    "/api/v1/startup/courses/<course_id>",
    summary="One training course",
    response=CourseView,
    errors=(404,),
    rpc="startup.get_course",
)

routes.forward(
    "enrol_in_course",
    "POST",
    "/api/v1/startup/courses/<course_id>/enrolments",
    summary="Enrol in a training course (while places last, until it starts)",
    roles=(YOUTH,),
    response=EnrolmentView,
    status=201,
    errors=(404, 409),
    rpc="startup.enrol",
    arguments={"person": caller_facts()},
    location="/api/v1/startup/enrolments/{id}",
)

routes.forward(
    "list_course_enrolments",
    "GET",
    "/api/v1/startup/enrolments",
    summary="Course enrolments: mine, or all (the training unit's officers, admins)",
    roles=(YOUTH, OFFICER, ADMIN),
    query=EnrolmentFilter,
    response=EnrolmentPage,
    paginated=True,
    errors=(403,),
    rpc="startup.list_enrolments",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_course_enrolment",
    "GET",
    "/api/v1/startup/enrolments/<enrolment_id>",
    summary="One course enrolment",
    roles=(YOUTH, OFFICER, ADMIN),
    response=EnrolmentView,
    errors=(404,),
    rpc="startup.get_enrolment",
)

routes.forward(
    "cancel_course_enrolment",
    "POST",
    "/api/v1/startup/enrolments/<enrolment_id>/cancel",
    summary="Give up my place on a course",
    roles=(YOUTH,),
    response=EnrolmentView,
    errors=(404, 409),
    rpc="startup.cancel_enrolment",
)

routes.forward(
    "complete_course_enrolment",
    "POST",
    "/api/v1/startup/enrolments/<enrolment_id>/complete",
    summary="Record that a trainee completed the course (an officer of the organiser)",
    roles=(OFFICER,),
    response=EnrolmentView,
    errors=(404, 409),
    rpc="startup.complete_enrolment",
)
