"""Routes of the jobs service (see services/jobs/README.md): employers and practice units, posts
and their search, applications. Traineeships, employment subsidies and job fairs are in
`jobs_programmes.py`.

The gateway checks the role; the service checks the rest (whose post, whose application, which
unit), so someone else's resource is a 404 and an officer of the wrong unit a 403 either way.
"""

from __future__ import annotations

from services.common.rpc import ClusterProxy
from services.common.schemas import PageQuery
from services.jobs.contract import (
    EmployerFilter,
    EmployerPage,
    EmployerRegistration,
    EmployerRejection,
    EmployerUpdate,
    EmployerVerification,
    EmployerView,
    JobApplicationFilter,
    JobApplicationInput,
    JobApplicationPage,
    JobApplicationStatusChange,
    JobApplicationView,
    MyPostsQuery,
    PostClosing,
    PostHistory,
    PostInput,
    PostPage,
    PostReturn,
    PostSearch,
    PostUpdate,
    PostView,
    PracticeUnitDesignation,
    PracticeUnitPage,
)

from ..accounts import EMPLOYER, OFFICER, YOUTH
from ..api import Call, Encoded
from ..composition import Routes
from ..forward import BODY, CALLER, QUERY, SERVICE_ERRORS, body_field, profile_facts
from ..read_model import ReadModel

DECIDING_OFFICERS = "Officers of 区人社局 (the `hrss` unit, a policy parameter) only."

routes = Routes(tags=["jobs"])


def organisation_name(call: Call) -> str:
    """The employer account's organisation name, which its registration carries."""
    return call.identity.account.display_name


def _post_changed(read_model: ReadModel, post_id: str, answer: dict) -> dict:
    """This replica's read model forgets the post at once (the others on the event), so
    whoever changed it reads the change back."""
    read_model.posts.forget(post_id)
    return answer


# -- employers ---------------------------------------------------------------------------

routes.forward(
    "register_employer",
    "POST",
    "/api/v1/employers",
    summary="Register my organisation (unified social credit code checked)",
    roles=(EMPLOYER,),
    body=EmployerRegistration,
    response=EmployerView,
    status=201,
    errors=(409, 422),
    description="The name is the employer account's organisation name. The registration "
    "waits for an officer of 区人社局 to verify it; only verified employers publish posts.",
    rpc="jobs.register_employer",
    arguments={"employer": BODY, "name": organisation_name},
    location="/api/v1/employers/me",
)

routes.forward(
    "my_employer",
    "GET",
    "/api/v1/employers/me",
    summary="My organisation and its verification",
    roles=(EMPLOYER,),
    response=EmployerView,
    errors=(404,),
    rpc="jobs.my_employer",
)

routes.forward(
    "update_my_employer",
    "PATCH",
    "/api/v1/employers/me",
    summary="Correct my organisation's details (a rejected registration is reviewed again)",
    roles=(EMPLOYER,),
    body=EmployerUpdate,
    response=EmployerView,
    errors=(404, 409, 422),
    rpc="jobs.update_my_employer",
    arguments={"changes": BODY},
)

routes.forward(
    "list_employers",
    "GET",
    "/api/v1/employers",
    summary="Employers by verification state, oldest registration first",
    roles=(OFFICER,),
    query=EmployerFilter,
    response=EmployerPage,
    paginated=True,
    errors=(403,),
    description=DECIDING_OFFICERS,
    rpc="jobs.list_employers",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_employer",
    "GET",
    "/api/v1/employers/<employer_id>",
    summary="One employer",
    roles=(OFFICER,),
    response=EmployerView,
    errors=(403, 404),
    description=DECIDING_OFFICERS,
    rpc="jobs.get_employer",
)

routes.forward(
    "verify_employer",
    "POST",
    "/api/v1/employers/<employer_id>/verify",
    summary="Verify an employer: it may publish posts",
    roles=(OFFICER,),
    body=EmployerVerification,
    response=EmployerView,
    errors=(403, 404, 409),
    description=DECIDING_OFFICERS + " Recorded in the audit trail.",
    rpc="jobs.verify_employer",
    arguments={"note": body_field("note")},
)

routes.forward(
    "reject_employer",
    "POST",
    "/api/v1/employers/<employer_id>/reject",
    summary="Reject an employer's registration, with the reason",
    roles=(OFFICER,),
    body=EmployerRejection,
    response=EmployerView,
    errors=(403, 404, 409),
    description=DECIDING_OFFICERS + " Recorded in the audit trail; the employer is told why.",
    rpc="jobs.reject_employer",
    arguments={"reason": body_field("reason")},
)

routes.forward(
    "designate_practice_unit",
    "POST",
    "/api/v1/employers/<employer_id>/practice-unit",
    summary="Designate a verified employer a practice unit (产教融合实践单位)",
    roles=(OFFICER,),
    body=PracticeUnitDesignation,
    response=EmployerView,
    errors=(403, 404, 409),
    description=DECIDING_OFFICERS
    + " A verified status with a term (default: the policy's years from today) and the "
    "registered universities it serves. Recorded in the audit trail.",
    rpc="jobs.designate_practice_unit",
    arguments={"partners": body_field("partners"), "term": BODY},
)

routes.forward(
    "practice_units",
    "GET",
    "/api/v1/practice-units",
    summary="Practice units (产教融合实践单位) with the posts they offer",
    query=PageQuery,
    response=PracticeUnitPage,
    paginated=True,
    rpc="jobs.practice_units",
    arguments={"query": QUERY},
)

# -- posts -------------------------------------------------------------------------------

routes.forward(
    "create_post",
    "POST",
    "/api/v1/posts",
    summary="Draft a post: a job, an internship (实习) or a traineeship (见习)",
    roles=(EMPLOYER,),
    body=PostInput,
    response=PostView,
    status=201,
    errors=(409, 422),
    description="A registered employer drafts; it submits for review once verified.",
    rpc="jobs.create_post",
    arguments={"post": BODY},
    location="/api/v1/posts/{id}",
)

routes.forward(
    "search_posts",
    "GET",
    "/api/v1/posts",
    summary="Search published posts",
    query=PostSearch,
    response=PostPage,
    paginated=True,
    description="By keyword (Chinese needs no spaces), kind, area, industry, education and "
    "salary; newest or best paid first. Pages are keyset-paginated: following `next` never "
    "repeats or skips a post while new ones are published.",
    rpc="jobs.search_posts",
    arguments={"query": QUERY},
)


@routes.route(
    "GET",
    "/api/v1/posts/<post_id>",
    summary="One post (a draft only to its employer and reviewing officers)",
    response=PostView,
    errors=(404, *SERVICE_ERRORS),
)
def get_post(call: Call, post_id: str, *, services: ClusterProxy, read_model: ReadModel):
    def load() -> Encoded:
        post = services.jobs.get_post(post_id=post_id)
        # a published post reads the same for everyone: the read model may answer
        return Encoded(post, shared=post["published_at"] is not None)

    return read_model.posts.fetch(post_id, load, keep=lambda post: post.shared)


routes.forward(
    "update_post",
    "PATCH",
    "/api/v1/posts/<post_id>",
    summary="Change a draft post",
    roles=(EMPLOYER,),
    body=PostUpdate,
    response=PostView,
    errors=(404, 409, 422),
    rpc="jobs.update_post",
    arguments={"changes": BODY},
)

routes.forward(
    "submit_post",
    "POST",
    "/api/v1/posts/<post_id>/submit",
    summary="Submit a draft for review (verified employers only)",
    roles=(EMPLOYER,),
    response=PostView,
    errors=(404, 409, 422),
    rpc="jobs.post_step",
    arguments={"action": "submit"},
)

routes.forward(
    "approve_post",
    "POST",
    "/api/v1/posts/<post_id>/approve",
    summary="Approve a post under review: it is published",
    roles=(OFFICER,),
    response=PostView,
    errors=(403, 404, 409),
    description=DECIDING_OFFICERS + " Recorded in the audit trail.",
    rpc="jobs.post_step",
    arguments={"action": "approve"},
)

routes.forward(
    "return_post",
    "POST",
    "/api/v1/posts/<post_id>/return",
    summary="Send a post under review back to its employer, with the reason",
    roles=(OFFICER,),
    body=PostReturn,
    response=PostView,
    errors=(403, 404, 409),
    description=DECIDING_OFFICERS + " Recorded in the audit trail.",
    rpc="jobs.post_step",
    arguments={"action": "return", "reason": body_field("reason")},
)


@routes.route(
    "POST",
    "/api/v1/posts/<post_id>/close",
    summary="Close a post (its employer, or a reviewing officer with the reason)",
    roles=(EMPLOYER, OFFICER),
    body=PostClosing,
    response=PostView,
    errors=(403, 404, 409, *SERVICE_ERRORS),
)
def close_post(call: Call, post_id: str, *, services: ClusterProxy, read_model: ReadModel):
    closed = services.jobs.post_step(
        post_id=post_id, action="close", reason=call.body.get("reason")
    )
    return _post_changed(read_model, post_id, closed)


@routes.route(
    "POST",
    "/api/v1/posts/<post_id>/fill",
    summary="Mark a published post filled",
    roles=(EMPLOYER,),
    response=PostView,
    errors=(404, 409, *SERVICE_ERRORS),
    description="A post is also filled by itself when its last position is hired.",
)
def fill_post(call: Call, post_id: str, *, services: ClusterProxy, read_model: ReadModel):
    filled = services.jobs.post_step(post_id=post_id, action="fill")
    return _post_changed(read_model, post_id, filled)


routes.forward(
    "post_history",
    "GET",
    "/api/v1/posts/<post_id>/history",
    summary="A post's history: every step, by whom, and why",
    roles=(EMPLOYER, OFFICER),
    response=PostHistory,
    errors=(404,),
    rpc="jobs.post_history",
)

routes.forward(
    "my_posts",
    "GET",
    "/api/v1/me/posts",
    summary="My organisation's posts, in every state, newest first",
    roles=(EMPLOYER,),
    query=MyPostsQuery,
    response=PostPage,
    paginated=True,
    rpc="jobs.my_posts",
    arguments={"query": QUERY},
)

routes.forward(
    "review_posts",
    "GET",
    "/api/v1/review/posts",
    summary="Posts waiting for review, the longest waiting first",
    roles=(OFFICER,),
    query=PageQuery,
    response=PostPage,
    paginated=True,
    errors=(403,),
    description=DECIDING_OFFICERS,
    rpc="jobs.review_queue",
    arguments={"query": QUERY},
)

# -- applications ------------------------------------------------------------------------

routes.forward(
    "apply_for_post",
    "POST",
    "/api/v1/posts/<post_id>/applications",
    summary="Apply for a post (once per post; traineeships for eligible people only)",
    roles=(YOUTH,),
    body=JobApplicationInput,
    response=JobApplicationView,
    status=201,
    errors=(404, 409, 422),
    description="The gateway passes the service the person's id and the profile facts a "
    "decision needs (age, degree, graduation date, employment status), never a name, an ID "
    "number or a phone.",
    rpc="jobs.apply",
    arguments={"person": profile_facts, "application": BODY},
    location="/api/v1/job-applications/{id}",
)

routes.forward(
    "post_applications",
    "GET",
    "/api/v1/posts/<post_id>/applications",
    summary="Applications to one of my posts, newest first",
    roles=(EMPLOYER, OFFICER),
    query=JobApplicationFilter,
    response=JobApplicationPage,
    paginated=True,
    errors=(404,),
    rpc="jobs.post_applications",
    arguments={"query": QUERY},
)

routes.forward(
    "my_job_applications",
    "GET",
    "/api/v1/me/job-applications",
    summary="My job applications, newest first",
    roles=(YOUTH,),
    query=JobApplicationFilter,
    response=JobApplicationPage,
    paginated=True,
    rpc="jobs.my_applications",
    arguments={"person_id": CALLER, "query": QUERY},
)

routes.forward(
    "get_job_application",
    "GET",
    "/api/v1/job-applications/<application_id>",
    summary="One application with its history (the applicant's or one to my posts)",
    roles=(YOUTH, EMPLOYER, OFFICER),
    response=JobApplicationView,
    errors=(404,),
    rpc="jobs.get_application",
)


@routes.route(
    "POST",
    "/api/v1/job-applications/<application_id>/status",
    summary="Move an application on (employer) or withdraw it (applicant)",
    roles=(YOUTH, EMPLOYER),
    body=JobApplicationStatusChange,
    response=JobApplicationView,
    errors=(403, 404, 409, 422, *SERVICE_ERRORS),
    description="submitted → viewed → interview → offer → hired | rejected | withdrawn. "
    "Hiring records whether the contract carries social insurance; on a traineeship post "
    "it starts the traineeship.",
)
def change_job_application_status(
    call: Call, application_id: str, *, services: ClusterProxy, read_model: ReadModel
):
    application = services.jobs.change_application_status(
        application_id=application_id, change=call.body
    )
    return _post_changed(read_model, application["post_id"], application)
