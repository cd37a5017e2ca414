"""The jobs service's nameko class: its entrypoints, and nothing else.

Each entrypoint validates its input with the contract's schema, opens a unit of work (or a
reading session), calls one handler of a feature module (or one query of `queries/`), and
answers with `views.py`. The rules are in the feature modules and `domain.py`; where each is,
see the README ("Where things are").
"""

from __future__ import annotations

from services.common.actor import SYSTEM
from services.common.benefits import ProgrammeCatalogue
from services.common.db import Database
from services.common.errors import NotFound
from services.common.finance.service import Payments
from services.common.policy import Policy
from services.common.privacy import PersonalData
from services.common.rpc import rpc
from services.common.schemas import PageQuery
from services.common.service import Audited, ServiceBase

# the feature modules; in a method body `practice_units` and `traineeships` still name these
# modules, not the RPCs of the same name (class attributes are not in a method's scope)
from . import (
    applications,
    cooperation,
    employers,
    fairs,
    posts,
    practice_units,
    privacy,
    programmes,
    queries,
    roadshows,
    subsidies,
    traineeships,
    views,
)
from .contract import (
    BoothInput,
    CityFairInput,
    CooperationProjectFilter,
    CooperationProjectInput,
    EmployerFilter,
    EmployerRegistration,
    EmployerUpdate,
    FairFilter,
    FairInput,
    JobApplicationFilter,
    JobApplicationInput,
    JobApplicationStatusChange,
    MilestoneInput,
    MyPostsQuery,
    OutcomeInput,
    PersonFactsInput,
    PostInput,
    PostSearch,
    PostUpdate,
    PracticePlacementInput,
    PracticeUnitDesignation,
    RoadshowFilter,
    RoadshowInput,
    RoadshowJoinInput,
    SubsidyClaimDecision,
    SubsidyClaimFilter,
    SubsidyClaimInput,
    TraineeshipEnd,
    TraineeshipFilter,
    UniversityInput,
)
from .events import EVENTS
from .messages import MESSAGES
from .models import Base
from .payments import LEDGER
from .policy import JobsPolicy
from .repository import JobsRepository


class JobsService(ServiceBase, Audited, PersonalData, Payments, ProgrammeCatalogue):
    """Employers, posts, applications, traineeships, subsidies, job fairs, practice units and
    district–university cooperation (universities, projects, roadshows)."""

    name = "jobs"
    messages = MESSAGES
    db = Database(Base.metadata, package="services.jobs", events=EVENTS, repository=JobsRepository)
    policy = Policy(JobsPolicy)
    personal_data = privacy
    programmes_module = programmes
    person_facts = PersonFactsInput
    ledger = LEDGER

    # -- employers ---------------------------------------------------------------------------

    @rpc
    def register_employer(self, employer: dict, name: str) -> dict:
        """The calling employer account's organisation, pending verification."""
        fields = EmployerRegistration().load(employer)
        with self.db.unit_of_work() as uow:
            row = employers.register(uow, self.caller.actor, fields, name)
        return views.EMPLOYER.dump(row)

    @rpc
    def update_my_employer(self, changes: dict) -> dict:
        """Correct the organisation's details; a rejected registration goes back to review."""
        fields = EmployerUpdate().load(changes)
        with self.db.unit_of_work() as uow:
            row = employers.correct(uow, self.caller.actor, fields)
        return views.EMPLOYER.dump(row)

    @rpc
    def my_employer(self) -> dict:
        with self.db.reading() as session:
            return views.EMPLOYER.dump(queries.employers.mine(session, self.caller.actor))

    @rpc
    def get_employer(self, employer_id: str) -> dict:
        with self.db.reading() as session:
            row = queries.employers.get(session, self.caller.actor, employer_id, self.policy)
            return views.EMPLOYER.dump(row)

    @rpc
    def list_employers(self, filters: dict) -> dict:
        """Officers' queue: employers in one state, oldest registration first."""
        args = EmployerFilter().load(filters)
        with self.db.reading() as session:
            page = queries.employers.queue(session, self.caller.actor, args, self.policy)
            return views.page(page, views.EMPLOYERS.dump)

    @rpc
    def verify_employer(self, employer_id: str, note: str | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            row = employers.decide(uow, self.caller.actor, employer_id, "verify", note, self.policy)
        return views.EMPLOYER.dump(row)

    @rpc
    def reject_employer(self, employer_id: str, reason: str) -> dict:
        with self.db.unit_of_work() as uow:
            row = employers.decide(
                uow, self.caller.actor, employer_id, "reject", reason, self.policy
            )
        return views.EMPLOYER.dump(row)

    @rpc
    def designate_practice_unit(
        self, employer_id: str, partners: list[str], term: dict | None = None
    ) -> dict:
        """产教融合实践单位: an officer designates a verified employer for a term, naming its
        schools and the registered universities it serves (`term`: the rest of the body)."""
        fields = PracticeUnitDesignation().load({**(term or {}), "partners": partners})
        with self.db.unit_of_work() as uow:
            row = practice_units.designate(
                uow, self.caller.actor, employer_id, fields.pop("partners"), self.policy, fields
            )
        return views.EMPLOYER.dump(row)

    @rpc
    def record_practice_placement(self, placement: dict) -> dict:
        """The practice unit reports students of a university it serves placed with it."""
        fields = PracticePlacementInput().load(placement)
        with self.db.unit_of_work() as uow:
            row = practice_units.record_placement(uow, self.caller.actor, fields)
        return views.PLACEMENT.dump(row)

    @rpc
    def my_practice_placements(self, query: dict) -> dict:
        args = PageQuery().load(query)
        with self.db.reading() as session:
            page = queries.cooperation.placements_of(session, self.caller.actor, args)
            return views.page(page, views.PLACEMENTS.dump)

    @rpc
    def practice_units(self, query: dict) -> dict:
        """Practice units by name, each with its published posts."""
        args = PageQuery().load(query)
        with self.db.reading() as session:
            return views.page(queries.employers.practice_units(session, args), views.practice_units)

    # -- posts -------------------------------------------------------------------------------

    @rpc
    def create_post(self, post: dict) -> dict:
        """A draft post of the calling employer (registered; verified before it is submitted)."""
        fields = PostInput().load(post)
        with self.db.unit_of_work() as uow:
            row = posts.create(uow, self.caller.actor, fields, self.policy)
        return views.POST.dump(row)

    @rpc
    def update_post(self, post_id: str, changes: dict) -> dict:
        """Change a draft (a returned post is a draft again)."""
        fields = PostUpdate().load(changes)
        with self.db.unit_of_work() as uow:
            row = posts.edit(uow, self.caller.actor, post_id, fields, self.policy)
        return views.POST.dump(row)

    @rpc
    def post_step(self, post_id: str, action: str, reason: str | None = None) -> dict:
        """submit (employer), approve or return (officer), close (either), fill (employer)."""
        with self.db.unit_of_work() as uow:
            row = posts.take_step(uow, self.caller.actor, post_id, action, reason, self.policy)
        return views.POST.dump(row)

    @rpc
    def get_post(self, post_id: str) -> dict:
        with self.db.reading() as session:
            return views.POST.dump(
                queries.posts.visible(session, self.caller.actor, post_id, self.policy)
            )

    @rpc
    def post_history(self, post_id: str) -> dict:
        with self.db.reading() as session:
            steps = queries.posts.history(session, self.caller.actor, post_id, self.policy)
            return {"items": views.POST_STEPS.dump(steps)}

    @rpc
    def search_posts(self, query: dict) -> dict:
        """Published posts by keyword, kind, area, industry, education and salary; newest or
        best paid first; keyset-paginated, so a page stays put while new posts arrive."""
        filters = PostSearch().load(query)
        with self.db.reading() as session:
            return views.page(queries.posts.search(session, filters), views.POSTS.dump)

    @rpc
    def my_posts(self, query: dict) -> dict:
        args = MyPostsQuery().load(query)
        with self.db.reading() as session:
            return views.page(
                queries.posts.of_employer(session, self.caller.actor, args), views.POSTS.dump
            )

    @rpc
    def review_queue(self, query: dict) -> dict:
        """Posts waiting for review, the longest waiting first."""
        args = PageQuery().load(query)
        with self.db.reading() as session:
            page = queries.posts.review_queue(session, self.caller.actor, args, self.policy)
            return views.page(page, views.POSTS.dump)

    # -- applications ------------------------------------------------------------------------

    @rpc
    def apply(self, post_id: str, person: dict, application: dict | None = None) -> dict:
        """One application per person per post; a traineeship post takes eligible people only."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        facts = PersonFactsInput().load(person)
        fields = JobApplicationInput().load(application or {})
        with self.db.unit_of_work() as uow:
            row, submitted = applications.apply(
                uow, self.caller.actor, post_id, facts, fields, self.policy
            )
        # a new application's view is what was just written: no need to read it back
        return views.application(row, [submitted], traineeship_id=None)

    @rpc
    def traineeship_eligibility(self, person: dict) -> dict:
        """Am I eligible for the traineeship programme? Each rule, passed or failed, and why."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        facts = PersonFactsInput().load(person)
        return views.eligibility(traineeships.eligibility(facts, self.policy), self.policy)

    @rpc
    def change_application_status(self, application_id: str, change: dict) -> dict:
        """The employer moves an application on; the applicant withdraws it. A hire records the
        contract, starts a traineeship on a traineeship post, and fills a post whose positions
        are all taken."""
        fields = JobApplicationStatusChange().load(change)
        with self.db.unit_of_work() as uow:
            applications.change_status(uow, self.caller.actor, application_id, fields, self.policy)
        return self.get_application(application_id)

    def release_person(self, uow, person_id: str) -> None:
        """An erased person's applications in progress are withdrawn on their behalf."""
        applications.withdraw_for_erased_person(uow, self.caller.actor, person_id, self.policy)

    @rpc
    def get_application(self, application_id: str) -> dict:
        with self.db.reading() as session:
            record = queries.applications.get(
                session, self.caller.actor, application_id, self.policy
            )
            return views.application(*record)

    @rpc
    def my_applications(self, query: dict, person_id: str | None = None) -> dict:
        person_id = self.caller.actor.person(person_id)
        args = JobApplicationFilter().load(query)
        with self.db.reading() as session:
            page = queries.applications.of_person(session, person_id, args)
            return views.page(page, views.applications)

    @rpc
    def post_applications(self, post_id: str, query: dict) -> dict:
        """Applications to one post, for its employer (and deciding officers)."""
        args = JobApplicationFilter().load(query)
        with self.db.reading() as session:
            page = queries.applications.of_post(
                session, self.caller.actor, post_id, args, self.policy
            )
            return views.page(page, views.applications)

    # -- traineeships ------------------------------------------------------------------------

    @rpc
    def get_traineeship(self, traineeship_id: str) -> dict:
        with self.db.reading() as session:
            row = queries.traineeships.get(session, self.caller.actor, traineeship_id, self.policy)
            return views.TRAINEESHIP.dump(row)

    @rpc
    def traineeships(self, query: dict) -> dict:
        """A young person's traineeships, a host's, or (for officers) all of them."""
        args = TraineeshipFilter().load(query)
        with self.db.reading() as session:
            page = queries.traineeships.page(session, self.caller.actor, args, self.policy)
            return views.page(page, views.TRAINEESHIPS.dump)

    @rpc
    def end_traineeship(self, traineeship_id: str, end: dict) -> dict:
        """The host ends a traineeship: completed, retained (hired by the host, keeping the
        remaining months' subsidy) or left early; the subsidy is settled at the host's rate."""
        fields = TraineeshipEnd().load(end)
        with self.db.unit_of_work() as uow:
            row = traineeships.end(uow, self.caller.actor, traineeship_id, fields, self.policy)
        return views.TRAINEESHIP.dump(row)

    # -- 免申即享: applications the platform opens itself (the catalogue: ProgrammeCatalogue) --

    @rpc
    def apply_automatically(self, programme: str, person_id: str) -> dict | None:
        """免申即享: the platform opens the application of an automatic programme for a person
        who qualifies, for an officer to decide (None when they do not, or one stands)."""
        self.caller.actor.require_role(SYSTEM)
        if programme != programmes.HIRING_SUBSIDY:
            raise NotFound("programme")
        with self.db.unit_of_work() as uow:
            row = subsidies.claim_automatically(uow, person_id, self.policy)
        return views.CLAIM.dump(row) if row is not None else None

    # -- subsidies ---------------------------------------------------------------------------

    @rpc
    def claim_subsidy(self, claim: dict) -> dict:
        """The employer claims the one-off hiring subsidy for a hire, or the traineeship subsidy
        for a traineeship that ended."""
        fields = SubsidyClaimInput().load(claim)
        with self.db.unit_of_work() as uow:
            row = subsidies.claim(uow, self.caller.actor, fields, self.policy)
        return views.CLAIM.dump(row)

    @rpc
    def decide_subsidy(
        self, claim_id: str, decision: dict, verified_facts: dict | None = None
    ) -> dict:
        """An officer grants or rejects a claim (a rejection with its reason); recorded in the
        audit trail with the claim in one transaction. `verified_facts`: the person's profile
        facts the gateway holds verified, with their values (a grant rests only on them)."""
        fields = SubsidyClaimDecision().load(decision)
        facts = {str(k): str(v) for k, v in (verified_facts or {}).items()}
        with self.db.unit_of_work() as uow:
            row = subsidies.decide(uow, self.caller.actor, claim_id, fields, self.policy, facts)
        return views.CLAIM.dump(row)

    @rpc
    def get_subsidy_claim(self, claim_id: str) -> dict:
        """A claim, for the employer that made it and for deciding officers."""
        with self.db.reading() as session:
            row = queries.subsidies.get(session, self.caller.actor, claim_id, self.policy)
            return views.CLAIM.dump(row)

    @rpc
    def subsidy_claims(self, query: dict) -> dict:
        """An employer's own claims, or (for officers) every claim, oldest first."""
        args = SubsidyClaimFilter().load(query)
        with self.db.reading() as session:
            page = queries.subsidies.page(session, self.caller.actor, args, self.policy)
            return views.page(page, views.CLAIMS.dump)

    # -- job fairs ---------------------------------------------------------------------------

    @rpc
    def create_fair(self, fair: dict) -> dict:
        """春风行动: an officer of the deciding unit opens a fair, online or on site."""
        fields = FairInput().load(fair)
        with self.db.unit_of_work() as uow:
            row = fairs.open_fair(uow, self.caller.actor, fields, self.policy)
        return views.FAIR.dump(row)

    @rpc
    def list_fairs(self, query: dict) -> dict:
        args = FairFilter().load(query)
        with self.db.reading() as session:
            return views.page(queries.fairs.open_fairs(session, args), views.FAIRS.dump)

    @rpc
    def get_fair(self, fair_id: str) -> dict:
        """A fair with its booths and the posts each shows."""
        with self.db.reading() as session:
            return views.fair_detail(*queries.fairs.detail(session, fair_id))

    @rpc
    def book_booth(self, fair_id: str, booth: dict) -> dict:
        """A verified employer takes a free booth while booths last, showing its posts."""
        fields = BoothInput().load(booth)
        with self.db.unit_of_work() as uow:
            row, shown = fairs.book_booth(uow, self.caller.actor, fair_id, fields)
        return views.booth(row, shown)

    @rpc
    def register_for_fair(self, fair_id: str, person: dict) -> dict:
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        facts = PersonFactsInput().load(person)
        with self.db.unit_of_work() as uow:
            row, fair = fairs.register(uow, fair_id, facts)
        return views.fair_registration(row, fair)

    @rpc
    def my_fair_registrations(self, query: dict, person_id: str | None = None) -> dict:
        person_id = self.caller.actor.person(person_id)
        args = PageQuery().load(query)
        with self.db.reading() as session:
            page = queries.fairs.registrations_of(session, person_id, args)
            return views.page(page, views.fair_registrations)

    @rpc
    def list_city_fair(self, fair: dict) -> dict:
        """市级招聘活动: an officer lists a city-level fair for young people to register for."""
        fields = CityFairInput().load(fair)
        with self.db.unit_of_work() as uow:
            row = fairs.list_city_fair(uow, self.caller.actor, fields, self.policy)
        return views.FAIR.dump(row)

    # -- district–university cooperation (区校合作) and roadshows ------------------------------

    @rpc
    def register_university(self, university: dict) -> dict:
        fields = UniversityInput().load(university)
        with self.db.unit_of_work() as uow:
            row = cooperation.register_university(uow, self.caller.actor, fields, self.policy)
        return views.UNIVERSITY.dump(row)

    @rpc
    def list_universities(self, query: dict) -> dict:
        args = PageQuery().load(query)
        with self.db.reading() as session:
            page = queries.cooperation.universities(session, args)
            return views.page(page, views.UNIVERSITIES.dump)

    @rpc
    def publish_cooperation_project(self, project: dict) -> dict:
        """An officer of the cooperation unit publishes a project with its first milestones."""
        fields = CooperationProjectInput().load(project)
        with self.db.unit_of_work() as uow:
            row, milestones = cooperation.publish_project(
                uow, self.caller.actor, fields, self.policy
            )
        return views.project(row, milestones, [])

    @rpc
    def cooperation_projects(self, query: dict) -> dict:
        args = CooperationProjectFilter().load(query)
        with self.db.reading() as session:
            return views.page(queries.cooperation.projects(session, args), views.PROJECTS.dump)

    @rpc
    def get_cooperation_project(self, project_id: str) -> dict:
        """A project with its milestones and outcomes."""
        with self.db.reading() as session:
            return views.project(*queries.cooperation.project(session, project_id))

    @rpc
    def add_project_milestone(self, project_id: str, milestone: dict) -> dict:
        fields = MilestoneInput().load(milestone)
        with self.db.unit_of_work() as uow:
            row = cooperation.add_milestone(uow, self.caller.actor, project_id, fields, self.policy)
        return views.MILESTONE.dump(row)

    @rpc
    def complete_project_milestone(self, project_id: str, milestone_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            row = cooperation.complete_milestone(
                uow, self.caller.actor, project_id, milestone_id, self.policy
            )
        return views.MILESTONE.dump(row)

    @rpc
    def record_project_outcome(self, project_id: str, outcome: dict) -> dict:
        fields = OutcomeInput().load(outcome)
        with self.db.unit_of_work() as uow:
            row = cooperation.record_outcome(
                uow, self.caller.actor, project_id, fields, self.policy
            )
        return views.OUTCOME.dump(row)

    @rpc
    def complete_cooperation_project(self, project_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            cooperation.complete_project(uow, self.caller.actor, project_id, self.policy)
        return self.get_cooperation_project(project_id)

    @rpc
    def organise_roadshow(self, roadshow: dict) -> dict:
        """赴高校开展特色产业专题推介: an officer organises a roadshow at a university."""
        fields = RoadshowInput().load(roadshow)
        with self.db.unit_of_work() as uow:
            row = roadshows.organise(uow, self.caller.actor, fields, self.policy)
        return views.ROADSHOW.dump(row)

    @rpc
    def list_roadshows(self, query: dict) -> dict:
        args = RoadshowFilter().load(query)
        with self.db.reading() as session:
            return views.page(queries.cooperation.roadshows(session, args), views.ROADSHOWS.dump)

    @rpc
    def get_roadshow(self, roadshow_id: str) -> dict:
        """A roadshow with the employers that joined and the posts they present."""
        with self.db.reading() as session:
            return views.roadshow_detail(*queries.cooperation.roadshow(session, roadshow_id))

    @rpc
    def join_roadshow(self, roadshow_id: str, joining: dict) -> dict:
        """A verified employer joins a roadshow while places last, presenting its posts."""
        fields = RoadshowJoinInput().load(joining)
        with self.db.unit_of_work() as uow:
            row, shown = roadshows.join(uow, self.caller.actor, roadshow_id, fields)
        return views.participation(row, shown)

    # -- what the gateway aggregates ---------------------------------------------------------

    @rpc
    def dashboard(self, person_id: str | None = None) -> dict:
        """A young person's applications, traineeships and fair registrations, most recent
        first, each with its state and next step in both languages."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            items = queries.figures.person_items(session, person_id)
        return views.dashboard(*items)

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """The service's figures for [since, until), dates in the district's time."""
        with self.db.reading() as session:
            return queries.figures.indicators(session, *queries.figures.period(since, until))

    @rpc
    def graduates_hired_in_district(self, since: str, until: str) -> list[str]:
        """Person ids, each once, of recent graduates hired in [since, until) to a workplace in
        the district (the gateway adds graduates who registered a business)."""
        with self.db.reading() as session:
            return queries.figures.graduates_hired(session, *queries.figures.period(since, until))
