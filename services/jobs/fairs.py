"""Job fairs (春风行动, plan 一.5): online (with a web address) or on site (with a venue).

Officers of the deciding unit open them; verified employers take a booth free of charge while
booths last, showing their published posts; young people register to attend, once each.
City-level fairs (市级招聘活动) are listed by the same officers so that the district's young
people attend them ("积极组织辖区内的青年参加市级的招聘活动"): young people register through
the platform and are counted; the booths are the city's, not taken here.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Conflict
from services.common.models import new_id

from . import domain
from .models import Fair, FairBooth, FairRegistration, Post
from .policy import JobsPolicy
from .vocabulary import CITY_FAIR, DISTRICT_FAIR, FAIR_OPEN

BOOTH_TAKEN = "booth_already_booked"
ALREADY_REGISTERED = "fair_already_registered"


def open_fair(uow, actor: Actor, details: dict, policy: JobsPolicy) -> Fair:
    """An officer of the deciding unit opens a fair, in the name of the officer's unit."""
    domain.check_decides(actor, policy)
    row = Fair(
        id=new_id(),
        state=FAIR_OPEN,
        organiser_unit=actor.unit,
        created_by=actor.account_id,
        created_at=utcnow(),
        booth_count=0,
        registration_count=0,
        level=DISTRICT_FAIR,
        **details,
    )
    uow.repo.add(row)
    uow.commit()
    return row


def list_city_fair(uow, actor: Actor, details: dict, policy: JobsPolicy) -> Fair:
    """An officer of the deciding unit lists a city-level fair (its `organiser`, e.g. 市人社局)
    for the district's young people to register for; it offers no booths here."""
    domain.check_decides(actor, policy)
    row = Fair(
        id=new_id(),
        state=FAIR_OPEN,
        organiser_unit=actor.unit,
        created_by=actor.account_id,
        created_at=utcnow(),
        booth_capacity=0,
        booth_count=0,
        registration_count=0,
        level=CITY_FAIR,
        **details,
    )
    uow.repo.add(row)
    uow.record("fair.city_listed", subject=row.id, data=row)
    uow.commit()
    return row


def book_booth(uow, actor: Actor, fair_id: str, booth: dict) -> tuple[FairBooth, dict[str, Post]]:
    """A verified employer takes a free booth while booths last, one a fair, showing its own
    published posts. The booth, and the posts found by id for its view."""
    now = utcnow()
    employer = uow.repo.employer_of(actor.account_id)
    domain.check_may_publish(employer.state if employer else None)
    fair = uow.repo.locked(Fair, fair_id, domain.FAIR_NOT_FOUND)
    domain.check_fair_open(fair.state, fair.ends_at, now)
    domain.check_booths_offered(fair.level)
    if uow.repo.has_booth(fair_id, employer.id):
        raise Conflict(BOOTH_TAKEN)
    domain.check_booth_available(fair.booth_count, fair.booth_capacity)
    post_ids = list(dict.fromkeys(booth["post_ids"]))
    posts = uow.repo.posts_by_id(set(post_ids))
    domain.check_booth_posts(post_ids, posts, employer.id)
    row = FairBooth(
        id=new_id(),
        fair_id=fair.id,
        employer_id=employer.id,
        employer_name=employer.name,
        post_ids=post_ids,
        booked_at=now,
    )
    uow.repo.add(row)
    fair.booth_count += 1
    uow.repo.flush_unique(BOOTH_TAKEN)
    uow.commit()
    return row, posts


def register(uow, fair_id: str, person: dict) -> tuple[FairRegistration, Fair]:
    """The young person (`person`, the gateway's profile facts) registers to attend an open
    fair, once; they are told where and when."""
    now = utcnow()
    fair = uow.repo.locked(Fair, fair_id, domain.FAIR_NOT_FOUND)
    domain.check_fair_open(fair.state, fair.ends_at, now)
    if uow.repo.is_registered(fair_id, person["person_id"]):
        raise Conflict(ALREADY_REGISTERED)
    row = FairRegistration(
        id=new_id(), fair_id=fair.id, person_id=person["person_id"], registered_at=now
    )
    uow.repo.add(row)
    fair.registration_count += 1
    uow.repo.flush_unique(ALREADY_REGISTERED)
    uow.record(
        "fair.registered",
        subject=row.id,
        data={
            "registration_id": row.id,
            "fair_id": fair.id,
            "fair_title": fair.title,
            "mode": fair.mode,
            "level": fair.level,
            "person_id": row.person_id,
            "starts_at": fair.starts_at,
            "place": fair.venue or fair.url,
        },
    )
    uow.commit()
    return row, fair
