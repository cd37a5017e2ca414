"""Startup support (plan 一.4) under `/api/v1/startup` (see services/startup/README.md).

The gateway checks the role; the startup service checks the unit, the ownership and the rules,
and answers someone else's record as 404. A young person's application carries the profile
facts its rules need (an age, a degree, a graduation date), never a name, ID number or phone.
"""

from __future__ import annotations

from services.common.errors import InvalidInput
from services.common.schemas import PageQuery
from services.startup.contract import (
    AllocationInput,
    BusinessRegistrationFilter,
    BusinessRegistrationInput,
    BusinessRegistrationPage,
    BusinessRegistrationView,
    CourseFilter,
    CourseInput,
    CoursePage,
    CourseView,
    DisbursementInput,
    EnrolmentFilter,
    EnrolmentPage,
    EnrolmentView,
    GrantFilter,
    GrantInput,
    GrantPage,
    GrantView,
    IncubatorApplicationPage,
    IncubatorApplicationView,
    IncubatorFilter,
    IncubatorInput,
    LenderInput,
    LenderPage,
    LenderView,
    LoanFilter,
    LoanInput,
    LoanPage,
    LoanQuoteInput,
    LoanReviewInput,
    LoanView,
    ScheduleView,
    SpaceFilter,
    SpaceInput,
    SpacePage,
    SpaceView,
    StartupDashboardView,
    StartupDecisionInput,
    StartupIndicatorQuery,
    StartupIndicatorsView,
    StartupRefusalInput,
    StepCompletionInput,
    TenancyEndInput,
)

from ..accounts import ADMIN, OFFICER, PARTNER, YOUTH
from ..api import Call, Created, PageResult, route
from ..messages import MESSAGES

SERVICE_ERRORS = (503, 504)
TAGS = ["startup"]
BASE = "/api/v1/startup"
ANYONE_SIGNED_IN = (YOUTH, "employer", OFFICER, ADMIN, PARTNER)


class StartupRoutes:
    """One-stop business registration, loans, the startup grant, incubator spaces, training."""

    def _founder_facts(self, call: Call, *names: str) -> dict:
        facts = self.youth_facts(call)
        return {"person_id": call.account_id, **{name: facts.get(name) for name in names}}

    # -- one-stop business registration (企业开办) ------------------------------------------------

    @route(
        "POST",
        f"{BASE}/registrations",
        summary="Apply to start a business (one form for every step; the 2-hour promise starts)",
        tags=TAGS,
        roles=(YOUTH,),
        body=BusinessRegistrationInput,
        response=BusinessRegistrationView,
        status=201,
        errors=SERVICE_ERRORS,
        description="The steps (name check, licence, seal, tax, bank account, social insurance) "
        "go to their units; `business_time` shows the promise, counted in working hours.",
    )
    def submit_business_registration(self, call: Call):
        registration = self.services.startup.submit_registration(
            application=call.body,
            founder=self._founder_facts(call, "age", "degree", "graduation_date"),
        )
        return Created(registration, f"{BASE}/registrations/{registration['id']}")

    @route(
        "GET",
        f"{BASE}/registrations",
        summary="Business registrations: mine, my unit's queue, or all (admin)",
        tags=TAGS,
        roles=(YOUTH, OFFICER, ADMIN),
        query=BusinessRegistrationFilter,
        response=BusinessRegistrationPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
        description="Officers see the applications with a step of their unit (oldest first; "
        "`awaiting_my_unit=true` for those it can complete now).",
    )
    def list_business_registrations(self, call: Call):
        return PageResult.of(self.services.startup.list_registrations(filters=call.query))

    @route(
        "GET",
        f"{BASE}/registrations/<registration_id>",
        summary="One business registration, with its steps and elapsed business time",
        tags=TAGS,
        roles=(YOUTH, OFFICER, ADMIN),
        response=BusinessRegistrationView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_business_registration(self, call: Call, registration_id: str):
        return self.services.startup.get_registration(registration_id=registration_id)

    @route(
        "POST",
        f"{BASE}/registrations/<registration_id>/steps/<step>/complete",
        summary="Complete a step (an officer of the step's unit)",
        tags=TAGS,
        roles=(OFFICER,),
        body=StepCompletionInput,
        response=BusinessRegistrationView,
        errors=(404, 409, *SERVICE_ERRORS),
        description="`step`: name_check, licence (with the credit code), seal, tax, "
        "bank_account, social_insurance. The last one completes the registration.",
    )
    def complete_registration_step(self, call: Call, registration_id: str, step: str):
        return self.services.startup.complete_step(
            registration_id=registration_id, step=step, completion=call.body
        )

    @route(
        "POST",
        f"{BASE}/registrations/<registration_id>/reject",
        summary="Refuse a pending step of my unit, with the reason: the application closes",
        tags=TAGS,
        roles=(OFFICER,),
        body=StartupRefusalInput,
        response=BusinessRegistrationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def reject_business_registration(self, call: Call, registration_id: str):
        return self.services.startup.reject_registration(
            registration_id=registration_id, refusal=call.body
        )

    @route(
        "POST",
        f"{BASE}/registrations/<registration_id>/withdraw",
        summary="Withdraw my business registration",
        tags=TAGS,
        roles=(YOUTH,),
        response=BusinessRegistrationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def withdraw_business_registration(self, call: Call, registration_id: str):
        return self.services.startup.withdraw_registration(registration_id=registration_id)

    # -- startup guaranteed loans (创业担保贷款) -------------------------------------------------

    @route(
        "POST",
        f"{BASE}/lenders",
        summary="Register a lending bank (经办银行) and the partner account it signs in with",
        tags=TAGS,
        roles=(ADMIN,),
        body=LenderInput,
        response=LenderView,
        status=201,
        errors=(409, *SERVICE_ERRORS),
    )
    def create_loan_lender(self, call: Call):
        from ..models import Account

        with self.db.reading() as session:
            account = session.get(Account, call.body["partner_account_id"])
        if account is None or account.role != PARTNER:
            raise InvalidInput.for_field(
                "partner_account_id", "lender_account_not_partner", MESSAGES
            )
        return Created(self.services.startup.create_lender(lender=call.body))

    @route(
        "GET",
        f"{BASE}/lenders",
        summary="The banks that lend startup guaranteed loans",
        tags=TAGS,
        roles=ANYONE_SIGNED_IN,
        query=PageQuery,
        response=LenderPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def list_loan_lenders(self, call: Call):
        return PageResult.of(self.services.startup.list_lenders(filters=call.query))

    @route(
        "POST",
        f"{BASE}/loan-quotes",
        summary="What a loan would cost: the repayment and subsidy schedule, month by month",
        tags=TAGS,
        body=LoanQuoteInput,
        response=ScheduleView,
        errors=SERVICE_ERRORS,
        description="Computes only; nothing is stored. Default rate: the cap, LPR + 50 bp.",
    )
    def quote_startup_loan(self, call: Call):
        return self.services.startup.quote_loan(quote=call.body)

    @route(
        "POST",
        f"{BASE}/loans",
        summary="Apply for a startup guaranteed loan at a lending bank",
        tags=TAGS,
        roles=(YOUTH,),
        body=LoanInput,
        response=LoanView,
        status=201,
        errors=(409, *SERVICE_ERRORS),
    )
    def apply_for_startup_loan(self, call: Call):
        loan = self.services.startup.apply_for_loan(
            application=call.body, applicant=self._founder_facts(call, "age")
        )
        return Created(loan, f"{BASE}/loans/{loan['id']}")

    @route(
        "GET",
        f"{BASE}/loans",
        summary="Loans: mine, my bank's, or all (the loan unit's officers, admins)",
        tags=TAGS,
        roles=(YOUTH, PARTNER, OFFICER, ADMIN),
        query=LoanFilter,
        response=LoanPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
    )
    def list_startup_loans(self, call: Call):
        return PageResult.of(self.services.startup.list_loans(filters=call.query))

    @route(
        "GET",
        f"{BASE}/loans/<loan_id>",
        summary="One loan",
        tags=TAGS,
        roles=(YOUTH, PARTNER, OFFICER, ADMIN),
        response=LoanView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_startup_loan(self, call: Call, loan_id: str):
        return self.services.startup.get_loan(loan_id=loan_id)

    @route(
        "GET",
        f"{BASE}/loans/<loan_id>/schedule",
        summary="A loan's repayment and subsidy schedule (an estimate until disbursed)",
        tags=TAGS,
        roles=(YOUTH, PARTNER, OFFICER, ADMIN),
        response=ScheduleView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_startup_loan_schedule(self, call: Call, loan_id: str):
        return self.services.startup.loan_schedule(loan_id=loan_id)

    @route(
        "POST",
        f"{BASE}/loans/<loan_id>/review",
        summary="The lending bank approves (with its contract rate) or declines",
        tags=TAGS,
        roles=(PARTNER,),
        body=LoanReviewInput,
        response=LoanView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def review_startup_loan(self, call: Call, loan_id: str):
        return self.services.startup.review_loan(loan_id=loan_id, review=call.body)

    @route(
        "POST",
        f"{BASE}/loans/<loan_id>/decision",
        summary="An officer of the loan unit approves or rejects a bank-approved loan",
        tags=TAGS,
        roles=(OFFICER,),
        body=StartupDecisionInput,
        response=LoanView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def decide_startup_loan(self, call: Call, loan_id: str):
        return self.services.startup.decide_loan(loan_id=loan_id, decision=call.body)

    @route(
        "POST",
        f"{BASE}/loans/<loan_id>/disbursement",
        summary="The lending bank pays the approved loan out",
        tags=TAGS,
        roles=(PARTNER,),
        body=DisbursementInput,
        response=LoanView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def disburse_startup_loan(self, call: Call, loan_id: str):
        return self.services.startup.disburse_loan(loan_id=loan_id, disbursement=call.body)

    @route(
        "POST",
        f"{BASE}/loans/<loan_id>/withdraw",
        summary="Withdraw my loan application",
        tags=TAGS,
        roles=(YOUTH,),
        response=LoanView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def withdraw_startup_loan(self, call: Call, loan_id: str):
        return self.services.startup.withdraw_loan(loan_id=loan_id)

    # -- one-off startup grant (一次性创业补贴) ---------------------------------------------------

    @route(
        "POST",
        f"{BASE}/grants",
        summary="Claim the one-off startup grant for my first business",
        tags=TAGS,
        roles=(YOUTH,),
        body=GrantInput,
        response=GrantView,
        status=201,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def apply_for_startup_grant(self, call: Call):
        grant = self.services.startup.apply_for_grant(
            application=call.body, applicant=self._founder_facts(call, "degree", "graduation_date")
        )
        return Created(grant, f"{BASE}/grants/{grant['id']}")

    @route(
        "GET",
        f"{BASE}/grants",
        summary="Startup grant applications: mine, or all (the grant unit's officers, admins)",
        tags=TAGS,
        roles=(YOUTH, OFFICER, ADMIN),
        query=GrantFilter,
        response=GrantPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
    )
    def list_startup_grants(self, call: Call):
        return PageResult.of(self.services.startup.list_grants(filters=call.query))

    @route(
        "GET",
        f"{BASE}/grants/<grant_id>",
        summary="One startup grant application",
        tags=TAGS,
        roles=(YOUTH, OFFICER, ADMIN),
        response=GrantView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_startup_grant(self, call: Call, grant_id: str):
        return self.services.startup.get_grant(grant_id=grant_id)

    @route(
        "POST",
        f"{BASE}/grants/<grant_id>/decision",
        summary="An officer of the grant unit approves or rejects the grant",
        tags=TAGS,
        roles=(OFFICER,),
        body=StartupDecisionInput,
        response=GrantView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def decide_startup_grant(self, call: Call, grant_id: str):
        return self.services.startup.decide_grant(grant_id=grant_id, decision=call.body)

    # -- incubator spaces (双创智慧港) ----------------------------------------------------------

    @route(
        "POST",
        f"{BASE}/spaces",
        summary="Add a desk or an office to the innovation park's inventory",
        tags=TAGS,
        roles=(OFFICER, ADMIN),
        body=SpaceInput,
        response=SpaceView,
        status=201,
        errors=(409, *SERVICE_ERRORS),
    )
    def create_incubator_space(self, call: Call):
        return Created(self.services.startup.create_space(space=call.body))

    @route(
        "GET",
        f"{BASE}/spaces",
        summary="The innovation park's desks and offices, by kind and state",
        tags=TAGS,
        query=SpaceFilter,
        response=SpacePage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def list_incubator_spaces(self, call: Call):
        return PageResult.of(self.services.startup.list_spaces(filters=call.query))

    @route(
        "POST",
        f"{BASE}/incubator-applications",
        summary="Apply for a desk or an office in the innovation park",
        tags=TAGS,
        roles=(YOUTH,),
        body=IncubatorInput,
        response=IncubatorApplicationView,
        status=201,
        errors=(409, *SERVICE_ERRORS),
    )
    def apply_for_incubator_space(self, call: Call):
        application = self.services.startup.apply_for_space(
            application=call.body, applicant=self._founder_facts(call)
        )
        return Created(application, f"{BASE}/incubator-applications/{application['id']}")

    @route(
        "GET",
        f"{BASE}/incubator-applications",
        summary="Incubator applications and tenancies: mine, or all (the park's unit, admins)",
        tags=TAGS,
        roles=(YOUTH, OFFICER, ADMIN),
        query=IncubatorFilter,
        response=IncubatorApplicationPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
    )
    def list_incubator_applications(self, call: Call):
        return PageResult.of(self.services.startup.list_incubator_applications(filters=call.query))

    @route(
        "GET",
        f"{BASE}/incubator-applications/<application_id>",
        summary="One incubator application and its tenancy",
        tags=TAGS,
        roles=(YOUTH, OFFICER, ADMIN),
        response=IncubatorApplicationView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_incubator_application(self, call: Call, application_id: str):
        return self.services.startup.get_incubator_application(application_id=application_id)

    @route(
        "POST",
        f"{BASE}/incubator-applications/<application_id>/allocation",
        summary="Allocate a free space of the kind applied for, with the tenancy's dates",
        tags=TAGS,
        roles=(OFFICER,),
        body=AllocationInput,
        response=IncubatorApplicationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def allocate_incubator_space(self, call: Call, application_id: str):
        return self.services.startup.allocate_space(
            application_id=application_id, allocation=call.body
        )

    @route(
        "POST",
        f"{BASE}/incubator-applications/<application_id>/reject",
        summary="Refuse an incubator application, with the reason",
        tags=TAGS,
        roles=(OFFICER,),
        body=StartupRefusalInput,
        response=IncubatorApplicationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def reject_incubator_application(self, call: Call, application_id: str):
        return self.services.startup.reject_incubator_application(
            application_id=application_id, refusal=call.body
        )

    @route(
        "POST",
        f"{BASE}/incubator-applications/<application_id>/end-tenancy",
        summary="End a tenancy (on its date or early): the space is free again",
        tags=TAGS,
        roles=(OFFICER,),
        body=TenancyEndInput,
        response=IncubatorApplicationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def end_incubator_tenancy(self, call: Call, application_id: str):
        return self.services.startup.end_tenancy(application_id=application_id, ending=call.body)

    @route(
        "POST",
        f"{BASE}/incubator-applications/<application_id>/withdraw",
        summary="Withdraw my incubator application",
        tags=TAGS,
        roles=(YOUTH,),
        response=IncubatorApplicationView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def withdraw_incubator_application(self, call: Call, application_id: str):
        return self.services.startup.withdraw_incubator_application(application_id=application_id)

    # -- startup training (创业培训) -----------------------------------------------------------

    @route(
        "POST",
        f"{BASE}/courses",
        summary="Open a startup training course for enrolment",
        tags=TAGS,
        roles=(OFFICER, ADMIN),
        body=CourseInput,
        response=CourseView,
        status=201,
        errors=SERVICE_ERRORS,
    )
    def create_training_course(self, call: Call):
        course = self.services.startup.create_course(course=call.body)
        return Created(course, f"{BASE}/courses/{course['id']}")

    @route(
        "GET",
        f"{BASE}/courses",
        summary="Startup training courses, soonest first",
        tags=TAGS,
        query=CourseFilter,
        response=CoursePage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def list_training_courses(self, call: Call):
        return PageResult.of(self.services.startup.list_courses(filters=call.query))

    @route(
        "GET",
        f"{BASE}/courses/<course_id>",
        summary="One training course",
        tags=TAGS,
        response=CourseView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_training_course(self, call: Call, course_id: str):
        return self.services.startup.get_course(course_id=course_id)

    @route(
        "POST",
        f"{BASE}/courses/<course_id>/enrolments",
        summary="Enrol in a training course (while places last, until it starts)",
        tags=TAGS,
        roles=(YOUTH,),
        response=EnrolmentView,
        status=201,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def enrol_in_course(self, call: Call, course_id: str):
        enrolment = self.services.startup.enrol(
            course_id=course_id, person=self._founder_facts(call)
        )
        return Created(enrolment, f"{BASE}/enrolments/{enrolment['id']}")

    @route(
        "GET",
        f"{BASE}/enrolments",
        summary="Course enrolments: mine, or all (the training unit's officers, admins)",
        tags=TAGS,
        roles=(YOUTH, OFFICER, ADMIN),
        query=EnrolmentFilter,
        response=EnrolmentPage,
        paginated=True,
        errors=(403, *SERVICE_ERRORS),
    )
    def list_course_enrolments(self, call: Call):
        return PageResult.of(self.services.startup.list_enrolments(filters=call.query))

    @route(
        "GET",
        f"{BASE}/enrolments/<enrolment_id>",
        summary="One course enrolment",
        tags=TAGS,
        roles=(YOUTH, OFFICER, ADMIN),
        response=EnrolmentView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_course_enrolment(self, call: Call, enrolment_id: str):
        return self.services.startup.get_enrolment(enrolment_id=enrolment_id)

    @route(
        "POST",
        f"{BASE}/enrolments/<enrolment_id>/cancel",
        summary="Give up my place on a course",
        tags=TAGS,
        roles=(YOUTH,),
        response=EnrolmentView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def cancel_course_enrolment(self, call: Call, enrolment_id: str):
        return self.services.startup.cancel_enrolment(enrolment_id=enrolment_id)

    @route(
        "POST",
        f"{BASE}/enrolments/<enrolment_id>/complete",
        summary="Record that a trainee completed the course (an officer of the organiser)",
        tags=TAGS,
        roles=(OFFICER,),
        response=EnrolmentView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def complete_course_enrolment(self, call: Call, enrolment_id: str):
        return self.services.startup.complete_enrolment(enrolment_id=enrolment_id)

    # -- what I have going, and how the district is doing --------------------------------------

    @route(
        "GET",
        "/api/v1/me/startup",
        summary="My business registrations, loans, grants, incubator applications, courses",
        tags=TAGS,
        roles=(YOUTH,),
        response=StartupDashboardView,
        errors=SERVICE_ERRORS,
    )
    def my_startup(self, call: Call):
        return self.services.startup.dashboard(person_id=call.account_id)

    @route(
        "GET",
        f"{BASE}/indicators",
        summary="Startup indicators for a period [since, until): registrations and their "
        "business time against the 2-hour target, loans, grants, incubator, training",
        tags=TAGS,
        roles=(OFFICER, ADMIN),
        query=StartupIndicatorQuery,
        response=StartupIndicatorsView,
        errors=SERVICE_ERRORS,
    )
    def startup_indicators(self, call: Call):
        since, until = call.query["since"].isoformat(), call.query["until"].isoformat()
        return {
            "since": since,
            "until": until,
            "indicators": self.services.startup.indicators(since=since, until=until),
        }
