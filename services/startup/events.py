"""The events the startup service publishes (on `startup.events`).

Each carries ids and figures, never a name, an ID number or a phone (a company's name may hold
its founder's, so it stays out too).
"""

from services.common.events import EventCatalog, EventSpec
from services.common.finance.events import PAYMENT_EVENTS
from services.common.privacy import PERSON_ANONYMISED

from .schemas import (
    CoursePublished,
    DoerApplicationChanged,
    DoerCallChanged,
    EnrolmentChanged,
    GrantChanged,
    IncubatorChanged,
    LoanArrearsReported,
    LoanChanged,
    LoanDisbursed,
    LoanInArrears,
    LoanRepaid,
    LoanSubsidyClaimed,
    PartnerApplicationChanged,
    PartnerFollowedUp,
    RegistrationClosed,
    RegistrationCompleted,
    RegistrationSlaChanged,
    RegistrationStepCompleted,
    RegistrationSubmitted,
    RuralProjectChanged,
)

REGISTRATION = "the business registration id"
LOAN = "the loan id"
GRANT = "the grant application id"
INCUBATOR = "the incubator application id"
ENROLMENT = "the enrolment id"
PROJECT = "the partnership project id"
PARTNER = "the partnership application id"
CALL = "the call id"
DOER = "the young doer's application id"

EVENTS = EventCatalog(
    "startup",
    {
        "registration.submitted": EventSpec(
            RegistrationSubmitted,
            "A young founder applied to start a business; the 2-hour promise starts",
            REGISTRATION,
        ),
        "registration.step_completed": EventSpec(
            RegistrationStepCompleted,
            "A responsible unit completed its step (name check, licence, seal, tax, bank "
            "account, social insurance)",
            REGISTRATION,
        ),
        "registration.completed": EventSpec(
            RegistrationCompleted,
            "Every step is done: the business is open. `graduate` says whether it counts toward "
            "the plan's goal of graduates who stay to start a business",
            REGISTRATION,
        ),
        "registration.sla_warned": EventSpec(
            RegistrationSlaChanged,
            "75 % of the promised business time is used and steps are still pending",
            REGISTRATION,
        ),
        "registration.sla_breached": EventSpec(
            RegistrationSlaChanged,
            "The promised business time (2 hours) is exceeded",
            REGISTRATION,
        ),
        "registration.rejected": EventSpec(
            RegistrationClosed, "A unit refused its step; the application is closed", REGISTRATION
        ),
        "registration.withdrawn": EventSpec(
            RegistrationClosed, "The founder withdrew the application", REGISTRATION
        ),
        "loan.applied": EventSpec(LoanChanged, "A startup guaranteed loan was applied for", LOAN),
        "loan.reviewed": EventSpec(
            LoanChanged,
            "The lending bank approved (with its contract rate) or declined the loan",
            LOAN,
        ),
        "loan.decided": EventSpec(
            LoanChanged, "An officer approved or rejected the bank-approved loan", LOAN
        ),
        "loan.disbursed": EventSpec(
            LoanDisbursed, "The bank paid the loan out; the subsidy schedule starts", LOAN
        ),
        "loan.withdrawn": EventSpec(LoanChanged, "The applicant withdrew the loan", LOAN),
        "loan.repaid": EventSpec(
            LoanRepaid, "The lending bank reported an instalment repaid in full", LOAN
        ),
        "loan.arrears_reported": EventSpec(
            LoanArrearsReported,
            "The lending bank reported the loan in arrears since a day, or caught up",
            LOAN,
        ),
        "loan.in_arrears": EventSpec(
            LoanInArrears,
            "The loan's arrears went beyond the policy's threshold: its interest subsidy stops "
            "from the first overdue day (for the loan unit and the borrower)",
            LOAN,
        ),
        "loan.subsidy_claimed": EventSpec(
            LoanSubsidyClaimed,
            "A quarter's interest subsidy was claimed: committed from the budget and queued "
            "as a payout to the bank",
            LOAN,
        ),
        "grant.applied": EventSpec(
            GrantChanged, "A founder claimed the one-off startup grant", GRANT
        ),
        "grant.decided": EventSpec(
            GrantChanged, "An officer approved or rejected the startup grant", GRANT
        ),
        "incubator.applied": EventSpec(
            IncubatorChanged, "A startup applied for a desk or an office in the park", INCUBATOR
        ),
        "incubator.allocated": EventSpec(
            IncubatorChanged, "A space was allocated: the tenancy's dates are set", INCUBATOR
        ),
        "incubator.rejected": EventSpec(
            IncubatorChanged, "The application for a space was refused", INCUBATOR
        ),
        "incubator.withdrawn": EventSpec(
            IncubatorChanged, "The applicant withdrew the application for a space", INCUBATOR
        ),
        "incubator.tenancy_ended": EventSpec(
            IncubatorChanged, "A tenancy ended and its space is free again", INCUBATOR
        ),
        "course.published": EventSpec(
            CoursePublished,
            "A training course opened for enrolment (startup training, or the training of "
            "leaders of getting rich 致富带头人培训)",
            "the course id",
        ),
        "enrolment.confirmed": EventSpec(
            EnrolmentChanged, "A person has a place on a training course", ENROLMENT
        ),
        "enrolment.cancelled": EventSpec(
            EnrolmentChanged, "A person gave up their place on a course", ENROLMENT
        ),
        "enrolment.completed": EventSpec(
            EnrolmentChanged, "A person completed a training course", ENROLMENT
        ),
        "rural_project.published": EventSpec(
            RuralProjectChanged,
            "The agriculture unit published a partnership project of the rural partner plan "
            "(乡村合伙人计划) with the contributions it seeks",
            PROJECT,
        ),
        "rural_project.closed": EventSpec(
            RuralProjectChanged, "A partnership project stopped taking applications", PROJECT
        ),
        "partner_application.submitted": EventSpec(
            PartnerApplicationChanged,
            "A person or a company applied to join a partnership project (capital, technical "
            "service or founding a company)",
            PARTNER,
        ),
        "partner_application.accepted": EventSpec(
            PartnerApplicationChanged, "The agriculture unit accepted the partner", PARTNER
        ),
        "partner_application.declined": EventSpec(
            PartnerApplicationChanged,
            "The agriculture unit declined the application (its reason is on the record)",
            PARTNER,
        ),
        "partner_application.withdrawn": EventSpec(
            PartnerApplicationChanged, "The applicant withdrew the application", PARTNER
        ),
        "partner_application.followed_up": EventSpec(
            PartnerFollowedUp,
            "The agriculture unit recorded a follow-up of an accepted partnership: progress, "
            "capital invested, jobs created",
            PARTNER,
        ),
        "doer_call.published": EventSpec(
            DoerCallChanged,
            "The organisation department opened a call for village support-team members "
            "(青年实干家计划, 驻村帮扶工作队选派)",
            CALL,
        ),
        "doer_call.closed": EventSpec(
            DoerCallChanged, "A call for village support-team members closed", CALL
        ),
        "doer_application.submitted": EventSpec(
            DoerApplicationChanged, "A young person applied to a village support team", DOER
        ),
        "doer_application.selected": EventSpec(
            DoerApplicationChanged, "The organisation department selected the applicant", DOER
        ),
        "doer_application.not_selected": EventSpec(
            DoerApplicationChanged,
            "The organisation department did not select the applicant (its reason is on the "
            "record)",
            DOER,
        ),
        "doer_application.posted": EventSpec(
            DoerApplicationChanged,
            "A selected member was posted to a village, with the term's first and last day",
            DOER,
        ),
        "doer_application.withdrawn": EventSpec(
            DoerApplicationChanged, "The applicant withdrew the application", DOER
        ),
        "person.anonymised": PERSON_ANONYMISED,
        **PAYMENT_EVENTS,
    },
)
