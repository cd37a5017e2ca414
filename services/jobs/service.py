"""The jobs service's nameko class: a thin adapter that validates, applies the domain rules,
persists, and records events and officer decisions in the same transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa

from services.common.clock import clock, utcnow
from services.common.db import Database
from services.common.errors import Conflict, DomainError, IllegalTransition, NotFound
from services.common.pagination import ASC, DESC, keyset_page
from services.common.policy import Policy
from services.common.privacy import PersonalData
from services.common.rpc import rpc
from services.common.schemas import PageQuery
from services.common.service import Audited, ServiceBase

from . import domain, privacy, store
from .domain import Actor
from .events import EVENTS
from .messages import MESSAGES, label
from .models import (
    Application,
    ApplicationTransition,
    Base,
    Employer,
    Fair,
    FairBooth,
    FairRegistration,
    Post,
    PostTransition,
    SubsidyClaim,
    Traineeship,
)
from .policy import JobsPolicy
from .schemas import (
    ApplicantFactsView,
    BoothInput,
    EmployerFilter,
    EmployerRegistration,
    EmployerUpdate,
    EmployerView,
    FairFilter,
    FairInput,
    FairView,
    JobApplicationFilter,
    JobApplicationInput,
    JobApplicationStatusChange,
    JobApplicationTransitionView,
    JobApplicationView,
    MyPostsQuery,
    PersonFactsInput,
    PostInput,
    PostSearch,
    PostTransitionView,
    PostUpdate,
    PostView,
    SubsidyClaimDecision,
    SubsidyClaimFilter,
    SubsidyClaimInput,
    SubsidyClaimView,
    TraineeshipEnd,
    TraineeshipFilter,
    TraineeshipView,
)
from .search import searchable_text

DASHBOARD_ITEMS = 50

EMPLOYER = EmployerView()
EMPLOYERS = EmployerView(many=True)
POST = PostView()
POSTS = PostView(many=True)
TRAINEESHIP = TraineeshipView()
TRAINEESHIPS = TraineeshipView(many=True)
APPLICATION = JobApplicationView(exclude=("applicant", "traineeship_id", "history"))
APPLICANT = ApplicantFactsView()
STEPS = JobApplicationTransitionView(many=True)
CLAIM = SubsidyClaimView()
CLAIMS = SubsidyClaimView(many=True)
FAIR = FairView()
FAIRS = FairView(many=True)


def _district_days(since: str, until: str) -> tuple[datetime, datetime]:
    """[since, until) given as district dates, as instants."""
    return clock.start_of(date.fromisoformat(since)), clock.start_of(date.fromisoformat(until))


def _id() -> str:
    return str(uuid.uuid4())


def _flush_unique(uow, code: str) -> None:
    """Flush, turning a unique-key violation (a concurrent twin got there first) into a 409."""
    try:
        uow.session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(code) from exc


class JobsService(ServiceBase, Audited, PersonalData):
    """Employers, posts, applications, traineeships, subsidies, job fairs and practice units."""

    name = "jobs"
    messages = MESSAGES
    db = Database(Base.metadata, package="services.jobs", events=EVENTS)
    policy = Policy(JobsPolicy)
    personal_data = privacy

    def _actor(self) -> Actor:
        return Actor(self.caller.actor_id, self.caller.actor_role, self.caller.actor_unit)

    # -- employers ---------------------------------------------------------------------------

    @rpc
    def register_employer(self, employer: dict, name: str) -> dict:
        """The calling employer account's organisation, pending verification."""
        fields = EmployerRegistration().load(employer)
        actor = self._actor()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            if uow.session.get(Employer, actor.account_id) is not None:
                raise Conflict("employer_already_registered")
            if store.employer_with_code(uow.session, fields["credit_code"]) is not None:
                raise Conflict("credit_code_registered", field="credit_code")
            row = Employer(
                id=actor.account_id,
                name=name,
                state=domain.EMPLOYER_PENDING,
                practice_unit=False,
                practice_partners=[],
                registered_at=now,
                updated_at=now,
                **fields,
            )
            uow.session.add(row)
            _flush_unique(uow, "credit_code_registered")
            uow.commit()
            return EMPLOYER.dump(row)

    @rpc
    def update_my_employer(self, changes: dict) -> dict:
        """Correct the organisation's details; a rejected registration goes back to review."""
        fields = EmployerUpdate().load(changes)
        actor = self._actor()
        with self.db.unit_of_work() as uow:
            row = store.locked(uow.session, Employer, actor.account_id, "employer")
            if "credit_code" in fields and fields["credit_code"] != row.credit_code:
                if row.state == domain.EMPLOYER_VERIFIED:
                    # the verification was of this code: a new one needs a new verification
                    row.state = domain.EMPLOYER_PENDING
                if store.employer_with_code(uow.session, fields["credit_code"]) is not None:
                    raise Conflict("credit_code_registered", field="credit_code")
            for key, value in fields.items():
                setattr(row, key, value)
            if row.state == domain.EMPLOYER_REJECTED:
                row.state = domain.next_employer_state(row.state, "resubmit")
                row.rejection_reason = None
            row.updated_at = utcnow()
            _flush_unique(uow, "credit_code_registered")
            uow.commit()
            return EMPLOYER.dump(row)

    @rpc
    def my_employer(self) -> dict:
        with self.db.reading() as session:
            return EMPLOYER.dump(store.found(session, Employer, self.caller.actor_id, "employer"))

    @rpc
    def get_employer(self, employer_id: str) -> dict:
        actor = self._actor()
        if actor.account_id != employer_id:
            actor.check_decides(self.policy)
        with self.db.reading() as session:
            return EMPLOYER.dump(store.found(session, Employer, employer_id, "employer"))

    @rpc
    def list_employers(self, filters: dict) -> dict:
        """Officers' queue: employers in one state, oldest registration first."""
        self._actor().check_decides(self.policy)
        args = EmployerFilter().load(filters)
        query = sa.select(Employer).where(Employer.state == args["state"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(Employer.registered_at, ASC), (Employer.id, ASC)],
                args.get("after"),
                args["limit"],
            )
            return {"items": EMPLOYERS.dump(page.items), "next_cursor": page.next_cursor}

    @rpc
    def verify_employer(self, employer_id: str, note: str | None = None) -> dict:
        return self._decide_employer(employer_id, "verify", note)

    @rpc
    def reject_employer(self, employer_id: str, reason: str) -> dict:
        return self._decide_employer(employer_id, "reject", reason)

    def _decide_employer(self, employer_id: str, action: str, reason: str | None) -> dict:
        actor = self._actor()
        actor.check_decides(self.policy)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = store.locked(uow.session, Employer, employer_id, "employer")
            row.state = domain.next_employer_state(row.state, action)
            row.decided_at, row.decided_by, row.updated_at = now, actor.account_id, now
            if action == "reject":
                row.rejection_reason = reason
            uow.record(f"employer.{row.state}", subject=row.id, data=row)
            uow.audit(
                f"employer.{row.state}",
                ("employer", row.id),
                reason,
                {"credit_code": row.credit_code, "credit_code_checked": True},
            )
            uow.commit()
            return EMPLOYER.dump(row)

    @rpc
    def designate_practice_unit(self, employer_id: str, partners: list[str]) -> dict:
        """产教融合实践单位: an officer designates a verified employer, naming its schools."""
        actor = self._actor()
        actor.check_decides(self.policy)
        with self.db.unit_of_work() as uow:
            row = store.locked(uow.session, Employer, employer_id, "employer")
            domain.check_may_publish(row.state)
            row.practice_unit, row.practice_partners = True, list(partners)
            row.updated_at = utcnow()
            uow.audit(
                "employer.practice_unit_designated",
                ("employer", row.id),
                None,
                {"partners": list(partners)},
            )
            uow.commit()
            return EMPLOYER.dump(row)

    @rpc
    def practice_units(self, query: dict) -> dict:
        """Practice units by name, each with its published posts (two queries a page)."""
        args = PageQuery().load(query)
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(Employer).where(Employer.practice_unit.is_(True)),
                [(Employer.name, ASC), (Employer.id, ASC)],
                args.get("after"),
                args["limit"],
            )
            posts = store.published_posts_of(session, [e.id for e in page.items])
            items = [
                {
                    "employer_id": e.id,
                    "name": e.name,
                    "industry": e.industry,
                    "area": e.area,
                    "partners": e.practice_partners,
                    "posts": POSTS.dump(posts.get(e.id, [])),
                }
                for e in page.items
            ]
            return {"items": items, "next_cursor": page.next_cursor}

    # -- posts -------------------------------------------------------------------------------

    @rpc
    def create_post(self, post: dict) -> dict:
        """A draft post of the calling employer (registered; verified before it is submitted)."""
        fields = PostInput().load(post)
        actor = self._actor()
        domain.check_traineeship_length(
            fields["kind"], fields.get("traineeship_months"), self.policy
        )
        now = utcnow()
        with self.db.unit_of_work() as uow:
            employer = store.employer_row(uow.session, actor.account_id)
            if employer is None:
                raise DomainError("employer_not_registered", status=409)
            fields.setdefault("in_district", employer.in_district)
            row = Post(
                id=_id(),
                employer_id=employer.id,
                employer_name=employer.name,
                state=domain.DRAFT,
                hired_count=0,
                created_at=now,
                updated_at=now,
                **fields,
            )
            self._refresh_derived(row)
            uow.session.add(row)
            uow.session.flush()
            store.replace_terms(uow.session, row)
            self._history(uow, row, "create", None, None)
            uow.commit()
            return POST.dump(row)

    @staticmethod
    def _refresh_derived(row: Post) -> None:
        row.education_rank = domain.education_rank(row.education)
        row.search_text = searchable_text(row.title, row.employer_name, *(row.tags or []))

    @rpc
    def update_post(self, post_id: str, changes: dict) -> dict:
        """Change a draft (a returned post is a draft again)."""
        fields = PostUpdate().load(changes)
        actor = self._actor()
        with self.db.unit_of_work() as uow:
            row = store.locked(uow.session, Post, post_id, "post")
            if actor.role != domain.EMPLOYER or row.employer_id != actor.account_id:
                raise NotFound("post")
            domain.check_editable(row.state)
            for key, value in fields.items():
                setattr(row, key, value)
            if row.kind != domain.TRAINEESHIP:
                row.traineeship_months = None
            domain.check_salary_range(row.salary_min, row.salary_max)
            domain.check_traineeship_length(row.kind, row.traineeship_months, self.policy)
            self._refresh_derived(row)
            row.updated_at = utcnow()
            store.replace_terms(uow.session, row)
            uow.commit()
            return POST.dump(row)

    @rpc
    def post_step(self, post_id: str, action: str, reason: str | None = None) -> dict:
        """submit (employer), approve or return (officer), close (either), fill (employer)."""
        if action not in domain.POST_TRANSITIONS:
            raise NotFound("action")
        actor = self._actor()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = store.locked(uow.session, Post, post_id, "post")
            before = row.state
            row.state = domain.next_post_state(
                before, action, actor, row.employer_id, self.policy, reason
            )
            if action == "submit":
                employer = store.employer_row(uow.session, row.employer_id)
                domain.check_may_publish(employer.state if employer else None)
                domain.check_traineeship_length(row.kind, row.traineeship_months, self.policy)
                row.submitted_at = now
            elif action == "approve":
                row.published_at = now
                uow.record("posting.published", subject=row.id, data=row)
            elif action == "return":
                uow.record(
                    "posting.returned",
                    subject=row.id,
                    data={
                        "post_id": row.id,
                        "employer_id": row.employer_id,
                        "title": row.title,
                        "reason": reason,
                    },
                )
            elif row.state in (domain.CLOSED, domain.FILLED):
                self._close(uow, row, before, now)
            if actor.role == domain.OFFICER:
                uow.audit(f"post.{action}", ("post", row.id), reason, {"from": before})
            row.updated_at = now
            self._history(uow, row, action, before, reason)
            uow.commit()
            return POST.dump(row)

    @staticmethod
    def _close(uow, row: Post, before: str, now: datetime) -> None:
        row.closed_at = now
        if before == domain.PUBLISHED:
            uow.record("posting.closed", subject=row.id, data=row)

    def _history(self, uow, row: Post, action: str, before: str | None, reason: str | None):
        uow.session.add(
            PostTransition(
                id=_id(),
                post_id=row.id,
                action=action,
                from_state=before,
                to_state=row.state,
                actor_id=self.caller.actor_id,
                actor_role=self.caller.actor_role,
                reason=reason,
                at=utcnow(),
            )
        )

    def _visible_post(self, session, post_id: str) -> Post:
        """A post that was ever published stays public (applicants look back at it); a draft or
        a post under review only to its employer and deciding officers."""
        row = store.found(session, Post, post_id, "post")
        actor = self._actor()
        if row.published_at is not None or actor.is_officer_of(self.policy):
            return row
        if actor.role == domain.EMPLOYER and actor.account_id == row.employer_id:
            return row
        raise NotFound("post")

    @rpc
    def get_post(self, post_id: str) -> dict:
        with self.db.reading() as session:
            return POST.dump(self._visible_post(session, post_id))

    @rpc
    def post_history(self, post_id: str) -> dict:
        actor = self._actor()
        with self.db.reading() as session:
            row = store.found(session, Post, post_id, "post")
            if not (actor.is_officer_of(self.policy) or actor.account_id == row.employer_id):
                raise NotFound("post")
            steps = session.execute(
                sa.select(PostTransition)
                .where(PostTransition.post_id == post_id)
                .order_by(PostTransition.at, PostTransition.id)
            ).scalars()
            return {"items": PostTransitionView(many=True).dump(steps)}

    @rpc
    def search_posts(self, query: dict) -> dict:
        """Published posts by keyword, kind, area, industry, education and salary; newest or
        best paid first; keyset-paginated, so a page stays put while new posts arrive."""
        filters = PostSearch().load(query)
        with self.db.reading() as session:
            page = store.search_page(session, filters)
            return {"items": POSTS.dump(page.items), "next_cursor": page.next_cursor}

    @rpc
    def my_posts(self, query: dict) -> dict:
        args = MyPostsQuery().load(query)
        select = sa.select(Post).where(Post.employer_id == self.caller.actor_id)
        if args.get("state"):
            select = select.where(Post.state == args["state"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                select,
                [(Post.created_at, DESC), (Post.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return {"items": POSTS.dump(page.items), "next_cursor": page.next_cursor}

    @rpc
    def review_queue(self, query: dict) -> dict:
        """Posts waiting for review, the longest waiting first."""
        self._actor().check_decides(self.policy)
        args = PageQuery().load(query)
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(Post).where(Post.state == domain.PENDING_REVIEW),
                [(Post.submitted_at, ASC), (Post.id, ASC)],
                args.get("after"),
                args["limit"],
            )
            return {"items": POSTS.dump(page.items), "next_cursor": page.next_cursor}

    # -- applications ------------------------------------------------------------------------

    @rpc
    def apply(self, post_id: str, person: dict, application: dict | None = None) -> dict:
        """One application per person per post; a traineeship post takes eligible people only."""
        facts = PersonFactsInput().load(person)
        fields = JobApplicationInput().load(application or {})
        now = utcnow()
        with self.db.unit_of_work() as uow:
            post = store.shared(uow.session, Post, post_id, "post")
            if post.state != domain.PUBLISHED and post.state in domain.OPEN_POST_STATES:
                raise NotFound("post")  # an unpublished post does not exist for applicants
            domain.check_open_for_applications(post.state)
            if post.kind == domain.TRAINEESHIP:
                self._check_eligible(facts)
            if store.application_of(uow.session, post.id, facts["person_id"]) is not None:
                raise Conflict("application_exists")
            row = Application(
                id=_id(),
                post_id=post.id,
                employer_id=post.employer_id,
                person_id=facts["person_id"],
                post_kind=post.kind,
                post_title=post.title,
                state=domain.SUBMITTED,
                cover_letter=fields["cover_letter"],
                age=facts.get("age"),
                degree=facts.get("degree"),
                graduation_date=facts.get("graduation_date"),
                employment_status=facts.get("employment_status"),
                submitted_at=now,
                updated_at=now,
            )
            uow.session.add(row)
            _flush_unique(uow, "application_exists")
            submitted = self._application_history(uow, row, None, None, now)
            uow.record("application.submitted", subject=row.id, data=row)
            uow.commit()
        # a new application's view is what was just written: no need to read it back
        return self._application_view(row, [submitted], traineeship_id=None)

    def _eligibility(self, facts: dict) -> domain.Eligibility:
        return domain.traineeship_eligibility(
            domain.PersonFacts(
                person_id=facts["person_id"],
                age=facts.get("age"),
                graduation_date=facts.get("graduation_date"),
                employment_status=facts.get("employment_status"),
                degree=facts.get("degree"),
            ),
            clock.today(),
            self.policy,
        )

    def _check_eligible(self, facts: dict) -> None:
        result = self._eligibility(facts)
        if not result.eligible:
            raise DomainError(
                "traineeship_not_eligible",
                status=422,
                errors=[
                    {
                        "field": outcome.rule,
                        "code": outcome.message,
                        "messages": MESSAGES.render(outcome.message, outcome.params),
                    }
                    for outcome in result.rules
                    if not outcome.passed
                ],
            )

    @rpc
    def traineeship_eligibility(self, person: dict) -> dict:
        """Am I eligible for the traineeship programme? Each rule, passed or failed, and why."""
        facts = PersonFactsInput().load(person)
        result = self._eligibility(facts)
        policy = self.policy
        params = {
            "years": policy.graduate_years,
            "min_age": policy.unemployed_min_age,
            "max_age": policy.unemployed_max_age,
        }
        return {
            "eligible": result.eligible,
            "route": result.route,
            "summary": MESSAGES.render(f"eligibility.{result.route or 'none'}", params),
            "rules": [
                {
                    "rule": outcome.rule,
                    "passed": outcome.passed,
                    "message": MESSAGES.render(outcome.message, outcome.params),
                }
                for outcome in result.rules
            ],
        }

    def _application_history(self, uow, row, before, note, at) -> ApplicationTransition:
        step = ApplicationTransition(
            id=_id(),
            application_id=row.id,
            from_state=before,
            to_state=row.state,
            actor_id=self.caller.actor_id,
            actor_role=self.caller.actor_role,
            note=note,
            at=at,
        )
        uow.session.add(step)
        return step

    @rpc
    def change_application_status(self, application_id: str, change: dict) -> dict:
        """The employer moves an application on; the applicant withdraws it. A hire records the
        contract, starts a traineeship on a traineeship post, and fills a post whose positions
        are all taken."""
        fields = JobApplicationStatusChange().load(change)
        with self.db.unit_of_work() as uow:
            row = store.locked(uow.session, Application, application_id, "application")
            self._move_application(uow, row, fields, self._actor(), utcnow())
            uow.commit()
        return self.get_application(application_id)

    def _move_application(self, uow, row: Application, fields: dict, actor: Actor, now) -> None:
        target = fields["status"]
        before = row.state
        row.state = domain.next_application_state(
            before, target, actor, row.person_id, row.employer_id
        )
        row.updated_at = now
        if target == domain.HIRED:
            self._hire(uow, row, fields, now)
        self._application_history(uow, row, before, fields.get("note"), now)
        status_label = label(f"status.{row.state}")
        uow.record(
            "application.status_changed",
            subject=row.id,
            data={
                "application_id": row.id,
                "post_id": row.post_id,
                "post_title": row.post_title,
                "employer_id": row.employer_id,
                "person_id": row.person_id,
                "from_status": before,
                "status": row.state,
                "status_label_zh": status_label["zh-CN"],
                "status_label_en": status_label["en"],
                "changed_at": now,
            },
        )
        if target == domain.HIRED:
            uow.record("application.hired", subject=row.id, data=row)

    def release_person(self, uow, person_id: str) -> None:
        """Nobody will answer for an erased person: their applications still in progress are
        withdrawn on their behalf, so employers stop waiting on them and are told as usual.
        A hire, a traineeship and its subsidy are facts and stay."""
        applicant, now = Actor(person_id, domain.YOUTH, None), utcnow()
        rows = uow.session.execute(
            sa.select(Application)
            .where(
                Application.person_id == person_id,
                Application.state.in_(domain.ACTIVE_APPLICATION_STATES),
            )
            .with_for_update()
        ).scalars()
        for row in rows.all():
            self._move_application(uow, row, {"status": domain.WITHDRAWN}, applicant, now)

    def _hire(self, uow, row: Application, fields: dict, now: datetime) -> None:
        post = store.locked(uow.session, Post, row.post_id, "post")
        today = clock.today()
        row.hired_at = now
        row.contract_with_social_insurance = fields["contract_with_social_insurance"]
        row.graduate = domain.is_recent_graduate(row.graduation_date, today, self.policy)
        row.in_district = post.in_district
        post.hired_count += 1
        if post.state == domain.PUBLISHED and post.hired_count >= post.positions:
            # every position taken: the post stops taking applications by itself
            post.state, post.updated_at = domain.FILLED, now
            self._close(uow, post, domain.PUBLISHED, now)
            self._history(uow, post, "fill", domain.PUBLISHED, None)
        if post.kind == domain.TRAINEESHIP:
            self._start_traineeship(uow, row, post, fields.get("starts_on") or today, now)

    def _start_traineeship(self, uow, row: Application, post: Post, starts_on, now) -> None:
        retained, ended = store.host_record(uow.session, post.employer_id)
        rate = domain.traineeship_subsidy_rate(retained, ended, self.policy)
        monthly = domain.monthly_traineeship_subsidy(rate, self.policy)
        months = post.traineeship_months
        trainee = Traineeship(
            id=_id(),
            application_id=row.id,
            post_id=post.id,
            post_title=post.title,
            employer_id=post.employer_id,
            person_id=row.person_id,
            months=months,
            starts_on=starts_on,
            planned_end_on=domain.add_months(starts_on, months),
            state=domain.TRAINEESHIP_ACTIVE,
            subsidy_rate=rate,
            monthly_subsidy_cny=monthly,
            subsidy_months=months,
            subsidy_total_cny=monthly * months,
            started_at=now,
        )
        uow.session.add(trainee)
        uow.record("traineeship.started", subject=trainee.id, data=trainee)

    @classmethod
    def _application_views(cls, session, rows: list[Application]) -> list[dict]:
        """Applications with their facts, history and traineeship (three queries in all)."""
        ids = [row.id for row in rows]
        history = store.histories(session, ids)
        trainees = store.traineeship_ids(session, ids)
        return [
            cls._application_view(row, history.get(row.id, []), trainees.get(row.id))
            for row in rows
        ]

    @staticmethod
    def _application_view(row: Application, steps: list, traineeship_id: str | None) -> dict:
        view = APPLICATION.dump(row)
        view["applicant"] = APPLICANT.dump(row)
        view["traineeship_id"] = traineeship_id
        view["history"] = STEPS.dump(steps)
        return view

    @rpc
    def get_application(self, application_id: str) -> dict:
        with self.db.reading() as session:
            row = store.found(session, Application, application_id, "application")
            domain.check_may_see_application(
                self._actor(), row.person_id, row.employer_id, self.policy
            )
            return self._application_views(session, [row])[0]

    @rpc
    def my_applications(self, person_id: str, query: dict) -> dict:
        args = JobApplicationFilter().load(query)
        select = sa.select(Application).where(Application.person_id == person_id)
        return self._application_page(select, args)

    @rpc
    def post_applications(self, post_id: str, query: dict) -> dict:
        """Applications to one post, for its employer (and deciding officers)."""
        args = JobApplicationFilter().load(query)
        actor = self._actor()
        with self.db.reading() as session:
            post = store.found(session, Post, post_id, "post")
            if not (actor.is_officer_of(self.policy) or actor.account_id == post.employer_id):
                raise NotFound("post")
        return self._application_page(
            sa.select(Application).where(Application.post_id == post_id), args
        )

    def _application_page(self, select, args: dict) -> dict:
        if args.get("state"):
            select = select.where(Application.state == args["state"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                select,
                [(Application.submitted_at, DESC), (Application.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return {
                "items": self._application_views(session, page.items),
                "next_cursor": page.next_cursor,
            }

    # -- traineeships ------------------------------------------------------------------------

    def _visible_traineeship(self, session, traineeship_id: str) -> Traineeship:
        row = store.found(session, Traineeship, traineeship_id, "traineeship")
        actor = self._actor()
        if not (
            actor.is_officer_of(self.policy)
            or (actor.role == domain.YOUTH and actor.account_id == row.person_id)
            or (actor.role == domain.EMPLOYER and actor.account_id == row.employer_id)
        ):
            raise NotFound("traineeship")
        return row

    @rpc
    def get_traineeship(self, traineeship_id: str) -> dict:
        with self.db.reading() as session:
            return TRAINEESHIP.dump(self._visible_traineeship(session, traineeship_id))

    @rpc
    def traineeships(self, query: dict) -> dict:
        """A young person's traineeships, a host's, or (for officers) all of them."""
        args = TraineeshipFilter().load(query)
        actor = self._actor()
        select = sa.select(Traineeship)
        if actor.role == domain.YOUTH:
            select = select.where(Traineeship.person_id == actor.account_id)
        elif actor.role == domain.EMPLOYER:
            select = select.where(Traineeship.employer_id == actor.account_id)
        else:
            actor.check_decides(self.policy)
        if args.get("state"):
            select = select.where(Traineeship.state == args["state"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                select,
                [(Traineeship.started_at, DESC), (Traineeship.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return {"items": TRAINEESHIPS.dump(page.items), "next_cursor": page.next_cursor}

    @rpc
    def end_traineeship(self, traineeship_id: str, end: dict) -> dict:
        """The host ends a traineeship: completed, retained (hired by the host, keeping the
        remaining months' subsidy) or left early; the subsidy is settled at the host's rate."""
        fields = TraineeshipEnd().load(end)
        actor = self._actor()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = store.locked(uow.session, Traineeship, traineeship_id, "traineeship")
            if actor.role != domain.EMPLOYER or actor.account_id != row.employer_id:
                raise NotFound("traineeship")
            if row.state != domain.TRAINEESHIP_ACTIVE:
                raise IllegalTransition(row.state, "end")
            outcome, ended_on = fields["outcome"], fields["ended_on"]
            domain.check_traineeship_end(outcome, row.starts_on, row.planned_end_on, ended_on)
            retained, ended = store.host_record(uow.session, row.employer_id)
            rate = domain.traineeship_subsidy_rate(
                retained + (outcome == domain.RETAINED), ended + 1, self.policy
            )
            row.state, row.ended_on, row.ended_at = outcome, ended_on, now
            row.subsidy_rate = rate
            row.monthly_subsidy_cny = domain.monthly_traineeship_subsidy(rate, self.policy)
            row.subsidy_months = domain.subsidised_months(
                outcome, row.months, row.starts_on, ended_on
            )
            row.subsidy_total_cny = row.monthly_subsidy_cny * row.subsidy_months
            uow.record("traineeship.ended", subject=row.id, data=row)
            uow.commit()
            return TRAINEESHIP.dump(row)

    # -- subsidies ---------------------------------------------------------------------------

    @rpc
    def claim_subsidy(self, claim: dict) -> dict:
        """The employer claims the one-off hiring subsidy for a hire, or the traineeship subsidy
        for a traineeship that ended."""
        fields = SubsidyClaimInput().load(claim)
        actor = self._actor()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            if fields.get("application_id"):
                row = self._hiring_claim(uow, fields["application_id"], actor)
            else:
                row = self._traineeship_claim(uow, fields["traineeship_id"], actor)
            row.id, row.employer_id, row.state, row.claimed_at = (
                _id(),
                actor.account_id,
                domain.CLAIMED,
                now,
            )
            uow.session.add(row)
            _flush_unique(
                uow,
                "hiring_subsidy_once_per_person"
                if row.kind == domain.HIRING
                else "traineeship_subsidy_claimed",
            )
            uow.record("subsidy.claimed", subject=row.id, data=row)
            uow.commit()
            return CLAIM.dump(row)

    def _hiring_claim(self, uow, application_id: str, actor: Actor) -> SubsidyClaim:
        hire = store.locked(uow.session, Application, application_id, "application")
        if actor.role != domain.EMPLOYER:
            raise NotFound("application")
        domain.check_hiring_subsidy_claim(
            domain.Hire(
                hire.state,
                hire.employer_id,
                hire.graduate,
                hire.contract_with_social_insurance,
            ),
            actor.account_id,
        )
        if store.standing_claim(uow.session, SubsidyClaim.person_key, hire.person_id):
            raise Conflict("hiring_subsidy_once_per_person")
        return SubsidyClaim(
            kind=domain.HIRING,
            person_id=hire.person_id,
            application_id=hire.id,
            amount_cny=self.policy.hiring_subsidy_cny,
            person_key=hire.person_id,
        )

    def _traineeship_claim(self, uow, traineeship_id: str, actor: Actor) -> SubsidyClaim:
        trainee = store.locked(uow.session, Traineeship, traineeship_id, "traineeship")
        domain.check_traineeship_subsidy_claim(trainee.state, trainee.employer_id, actor.account_id)
        if store.standing_claim(uow.session, SubsidyClaim.traineeship_key, trainee.id):
            raise Conflict("traineeship_subsidy_claimed")
        return SubsidyClaim(
            kind=domain.TRAINEESHIP_SUBSIDY,
            person_id=trainee.person_id,
            traineeship_id=trainee.id,
            amount_cny=trainee.subsidy_total_cny,
            traineeship_key=trainee.id,
        )

    @rpc
    def decide_subsidy(self, claim_id: str, decision: dict) -> dict:
        """An officer grants or rejects a claim (a rejection with its reason); recorded in the
        audit trail with the claim in one transaction."""
        fields = SubsidyClaimDecision().load(decision)
        actor = self._actor()
        actor.check_decides(self.policy)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = store.locked(uow.session, SubsidyClaim, claim_id, "subsidy claim")
            row.state = domain.decide_subsidy(row.state, fields["decision"], fields.get("reason"))
            row.reason = fields.get("reason")
            row.decided_at, row.decided_by = now, actor.account_id
            if row.state == domain.DECLINED:
                # a refused claim paid nothing: the person (or traineeship) may be claimed again
                row.person_key = row.traineeship_key = None
            decided = label(f"decision.{row.state}")
            uow.record(
                "subsidy.decided",
                subject=row.id,
                data={
                    "subsidy_id": row.id,
                    "kind": row.kind,
                    "employer_id": row.employer_id,
                    "person_id": row.person_id,
                    "decision": row.state,
                    "decision_label_zh": decided["zh-CN"],
                    "decision_label_en": decided["en"],
                    "amount_cny": row.amount_cny,
                    "reason": row.reason,
                    "decided_at": now,
                },
            )
            uow.audit(
                f"subsidy.{row.state}",
                ("subsidy_claim", row.id),
                row.reason,
                {"kind": row.kind, "amount_cny": str(row.amount_cny), "person_id": row.person_id},
            )
            uow.commit()
            return CLAIM.dump(row)

    @rpc
    def get_subsidy_claim(self, claim_id: str) -> dict:
        """A claim, for the employer that made it and for deciding officers."""
        actor = self._actor()
        with self.db.reading() as session:
            row = store.found(session, SubsidyClaim, claim_id, "subsidy claim")
            if not (actor.is_officer_of(self.policy) or actor.account_id == row.employer_id):
                raise NotFound("subsidy claim")
            return CLAIM.dump(row)

    @rpc
    def subsidy_claims(self, query: dict) -> dict:
        """An employer's own claims, or (for officers) every claim, oldest first."""
        args = SubsidyClaimFilter().load(query)
        actor = self._actor()
        select = sa.select(SubsidyClaim)
        if actor.role == domain.EMPLOYER:
            select = select.where(SubsidyClaim.employer_id == actor.account_id)
            order = [(SubsidyClaim.claimed_at, DESC), (SubsidyClaim.id, DESC)]
        else:
            actor.check_decides(self.policy)
            order = [(SubsidyClaim.claimed_at, ASC), (SubsidyClaim.id, ASC)]
        for name in ("state", "kind"):
            if args.get(name):
                select = select.where(getattr(SubsidyClaim, name) == args[name])
        with self.db.reading() as session:
            page = keyset_page(session, select, order, args.get("after"), args["limit"])
            return {"items": CLAIMS.dump(page.items), "next_cursor": page.next_cursor}

    # -- job fairs ---------------------------------------------------------------------------

    @rpc
    def create_fair(self, fair: dict) -> dict:
        """春风行动: an officer of the deciding unit opens a fair, online or on site."""
        fields = FairInput().load(fair)
        actor = self._actor()
        actor.check_decides(self.policy)
        with self.db.unit_of_work() as uow:
            row = Fair(
                id=_id(),
                state=domain.FAIR_OPEN,
                organiser_unit=actor.unit,
                created_by=actor.account_id,
                created_at=utcnow(),
                booth_count=0,
                registration_count=0,
                **fields,
            )
            uow.session.add(row)
            uow.commit()
            return FAIR.dump(row)

    @rpc
    def list_fairs(self, query: dict) -> dict:
        args = FairFilter().load(query)
        select = sa.select(Fair).where(Fair.state == domain.FAIR_OPEN)
        if args.get("mode"):
            select = select.where(Fair.mode == args["mode"])
        if args.get("starts_from"):
            select = select.where(Fair.starts_at >= args["starts_from"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                select,
                [(Fair.starts_at, ASC), (Fair.id, ASC)],
                args.get("after"),
                args["limit"],
            )
            return {"items": FAIRS.dump(page.items), "next_cursor": page.next_cursor}

    @rpc
    def get_fair(self, fair_id: str) -> dict:
        """A fair with its booths and the posts each shows (three queries)."""
        with self.db.reading() as session:
            fair = store.found(session, Fair, fair_id, "fair")
            booths = (
                session.execute(
                    sa.select(FairBooth)
                    .where(FairBooth.fair_id == fair_id)
                    .order_by(FairBooth.booked_at, FairBooth.id)
                )
                .scalars()
                .all()
            )
            posts = store.posts_by_id(session, {p for booth in booths for p in booth.post_ids})
            view = FAIR.dump(fair)
            view["booths"] = [self._booth_view(booth, posts) for booth in booths]
            return view

    @staticmethod
    def _booth_view(booth: FairBooth, posts: dict[str, Post]) -> dict:
        shown = [
            posts[p] for p in booth.post_ids if p in posts and posts[p].state == domain.PUBLISHED
        ]
        return {
            "id": booth.id,
            "fair_id": booth.fair_id,
            "employer_id": booth.employer_id,
            "employer_name": booth.employer_name,
            "fee_cny": "0.00",
            "posts": POSTS.dump(shown),
            "booked_at": booth.booked_at,
        }

    @rpc
    def book_booth(self, fair_id: str, booth: dict) -> dict:
        """A verified employer takes a free booth while booths last, showing its posts."""
        fields = BoothInput().load(booth)
        actor = self._actor()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            employer = store.employer_row(uow.session, actor.account_id)
            domain.check_may_publish(employer.state if employer else None)
            fair = store.locked(uow.session, Fair, fair_id, "fair")
            domain.check_fair_open(fair.state, fair.ends_at, now)
            if uow.session.execute(
                sa.select(FairBooth.id).where(
                    FairBooth.fair_id == fair_id, FairBooth.employer_id == employer.id
                )
            ).first():
                raise Conflict("booth_already_booked")
            domain.check_booth_available(fair.booth_count, fair.booth_capacity)
            post_ids = list(dict.fromkeys(fields["post_ids"]))
            posts = store.posts_by_id(uow.session, set(post_ids))
            if any(
                p not in posts
                or posts[p].employer_id != employer.id
                or posts[p].state != domain.PUBLISHED
                for p in post_ids
            ):
                raise DomainError("booth_posts_not_open", status=422, field="post_ids")
            row = FairBooth(
                id=_id(),
                fair_id=fair.id,
                employer_id=employer.id,
                employer_name=employer.name,
                post_ids=post_ids,
                booked_at=now,
            )
            uow.session.add(row)
            fair.booth_count += 1
            _flush_unique(uow, "booth_already_booked")
            uow.commit()
            return self._booth_view(row, posts)

    @rpc
    def register_for_fair(self, fair_id: str, person: dict) -> dict:
        facts = PersonFactsInput().load(person)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            fair = store.locked(uow.session, Fair, fair_id, "fair")
            domain.check_fair_open(fair.state, fair.ends_at, now)
            if uow.session.execute(
                sa.select(FairRegistration.id).where(
                    FairRegistration.fair_id == fair_id,
                    FairRegistration.person_id == facts["person_id"],
                )
            ).first():
                raise Conflict("fair_already_registered")
            row = FairRegistration(
                id=_id(), fair_id=fair.id, person_id=facts["person_id"], registered_at=now
            )
            uow.session.add(row)
            fair.registration_count += 1
            _flush_unique(uow, "fair_already_registered")
            uow.record(
                "fair.registered",
                subject=row.id,
                data={
                    "registration_id": row.id,
                    "fair_id": fair.id,
                    "fair_title": fair.title,
                    "mode": fair.mode,
                    "person_id": row.person_id,
                    "starts_at": fair.starts_at,
                    "place": fair.venue or fair.url,
                },
            )
            uow.commit()
            return self._registration_view(row, fair)

    @staticmethod
    def _registration_view(row: FairRegistration, fair: Fair) -> dict:
        return {
            "id": row.id,
            "fair_id": fair.id,
            "fair_title": fair.title,
            "mode": fair.mode,
            "venue": fair.venue,
            "url": fair.url,
            "starts_at": fair.starts_at,
            "registered_at": row.registered_at,
        }

    @rpc
    def my_fair_registrations(self, person_id: str, query: dict) -> dict:
        args = PageQuery().load(query)
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(FairRegistration, Fair)
                .join(Fair, Fair.id == FairRegistration.fair_id)
                .where(FairRegistration.person_id == person_id),
                [(FairRegistration.registered_at, DESC), (FairRegistration.id, DESC)],
                args.get("after"),
                args["limit"],
                key=lambda row: (row[0].registered_at, row[0].id),
                rows=True,
            )
            return {
                "items": [self._registration_view(reg, fair) for reg, fair in page.items],
                "next_cursor": page.next_cursor,
            }

    # -- what the gateway aggregates ---------------------------------------------------------

    @rpc
    def dashboard(self, person_id: str) -> dict:
        """A young person's applications, traineeships and fair registrations, most recent
        first, each with its state and next step in both languages."""
        with self.db.reading() as session:
            applications, traineeships, registrations = store.person_items(
                session, person_id, DASHBOARD_ITEMS
            )
        items = [
            {
                "kind": "jobs.application",
                "id": a.id,
                "title": MESSAGES.render("dashboard.application", {"title": a.post_title}),
                "state": a.state,
                "next_step": MESSAGES.render(f"next.{a.state}")
                if a.state in domain.ACTIVE_APPLICATION_STATES
                else None,
                "updated_at": a.updated_at,
                "link": f"/api/v1/job-applications/{a.id}",
            }
            for a in applications
        ]
        items += [
            {
                "kind": "jobs.traineeship",
                "id": t.id,
                "title": MESSAGES.render("dashboard.traineeship", {"title": t.post_title}),
                "state": t.state,
                "next_step": MESSAGES.render(
                    "next.traineeship.active", {"planned_end_on": t.planned_end_on.isoformat()}
                )
                if t.state == domain.TRAINEESHIP_ACTIVE
                else None,
                "updated_at": t.ended_at or t.started_at,
                "link": f"/api/v1/traineeships/{t.id}",
            }
            for t in traineeships
        ]
        now = utcnow()
        items += [
            {
                "kind": "jobs.fair_registration",
                "id": registration.id,
                "title": MESSAGES.render("dashboard.fair", {"title": fair.title}),
                "state": "registered",
                "next_step": MESSAGES.render(
                    "next.fair",
                    {"starts_at": fair.starts_at.astimezone(clock.zone).strftime("%Y-%m-%d %H:%M")},
                )
                if fair.ends_at > now
                else None,
                "updated_at": registration.registered_at,
                "link": f"/api/v1/fairs/{fair.id}",
            }
            for registration, fair in registrations
        ]
        items.sort(key=lambda item: item["updated_at"], reverse=True)
        return {"items": items}

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """The service's figures for [since, until), dates in the district's time."""
        with self.db.reading() as session:
            return store.indicators(
                session,
                clock.start_of(date.fromisoformat(since)),
                clock.start_of(date.fromisoformat(until)),
            )

    @rpc
    def graduates_hired_in_district(self, since: str, until: str) -> list[str]:
        """Person ids, each once, of recent graduates hired in [since, until) to a workplace in
        the district (the gateway adds graduates who registered a business)."""
        with self.db.reading() as session:
            return store.graduates_hired(
                session,
                clock.start_of(date.fromisoformat(since)),
                clock.start_of(date.fromisoformat(until)),
            )
