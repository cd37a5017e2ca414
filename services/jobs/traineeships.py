"""The traineeship programme (百名大学生助龙计划, plan 一.2) and its host subsidy (见习补贴).

Eligible are graduates within `graduate_years` of leaving school who are not employed, and
unemployed people aged 16–24 (`domain.traineeship_eligibility`). A hire on a traineeship post
starts a traineeship (`start`); the host ends it (`end`) as completed, retained or left, and
the subsidy is settled then at the rate the host's record gives with this ending counted. The
host claims it in `subsidies.py`.
"""

from __future__ import annotations

from datetime import date, datetime

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import IllegalTransition
from services.common.models import new_id

from . import domain
from .models import Application, Post, Traineeship
from .policy import JobsPolicy
from .vocabulary import RETAINED, TRAINEESHIP_ACTIVE


def eligibility(facts: dict, policy: JobsPolicy) -> domain.Eligibility:
    """Each rule of the programme, passed or failed, for the person the gateway's profile
    `facts` describe, today."""
    return domain.traineeship_eligibility(
        domain.PersonFacts(
            person_id=facts["person_id"],
            age=facts.get("age"),
            graduation_date=facts.get("graduation_date"),
            employment_status=facts.get("employment_status"),
            degree=facts.get("degree"),
        ),
        clock.today(),
        policy,
    )


def start(
    uow, hire: Application, post: Post, starts_on: date, now: datetime, policy: JobsPolicy
) -> Traineeship:
    """The traineeship a hire on a traineeship post starts, with its planned subsidy at the rate
    the host's record gives today; the trainee is told."""
    retained, ended = uow.repo.host_record(post.employer_id)
    rate = domain.traineeship_subsidy_rate(retained, ended, policy)
    monthly = domain.monthly_traineeship_subsidy(rate, policy)
    months = post.traineeship_months
    trainee = Traineeship(
        id=new_id(),
        application_id=hire.id,
        post_id=post.id,
        post_title=post.title,
        employer_id=post.employer_id,
        person_id=hire.person_id,
        months=months,
        starts_on=starts_on,
        planned_end_on=domain.add_months(starts_on, months),
        state=TRAINEESHIP_ACTIVE,
        subsidy_rate=rate,
        monthly_subsidy_cny=monthly,
        subsidy_months=months,
        subsidy_total_cny=monthly * months,
        started_at=now,
    )
    uow.repo.add(trainee)
    uow.record("traineeship.started", subject=trainee.id, data=trainee)
    return trainee


def end(uow, actor: Actor, traineeship_id: str, ending: dict, policy: JobsPolicy) -> Traineeship:
    """The host ends a traineeship: completed, retained (hired by the host, keeping the
    remaining months' subsidy) or left early (the full months served); the subsidy is settled
    at the host's rate with this ending counted, and the host is told."""
    row = uow.repo.locked(Traineeship, traineeship_id, domain.TRAINEESHIP_NOT_FOUND)
    if not domain.is_employer(actor, row.employer_id):
        raise domain.TRAINEESHIP_NOT_FOUND
    if row.state != TRAINEESHIP_ACTIVE:
        raise IllegalTransition(row.state, "end")
    outcome, ended_on = ending["outcome"], ending["ended_on"]
    domain.check_traineeship_end(outcome, row.starts_on, row.planned_end_on, ended_on)
    retained, ended = uow.repo.host_record(row.employer_id)
    rate = domain.traineeship_subsidy_rate(retained + (outcome == RETAINED), ended + 1, policy)
    row.state, row.ended_on, row.ended_at = outcome, ended_on, utcnow()
    row.subsidy_rate = rate
    row.monthly_subsidy_cny = domain.monthly_traineeship_subsidy(rate, policy)
    row.subsidy_months = domain.subsidised_months(outcome, row.months, row.starts_on, ended_on)
    row.subsidy_total_cny = row.monthly_subsidy_cny * row.subsidy_months
    uow.record("traineeship.ended", subject=row.id, data=row)
    uow.commit()
    return row
