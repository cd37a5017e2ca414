"""The benefits finder (政策找人) and the programmes that apply themselves (免申即享).

The policy catalogue is not kept here: each domain service owns its programmes and answers
two RPCs, `programmes()` (name, unit, legal source, conditions, amount, automatic) and
`benefits(person)` (the person's verdict on each, by the very rules applying runs:
`services/<name>/programmes.py`, shapes in `services/common/benefits.py`). The gateway asks
them at once (`fanout.py`) and adds what only it knows: whether each fact a rule used is
verified or declared (`facts.py`).

When a fact changes by a hand the person cannot forge (an officer's verification, a partner's
push, an event such as a hire), `facts.change_facts` records `profile.facts_changed` (fact
names, no values). `react` consumes it once: it asks the services again, and for each
programme that is now eligible and rests on a changed fact, and that the person was not told
of before (`BenefitNotice`, one row per person and programme), records `benefit.found`
(notify tells the person, from its template in both languages) and, for a programme the
catalogue marks automatic, asks its service to open the application for an officer to
confirm. A change the person makes themselves does not react: they are looking already, and a
declared fact is not what the platform should go looking for people on.

Eligibility also changes with no fact changing, as days pass: a person turns 16 or 18, comes
within a year of graduation (the youth station). A daily check (`check_as_days_pass`, run by
the gateway's timer a batch at a time, and on demand by the `check_benefits_as_days_pass`
RPC) asks the services for each young person once per district day and keeps the answer
(`BenefitCheck`: the programmes eligible and a digest of the facts it rested on). A programme
eligible now, not at the last check, with the facts unchanged since, became eligible because
days passed: the person is told as above (`benefit.found`, source `daily_check`; automatic
programmes apply). A first check, or one after the facts changed, only records the answer:
a changed fact is the other path's, or the person's own.

The services are asked inside the event's unit of work (the consumer records the event in the
inbox first). On PostgreSQL that holds one inbox row; on the embedded SQLite default it holds
the gateway's writer gate for the few milliseconds the four answers take (at most
`VIEW_TIMEOUT`), which other gateway writes wait behind. A service that does not answer makes
the event retry (`HANDLER_RETRY_DELAYS`), never skips its programmes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa

from services.common.benefits import ELIGIBLE
from services.common.clock import clock, utcnow
from services.common.context import CallContext
from services.common.errors import DomainError, NotFound
from services.common.rpc import ClusterProxy

from . import facts
from .fanout import call_all
from .models import Account, BenefitCheck, BenefitNotice, YouthProfile
from .store import youth_facts

log = logging.getLogger(__name__)

#: the services that run programmes, in the order the catalogue lists them
PROGRAMME_SERVICES = ("jobs", "housing", "startup", "events")


def catalogue(services: ClusterProxy, timeout: float) -> tuple[list[dict], list[dict]]:
    """Every programme the platform runs, and the services that did not answer."""
    within = services.with_timeout(timeout)
    calls = {name: getattr(within, name).programmes for name in PROGRAMME_SERVICES}
    results, degraded = call_all(calls, timeout)
    programmes = [p for name in PROGRAMME_SERVICES for p in results.get(name) or []]
    return programmes, [d.as_dict() for d in degraded]


def programme(services: ClusterProxy, timeout: float, key: str) -> dict:
    """One programme of the catalogue (404 when no service runs it)."""
    programmes, degraded = catalogue(services, timeout)
    found = next((p for p in programmes if p["key"] == key), None)
    if found is None:
        raise NotFound("programme")
    return found


def verdicts(services: ClusterProxy, person: dict, timeout: float) -> tuple[list[dict], list]:
    """The person's verdict on every programme, each service asked at once."""
    within = services.with_timeout(timeout)
    calls = {
        name: functools.partial(getattr(within, name).benefits, person=person)
        for name in PROGRAMME_SERVICES
    }
    results, degraded = call_all(calls, timeout)
    answers = [a for name in PROGRAMME_SERVICES for a in results.get(name) or []]
    return answers, [d.as_dict() for d in degraded]


def with_fact_states(answer: dict, states: Mapping[str, str]) -> dict:
    """A verdict whose rules say, for each fact they used, whether it is verified, declared or
    missing (a fact no officer verifies, such as the age from the ID number, is `declared`)."""
    rules = [
        {
            **rule,
            "facts": [
                {"fact": fact, "state": states.get(fact, "declared")}
                for fact in rule.get("facts", [])
            ],
        }
        for rule in answer["rules"]
    ]
    return {**answer, "rules": rules}


#: the profile facts the programmes' rules use: those an officer verifies, and the age (from
#: the ID number, bound at registration: no one verifies it again)
FACTS_USED = (*facts.VERIFIED_BY, "age")


def fact_states(account: Account) -> dict[str, str]:
    """`verified`, `declared` or `missing` for each fact of the profile a rule may use."""
    person = youth_facts(account, clock.today())
    states = {fact: "missing" if person.get(fact) is None else "declared" for fact in FACTS_USED}
    return {**states, **facts.facts_state(account.profile)}


def my_benefits(services: ClusterProxy, account: Account, timeout: float) -> dict:
    """The answer of `GET /me/benefits`; a young person without a profile is a 422 naming
    `profile` (there is nothing to decide on)."""
    if account.profile is None:
        raise DomainError("youth_profile_required", status=422, field="profile")
    person = youth_facts(account, clock.today())
    answers, degraded = verdicts(services, person, timeout)
    states = fact_states(account)
    return {
        "programmes": [with_fact_states(answer, states) for answer in answers],
        "facts": states,
        "degraded": degraded,
    }


# -- reacting to a fact that changed -------------------------------------------------------


def react(event, uow, *, services: ClusterProxy, settings) -> None:
    """`profile.facts_changed`: tell the person of each programme they became eligible for
    through the changed facts, once; open the application of an automatic one."""
    change = event.data
    account = uow.session.get(Account, change["person_id"])
    if account is None or account.profile is None or account.status == "erased":
        return
    system = services.with_context(CallContext.system())
    person = youth_facts(account, clock.today())
    answers, degraded = verdicts(system, person, settings.view_timeout)
    if degraded:
        # a service that did not answer would be silently skipped: retry the event instead
        raise RuntimeError(f"benefits unavailable from {[d['service'] for d in degraded]}")
    changed = set(change["facts"])
    told = _told(uow, account.id)
    for answer in answers:
        if answer["verdict"] != ELIGIBLE or answer["key"] in told:
            continue
        if not changed & set(answer.get("facts", [])):
            continue  # eligible before this change too, or by facts that did not change
        _found(uow, system, account.id, answer, change["source"])


def _told(uow, person_id: str) -> set[str]:
    """The programmes the person was told of already (told once, whatever path found it)."""
    query = sa.select(BenefitNotice.programme).where(BenefitNotice.person_id == person_id)
    return set(uow.session.execute(query).scalars())


def _found(uow, services: ClusterProxy, person_id: str, answer: dict, source: str) -> None:
    """A programme found for a person: remembered, told, and applied for when automatic."""
    applied = None
    if answer["automatic"]:
        service = getattr(services, answer["service"])
        applied = service.apply_automatically(programme=answer["key"], person_id=person_id)
    uow.session.add(
        BenefitNotice(
            person_id=person_id,
            programme=answer["key"],
            source=source,
            applied_automatically=applied is not None,
            noticed_at=utcnow(),
        )
    )
    uow.record(
        "benefit.found",
        subject=person_id,
        data={
            "person_id": person_id,
            "programme": answer["key"],
            "programme_zh": answer["name"]["zh-CN"],
            "programme_en": answer["name"]["en"],
            "applied_automatically": applied is not None,
            "found_at": utcnow(),
        },
    )
    log.info(
        "benefit found",
        extra={"programme": answer["key"], "automatic": applied is not None},
    )


# -- eligibility that changes as days pass -------------------------------------------------

#: the `BenefitNotice.source` of a programme found by the daily check
DAILY_CHECK = "daily_check"
#: people checked per batch (each asks the four services once), and for how long the
#: minute's timer goes on with further batches: a district's young people are worked through
#: early in the day, and no run holds the timer long
CHECK_BATCH = 50
CHECK_SECONDS = 20


def due_for_check(db, today: date, limit: int = CHECK_BATCH) -> list[str]:
    """Young people with a profile not checked yet on the district's `today`."""
    with db.reading() as session:
        query = (
            sa.select(Account.id)
            .join(YouthProfile, YouthProfile.account_id == Account.id)
            .outerjoin(BenefitCheck, BenefitCheck.person_id == Account.id)
            .where(
                Account.status == "active",
                sa.or_(BenefitCheck.checked_on.is_(None), BenefitCheck.checked_on < today),
            )
            .order_by(Account.id)
            .limit(limit)
        )
        return list(session.execute(query).scalars())


def check_as_days_pass(
    db, services: ClusterProxy, settings, today: date, person_ids: list[str] | None = None
) -> dict:
    """The daily check of `person_ids` (by default the next batch due): for each, the
    services' answer today against the last check's; what became eligible with the facts
    unchanged is told. Each person in a transaction of their own; one a service could not
    answer for is left for the next run. How many were checked and how many programmes
    found."""
    system = services.with_context(CallContext.system())
    checked = found = 0
    for person_id in due_for_check(db, today) if person_ids is None else person_ids:
        answered = _answer_today(db, system, settings, person_id, today)
        if answered is None:
            continue
        digest, answers = answered
        try:
            with db.unit_of_work(CallContext.system()) as uow:
                found += _compare(uow, system, person_id, today, digest, answers)
                uow.commit()
        except sa.exc.IntegrityError:
            continue  # another replica checked this person at the same moment
        checked += 1
    return {"checked": checked, "found": found}


def _answer_today(db, services, settings, person_id: str, today: date):
    """The digest of the person's facts and the services' answers, asked outside any
    transaction (nothing is held while four services answer); None when there is no one to
    check or a service did not answer."""
    with db.reading() as session:
        account = session.get(Account, person_id)
        if account is None or account.profile is None or account.status == "erased":
            return None
        person = youth_facts(account, today)
    answers, degraded = verdicts(services, person, settings.view_timeout)
    if degraded:
        log.info("benefits check left for the next run", extra={"degraded": len(degraded)})
        return None
    return facts_digest(person), answers


def facts_digest(person: Mapping) -> str:
    """SHA-256 of the facts an answer rests on, the age aside: it follows the days."""
    stable = {key: value for key, value in person.items() if key != "age"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()


def _compare(uow, services, person_id: str, today: date, digest: str, answers: list) -> int:
    eligible = sorted(a["key"] for a in answers if a["verdict"] == ELIGIBLE)
    row = uow.session.get(BenefitCheck, person_id, with_for_update=True)
    if row is not None and row.checked_on >= today and row.facts_digest == digest:
        return 0  # checked meanwhile (a check asked again today on other facts records them)
    found = 0
    if row is not None and row.facts_digest == digest:
        before, told = set(json.loads(row.eligible)), _told(uow, person_id)
        for answer in answers:
            key = answer["key"]
            if key in eligible and key not in before and key not in told:
                _found(uow, services, person_id, answer, DAILY_CHECK)
                found += 1
    if row is None:
        row = BenefitCheck(person_id=person_id)
        uow.session.add(row)
    row.checked_on, row.facts_digest, row.eligible = today, digest, json.dumps(eligible)
    return found
