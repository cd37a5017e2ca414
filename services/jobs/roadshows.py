"""Roadshows at universities (赴高校开展特色产业专题推介, plan 一.5): the district takes good
employers of one of its featured industries to a registered university to present themselves
and their posts to students.

An officer of the cooperation unit (区委组织部 by default) organises a roadshow with a number of
employer places; verified employers join it while places last, once each, presenting some of
their published posts. Anyone browses roadshows and who joined (`queries/cooperation.py`).
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Conflict
from services.common.models import new_id

from . import domain
from .models import Post, Roadshow, RoadshowEmployer, University
from .policy import JobsPolicy
from .vocabulary import ROADSHOW_OPEN

ALREADY_JOINED = "roadshow_already_joined"


def organise(uow, actor: Actor, details: dict, policy: JobsPolicy) -> Roadshow:
    """An officer of the cooperation unit organises a roadshow at a registered university."""
    domain.check_cooperates(actor, policy)
    university = uow.repo.get(University, details["university_id"], domain.UNIVERSITY_NOT_FOUND)
    row = Roadshow(
        id=new_id(),
        university_name=university.name,
        employer_count=0,
        state=ROADSHOW_OPEN,
        organiser_unit=actor.unit,
        created_by=actor.account_id,
        created_at=utcnow(),
        **details,
    )
    uow.repo.add(row)
    uow.record("roadshow.published", subject=row.id, data=row)
    uow.commit()
    return row


def join(
    uow, actor: Actor, roadshow_id: str, joining: dict
) -> tuple[RoadshowEmployer, dict[str, Post]]:
    """A verified employer joins an open roadshow while places last, once, presenting its own
    published posts. The participation, and the posts found by id for its view."""
    now = utcnow()
    employer = uow.repo.employer_of(actor.account_id)
    domain.check_may_publish(employer.state if employer else None)
    roadshow = uow.repo.locked(Roadshow, roadshow_id, domain.ROADSHOW_NOT_FOUND)
    domain.check_roadshow_open(roadshow.state, roadshow.ends_at, now)
    if uow.repo.has_joined(roadshow.id, employer.id):
        raise Conflict(ALREADY_JOINED)
    domain.check_roadshow_places(roadshow.employer_count, roadshow.employer_capacity)
    post_ids = list(dict.fromkeys(joining["post_ids"]))
    posts = uow.repo.posts_by_id(set(post_ids))
    domain.check_booth_posts(post_ids, posts, employer.id)
    row = RoadshowEmployer(
        id=new_id(),
        roadshow_id=roadshow.id,
        employer_id=employer.id,
        employer_name=employer.name,
        post_ids=post_ids,
        joined_at=now,
    )
    uow.repo.add(row)
    roadshow.employer_count += 1
    uow.repo.flush_unique(ALREADY_JOINED)
    uow.record(
        "roadshow.joined",
        subject=row.id,
        data={
            "participation_id": row.id,
            "roadshow_id": roadshow.id,
            "university_id": roadshow.university_id,
            "employer_id": employer.id,
            "industry": roadshow.industry,
            "posts": len(post_ids),
            "joined_at": now,
        },
    )
    uow.commit()
    return row, posts
