"""The events the jobs service publishes (on `jobs.events`, routing key = type)."""

from services.common.events import EventCatalog, EventSpec
from services.common.finance.events import PAYMENT_EVENTS
from services.common.privacy import PERSON_ANONYMISED

from .schemas import (
    ApplicationHired,
    ApplicationStatusChanged,
    ApplicationSubmitted,
    CityFairListed,
    CooperationMilestoneDone,
    CooperationOutcomeRecorded,
    CooperationProjectPublished,
    EmployerRejected,
    EmployerVerified,
    FairRegistered,
    PostingClosed,
    PostingPublished,
    PostingReturned,
    PracticeStudentsPlaced,
    PracticeUnitVerified,
    RoadshowJoined,
    RoadshowPublished,
    SubsidyClaimed,
    SubsidyDecided,
    TraineeshipEnded,
    TraineeshipStarted,
    UniversityRegistered,
)

EVENTS = EventCatalog(
    "jobs",
    {
        "employer.verified": EventSpec(
            EmployerVerified, "An officer verified an employer: it may publish", "the employer id"
        ),
        "employer.rejected": EventSpec(
            EmployerRejected, "An officer rejected an employer's registration", "the employer id"
        ),
        "posting.published": EventSpec(
            PostingPublished, "An officer approved a post: it is open to applicants", "the post id"
        ),
        "posting.returned": EventSpec(
            PostingReturned, "An officer sent a post back to its employer to change", "the post id"
        ),
        "posting.closed": EventSpec(
            PostingClosed, "A post stopped taking applications (closed or filled)", "the post id"
        ),
        "application.submitted": EventSpec(
            ApplicationSubmitted, "A young person applied for a post", "the application id"
        ),
        "application.status_changed": EventSpec(
            ApplicationStatusChanged,
            "An application moved on (viewed, interview, offer, hired, rejected, withdrawn)",
            "the application id",
        ),
        "application.hired": EventSpec(
            ApplicationHired,
            "An employer hired an applicant (the contract housing relies on)",
            "the application id",
        ),
        "traineeship.started": EventSpec(
            TraineeshipStarted,
            "A trainee started with a host under 百名大学生助龙计划",
            "the traineeship id",
        ),
        "traineeship.ended": EventSpec(
            TraineeshipEnded,
            "A traineeship ended (completed, retained by the host, or left early)",
            "the traineeship id",
        ),
        "subsidy.claimed": EventSpec(
            SubsidyClaimed, "An employer claimed a hiring or traineeship subsidy", "the claim id"
        ),
        "subsidy.decided": EventSpec(
            SubsidyDecided, "An officer granted or rejected a subsidy claim", "the claim id"
        ),
        "fair.registered": EventSpec(
            FairRegistered, "A young person registered to attend a job fair", "the registration id"
        ),
        "fair.city_listed": EventSpec(
            CityFairListed,
            "An officer listed a city-level job fair for the district's young people",
            "the fair id",
        ),
        "university.registered": EventSpec(
            UniversityRegistered,
            "An officer registered a university (区校合作)",
            "the university id",
        ),
        "cooperation.project_published": EventSpec(
            CooperationProjectPublished,
            "An officer published a district–university cooperation project",
            "the project id",
        ),
        "cooperation.milestone_done": EventSpec(
            CooperationMilestoneDone,
            "A cooperation project's milestone was done",
            "the milestone id",
        ),
        "cooperation.outcome_recorded": EventSpec(
            CooperationOutcomeRecorded,
            "A cooperation project achieved an outcome",
            "the outcome id",
        ),
        "practice_unit.verified": EventSpec(
            PracticeUnitVerified,
            "An officer verified an employer as a practice unit (产教融合实践单位) for a term",
            "the employer id",
        ),
        "practice_unit.students_placed": EventSpec(
            PracticeStudentsPlaced,
            "A practice unit placed students of a university it serves (a count)",
            "the placement id",
        ),
        "roadshow.published": EventSpec(
            RoadshowPublished,
            "An officer organised a roadshow at a university (特色产业专题推介)",
            "the roadshow id",
        ),
        "roadshow.joined": EventSpec(
            RoadshowJoined, "An employer joined a roadshow at a university", "the participation id"
        ),
        "person.anonymised": PERSON_ANONYMISED,
        **PAYMENT_EVENTS,
    },
)
