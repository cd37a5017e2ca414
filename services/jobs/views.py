"""How the jobs service answers: its rows dumped with the contract's views (`contract.py`), and
the few answers composed of several rows (an application with its history, a fair with its
booths, the dashboard) or rendered in both languages (eligibility, the dashboard's next steps).
"""

from __future__ import annotations

from collections.abc import Callable

from services.common.clock import clock, utcnow
from services.common.pagination import Page

from .contract import (
    ApplicantFactsView,
    CooperationProjectView,
    EmployerView,
    FairView,
    JobApplicationTransitionView,
    JobApplicationView,
    MilestoneView,
    OutcomeView,
    PostTransitionView,
    PostView,
    PracticePlacementView,
    RoadshowView,
    SubsidyClaimView,
    TraineeshipView,
    UniversityView,
)
from .domain import Eligibility, practice_state
from .messages import MESSAGES
from .policy import JobsPolicy
from .vocabulary import ACTIVE_APPLICATION_STATES, PUBLISHED, TRAINEESHIP_ACTIVE

EMPLOYER = EmployerView()
EMPLOYERS = EmployerView(many=True)
POST = PostView()
POSTS = PostView(many=True)
POST_STEPS = PostTransitionView(many=True)
TRAINEESHIP = TraineeshipView()
TRAINEESHIPS = TraineeshipView(many=True)
APPLICATION = JobApplicationView(exclude=("applicant", "traineeship_id", "history"))
APPLICANT = ApplicantFactsView()
APPLICATION_STEPS = JobApplicationTransitionView(many=True)
CLAIM = SubsidyClaimView()
CLAIMS = SubsidyClaimView(many=True)
FAIR = FairView()
FAIRS = FairView(many=True)
UNIVERSITY = UniversityView()
UNIVERSITIES = UniversityView(many=True)
PROJECT = CooperationProjectView()
PROJECTS = CooperationProjectView(many=True)
MILESTONE = MilestoneView()
MILESTONES = MilestoneView(many=True)
OUTCOME = OutcomeView()
OUTCOMES = OutcomeView(many=True)
ROADSHOW = RoadshowView()
ROADSHOWS = RoadshowView(many=True)
PLACEMENT = PracticePlacementView()
PLACEMENTS = PracticePlacementView(many=True)


def page(rows: Page, dump: Callable[[list], list]) -> dict:
    """A page of a list as every list RPC answers it: its items through `dump` (a `many=True`
    view's `dump`, or one of the functions below for answers composed of several rows)."""
    return {"items": dump(rows.items), "next_cursor": rows.next_cursor}


def application(row, steps: list, traineeship_id: str | None) -> dict:
    """An application with the facts it was judged on, its history and its traineeship."""
    view = APPLICATION.dump(row)
    view["applicant"] = APPLICANT.dump(row)
    view["traineeship_id"] = traineeship_id
    view["history"] = APPLICATION_STEPS.dump(steps)
    return view


def applications(records: list) -> list[dict]:
    """Applications each with its history and traineeship: (row, steps, traineeship id)."""
    return [application(*record) for record in records]


def practice_unit(employer, posts: list) -> dict:
    """A practice unit (产教融合实践单位) with its partner schools and published posts."""
    return {
        "employer_id": employer.id,
        "name": employer.name,
        "industry": employer.industry,
        "area": employer.area,
        "partners": employer.practice_partners,
        "state": practice_state(employer.practice_unit, employer.practice_until, clock.today()),
        "valid_from": employer.practice_from,
        "valid_until": employer.practice_until,
        "university_ids": employer.practice_university_ids or [],
        "students_placed": employer.students_placed or 0,
        "posts": POSTS.dump(posts),
    }


def practice_units(rows: list) -> list[dict]:
    """Practice units: (employer, its published posts)."""
    return [practice_unit(employer, posts) for employer, posts in rows]


def booth(row, posts: dict) -> dict:
    """A fair booth with the posts it shows that are still published (`posts` by id)."""
    shown = [posts[p] for p in row.post_ids if p in posts and posts[p].state == PUBLISHED]
    return {
        "id": row.id,
        "fair_id": row.fair_id,
        "employer_id": row.employer_id,
        "employer_name": row.employer_name,
        "fee_cny": "0.00",
        "posts": POSTS.dump(shown),
        "booked_at": row.booked_at,
    }


def fair_detail(fair, booths: list, posts: dict) -> dict:
    """A fair with its booths, each with the posts it shows."""
    view = FAIR.dump(fair)
    view["booths"] = [booth(row, posts) for row in booths]
    return view


def project(row, milestones: list, outcomes: list) -> dict:
    """A cooperation project with its milestones and outcomes."""
    view = PROJECT.dump(row)
    view["milestones"] = MILESTONES.dump(milestones)
    view["outcomes"] = OUTCOMES.dump(outcomes)
    return view


def participation(row, posts: dict) -> dict:
    """An employer at a roadshow with the posts it presents that are still published."""
    shown = [posts[p] for p in row.post_ids if p in posts and posts[p].state == PUBLISHED]
    return {
        "id": row.id,
        "roadshow_id": row.roadshow_id,
        "employer_id": row.employer_id,
        "employer_name": row.employer_name,
        "posts": POSTS.dump(shown),
        "joined_at": row.joined_at,
    }


def roadshow_detail(row, joined: list, posts: dict) -> dict:
    """A roadshow with the employers that joined it and their posts."""
    view = ROADSHOW.dump(row)
    view["employers"] = [participation(one, posts) for one in joined]
    return view


def fair_registrations(rows: list) -> list[dict]:
    """Registrations to attend fairs: (registration, fair)."""
    return [fair_registration(row, fair) for row, fair in rows]


def fair_registration(row, fair) -> dict:
    """A registration to attend a fair, with where and when."""
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


def eligibility(result: Eligibility, policy: JobsPolicy) -> dict:
    """The programme's verdict with each rule, passed or failed, and why, in both languages."""
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


def dashboard(applications: list, traineeships: list, registrations: list) -> dict:
    """A young person's applications, traineeships and fair registrations, most recent first,
    each with its state and next step in both languages."""
    items = [_application_item(row) for row in applications]
    items += [_traineeship_item(row) for row in traineeships]
    now = utcnow()
    items += [_registration_item(row, fair, now) for row, fair in registrations]
    items.sort(key=lambda item: item["updated_at"], reverse=True)
    return {"items": items}


def _application_item(row) -> dict:
    return {
        "kind": "jobs.application",
        "id": row.id,
        "title": MESSAGES.render("dashboard.application", {"title": row.post_title}),
        "state": row.state,
        "next_step": MESSAGES.render(f"next.{row.state}")
        if row.state in ACTIVE_APPLICATION_STATES
        else None,
        "updated_at": row.updated_at,
        "link": f"/api/v1/job-applications/{row.id}",
    }


def _traineeship_item(row) -> dict:
    return {
        "kind": "jobs.traineeship",
        "id": row.id,
        "title": MESSAGES.render("dashboard.traineeship", {"title": row.post_title}),
        "state": row.state,
        "next_step": MESSAGES.render(
            "next.traineeship.active", {"planned_end_on": row.planned_end_on.isoformat()}
        )
        if row.state == TRAINEESHIP_ACTIVE
        else None,
        "updated_at": row.ended_at or row.started_at,
        "link": f"/api/v1/traineeships/{row.id}",
    }


def _registration_item(row, fair, now) -> dict:
    starts = fair.starts_at.astimezone(clock.zone).strftime("%Y-%m-%d %H:%M")
    return {
        "kind": "jobs.fair_registration",
        "id": row.id,
        "title": MESSAGES.render("dashboard.fair", {"title": fair.title}),
        "state": "registered",
        "next_step": MESSAGES.render("next.fair", {"starts_at": starts})
        if fair.ends_at > now
        else None,
        "updated_at": row.registered_at,
        "link": f"/api/v1/fairs/{fair.id}",
    }
