"""Startup support (plan 一.4) under `/api/v1/startup` (see services/startup/README.md): the
one-stop business registration, startup guaranteed loans, the one-off startup grant, and what a
founder has going. Incubator spaces and training are in `startup_incubation.py`.

The gateway checks the role; the startup service checks the unit, the ownership and the rules,
and answers someone else's record as 404. A young person's application carries the profile
facts its rules need (an age, a degree, a graduation date), never a name, ID number or phone.
"""

from __future__ import annotations

from services.common.db import Database
from services.common.errors import InvalidInput
from services.common.rpc import ClusterProxy
from services.common.schemas import PageQuery
from services.startup.contract import (
    BusinessRegistrationFilter,
    BusinessRegistrationInput,
    BusinessRegistrationPage,
    BusinessRegistrationView,
    GrantFilter,
    GrantInput,
    GrantPage,
    GrantView,
    StartupDashboardView,
    StartupIndicatorQuery,
    StartupIndicatorsView,
    StartupRefusalInput,
    StepCompletionInput,
)
from services.startup.contract.loans import (
    ArrearsInput,
    DisbursementInput,
    ExposureView,
    LenderInput,
    LenderPage,
    LenderView,
    LoanFilter,
    LoanInput,
    LoanPage,
    LoanQuoteInput,
    LoanReviewInput,
    LoanView,
    RepaymentInput,
    RepaymentView,
    ScheduleView,
    ServicingView,
    StartupDecisionInput,
    SubsidyClaimInput,
    SubsidyClaimView,
)

from ..accounts import ADMIN, ANYONE_SIGNED_IN, OFFICER, PARTNER, YOUTH
from ..api import Call, Created
from ..composition import Routes
from ..forward import BODY, CALLER, QUERY, SERVICE_ERRORS, caller_facts
from ..messages import MESSAGES
from ..models import Account

routes = Routes(tags=["startup"])


# -- one-stop business registration (企业开办) ------------------------------------------------

routes.forward(
    "submit_business_registration",
    "POST",
    "/api/v1/startup/registrations",
    summary="Apply to start a business (one form for every step; the 2-hour promise starts)",
    roles=(YOUTH,),
    body=BusinessRegistrationInput,
    response=BusinessRegistrationView,
    status=201,
    description="The steps (name check, licence, seal, tax, bank account, social insurance) "
    "go to their units; `business_time` shows the promise, counted in working hours.",
    rpc="startup.submit_registration",
    arguments={"application": BODY, "founder": caller_facts("age", "degree", "graduation_date")},
    location="/api/v1/startup/registrations/{id}",
)

routes.forward(
    "list_business_registrations",
    "GET",
    "/api/v1/startup/registrations",
    summary="Business registrations: mine, my unit's queue, or all (admin)",
    roles=(YOUTH, OFFICER, ADMIN),
    query=BusinessRegistrationFilter,
    response=BusinessRegistrationPage,
    paginated=True,
    errors=(403,),
    description="Officers see the applications with a step of their unit (oldest first; "
    "`awaiting_my_unit=true` for those it can complete now).",
    rpc="startup.list_registrations",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_business_registration",
    "GET",
    "/api/v1/startup/registrations/<registration_id>",
    summary="One business registration, with its steps and elapsed business time",
    roles=(YOUTH, OFFICER, ADMIN),
    response=BusinessRegistrationView,
    errors=(404,),
    rpc="startup.get_registration",
)

routes.forward(
    "complete_registration_step",
    "POST",
    "/api/v1/startup/registrations/<registration_id>/steps/<step>/complete",
    summary="Complete a step (an officer of the step's unit)",
    roles=(OFFICER,),
    body=StepCompletionInput,
    response=BusinessRegistrationView,
    errors=(404, 409),
    description="`step`: name_check, licence (with the credit code), seal, tax, "
    "bank_account, social_insurance. The last one completes the registration.",
    rpc="startup.complete_step",
    arguments={"completion": BODY},
)

routes.forward(
    "reject_business_registration",
    "POST",
    "/api/v1/startup/registrations/<registration_id>/reject",
    summary="Refuse a pending step of my unit, with the reason: the application closes",
    roles=(OFFICER,),
    body=StartupRefusalInput,
    response=BusinessRegistrationView,
    errors=(404, 409),
    rpc="startup.reject_registration",
    arguments={"refusal": BODY},
)

routes.forward(
    "withdraw_business_registration",
    "POST",
    "/api/v1/startup/registrations/<registration_id>/withdraw",
    summary="Withdraw my business registration",
    roles=(YOUTH,),
    response=BusinessRegistrationView,
    errors=(404, 409),
    rpc="startup.withdraw_registration",
)

# -- startup guaranteed loans (创业担保贷款) -------------------------------------------------


@routes.route(
    "POST",
    "/api/v1/startup/lenders",
    summary="Register a lending bank (经办银行) and the partner account it signs in with",
    roles=(ADMIN,),
    body=LenderInput,
    response=LenderView,
    status=201,
    errors=(409, *SERVICE_ERRORS),
)
def create_loan_lender(call: Call, *, db: Database, services: ClusterProxy):
    # the partner account is the gateway's to check: the service knows no accounts
    with db.reading() as session:
        account = session.get(Account, call.body["partner_account_id"])
    if account is None or account.role != PARTNER:
        raise InvalidInput.for_field("partner_account_id", "lender_account_not_partner", MESSAGES)
    return Created(services.startup.create_lender(lender=call.body))


routes.forward(
    "list_loan_lenders",
    "GET",
    "/api/v1/startup/lenders",
    summary="The banks that lend startup guaranteed loans",
    roles=ANYONE_SIGNED_IN,
    query=PageQuery,
    response=LenderPage,
    paginated=True,
    rpc="startup.list_lenders",
    arguments={"filters": QUERY},
)

routes.forward(
    "quote_startup_loan",
    "POST",
    "/api/v1/startup/loan-quotes",
    summary="What a loan would cost: the repayment and subsidy schedule, month by month",
    body=LoanQuoteInput,
    response=ScheduleView,
    description="Computes only; nothing is stored. Default rate: the cap, LPR + 50 bp.",
    rpc="startup.quote_loan",
    arguments={"quote": BODY},
)

routes.forward(
    "apply_for_startup_loan",
    "POST",
    "/api/v1/startup/loans",
    summary="Apply for a startup guaranteed loan at a lending bank",
    roles=(YOUTH,),
    body=LoanInput,
    response=LoanView,
    status=201,
    errors=(409,),
    rpc="startup.apply_for_loan",
    arguments={"application": BODY, "applicant": caller_facts("age")},
    location="/api/v1/startup/loans/{id}",
)

routes.forward(
    "list_startup_loans",
    "GET",
    "/api/v1/startup/loans",
    summary="Loans: mine, my bank's, or all (the loan unit's officers, admins)",
    roles=(YOUTH, PARTNER, OFFICER, ADMIN),
    query=LoanFilter,
    response=LoanPage,
    paginated=True,
    errors=(403,),
    rpc="startup.list_loans",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_startup_loan",
    "GET",
    "/api/v1/startup/loans/<loan_id>",
    summary="One loan",
    roles=(YOUTH, PARTNER, OFFICER, ADMIN),
    response=LoanView,
    errors=(404,),
    rpc="startup.get_loan",
)

routes.forward(
    "get_startup_loan_schedule",
    "GET",
    "/api/v1/startup/loans/<loan_id>/schedule",
    summary="A loan's repayment and subsidy schedule (an estimate until disbursed)",
    roles=(YOUTH, PARTNER, OFFICER, ADMIN),
    response=ScheduleView,
    errors=(404,),
    rpc="startup.loan_schedule",
)

routes.forward(
    "review_startup_loan",
    "POST",
    "/api/v1/startup/loans/<loan_id>/review",
    summary="The lending bank approves (with its contract rate) or declines",
    roles=(PARTNER,),
    body=LoanReviewInput,
    response=LoanView,
    errors=(404, 409),
    rpc="startup.review_loan",
    arguments={"review": BODY},
)

routes.forward(
    "decide_startup_loan",
    "POST",
    "/api/v1/startup/loans/<loan_id>/decision",
    summary="An officer of the loan unit approves or rejects a bank-approved loan",
    roles=(OFFICER,),
    body=StartupDecisionInput,
    response=LoanView,
    errors=(404, 409),
    rpc="startup.decide_loan",
    arguments={"decision": BODY},
)

routes.forward(
    "disburse_startup_loan",
    "POST",
    "/api/v1/startup/loans/<loan_id>/disbursement",
    summary="The lending bank pays the approved loan out",
    roles=(PARTNER,),
    body=DisbursementInput,
    response=LoanView,
    errors=(404, 409),
    rpc="startup.disburse_loan",
    arguments={"disbursement": BODY},
)

# -- after disbursement: the bank's servicing reports, the subsidy, the guarantee fund ----------

routes.forward(
    "report_startup_loan_repayment",
    "POST",
    "/api/v1/startup/loans/<loan_id>/repayments",
    summary="The lending bank reports an instalment repaid in full",
    roles=(PARTNER,),
    body=RepaymentInput,
    response=RepaymentView,
    status=201,
    errors=(404, 409),
    rpc="startup.report_loan_repayment",
    arguments={"report": BODY},
)

routes.forward(
    "report_startup_loan_arrears",
    "POST",
    "/api/v1/startup/loans/<loan_id>/arrears",
    summary="The lending bank reports the loan overdue since a day (null: caught up)",
    description="Arrears beyond the policy's threshold stop the interest subsidy from the "
    "first overdue day and publish `loan.in_arrears`.",
    roles=(PARTNER,),
    body=ArrearsInput,
    response=ServicingView,
    errors=(404, 409),
    rpc="startup.report_loan_arrears",
    arguments={"report": BODY},
)

routes.forward(
    "claim_startup_loan_subsidy",
    "POST",
    "/api/v1/startup/loans/<loan_id>/subsidy-claims",
    summary="The lending bank claims a past quarter's interest subsidy",
    description="The amount is the sum of the subsidies of the schedule's instalments falling "
    "due in the quarter; it is committed from the `loan_interest_subsidy` budget and queued "
    "as a payout to the bank, paid through the payment batches.",
    roles=(PARTNER,),
    body=SubsidyClaimInput,
    response=SubsidyClaimView,
    status=201,
    errors=(404, 409),
    rpc="startup.claim_loan_subsidy",
    arguments={"claim": BODY},
)

routes.forward(
    "get_startup_loan_servicing",
    "GET",
    "/api/v1/startup/loans/<loan_id>/servicing",
    summary="A disbursed loan's schedule against what was paid, its arrears and claims",
    roles=(YOUTH, PARTNER, OFFICER, ADMIN),
    response=ServicingView,
    errors=(404, 409),
    rpc="startup.loan_servicing",
)

routes.forward(
    "get_startup_guarantee_exposure",
    "GET",
    "/api/v1/startup/guarantee-exposure",
    summary="The guarantee fund's exposure: outstanding principal of disbursed loans by bank",
    roles=(OFFICER, ADMIN),
    response=ExposureView,
    errors=(403,),
    rpc="startup.guarantee_exposure",
)

routes.forward(
    "withdraw_startup_loan",
    "POST",
    "/api/v1/startup/loans/<loan_id>/withdraw",
    summary="Withdraw my loan application",
    roles=(YOUTH,),
    response=LoanView,
    errors=(404, 409),
    rpc="startup.withdraw_loan",
)

# -- one-off startup grant (一次性创业补贴) ---------------------------------------------------

routes.forward(
    "apply_for_startup_grant",
    "POST",
    "/api/v1/startup/grants",
    summary="Claim the one-off startup grant for my first business",
    roles=(YOUTH,),
    body=GrantInput,
    response=GrantView,
    status=201,
    errors=(404, 409),
    rpc="startup.apply_for_grant",
    arguments={"application": BODY, "applicant": caller_facts("degree", "graduation_date")},
    location="/api/v1/startup/grants/{id}",
)

routes.forward(
    "list_startup_grants",
    "GET",
    "/api/v1/startup/grants",
    summary="Startup grant applications: mine, or all (the grant unit's officers, admins)",
    roles=(YOUTH, OFFICER, ADMIN),
    query=GrantFilter,
    response=GrantPage,
    paginated=True,
    errors=(403,),
    rpc="startup.list_grants",
    arguments={"filters": QUERY},
)

routes.forward(
    "get_startup_grant",
    "GET",
    "/api/v1/startup/grants/<grant_id>",
    summary="One startup grant application",
    roles=(YOUTH, OFFICER, ADMIN),
    response=GrantView,
    errors=(404,),
    rpc="startup.get_grant",
)

routes.forward(
    "decide_startup_grant",
    "POST",
    "/api/v1/startup/grants/<grant_id>/decision",
    summary="An officer of the grant unit approves or rejects the grant",
    roles=(OFFICER,),
    body=StartupDecisionInput,
    response=GrantView,
    errors=(404, 409),
    rpc="startup.decide_grant",
    arguments={"decision": BODY},
)

# -- what I have going, and how the district is doing --------------------------------------

routes.forward(
    "my_startup",
    "GET",
    "/api/v1/me/startup",
    summary="My business registrations, loans, grants, incubator applications, courses",
    roles=(YOUTH,),
    response=StartupDashboardView,
    rpc="startup.dashboard",
    arguments={"person_id": CALLER},
)


@routes.route(
    "GET",
    "/api/v1/startup/indicators",
    summary="Startup indicators for a period [since, until): registrations and their "
    "business time against the 2-hour target, loans, grants, incubator, training",
    roles=(OFFICER, ADMIN),
    query=StartupIndicatorQuery,
    response=StartupIndicatorsView,
    errors=SERVICE_ERRORS,
)
def startup_indicators(call: Call, *, services: ClusterProxy):
    since, until = call.query["since"].isoformat(), call.query["until"].isoformat()
    return {
        "since": since,
        "until": until,
        "indicators": services.startup.indicators(since=since, until=until),
    }
