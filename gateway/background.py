"""What the gateway does without an HTTP request: its timers, its event handlers, the RPC the
services call, and the first administrator it creates at start.

* every 60 s, this year's indicators are exported as gauges on /metrics for Grafana;
* every 10 s, four-list items past their due date are flagged and their units reminded;
* every 10 minutes, commands' idempotency keys past their time are forgotten;
* every 5 s, erasures whose grace period has passed are confirmed, services that have not
  answered one are asked again, and evidence files an erasure left are deleted
  (`gateway/erasure.py`);
* each service's `person.anonymised` answer is applied once, through the gateway's inbox;
* a hire (jobs' `application.hired`) makes the person employed, once (`gateway/facts.py`);
  so do the end of a traineeship (jobs' `traineeship.ended`: employed when retained, a job
  seeker again otherwise) and a completed business registration (startup's
  `registration.completed`: self-employed);
* a fact that changed (`profile.facts_changed`, its own event) is followed by the benefits
  finder, once: newly eligible people are told, automatic programmes apply
  (`gateway/benefits.py`);
* every 60 s, the next young people not checked on the district's today have their benefits
  answer compared with the last one: what became eligible only because days passed is told
  the same way (`check_benefits_as_days_pass` runs it on demand);
* notify asks `contact_details` at the moment it sends: the gateway alone holds them.

The read model's invalidation also runs without a request, but not as an entrypoint: each
replica's `ReadModel` consumes its own broadcast queue (`gateway/read_model.py`).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import sqlalchemy as sa
from nameko.extensions import DependencyProvider

from services.common.clock import clock
from services.common.db import Database
from services.common.errors import NotFound
from services.common.metrics import INDICATOR_TARGET, INDICATOR_VALUE
from services.common.privacy import PersonAnonymised
from services.common.registry import DOMAIN_SERVICES
from services.common.rpc import ClusterProxy

from . import benefits, erasure, facts, indicators, phone_proof, plan_reminders, surveys
from .auth import hash_password
from .composition import Background
from .events import ProfileFactsChanged
from .idempotency import IdempotencyKeys
from .models import Account
from .objectstore import ObjectStore
from .read_model import ReadModel
from .settings import GatewaySettings
from .store import account_by_username, add_account

log = logging.getLogger(__name__)

background = Background()

#: when the gauges were last exported (monotonic), for the whole process
_gauges_exported_at = float("-inf")


@background.timer(interval=60)
def export_indicator_gauges(
    *, services: ClusterProxy, settings: GatewaySettings, db: Database
) -> None:
    """Keep this year's indicators on /metrics for Grafana, refreshed every
    INDICATOR_REFRESH_SECONDS (skipped while a previous export is fresh); the surveys' too."""
    global _gauges_exported_at
    if time.monotonic() - _gauges_exported_at < settings.indicator_refresh_seconds:
        return
    period = indicators.parse_period(None, clock.today())
    answer = indicators.gather(period, services, settings)
    answer = surveys.with_survey_indicators(
        answer, db, period, settings.small_cell_k, clock.today()
    )
    for task in answer["tasks"]:
        for indicator in task["indicators"]:
            if indicator["value"] is not None:
                INDICATOR_VALUE.labels(task["code"], indicator["code"]).set(indicator["value"])
            if indicator["target"]:
                INDICATOR_TARGET.labels(task["code"], indicator["code"]).set(
                    indicator["target"]["value"]
                )
    _gauges_exported_at = time.monotonic()


@background.timer(interval=10)
def flag_overdue_plan_items(*, db: Database) -> None:
    """Four-list items past their due date are flagged and their units reminded, once
    (`gateway/plan_reminders.py`)."""
    flagged = plan_reminders.flag_overdue(db, clock.today())
    if flagged:
        log.info("overdue plan items flagged", extra={"count": flagged})


@background.timer(interval=60)
def check_benefits_daily(
    *, db: Database, services: ClusterProxy, settings: GatewaySettings
) -> None:
    """Eligibility that changes as days pass: young people not checked today are checked, a
    batch at a time for up to CHECK_SECONDS, and told of what they became eligible for
    (`gateway/benefits.py`)."""
    started, found = time.monotonic(), 0
    while time.monotonic() - started < benefits.CHECK_SECONDS:
        result = benefits.check_as_days_pass(db, services, settings, clock.today())
        found += result["found"]
        if result["checked"] < benefits.CHECK_BATCH:
            break  # everyone is checked today, or the rest wait for a service
    if found:
        log.info("benefits found as days pass", extra={"found": found})


@background.rpc
def check_benefits_as_days_pass(
    person_ids: list | None = None,
    *,
    db: Database,
    services: ClusterProxy,
    settings: GatewaySettings,
) -> dict:
    """The daily check on demand (operators, tests): the given people, or the next batch."""
    return benefits.check_as_days_pass(db, services, settings, clock.today(), person_ids)


@background.timer(interval=5)
def follow_erasures(
    *, db: Database, read_model: ReadModel, evidence_store: ObjectStore, settings: GatewaySettings
) -> None:
    """Confirm requests whose grace period has passed; ask again the services that have not
    applied an erasure for ERASURE_RETRY_SECONDS; delete evidence files an erasure left; count
    those past ERASURE_DEADLINE_DAYS."""
    retry_after = timedelta(seconds=settings.erasure_retry_seconds)
    erasure.follow(db, read_model, evidence_store, retry_after)
    erasure.count_overdue(db, timedelta(days=settings.erasure_deadline_days))


@background.timer(interval=600)
def forget_expired_phone_codes(*, db: Database) -> None:
    """A code nobody used is of no use once expired; its row (an HMAC of a phone number) goes."""
    with db.unit_of_work() as uow:
        forgotten = phone_proof.forget_expired(uow.session)
        uow.commit()
    if forgotten:
        log.info("expired phone codes forgotten", extra={"count": forgotten})


@background.timer(interval=600)
def forget_expired_idempotency_keys(*, db: Database, settings: GatewaySettings) -> None:
    """Commands' keys and answers past IDEMPOTENCY_KEY_HOURS are forgotten (a repeat after
    that is a new command: gateway/idempotency.py)."""
    keys = IdempotencyKeys(db, settings.idempotency_key_hours, settings.idempotency_hold_seconds)
    forgotten = keys.purge_expired()
    if forgotten:
        log.info("expired idempotency keys forgotten", extra={"count": forgotten})


def on_anonymised(event, uow) -> None:
    """A service anonymised a person's records (`gateway/erasure.py`)."""
    erasure.record_anonymised(event, uow)


for source in DOMAIN_SERVICES:
    background.event_handler(
        f"on_{source}_anonymised", source, "person.anonymised", PersonAnonymised, on_anonymised
    )


background.event_handler(
    "on_jobs_application_hired",
    "jobs",
    "application.hired",
    facts.JobsApplicationHired,
    facts.record_hire,
)

background.event_handler(
    "on_jobs_traineeship_ended",
    "jobs",
    "traineeship.ended",
    facts.JobsTraineeshipEnded,
    facts.record_traineeship_end,
)

background.event_handler(
    "on_startup_registration_completed",
    "startup",
    "registration.completed",
    facts.StartupRegistrationCompleted,
    facts.record_registration,
)

background.event_handler(
    "on_profile_facts_changed",
    "gateway",
    "profile.facts_changed",
    ProfileFactsChanged,
    benefits.react,
)


@background.rpc
def contact_details(person_id: str, *, db: Database) -> dict:
    """How to reach a person, for notify at the moment it sends: never stored elsewhere."""
    with db.reading() as session:
        account = session.get(Account, person_id)
        if account is None or account.status == "erased":
            raise NotFound("person")
        name = account.profile.name if account.profile else account.display_name
        return {
            "person_id": account.id,
            "name": name,
            "email": account.email,
            "phone": account.phone,
            "locale": account.locale,
        }


class AdminBootstrap(DependencyProvider):
    """On start, creates the first administrator from ADMIN_USERNAME and ADMIN_PASSWORD if no
    account has that username yet (a restart or a second replica changes nothing); it must
    change that password before doing anything else (ADMIN_PASSWORD_CHANGE_REQUIRED)."""

    done = False

    def readiness(self) -> tuple[bool, str]:
        """Not ready until the administrator exists: a sign-in right after start must work."""
        return (
            (True, "administrator in place") if self.done else (False, "creating the administrator")
        )

    def start(self) -> None:
        """When the container starts: the administrator, if one is configured."""
        try:
            self._create_administrator()
        finally:
            self.done = True

    def _create_administrator(self) -> None:
        settings = self.container.config["YOUTHCITY"]
        username, password = settings.admin_username, settings.admin_password
        if not username or not password:
            return
        database = next(d for d in self.container.dependencies if isinstance(d, Database))
        with database.unit_of_work() as uow:
            if account_by_username(uow.session, username) is not None:
                return
            account = add_account(
                uow.session,
                role="admin",
                username=username,
                password_hash=hash_password(password),
                display_name="Administrator",
            )
            # its password came from the environment (a deployment's secret, a compose file):
            # the administrator's first act must be to choose its own
            account.must_change_password = settings.admin_password_change_required
            try:
                uow.commit()
                log.info("bootstrap administrator created", extra={"username": username})
            except sa.exc.IntegrityError:
                pass  # another replica created it first
