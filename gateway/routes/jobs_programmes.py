"""Routes of the jobs service's programmes (see services/jobs/README.md): traineeships (见习) and
their eligibility, employment subsidies (the one-off hiring subsidy and the traineeship's), and
job fairs (春风行动). Employers, posts and applications are in `jobs.py`.
"""

from __future__ import annotations

from services.common.db import Database
from services.common.rpc import ClusterProxy
from services.common.schemas import PageQuery
from services.jobs.contract import (
    BoothInput,
    BoothView,
    EligibilityView,
    FairDetail,
    FairFilter,
    FairInput,
    FairPage,
    FairRegistrationPage,
    FairRegistrationView,
    FairView,
    SubsidyClaimDecision,
    SubsidyClaimFilter,
    SubsidyClaimInput,
    SubsidyClaimPage,
    SubsidyClaimView,
    TraineeshipEnd,
    TraineeshipFilter,
    TraineeshipPage,
    TraineeshipView,
)

from .. import facts
from ..accounts import EMPLOYER, OFFICER, YOUTH
from ..api import Call
from ..composition import Routes
from ..forward import BODY, CALLER, QUERY, SERVICE_ERRORS, profile_facts
from ..models import YouthProfile
from .jobs import DECIDING_OFFICERS

routes = Routes(tags=["jobs"])


def fair_attendee(call: Call) -> dict:
    """Who registers for a fair: the young person's id, once their profile exists."""
    return {"person_id": profile_facts(call)["person_id"]}


# -- traineeships ------------------------------------------------------------------------

routes.forward(
    "traineeship_eligibility",
    "GET",
    "/api/v1/traineeships/eligibility",
    summary="Am I eligible for the traineeship programme (百名大学生助龙计划)?",
    roles=(YOUTH,),
    response=EligibilityView,
    errors=(422,),
    description="Each rule, passed or failed, with what it was judged on, in zh-CN and en.",
    rpc="jobs.traineeship_eligibility",
    arguments={"person": profile_facts},
)

routes.forward(
    "list_traineeships",
    "GET",
    "/api/v1/traineeships",
    summary="Traineeships: my own (youth), those I host (employer), or all (officer)",
    roles=(YOUTH, EMPLOYER, OFFICER),
    query=TraineeshipFilter,
    response=TraineeshipPage,
    paginated=True,
    errors=(403,),
    rpc="jobs.traineeships",
    arguments={"query": QUERY},
)

routes.forward(
    "get_traineeship",
    "GET",
    "/api/v1/traineeships/<traineeship_id>",
    summary="One traineeship and the host's subsidy",
    roles=(YOUTH, EMPLOYER, OFFICER),
    response=TraineeshipView,
    errors=(404,),
    rpc="jobs.get_traineeship",
)

routes.forward(
    "end_traineeship",
    "POST",
    "/api/v1/traineeships/<traineeship_id>/end",
    summary="End a traineeship I host: completed, retained (hired by us) or left early",
    roles=(EMPLOYER,),
    body=TraineeshipEnd,
    response=TraineeshipView,
    errors=(404, 409, 422),
    description="The subsidy is settled: the planned months when completed or retained (an "
    "early hire keeps the remaining months), the months served when the trainee left.",
    rpc="jobs.end_traineeship",
    arguments={"end": BODY},
)

# -- employment subsidies ----------------------------------------------------------------

routes.forward(
    "claim_employment_subsidy",
    "POST",
    "/api/v1/employment-subsidies",
    summary="Claim a subsidy: the one-off hiring subsidy for a hire, or a traineeship's",
    roles=(EMPLOYER,),
    body=SubsidyClaimInput,
    response=SubsidyClaimView,
    status=201,
    errors=(404, 409, 422),
    description="一次性扩岗补助: a recent graduate hired on a contract with social insurance, "
    "once per person ever. 见习补贴: a traineeship that has ended.",
    rpc="jobs.claim_subsidy",
    arguments={"claim": BODY},
    location="/api/v1/employment-subsidies/{id}",
)

routes.forward(
    "employment_subsidies",
    "GET",
    "/api/v1/employment-subsidies",
    summary="Subsidy claims: my own (employer) or all, oldest first (officer)",
    roles=(EMPLOYER, OFFICER),
    query=SubsidyClaimFilter,
    response=SubsidyClaimPage,
    paginated=True,
    errors=(403,),
    rpc="jobs.subsidy_claims",
    arguments={"query": QUERY},
)

routes.forward(
    "get_employment_subsidy",
    "GET",
    "/api/v1/employment-subsidies/<claim_id>",
    summary="One subsidy claim (mine, or any for an officer)",
    roles=(EMPLOYER, OFFICER),
    response=SubsidyClaimView,
    errors=(404,),
    rpc="jobs.get_subsidy_claim",
)


@routes.route(
    "POST",
    "/api/v1/employment-subsidies/<claim_id>/decision",
    summary="Grant or reject a subsidy claim (a rejection with its reason)",
    roles=(OFFICER,),
    body=SubsidyClaimDecision,
    response=SubsidyClaimView,
    errors=(403, 404, 409, *SERVICE_ERRORS),
    description=DECIDING_OFFICERS
    + " Recorded in the audit trail, with the profile facts the decision used and whether each "
    "was verified. The hiring subsidy is granted only on verified facts (the graduation date "
    "the hire was judged on, verified by an officer of 区人社局): 409 `facts_unverified` "
    "naming the fact otherwise.",
)
def decide_employment_subsidy(
    call: Call, claim_id: str, *, services: ClusterProxy, db: Database
) -> dict:
    claim = services.jobs.get_subsidy_claim(claim_id=claim_id)
    with db.reading() as session:
        profile = session.get(YouthProfile, claim["person_id"]) if claim["person_id"] else None
        verified = facts.verified_facts(profile)
    return services.jobs.decide_subsidy(
        claim_id=claim_id, decision=call.body, verified_facts=verified
    )


# -- job fairs ---------------------------------------------------------------------------

routes.forward(
    "create_fair",
    "POST",
    "/api/v1/fairs",
    summary="Open a job fair (春风行动), online or on site",
    roles=(OFFICER,),
    body=FairInput,
    response=FairView,
    status=201,
    errors=(403,),
    description=DECIDING_OFFICERS,
    rpc="jobs.create_fair",
    arguments={"fair": BODY},
    location="/api/v1/fairs/{id}",
)

routes.forward(
    "list_fairs",
    "GET",
    "/api/v1/fairs",
    summary="Job fairs still open, soonest first",
    query=FairFilter,
    response=FairPage,
    paginated=True,
    rpc="jobs.list_fairs",
    arguments={"query": QUERY},
)

routes.forward(
    "get_fair",
    "GET",
    "/api/v1/fairs/<fair_id>",
    summary="One job fair with its booths and the posts they show",
    response=FairDetail,
    errors=(404,),
    rpc="jobs.get_fair",
)

routes.forward(
    "book_fair_booth",
    "POST",
    "/api/v1/fairs/<fair_id>/booths",
    summary="Take a free booth at a fair (verified employers)",
    roles=(EMPLOYER,),
    body=BoothInput,
    response=BoothView,
    status=201,
    errors=(404, 409, 422),
    rpc="jobs.book_booth",
    arguments={"booth": BODY},
    location="/api/v1/fairs/{fair_id}",
)

routes.forward(
    "register_for_fair",
    "POST",
    "/api/v1/fairs/<fair_id>/registrations",
    summary="Register to attend a job fair",
    roles=(YOUTH,),
    response=FairRegistrationView,
    status=201,
    errors=(404, 409, 422),
    rpc="jobs.register_for_fair",
    arguments={"person": fair_attendee},
    location="/api/v1/fairs/{fair_id}",
)

routes.forward(
    "my_fair_registrations",
    "GET",
    "/api/v1/me/fair-registrations",
    summary="The job fairs I registered for",
    roles=(YOUTH,),
    query=PageQuery,
    response=FairRegistrationPage,
    paginated=True,
    rpc="jobs.my_fair_registrations",
    arguments={"person_id": CALLER, "query": QUERY},
)
