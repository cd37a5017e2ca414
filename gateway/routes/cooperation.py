"""Routes of district–university cooperation in the jobs service (services/jobs/README.md,
"District–university cooperation"): universities, cooperation projects with their milestones and
outcomes (区校合作, plan 一.3), roadshows at universities (特色产业专题推介, plan 一.5), city-level
fairs the district lists (市级招聘活动), and the students a practice unit placed.

The gateway checks the role; the service checks the unit (区委组织部 for universities, projects
and roadshows; 区人社局 for city fairs), so an officer of another unit is a 403 either way.
"""

from __future__ import annotations

from services.common.schemas import PageQuery
from services.jobs.contract import (
    CityFairInput,
    CooperationProjectDetail,
    CooperationProjectFilter,
    CooperationProjectInput,
    CooperationProjectPage,
    FairView,
    MilestoneInput,
    MilestoneView,
    OutcomeInput,
    OutcomeView,
    PracticePlacementInput,
    PracticePlacementPage,
    PracticePlacementView,
    RoadshowDetail,
    RoadshowFilter,
    RoadshowInput,
    RoadshowJoinInput,
    RoadshowPage,
    RoadshowParticipationView,
    RoadshowView,
    UniversityInput,
    UniversityPage,
    UniversityView,
)

from ..accounts import EMPLOYER, OFFICER
from ..composition import Routes
from ..forward import BODY, QUERY
from .jobs import DECIDING_OFFICERS

COOPERATION_OFFICERS = (
    "Officers of 区委组织部 (the `organisation` unit, the policy's `cooperation_unit`) only."
)

routes = Routes(tags=["cooperation"])

# -- universities -----------------------------------------------------------------------------

routes.forward(
    "register_university",
    "POST",
    "/api/v1/universities",
    summary="Register a university the district cooperates with (区校合作)",
    roles=(OFFICER,),
    body=UniversityInput,
    response=UniversityView,
    status=201,
    errors=(403, 409),
    description=COOPERATION_OFFICERS + " A university is registered once by name.",
    rpc="jobs.register_university",
    arguments={"university": BODY},
)

routes.forward(
    "list_universities",
    "GET",
    "/api/v1/universities",
    summary="Registered universities, by name",
    query=PageQuery,
    response=UniversityPage,
    paginated=True,
    rpc="jobs.list_universities",
    arguments={"query": QUERY},
)

# -- cooperation projects ---------------------------------------------------------------------

routes.forward(
    "publish_cooperation_project",
    "POST",
    "/api/v1/cooperation-projects",
    summary="Publish a district–university cooperation project with its milestones",
    roles=(OFFICER,),
    body=CooperationProjectInput,
    response=CooperationProjectDetail,
    status=201,
    errors=(403, 404),
    description=COOPERATION_OFFICERS
    + " Its kind is one the plan names: 成果转化, 平台建设, 人才交流 or 产教融合. Audited.",
    rpc="jobs.publish_cooperation_project",
    arguments={"project": BODY},
    location="/api/v1/cooperation-projects/{id}",
)

routes.forward(
    "cooperation_projects",
    "GET",
    "/api/v1/cooperation-projects",
    summary="Cooperation projects, the latest first (by kind, state or university)",
    query=CooperationProjectFilter,
    response=CooperationProjectPage,
    paginated=True,
    rpc="jobs.cooperation_projects",
    arguments={"query": QUERY},
)

routes.forward(
    "get_cooperation_project",
    "GET",
    "/api/v1/cooperation-projects/<project_id>",
    summary="A cooperation project with its milestones and outcomes",
    response=CooperationProjectDetail,
    errors=(404,),
    rpc="jobs.get_cooperation_project",
)

routes.forward(
    "add_project_milestone",
    "POST",
    "/api/v1/cooperation-projects/<project_id>/milestones",
    summary="Add a milestone to an active cooperation project",
    roles=(OFFICER,),
    body=MilestoneInput,
    response=MilestoneView,
    status=201,
    errors=(403, 404, 409),
    description=COOPERATION_OFFICERS,
    rpc="jobs.add_project_milestone",
    arguments={"milestone": BODY},
    location="/api/v1/cooperation-projects/{project_id}",
)

routes.forward(
    "complete_project_milestone",
    "POST",
    "/api/v1/cooperation-projects/<project_id>/milestones/<milestone_id>/done",
    summary="Mark a cooperation project's milestone done",
    roles=(OFFICER,),
    response=MilestoneView,
    errors=(403, 404, 409),
    description=COOPERATION_OFFICERS,
    rpc="jobs.complete_project_milestone",
)

routes.forward(
    "record_project_outcome",
    "POST",
    "/api/v1/cooperation-projects/<project_id>/outcomes",
    summary="Record an outcome a cooperation project achieved",
    roles=(OFFICER,),
    body=OutcomeInput,
    response=OutcomeView,
    status=201,
    errors=(403, 404, 409),
    description=COOPERATION_OFFICERS,
    rpc="jobs.record_project_outcome",
    arguments={"outcome": BODY},
    location="/api/v1/cooperation-projects/{project_id}",
)

routes.forward(
    "complete_cooperation_project",
    "POST",
    "/api/v1/cooperation-projects/<project_id>/complete",
    summary="Close a cooperation project as completed",
    roles=(OFFICER,),
    response=CooperationProjectDetail,
    errors=(403, 404, 409),
    description=COOPERATION_OFFICERS + " Audited.",
    rpc="jobs.complete_cooperation_project",
)

# -- roadshows at universities ----------------------------------------------------------------

routes.forward(
    "organise_roadshow",
    "POST",
    "/api/v1/roadshows",
    summary="Organise a roadshow at a university (赴高校开展特色产业专题推介)",
    roles=(OFFICER,),
    body=RoadshowInput,
    response=RoadshowView,
    status=201,
    errors=(403, 404),
    description=COOPERATION_OFFICERS,
    rpc="jobs.organise_roadshow",
    arguments={"roadshow": BODY},
    location="/api/v1/roadshows/{id}",
)

routes.forward(
    "list_roadshows",
    "GET",
    "/api/v1/roadshows",
    summary="Roadshows at universities still open, soonest first",
    query=RoadshowFilter,
    response=RoadshowPage,
    paginated=True,
    rpc="jobs.list_roadshows",
    arguments={"query": QUERY},
)

routes.forward(
    "get_roadshow",
    "GET",
    "/api/v1/roadshows/<roadshow_id>",
    summary="A roadshow with the employers that joined and the posts they present",
    response=RoadshowDetail,
    errors=(404,),
    rpc="jobs.get_roadshow",
)

routes.forward(
    "join_roadshow",
    "POST",
    "/api/v1/roadshows/<roadshow_id>/employers",
    summary="Join a roadshow at a university (verified employers, while places last)",
    roles=(EMPLOYER,),
    body=RoadshowJoinInput,
    response=RoadshowParticipationView,
    status=201,
    errors=(404, 409, 422),
    rpc="jobs.join_roadshow",
    arguments={"joining": BODY},
    location="/api/v1/roadshows/{roadshow_id}",
)

# -- city-level fairs, practice placements ----------------------------------------------------

routes.forward(
    "list_city_fair",
    "POST",
    "/api/v1/city-fairs",
    summary="List a city-level job fair for the district's young people (市级招聘活动)",
    roles=(OFFICER,),
    body=CityFairInput,
    response=FairView,
    status=201,
    errors=(403,),
    description=DECIDING_OFFICERS
    + " Young people register for it as for any fair (`POST /api/v1/fairs/{id}/registrations`);"
    " it is listed by `GET /api/v1/fairs?level=city`; its booths are the city's.",
    rpc="jobs.list_city_fair",
    arguments={"fair": BODY},
    location="/api/v1/fairs/{id}",
)

routes.forward(
    "record_practice_placement",
    "POST",
    "/api/v1/me/practice-placements",
    summary="Report students of a university placed with my practice unit (a count, no names)",
    roles=(EMPLOYER,),
    body=PracticePlacementInput,
    response=PracticePlacementView,
    status=201,
    errors=(404, 409, 422),
    rpc="jobs.record_practice_placement",
    arguments={"placement": BODY},
)

routes.forward(
    "my_practice_placements",
    "GET",
    "/api/v1/me/practice-placements",
    summary="The placements my practice unit reported",
    roles=(EMPLOYER,),
    query=PageQuery,
    response=PracticePlacementPage,
    paginated=True,
    errors=(404,),
    rpc="jobs.my_practice_placements",
    arguments={"query": QUERY},
)
