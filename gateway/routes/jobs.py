"""Routes of the jobs service (see services/jobs/README.md): employers, posts and their search,
applications, traineeships, employment subsidies, job fairs and practice units.

The gateway checks the role; the service checks the rest (whose post, whose application, which
unit), so someone else's resource is a 404 and an officer of the wrong unit a 403 either way.
"""

from __future__ import annotations

from services.common.errors import DomainError
from services.common.schemas import PageQuery
from services.jobs.contract import (
    BoothInput,
    BoothView,
    EligibilityView,
    EmployerFilter,
    EmployerPage,
    EmployerRegistration,
    EmployerRejection,
    EmployerUpdate,
    EmployerVerification,
    EmployerView,
    FairDetail,
    FairFilter,
    FairInput,
    FairPage,
    FairRegistrationPage,
    FairRegistrationView,
    FairView,
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

from ..accounts import EMPLOYER, OFFICER, YOUTH
from ..api import Call, Created, Encoded, PageResult, route

TAGS = ["jobs"]
SERVICE_ERRORS = (503, 504)
DECIDING_OFFICERS = "Officers of 区人社局 (the `hrss` unit, a policy parameter) only."


class JobsRoutes:
    """The public API of the jobs service."""

    def _jobseeker_facts(self, call: Call) -> dict:
        """The caller's profile facts for the service (no name, no ID number, no phone)."""
        facts = self.youth_facts(call)
        if not facts.get("person_id"):
            raise DomainError("youth_profile_required", status=422, field="profile")
        return facts

    @staticmethod
    def _jobs_query(call: Call) -> dict:
        return dict(call.query)

    # -- employers ---------------------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/employers",
        summary="Register my organisation (unified social credit code checked)",
        tags=TAGS,
        roles=(EMPLOYER,),
        body=EmployerRegistration,
        response=EmployerView,
        status=201,
        errors=(409, 422, *SERVICE_ERRORS),
        description="The name is the employer account's organisation name. The registration "
        "waits for an officer of 区人社局 to verify it; only verified employers publish posts.",
    )
    def register_employer(self, call: Call):
        employer = self.services.jobs.register_employer(
            employer=call.body, name=call.identity.account.display_name
        )
        return Created(employer, "/api/v1/employers/me")

    @route(
        "GET",
        "/api/v1/employers/me",
        summary="My organisation and its verification",
        tags=TAGS,
        roles=(EMPLOYER,),
        response=EmployerView,
        errors=(404, *SERVICE_ERRORS),
    )
    def my_employer(self, call: Call):
        return self.services.jobs.my_employer()

    @route(
        "PATCH",
        "/api/v1/employers/me",
        summary="Correct my organisation's details (a rejected registration is reviewed again)",
        tags=TAGS,
        roles=(EMPLOYER,),
        body=EmployerUpdate,
        response=EmployerView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def update_my_employer(self, call: Call):
        return self.services.jobs.update_my_employer(changes=call.body)

    @route(
        "GET",
        "/api/v1/employers",
        summary="Employers by verification state, oldest registration first",
        tags=TAGS,
        roles=(OFFICER,),
        query=EmployerFilter,
        response=EmployerPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS,
    )
    def list_employers(self, call: Call):
        return PageResult.of(self.services.jobs.list_employers(filters=self._jobs_query(call)))

    @route(
        "GET",
        "/api/v1/employers/<employer_id>",
        summary="One employer",
        tags=TAGS,
        roles=(OFFICER,),
        response=EmployerView,
        errors=(403, 404, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS,
    )
    def get_employer(self, call: Call, employer_id: str):
        return self.services.jobs.get_employer(employer_id=employer_id)

    @route(
        "POST",
        "/api/v1/employers/<employer_id>/verify",
        summary="Verify an employer: it may publish posts",
        tags=TAGS,
        roles=(OFFICER,),
        body=EmployerVerification,
        response=EmployerView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS + " Recorded in the audit trail.",
    )
    def verify_employer(self, call: Call, employer_id: str):
        return self.services.jobs.verify_employer(
            employer_id=employer_id, note=call.body.get("note")
        )

    @route(
        "POST",
        "/api/v1/employers/<employer_id>/reject",
        summary="Reject an employer's registration, with the reason",
        tags=TAGS,
        roles=(OFFICER,),
        body=EmployerRejection,
        response=EmployerView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS + " Recorded in the audit trail; the employer is told why.",
    )
    def reject_employer(self, call: Call, employer_id: str):
        return self.services.jobs.reject_employer(
            employer_id=employer_id, reason=call.body["reason"]
        )

    @route(
        "POST",
        "/api/v1/employers/<employer_id>/practice-unit",
        summary="Designate a verified employer a practice unit (产教融合实践单位)",
        tags=TAGS,
        roles=(OFFICER,),
        body=PracticeUnitDesignation,
        response=EmployerView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS + " Recorded in the audit trail.",
    )
    def designate_practice_unit(self, call: Call, employer_id: str):
        return self.services.jobs.designate_practice_unit(
            employer_id=employer_id, partners=call.body["partners"]
        )

    @route(
        "GET",
        "/api/v1/practice-units",
        summary="Practice units (产教融合实践单位) with the posts they offer",
        tags=TAGS,
        query=PageQuery,
        response=PracticeUnitPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def practice_units(self, call: Call):
        return PageResult.of(self.services.jobs.practice_units(query=self._jobs_query(call)))

    # -- posts -------------------------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/posts",
        summary="Draft a post: a job, an internship (实习) or a traineeship (见习)",
        tags=TAGS,
        roles=(EMPLOYER,),
        body=PostInput,
        response=PostView,
        status=201,
        errors=(409, 422, *SERVICE_ERRORS),
        description="A registered employer drafts; it submits for review once verified.",
    )
    def create_post(self, call: Call):
        post = self.services.jobs.create_post(post=call.body)
        return Created(post, f"/api/v1/posts/{post['id']}")

    @route(
        "GET",
        "/api/v1/posts",
        summary="Search published posts",
        tags=TAGS,
        query=PostSearch,
        response=PostPage,
        paginated=True,
        errors=SERVICE_ERRORS,
        description="By keyword (Chinese needs no spaces), kind, area, industry, education and "
        "salary; newest or best paid first. Pages are keyset-paginated: following `next` never "
        "repeats or skips a post while new ones are published.",
    )
    def search_posts(self, call: Call):
        return PageResult.of(self.services.jobs.search_posts(query=self._jobs_query(call)))

    @route(
        "GET",
        "/api/v1/posts/<post_id>",
        summary="One post (a draft only to its employer and reviewing officers)",
        tags=TAGS,
        response=PostView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_post(self, call: Call, post_id: str):
        def load() -> Encoded:
            post = self.services.jobs.get_post(post_id=post_id)
            # a published post reads the same for everyone: the read model may answer
            return Encoded(post, shared=post["published_at"] is not None)

        return self.read_model.posts.fetch(post_id, load, keep=lambda post: post.shared)

    @route(
        "PATCH",
        "/api/v1/posts/<post_id>",
        summary="Change a draft post",
        tags=TAGS,
        roles=(EMPLOYER,),
        body=PostUpdate,
        response=PostView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def update_post(self, call: Call, post_id: str):
        return self.services.jobs.update_post(post_id=post_id, changes=call.body)

    @route(
        "POST",
        "/api/v1/posts/<post_id>/submit",
        summary="Submit a draft for review (verified employers only)",
        tags=TAGS,
        roles=(EMPLOYER,),
        response=PostView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def submit_post(self, call: Call, post_id: str):
        return self.services.jobs.post_step(post_id=post_id, action="submit")

    @route(
        "POST",
        "/api/v1/posts/<post_id>/approve",
        summary="Approve a post under review: it is published",
        tags=TAGS,
        roles=(OFFICER,),
        response=PostView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS + " Recorded in the audit trail.",
    )
    def approve_post(self, call: Call, post_id: str):
        return self.services.jobs.post_step(post_id=post_id, action="approve")

    @route(
        "POST",
        "/api/v1/posts/<post_id>/return",
        summary="Send a post under review back to its employer, with the reason",
        tags=TAGS,
        roles=(OFFICER,),
        body=PostReturn,
        response=PostView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS + " Recorded in the audit trail.",
    )
    def return_post(self, call: Call, post_id: str):
        return self.services.jobs.post_step(
            post_id=post_id, action="return", reason=call.body["reason"]
        )

    @route(
        "POST",
        "/api/v1/posts/<post_id>/close",
        summary="Close a post (its employer, or a reviewing officer with the reason)",
        tags=TAGS,
        roles=(EMPLOYER, OFFICER),
        body=PostClosing,
        response=PostView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
    )
    def close_post(self, call: Call, post_id: str):
        closed = self.services.jobs.post_step(
            post_id=post_id, action="close", reason=call.body.get("reason")
        )
        return self._post_changed(post_id, closed)

    @route(
        "POST",
        "/api/v1/posts/<post_id>/fill",
        summary="Mark a published post filled",
        tags=TAGS,
        roles=(EMPLOYER,),
        response=PostView,
        errors=(404, 409, *SERVICE_ERRORS),
        description="A post is also filled by itself when its last position is hired.",
    )
    def fill_post(self, call: Call, post_id: str):
        filled = self.services.jobs.post_step(post_id=post_id, action="fill")
        return self._post_changed(post_id, filled)

    def _post_changed(self, post_id: str, answer: dict) -> dict:
        """This replica's read model forgets the post at once (the others on the event), so
        whoever changed it reads the change back."""
        self.read_model.posts.forget(post_id)
        return answer

    @route(
        "GET",
        "/api/v1/posts/<post_id>/history",
        summary="A post's history: every step, by whom, and why",
        tags=TAGS,
        roles=(EMPLOYER, OFFICER),
        response=PostHistory,
        errors=(404, *SERVICE_ERRORS),
    )
    def post_history(self, call: Call, post_id: str):
        return self.services.jobs.post_history(post_id=post_id)

    @route(
        "GET",
        "/api/v1/me/posts",
        summary="My organisation's posts, in every state, newest first",
        tags=TAGS,
        roles=(EMPLOYER,),
        query=MyPostsQuery,
        response=PostPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def my_posts(self, call: Call):
        return PageResult.of(self.services.jobs.my_posts(query=self._jobs_query(call)))

    @route(
        "GET",
        "/api/v1/review/posts",
        summary="Posts waiting for review, the longest waiting first",
        tags=TAGS,
        roles=(OFFICER,),
        query=PageQuery,
        response=PostPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS,
    )
    def review_posts(self, call: Call):
        return PageResult.of(self.services.jobs.review_queue(query=self._jobs_query(call)))

    # -- applications ------------------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/posts/<post_id>/applications",
        summary="Apply for a post (once per post; traineeships for eligible people only)",
        tags=TAGS,
        roles=(YOUTH,),
        body=JobApplicationInput,
        response=JobApplicationView,
        status=201,
        errors=(404, 409, 422, *SERVICE_ERRORS),
        description="The gateway passes the service the person's id and the profile facts a "
        "decision needs (age, degree, graduation date, employment status), never a name, an ID "
        "number or a phone.",
    )
    def apply_for_post(self, call: Call, post_id: str):
        application = self.services.jobs.apply(
            post_id=post_id, person=self._jobseeker_facts(call), application=call.body
        )
        return Created(application, f"/api/v1/job-applications/{application['id']}")

    @route(
        "GET",
        "/api/v1/posts/<post_id>/applications",
        summary="Applications to one of my posts, newest first",
        tags=TAGS,
        roles=(EMPLOYER, OFFICER),
        query=JobApplicationFilter,
        response=JobApplicationPage,
        paginated=True,
        errors=(404, *SERVICE_ERRORS),
    )
    def post_applications(self, call: Call, post_id: str):
        return PageResult.of(
            self.services.jobs.post_applications(post_id=post_id, query=self._jobs_query(call))
        )

    @route(
        "GET",
        "/api/v1/me/job-applications",
        summary="My job applications, newest first",
        tags=TAGS,
        roles=(YOUTH,),
        query=JobApplicationFilter,
        response=JobApplicationPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def my_job_applications(self, call: Call):
        return PageResult.of(
            self.services.jobs.my_applications(
                person_id=call.account_id, query=self._jobs_query(call)
            )
        )

    @route(
        "GET",
        "/api/v1/job-applications/<application_id>",
        summary="One application with its history (the applicant's or one to my posts)",
        tags=TAGS,
        roles=(YOUTH, EMPLOYER, OFFICER),
        response=JobApplicationView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_job_application(self, call: Call, application_id: str):
        return self.services.jobs.get_application(application_id=application_id)

    @route(
        "POST",
        "/api/v1/job-applications/<application_id>/status",
        summary="Move an application on (employer) or withdraw it (applicant)",
        tags=TAGS,
        roles=(YOUTH, EMPLOYER),
        body=JobApplicationStatusChange,
        response=JobApplicationView,
        errors=(403, 404, 409, 422, *SERVICE_ERRORS),
        description="submitted → viewed → interview → offer → hired | rejected | withdrawn. "
        "Hiring records whether the contract carries social insurance; on a traineeship post "
        "it starts the traineeship.",
    )
    def change_job_application_status(self, call: Call, application_id: str):
        application = self.services.jobs.change_application_status(
            application_id=application_id, change=call.body
        )
        return self._post_changed(application["post_id"], application)

    # -- traineeships ------------------------------------------------------------------------

    @route(
        "GET",
        "/api/v1/traineeships/eligibility",
        summary="Am I eligible for the traineeship programme (百名大学生助龙计划)?",
        tags=TAGS,
        roles=(YOUTH,),
        response=EligibilityView,
        errors=(422, *SERVICE_ERRORS),
        description="Each rule, passed or failed, with what it was judged on, in zh-CN and en.",
    )
    def traineeship_eligibility(self, call: Call):
        return self.services.jobs.traineeship_eligibility(person=self._jobseeker_facts(call))

    @route(
        "GET",
        "/api/v1/traineeships",
        summary="Traineeships: my own (youth), those I host (employer), or all (officer)",
        tags=TAGS,
        roles=(YOUTH, EMPLOYER, OFFICER),
        query=TraineeshipFilter,
        response=TraineeshipPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
    )
    def list_traineeships(self, call: Call):
        return PageResult.of(self.services.jobs.traineeships(query=self._jobs_query(call)))

    @route(
        "GET",
        "/api/v1/traineeships/<traineeship_id>",
        summary="One traineeship and the host's subsidy",
        tags=TAGS,
        roles=(YOUTH, EMPLOYER, OFFICER),
        response=TraineeshipView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_traineeship(self, call: Call, traineeship_id: str):
        return self.services.jobs.get_traineeship(traineeship_id=traineeship_id)

    @route(
        "POST",
        "/api/v1/traineeships/<traineeship_id>/end",
        summary="End a traineeship I host: completed, retained (hired by us) or left early",
        tags=TAGS,
        roles=(EMPLOYER,),
        body=TraineeshipEnd,
        response=TraineeshipView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
        description="The subsidy is settled: the planned months when completed or retained (an "
        "early hire keeps the remaining months), the months served when the trainee left.",
    )
    def end_traineeship(self, call: Call, traineeship_id: str):
        return self.services.jobs.end_traineeship(traineeship_id=traineeship_id, end=call.body)

    # -- employment subsidies ----------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/employment-subsidies",
        summary="Claim a subsidy: the one-off hiring subsidy for a hire, or a traineeship's",
        tags=TAGS,
        roles=(EMPLOYER,),
        body=SubsidyClaimInput,
        response=SubsidyClaimView,
        status=201,
        errors=(404, 409, 422, *SERVICE_ERRORS),
        description="一次性扩岗补助: a recent graduate hired on a contract with social insurance, "
        "once per person ever. 见习补贴: a traineeship that has ended.",
    )
    def claim_employment_subsidy(self, call: Call):
        claim = self.services.jobs.claim_subsidy(claim=call.body)
        return Created(claim, f"/api/v1/employment-subsidies/{claim['id']}")

    @route(
        "GET",
        "/api/v1/employment-subsidies",
        summary="Subsidy claims: my own (employer) or all, oldest first (officer)",
        tags=TAGS,
        roles=(EMPLOYER, OFFICER),
        query=SubsidyClaimFilter,
        response=SubsidyClaimPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
    )
    def employment_subsidies(self, call: Call):
        return PageResult.of(self.services.jobs.subsidy_claims(query=self._jobs_query(call)))

    @route(
        "GET",
        "/api/v1/employment-subsidies/<claim_id>",
        summary="One subsidy claim (mine, or any for an officer)",
        tags=TAGS,
        roles=(EMPLOYER, OFFICER),
        response=SubsidyClaimView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_employment_subsidy(self, call: Call, claim_id: str):
        return self.services.jobs.get_subsidy_claim(claim_id=claim_id)

    @route(
        "POST",
        "/api/v1/employment-subsidies/<claim_id>/decision",
        summary="Grant or reject a subsidy claim (a rejection with its reason)",
        tags=TAGS,
        roles=(OFFICER,),
        body=SubsidyClaimDecision,
        response=SubsidyClaimView,
        errors=(403, 404, 409, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS + " Recorded in the audit trail.",
    )
    def decide_employment_subsidy(self, call: Call, claim_id: str):
        return self.services.jobs.decide_subsidy(claim_id=claim_id, decision=call.body)

    # -- job fairs ---------------------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/fairs",
        summary="Open a job fair (春风行动), online or on site",
        tags=TAGS,
        roles=(OFFICER,),
        body=FairInput,
        response=FairView,
        status=201,
        errors=(403, *SERVICE_ERRORS),
        description=DECIDING_OFFICERS,
    )
    def create_fair(self, call: Call):
        fair = self.services.jobs.create_fair(fair=call.body)
        return Created(fair, f"/api/v1/fairs/{fair['id']}")

    @route(
        "GET",
        "/api/v1/fairs",
        summary="Job fairs still open, soonest first",
        tags=TAGS,
        query=FairFilter,
        response=FairPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def list_fairs(self, call: Call):
        return PageResult.of(self.services.jobs.list_fairs(query=self._jobs_query(call)))

    @route(
        "GET",
        "/api/v1/fairs/<fair_id>",
        summary="One job fair with its booths and the posts they show",
        tags=TAGS,
        response=FairDetail,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_fair(self, call: Call, fair_id: str):
        return self.services.jobs.get_fair(fair_id=fair_id)

    @route(
        "POST",
        "/api/v1/fairs/<fair_id>/booths",
        summary="Take a free booth at a fair (verified employers)",
        tags=TAGS,
        roles=(EMPLOYER,),
        body=BoothInput,
        response=BoothView,
        status=201,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def book_fair_booth(self, call: Call, fair_id: str):
        booth = self.services.jobs.book_booth(fair_id=fair_id, booth=call.body)
        return Created(booth, f"/api/v1/fairs/{fair_id}")

    @route(
        "POST",
        "/api/v1/fairs/<fair_id>/registrations",
        summary="Register to attend a job fair",
        tags=TAGS,
        roles=(YOUTH,),
        response=FairRegistrationView,
        status=201,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def register_for_fair(self, call: Call, fair_id: str):
        registration = self.services.jobs.register_for_fair(
            fair_id=fair_id, person={"person_id": self._jobseeker_facts(call)["person_id"]}
        )
        return Created(registration, f"/api/v1/fairs/{fair_id}")

    @route(
        "GET",
        "/api/v1/me/fair-registrations",
        summary="The job fairs I registered for",
        tags=TAGS,
        roles=(YOUTH,),
        query=PageQuery,
        response=FairRegistrationPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def my_fair_registrations(self, call: Call):
        return PageResult.of(
            self.services.jobs.my_fair_registrations(
                person_id=call.account_id, query=self._jobs_query(call)
            )
        )
