"""District–university cooperation (区校合作, plan 一.3): universities as organisations, and the
cooperation projects the district runs with them, each of one kind the plan names (成果转化
technology transfer, 平台建设 platform building, 人才交流 talent exchange, 产教融合
industry–education integration), with milestones and outcomes.

Officers of the cooperation unit (区委组织部 by default, `JobsPolicy.cooperation_unit`) register
universities and publish projects; they mark milestones done, record outcomes and complete a
project. Universities and projects are public: anyone browses them (`queries/cooperation.py`).
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.models import new_id

from . import domain
from .models import CooperationProject, Employer, ProjectMilestone, ProjectOutcome, University
from .policy import JobsPolicy
from .vocabulary import PROJECT_ACTIVE, PROJECT_COMPLETED

UNIVERSITY_REGISTERED = "university_registered"


def register_university(uow, actor: Actor, details: dict, policy: JobsPolicy) -> University:
    """An officer of the cooperation unit registers a university, once by name."""
    domain.check_cooperates(actor, policy)
    row = University(id=new_id(), registered_by=actor.account_id, registered_at=utcnow(), **details)
    uow.repo.add(row)
    uow.repo.flush_unique(UNIVERSITY_REGISTERED)
    uow.record("university.registered", subject=row.id, data=row)
    uow.commit()
    return row


def publish_project(
    uow, actor: Actor, details: dict, policy: JobsPolicy
) -> tuple[CooperationProject, list[ProjectMilestone]]:
    """An officer of the cooperation unit publishes a project with a registered university, the
    registered employers taking part and its first milestones; audited."""
    domain.check_cooperates(actor, policy)
    details = dict(details)
    milestones = details.pop("milestones", [])
    university = uow.repo.get(University, details["university_id"], domain.UNIVERSITY_NOT_FOUND)
    details["partner_employer_ids"] = list(dict.fromkeys(details.get("partner_employer_ids", [])))
    for employer_id in details["partner_employer_ids"]:
        uow.repo.get(Employer, employer_id, domain.EMPLOYER_NOT_FOUND)
    now = utcnow()
    project = CooperationProject(
        id=new_id(),
        university_name=university.name,
        state=PROJECT_ACTIVE,
        milestone_count=len(milestones),
        milestones_done=0,
        outcome_count=0,
        lead_unit=actor.unit,
        published_by=actor.account_id,
        published_at=now,
        updated_at=now,
        **details,
    )
    uow.repo.add(project)
    rows = [_milestone(project.id, milestone) for milestone in milestones]
    for row in rows:
        uow.repo.add(row)
    uow.record("cooperation.project_published", subject=project.id, data=project)
    uow.audit(
        "cooperation.project_published",
        ("cooperation_project", project.id),
        None,
        {"kind": project.kind, "university_id": university.id},
    )
    uow.commit()
    return project, rows


def add_milestone(
    uow, actor: Actor, project_id: str, milestone: dict, policy: JobsPolicy
) -> ProjectMilestone:
    """A further milestone of an active project."""
    domain.check_cooperates(actor, policy)
    project = uow.repo.locked(CooperationProject, project_id, domain.PROJECT_NOT_FOUND)
    domain.check_project_active(project.state)
    row = _milestone(project.id, milestone)
    uow.repo.add(row)
    project.milestone_count += 1
    project.updated_at = utcnow()
    uow.commit()
    return row


def complete_milestone(
    uow, actor: Actor, project_id: str, milestone_id: str, policy: JobsPolicy
) -> ProjectMilestone:
    """An officer of the cooperation unit marks a milestone of an active project done."""
    domain.check_cooperates(actor, policy)
    project = uow.repo.locked(CooperationProject, project_id, domain.PROJECT_NOT_FOUND)
    row = uow.repo.locked(ProjectMilestone, milestone_id, domain.MILESTONE_NOT_FOUND)
    if row.project_id != project.id:
        raise domain.MILESTONE_NOT_FOUND
    domain.check_project_active(project.state)
    domain.check_milestone_open(row.done)
    now = utcnow()
    row.done, row.done_at, row.done_by = True, now, actor.account_id
    project.milestones_done += 1
    project.updated_at = now
    uow.record(
        "cooperation.milestone_done",
        subject=row.id,
        data={
            "milestone_id": row.id,
            "project_id": project.id,
            "title": row.title,
            "due_on": row.due_on,
            "done_at": now,
            "on_time": clock.local_date(now) <= row.due_on,
        },
    )
    uow.commit()
    return row


def record_outcome(
    uow, actor: Actor, project_id: str, outcome: dict, policy: JobsPolicy
) -> ProjectOutcome:
    """An outcome the project achieved (a transferred patent, a platform opened, people
    exchanged); recorded while the project is active."""
    domain.check_cooperates(actor, policy)
    project = uow.repo.locked(CooperationProject, project_id, domain.PROJECT_NOT_FOUND)
    domain.check_project_active(project.state)
    now = utcnow()
    row = ProjectOutcome(
        id=new_id(), project_id=project.id, recorded_by=actor.account_id, recorded_at=now, **outcome
    )
    uow.repo.add(row)
    project.outcome_count += 1
    project.updated_at = now
    uow.record(
        "cooperation.outcome_recorded",
        subject=row.id,
        data={
            "outcome_id": row.id,
            "project_id": project.id,
            "kind": project.kind,
            "university_id": project.university_id,
            "title": row.title,
            "achieved_on": row.achieved_on,
        },
    )
    uow.commit()
    return row


def complete_project(uow, actor: Actor, project_id: str, policy: JobsPolicy) -> CooperationProject:
    """The officer closes a project as completed; audited."""
    domain.check_cooperates(actor, policy)
    project = uow.repo.locked(CooperationProject, project_id, domain.PROJECT_NOT_FOUND)
    domain.check_project_active(project.state)
    now = utcnow()
    project.state, project.completed_at, project.updated_at = PROJECT_COMPLETED, now, now
    uow.audit(
        "cooperation.project_completed",
        ("cooperation_project", project.id),
        None,
        {"milestones_done": project.milestones_done, "outcomes": project.outcome_count},
    )
    uow.commit()
    return project


def _milestone(project_id: str, milestone: dict) -> ProjectMilestone:
    return ProjectMilestone(
        id=new_id(),
        project_id=project_id,
        title=milestone["title"],
        due_on=milestone["due_on"],
        done=False,
    )
