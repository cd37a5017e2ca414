"""Rural revitalisation (plan 三.3 创新乡村振兴形式; services/startup/README.md, "Rural
revitalisation"): the rural partner plan (乡村合伙人计划) and the young doers' plan
(青年实干家计划).

Officers of the agriculture unit (区农业农村局) publish partnership projects, select partners and
follow them up; young people and companies apply with their contribution. Officers of the
organisation department (区委组织部) open calls for village support teams, select young
applicants and post them to villages. The training of leaders of getting rich (致富带头人培训) is
a training course of kind `rural_leaders` (`startup_incubation.py`).
"""

from __future__ import annotations

from services.startup.contract.rural import (
    DoerApplicationFilter,
    DoerApplicationInput,
    DoerApplicationPage,
    DoerApplicationView,
    DoerCallFilter,
    DoerCallInput,
    DoerCallPage,
    DoerCallView,
    DoerDecisionInput,
    FollowUpInput,
    FollowUpView,
    PartnerApplicationFilter,
    PartnerApplicationInput,
    PartnerApplicationPage,
    PartnerApplicationView,
    PartnerDecisionInput,
    PostingInput,
    RuralProjectFilter,
    RuralProjectInput,
    RuralProjectPage,
    RuralProjectView,
)

from ..accounts import ADMIN, EMPLOYER, OFFICER, YOUTH
from ..composition import Routes
from ..forward import BODY, QUERY, caller_facts

routes = Routes(tags=["startup"])

PROJECTS = "/api/v1/startup/rural-projects"
PARTNERS = "/api/v1/startup/partner-applications"
CALLS = "/api/v1/startup/doer-calls"
DOERS = "/api/v1/startup/doer-applications"

# -- the rural partner plan (乡村合伙人计划) ------------------------------------------------------

routes.forward(
    "publish_rural_project",
    "POST",
    PROJECTS,
    summary="Publish a partnership project of the rural partner plan and what it seeks "
    "(the agriculture unit)",
    roles=(OFFICER,),
    body=RuralProjectInput,
    response=RuralProjectView,
    status=201,
    rpc="startup.publish_rural_project",
    arguments={"project": BODY},
    location=PROJECTS + "/{id}",
)

routes.forward(
    "list_rural_projects",
    "GET",
    PROJECTS,
    summary="Partnership projects of the rural partner plan, newest first",
    query=RuralProjectFilter,
    response=RuralProjectPage,
    paginated=True,
    rpc="startup.list_rural_projects",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_rural_project",
    "GET",
    PROJECTS + "/<project_id>",
    summary="One partnership project",
    response=RuralProjectView,
    errors=(404,),
    rpc="startup.get_rural_project",
)

routes.forward(
    "close_rural_project",
    "POST",
    PROJECTS + "/<project_id>/close",
    summary="Stop taking applications to a partnership project (its unit)",
    roles=(OFFICER,),
    response=RuralProjectView,
    errors=(404, 409),
    rpc="startup.close_rural_project",
)

routes.forward(
    "apply_as_rural_partner",
    "POST",
    PROJECTS + "/<project_id>/applications",
    summary="Apply to a partnership project with capital, technical service or a company",
    roles=(YOUTH, EMPLOYER),
    body=PartnerApplicationInput,
    response=PartnerApplicationView,
    status=201,
    errors=(404, 409),
    rpc="startup.apply_as_partner",
    arguments={"application": BODY},
    location=PARTNERS + "/{id}",
)

routes.forward(
    "list_partner_applications",
    "GET",
    PARTNERS,
    summary="Partnership applications: mine, or the agriculture unit's queue (oldest first)",
    roles=(YOUTH, EMPLOYER, OFFICER, ADMIN),
    query=PartnerApplicationFilter,
    response=PartnerApplicationPage,
    paginated=True,
    errors=(403,),
    rpc="startup.list_partner_applications",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_partner_application",
    "GET",
    PARTNERS + "/<application_id>",
    summary="One partnership application with its follow-ups",
    roles=(YOUTH, EMPLOYER, OFFICER, ADMIN),
    response=PartnerApplicationView,
    errors=(404,),
    rpc="startup.get_partner_application",
)

routes.forward(
    "decide_partner_application",
    "POST",
    PARTNERS + "/<application_id>/decision",
    summary="Accept a partner, or decline with the reason (the project's unit)",
    roles=(OFFICER,),
    body=PartnerDecisionInput,
    response=PartnerApplicationView,
    errors=(404, 409),
    rpc="startup.decide_partner_application",
    arguments={"decision": BODY},
)

routes.forward(
    "withdraw_partner_application",
    "POST",
    PARTNERS + "/<application_id>/withdraw",
    summary="Withdraw my partnership application before it is decided",
    roles=(YOUTH, EMPLOYER),
    response=PartnerApplicationView,
    errors=(404, 409),
    rpc="startup.withdraw_partner_application",
)

routes.forward(
    "follow_up_partner",
    "POST",
    PARTNERS + "/<application_id>/follow-ups",
    summary="Record a follow-up of an accepted partnership: progress, capital invested, jobs",
    roles=(OFFICER,),
    body=FollowUpInput,
    response=FollowUpView,
    status=201,
    errors=(404, 409),
    rpc="startup.follow_up_partner",
    arguments={"follow_up": BODY},
)

# -- the young doers' plan (青年实干家计划) --------------------------------------------------------

routes.forward(
    "open_doer_call",
    "POST",
    CALLS,
    summary="Open a call for village support-team members (the organisation department)",
    roles=(OFFICER,),
    body=DoerCallInput,
    response=DoerCallView,
    status=201,
    rpc="startup.open_doer_call",
    arguments={"call": BODY},
    location=CALLS + "/{id}",
)

routes.forward(
    "list_doer_calls",
    "GET",
    CALLS,
    summary="Calls for village support-team members, newest first",
    query=DoerCallFilter,
    response=DoerCallPage,
    paginated=True,
    rpc="startup.list_doer_calls",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_doer_call",
    "GET",
    CALLS + "/<call_id>",
    summary="One call for village support-team members",
    response=DoerCallView,
    errors=(404,),
    rpc="startup.get_doer_call",
)

routes.forward(
    "close_doer_call",
    "POST",
    CALLS + "/<call_id>/close",
    summary="Stop taking applications to a call (its department)",
    roles=(OFFICER,),
    response=DoerCallView,
    errors=(404, 409),
    rpc="startup.close_doer_call",
)

routes.forward(
    "apply_as_doer",
    "POST",
    CALLS + "/<call_id>/applications",
    summary="Apply to a village support team (the young doers' plan)",
    roles=(YOUTH,),
    body=DoerApplicationInput,
    response=DoerApplicationView,
    status=201,
    errors=(404, 409),
    rpc="startup.apply_as_doer",
    arguments={"application": BODY, "person": caller_facts("age", "degree")},
    location=DOERS + "/{id}",
)

routes.forward(
    "list_doer_applications",
    "GET",
    DOERS,
    summary="Young doers' applications: mine, or the organisation department's queue",
    roles=(YOUTH, OFFICER, ADMIN),
    query=DoerApplicationFilter,
    response=DoerApplicationPage,
    paginated=True,
    errors=(403,),
    rpc="startup.list_doer_applications",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_doer_application",
    "GET",
    DOERS + "/<application_id>",
    summary="One young doers' application and its posting",
    roles=(YOUTH, OFFICER, ADMIN),
    response=DoerApplicationView,
    errors=(404,),
    rpc="startup.get_doer_application",
)

routes.forward(
    "decide_doer_application",
    "POST",
    DOERS + "/<application_id>/decision",
    summary="Select an applicant, or not with the reason (the organisation department)",
    roles=(OFFICER,),
    body=DoerDecisionInput,
    response=DoerApplicationView,
    errors=(404, 409),
    rpc="startup.decide_doer_application",
    arguments={"decision": BODY},
)

routes.forward(
    "post_doer",
    "POST",
    DOERS + "/<application_id>/posting",
    summary="Post a selected member to one of the call's villages for a term",
    roles=(OFFICER,),
    body=PostingInput,
    response=DoerApplicationView,
    errors=(404, 409),
    rpc="startup.post_doer",
    arguments={"posting": BODY},
)

routes.forward(
    "withdraw_doer_application",
    "POST",
    DOERS + "/<application_id>/withdraw",
    summary="Withdraw my young doers' application before it is decided",
    roles=(YOUTH,),
    response=DoerApplicationView,
    errors=(404, 409),
    rpc="startup.withdraw_doer_application",
)
