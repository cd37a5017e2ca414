"""How the jobs service's handlers reach its rows: named queries over its own tables.

A decision's rows are read locked: `locked(Model, id, NOT_FOUND)` for one row by its key
(`SELECT … FOR UPDATE` on PostgreSQL), and the named methods below for the other cases (a post
held in share mode while people apply to it, the applications an erasure withdraws). Two workers
then cannot both pass a check ("one application per person", "booths left") before either
writes; on SQLite writers are serialised already. Unique constraints stay as the last guard, and
`flush_unique` turns them into the 409 the caller would have had from the check.

The read side (lists, searches, the dashboard, indicators) is in `queries/`, on a reading
session. `tests/support/fake_jobs.py` answers the same named queries from rows in memory.
"""

from __future__ import annotations

import sqlalchemy as sa

from services.common.errors import Conflict
from services.common.finance.queries import FinanceQueries
from services.common.repository import Repository

from .domain import POST_NOT_FOUND
from .models import (
    Application,
    Employer,
    FairBooth,
    FairRegistration,
    Post,
    PostTerm,
    RoadshowEmployer,
    SubsidyClaim,
    Traineeship,
)
from .search import terms_of
from .vocabulary import ACTIVE_APPLICATION_STATES, HIRED, JOB, RETAINED, TRAINEESHIP_OUTCOMES


class JobsRepository(FinanceQueries, Repository):
    """Employers, posts and their keyword index, applications, traineeships, subsidy claims and
    fairs, for the handlers of one unit of work."""

    def flush_unique(self, conflict: str) -> None:
        """Write pending changes now, turning a unique-key violation (a concurrent twin got there
        first) into a 409 `conflict`."""
        try:
            self.session.flush()
        except sa.exc.IntegrityError as exc:
            raise Conflict(conflict) from exc

    # -- employers -----------------------------------------------------------------------------

    def employer_of(self, account_id: str | None) -> Employer | None:
        """The organisation an employer account registered, if it did."""
        return self.session.get(Employer, account_id) if account_id else None

    def employer_with_code(self, credit_code: str) -> Employer | None:
        """The employer registered with this unified social credit code, if any."""
        return self.session.execute(
            sa.select(Employer).where(Employer.credit_code == credit_code)
        ).scalar_one_or_none()

    # -- posts ---------------------------------------------------------------------------------

    def post_to_apply_to(self, post_id: str) -> Post:
        """The post, kept from changing until commit while others may hold it the same way (many
        applicants at once to one post; closing it waits for them); 404 when there is none."""
        row = self.session.execute(
            sa.select(Post).where(Post.id == post_id).with_for_update(read=True)
        ).scalar_one_or_none()
        if row is None:
            raise POST_NOT_FOUND
        return row

    def index_terms(self, post: Post) -> None:
        """Rewrite the post's keyword index from its search text (`search.py`), after writing
        the post the index refers to."""
        self.session.flush()
        self.session.execute(sa.delete(PostTerm).where(PostTerm.post_id == post.id))
        terms = terms_of(post.search_text)
        if terms:
            self.session.execute(
                sa.insert(PostTerm), [{"term": term, "post_id": post.id} for term in sorted(terms)]
            )

    def posts_by_id(self, post_ids: set[str]) -> dict[str, Post]:
        """The posts of these ids that exist, by id."""
        if not post_ids:
            return {}
        rows = self.session.execute(sa.select(Post).where(Post.id.in_(post_ids))).scalars()
        return {post.id: post for post in rows}

    # -- applications --------------------------------------------------------------------------

    def applications_in_progress(self, person_id: str) -> list[Application]:
        """The person's applications nobody has decided yet, locked."""
        return list(
            self.session.execute(
                sa.select(Application)
                .where(
                    Application.person_id == person_id,
                    Application.state.in_(ACTIVE_APPLICATION_STATES),
                )
                .with_for_update()
            ).scalars()
        )

    # -- traineeships and subsidies ------------------------------------------------------------

    def host_record(self, employer_id: str) -> tuple[int, int]:
        """(trainees the host kept, traineeships of the host that ended)."""
        counts = dict(
            self.session.execute(
                sa.select(Traineeship.state, sa.func.count())
                .where(
                    Traineeship.employer_id == employer_id,
                    Traineeship.state.in_(TRAINEESHIP_OUTCOMES),
                )
                .group_by(Traineeship.state)
            ).all()
        )
        return counts.get(RETAINED, 0), sum(counts.values())

    def hiring_claim_standing_for(self, person_id: str) -> SubsidyClaim | None:
        """The hiring-subsidy claim that stands (claimed or granted) for the person, if any."""
        return self.session.execute(
            sa.select(SubsidyClaim).where(SubsidyClaim.person_key == person_id)
        ).scalar_one_or_none()

    def latest_hire_of(self, person_id: str, lock: bool = False) -> Application | None:
        """The person's most recent hire into a job (an internship or a traineeship is not
        employment), the one a hiring subsidy is claimed for."""
        query = (
            sa.select(Application)
            .where(
                Application.person_id == person_id,
                Application.state == HIRED,
                Application.post_kind == JOB,
            )
            .order_by(Application.hired_at.desc(), Application.id.desc())
            .limit(1)
        )
        return self.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()

    def traineeship_claim_standing_for(self, traineeship_id: str) -> SubsidyClaim | None:
        """The subsidy claim that stands for the traineeship, if any."""
        return self.session.execute(
            sa.select(SubsidyClaim).where(SubsidyClaim.traineeship_key == traineeship_id)
        ).scalar_one_or_none()

    # -- fairs ---------------------------------------------------------------------------------

    def has_booth(self, fair_id: str, employer_id: str) -> bool:
        """Whether the employer already has a booth at the fair."""
        return (
            self.session.execute(
                sa.select(FairBooth.id).where(
                    FairBooth.fair_id == fair_id, FairBooth.employer_id == employer_id
                )
            ).first()
            is not None
        )

    def is_registered(self, fair_id: str, person_id: str) -> bool:
        """Whether the person already registered to attend the fair."""
        return (
            self.session.execute(
                sa.select(FairRegistration.id).where(
                    FairRegistration.fair_id == fair_id, FairRegistration.person_id == person_id
                )
            ).first()
            is not None
        )

    # -- roadshows at universities ---------------------------------------------------------------

    def has_joined(self, roadshow_id: str, employer_id: str) -> bool:
        """Whether the employer already joined the roadshow."""
        return (
            self.session.execute(
                sa.select(RoadshowEmployer.id).where(
                    RoadshowEmployer.roadshow_id == roadshow_id,
                    RoadshowEmployer.employer_id == employer_id,
                )
            ).first()
            is not None
        )
