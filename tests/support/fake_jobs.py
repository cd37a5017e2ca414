"""The jobs service's repository in memory: `JobsRepository`'s named queries answered from the
rows a test gives it, so the feature modules' handlers are tested with no database.

The unique keys of the tables (one application per person per post, a credit code once, a
hiring subsidy once per person, …) are checked by `flush_unique` as the database would, so a
handler that forgot its check still meets the 409 its unique key gives.

Example::

    repo = FakeJobsRepository(employer(), post(state="published"))
    uow = FakeUnitOfWork(repo, EVENTS)
    applications.apply(uow, YOUTH, "post-1", facts, {"cover_letter": ""}, POLICY)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from services.common.errors import Conflict
from services.jobs.domain import POST_NOT_FOUND
from services.jobs.models import (
    Application,
    Employer,
    Fair,
    FairBooth,
    FairRegistration,
    Post,
    RoadshowEmployer,
    SubsidyClaim,
    Traineeship,
)
from services.jobs.search import terms_of
from services.jobs.vocabulary import ACTIVE_APPLICATION_STATES, RETAINED, TRAINEESHIP_OUTCOMES

from .fake_finance import FakeFinanceQueries
from .fakes import FakeRepository


class FakeJobsRepository(FakeFinanceQueries, FakeRepository):
    """`services.jobs.repository.JobsRepository` over rows in memory."""

    def __init__(self, *rows):
        #: each post's keyword index, as `index_terms` last wrote it
        self.terms: dict[str, set[str]] = {}
        super().__init__(*rows)

    def flush_unique(self, conflict: str) -> None:
        for model, rows in self._rows.items():
            for columns in _unique_keys(model.__table__):
                seen = set()
                for row in rows.values():
                    key = tuple(getattr(row, column.key) for column in columns)
                    if None in key:
                        continue  # NULL is never equal to NULL: a freed key holds nothing
                    if key in seen:
                        raise Conflict(conflict)
                    seen.add(key)

    def employer_of(self, account_id: str | None) -> Employer | None:
        return self.get(Employer, account_id) if account_id else None

    def employer_with_code(self, credit_code: str) -> Employer | None:
        return self._first(Employer, lambda row: row.credit_code == credit_code)

    def post_to_apply_to(self, post_id: str) -> Post:
        return self.get(Post, post_id, POST_NOT_FOUND)

    def index_terms(self, post: Post) -> None:
        self.terms[post.id] = terms_of(post.search_text)

    def posts_by_id(self, post_ids: set[str]) -> dict[str, Post]:
        return {row.id: row for row in self.rows(Post, lambda row: row.id in post_ids)}

    def applications_in_progress(self, person_id: str) -> list[Application]:
        return self.rows(
            Application,
            lambda row: row.person_id == person_id and row.state in ACTIVE_APPLICATION_STATES,
        )

    def host_record(self, employer_id: str) -> tuple[int, int]:
        ended = self.rows(
            Traineeship,
            lambda row: row.employer_id == employer_id and row.state in TRAINEESHIP_OUTCOMES,
        )
        return sum(row.state == RETAINED for row in ended), len(ended)

    def hiring_claim_standing_for(self, person_id: str) -> SubsidyClaim | None:
        return self._first(SubsidyClaim, lambda row: row.person_key == person_id)

    def latest_hire_of(self, person_id: str, lock: bool = False) -> Application | None:
        hires = [
            row
            for row in self.rows(Application)
            if row.person_id == person_id and row.state == "hired" and row.post_kind == "job"
        ]
        return max(hires, key=lambda row: (row.hired_at, row.id), default=None)

    def traineeship_claim_standing_for(self, traineeship_id: str) -> SubsidyClaim | None:
        return self._first(SubsidyClaim, lambda row: row.traineeship_key == traineeship_id)

    def has_booth(self, fair_id: str, employer_id: str) -> bool:
        return bool(
            self.rows(
                FairBooth, lambda row: row.fair_id == fair_id and row.employer_id == employer_id
            )
        )

    def is_registered(self, fair_id: str, person_id: str) -> bool:
        return bool(
            self.rows(
                FairRegistration,
                lambda row: row.fair_id == fair_id and row.person_id == person_id,
            )
        )

    def has_joined(self, roadshow_id: str, employer_id: str) -> bool:
        return bool(
            self.rows(
                RoadshowEmployer,
                lambda row: row.roadshow_id == roadshow_id and row.employer_id == employer_id,
            )
        )

    def _first(self, model, where):
        found = self.rows(model, where)
        return found[0] if found else None


def _unique_keys(table: sa.Table) -> list[tuple]:
    """The column sets a table keeps unique (a `unique=True` column is one of its constraints)."""
    return [
        tuple(constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint)
    ]


# -- rows, as the handlers leave them (each factory takes the columns a test changes) ---------

#: when the factories' rows were written: a test's clock travels here (district time)
WRITTEN_AT = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def employer(**changes) -> Employer:
    """A verified employer in the district, account `e1`."""
    return Employer(
        **{
            "id": "e1",
            "name": "宋城文旅有限公司",
            "credit_code": "91350100M000100Y43",
            "industry": "culture_tourism",
            "area": "宋城街道",
            "address": "",
            "in_district": True,
            "description": "",
            "state": "verified",
            "practice_unit": False,
            "practice_partners": [],
            "registered_at": WRITTEN_AT,
            "updated_at": WRITTEN_AT,
            **changes,
        }
    )


def post(**changes) -> Post:
    """A published one-position job post `post-1` of employer `e1`."""
    kind = changes.get("kind", "job")
    return Post(
        **{
            "id": "post-1",
            "employer_id": "e1",
            "employer_name": "宋城文旅有限公司",
            "kind": kind,
            "title": "景区文旅讲解员",
            "description": "",
            "tags": [],
            "area": "宋城街道",
            "industry": "culture_tourism",
            "education": "none",
            "education_rank": 0,
            "salary_min": None,
            "salary_max": None,
            "positions": 1,
            "hired_count": 0,
            "address": "",
            "in_district": True,
            "traineeship_months": 6 if kind == "traineeship" else None,
            "search_text": "景区文旅讲解员",
            "state": "published",
            "created_at": WRITTEN_AT,
            "updated_at": WRITTEN_AT,
            "submitted_at": WRITTEN_AT,
            "published_at": WRITTEN_AT,
            "closed_at": None,
            **changes,
        }
    )


#: what the gateway holds verified of `p1` (tests/support: the facts of `application()`)
VERIFIED_FACTS = {"graduation_date": "2025-07-01"}


def application(**changes) -> Application:
    """Person `p1`'s application `app-1` to `post-1`, a graduate of a year ago looking for work."""
    return Application(
        **{
            "id": "app-1",
            "post_id": "post-1",
            "employer_id": "e1",
            "person_id": "p1",
            "post_kind": "job",
            "post_title": "景区文旅讲解员",
            "state": "submitted",
            "cover_letter": "",
            "age": 23,
            "degree": "bachelor",
            "graduation_date": date(2025, 7, 1),
            "employment_status": "unemployed",
            "submitted_at": WRITTEN_AT,
            "updated_at": WRITTEN_AT,
            **changes,
        }
    )


def traineeship(**changes) -> Traineeship:
    """Person `p1`'s active six-month traineeship `t-1` with host `e1`, at 70 %."""
    return Traineeship(
        **{
            "id": "t-1",
            "application_id": "app-1",
            "post_id": "post-1",
            "post_title": "景区文旅讲解见习生",
            "employer_id": "e1",
            "person_id": "p1",
            "months": 6,
            "starts_on": date(2026, 1, 1),
            "planned_end_on": date(2026, 7, 1),
            "ended_on": None,
            "state": "active",
            "subsidy_rate": Decimal("0.70"),
            "monthly_subsidy_cny": Decimal("1400.00"),
            "subsidy_months": 6,
            "subsidy_total_cny": Decimal("8400.00"),
            "started_at": WRITTEN_AT,
            **changes,
        }
    )


def fair(**changes) -> Fair:
    """An open on-site fair `fair-1` in two weeks, with two booths."""
    starts = WRITTEN_AT + timedelta(days=14)
    return Fair(
        **{
            "id": "fair-1",
            "title": "春风行动专场招聘会",
            "description": "",
            "mode": "on_site",
            "venue": "文化广场",
            "url": None,
            "area": "宋城街道",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=4),
            "booth_capacity": 2,
            "booth_count": 0,
            "registration_count": 0,
            "state": "open",
            "organiser_unit": "hrss",
            "level": "district",
            "organiser": None,
            "created_by": "o1",
            "created_at": WRITTEN_AT,
            **changes,
        }
    )
