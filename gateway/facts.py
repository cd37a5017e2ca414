"""The youth profile's facts that decide eligibility, and how far each can be relied on.

* **Verified or declared.** The facts a decision rests on (`VERIFIED_BY`: graduation date,
  degree, employment status, months of local social insurance) are self-declared until an
  officer of the unit responsible for them verifies the value the profile holds (核验, with a
  reason, audited). A change the person makes to a verified fact sends it back to declared:
  what was checked is no longer what the profile says. Decisions that pay money ask which
  facts are verified (`verified_facts`) and refuse to rest on a declared one.
* **Changes the platform reacts to.** Every change of a fact by a hand the person cannot
  forge goes through `facts_changed`, which records `profile.facts_changed`; the benefits
  finder (`gateway/benefits.py`) tells people of programmes they became eligible for.
* **Facts that follow events.** A hire reported by jobs makes the person employed (就业), so
  that what rests on employment (traineeship eligibility, youth-station nights, which are for
  job seekers) sees it without the person having to say so; the platform saw the hire, so the
  fact is verified (source `jobs.application.hired`). Applied once, through the gateway's
  inbox (`gateway/background.py`).
"""

from __future__ import annotations

from datetime import date

from marshmallow import EXCLUDE, Schema, fields, validate

from services.common.clock import clock, utcnow
from services.common.errors import Conflict, Forbidden, NotFound

from .models import ProfileFactVerification, YouthProfile

EMPLOYED = "employed"
#: a hire into one of these is employment; an internship (实习) or a traineeship (就业见习) is
#: not: a trainee is still a job seeker for the traineeship and station rules
EMPLOYMENT_POSTS = ("job",)
HIRE_SOURCE = "jobs.application.hired"
OFFICER_SOURCE = "officer"

#: each fact a decision rests on, and the unit whose officers verify it: 区人社局 keeps the
#: graduate records (高校毕业生就业服务), the employment register and social insurance
VERIFIED_BY = {
    "graduation_date": "hrss",
    "degree": "hrss",
    "employment_status": "hrss",
    "local_social_insurance_months": "hrss",
}


def value_of(profile: YouthProfile, fact: str) -> str | None:
    """The fact as text, as it is kept with its verification (None when not declared)."""
    value = getattr(profile, fact)
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def verified_facts(profile: YouthProfile | None) -> dict[str, str]:
    """The facts of `profile` whose current value was verified, with that value."""
    if profile is None:
        return {}
    return {
        row.fact: row.value
        for row in profile.verifications
        if row.value == value_of(profile, row.fact)
    }


def facts_state(profile: YouthProfile) -> dict[str, str]:
    """`verified` or `declared` for each fact a decision rests on (`missing` when not given)."""
    verified = verified_facts(profile)
    return {fact: _state(profile, fact, verified) for fact in VERIFIED_BY}


def _state(profile: YouthProfile, fact: str, verified: dict) -> str:
    if fact in verified:
        return "verified"
    return "missing" if value_of(profile, fact) is None else "declared"


def verify(uow, officer, person_id: str, fact: str, reason: str) -> YouthProfile:
    """An officer of the fact's unit verifies the value the person's profile holds now."""
    if officer.unit != VERIFIED_BY[fact]:
        raise Forbidden("not_responsible_unit", params={"unit": VERIFIED_BY[fact]})
    profile = uow.session.get(YouthProfile, person_id, with_for_update=True)
    if profile is None:
        raise NotFound("person")
    value = value_of(profile, fact)
    if value is None:
        raise Conflict("fact_not_declared", field=fact)
    _mark_verified(profile, fact, value, OFFICER_SOURCE, officer.account_id, reason)
    facts_changed(uow, person_id, [fact], OFFICER_SOURCE)
    uow.audit(
        "profile_fact.verified",
        ("account", person_id),
        reason,
        {"fact": fact, "source": OFFICER_SOURCE},
    )
    return profile


def facts_changed(uow, person_id: str, changed: list[str], source: str) -> None:
    """The one place a fact the platform can rely on changes (verified by an officer, pushed
    by a partner, following an event): `profile.facts_changed` is recorded in the same
    transaction, naming the facts, never their values, and the benefits finder reacts to it
    (`gateway/benefits.py`: who became eligible is told, automatic programmes apply)."""
    uow.record(
        "profile.facts_changed",
        subject=person_id,
        data={
            "person_id": person_id,
            "facts": sorted(changed),
            "source": source,
            "changed_at": utcnow(),
        },
    )


def forget_changed(profile: YouthProfile, before: dict[str, str | None]) -> None:
    """A change the person made to a verified fact (`before`: the values before it) sends it
    back to declared: what was checked is no longer what the profile says."""
    changed = {fact for fact, value in before.items() if value != value_of(profile, fact)}
    profile.verifications = [row for row in profile.verifications if row.fact not in changed]


def values_of(profile: YouthProfile | None) -> dict[str, str | None]:
    """Every fact a decision rests on, as text (to compare before and after a change)."""
    return {fact: value_of(profile, fact) if profile else None for fact in VERIFIED_BY}


def _mark_verified(profile, fact, value, source, verified_by, reason) -> None:
    row = next((row for row in profile.verifications if row.fact == fact), None)
    if row is None:
        row = ProfileFactVerification(account_id=profile.account_id, fact=fact)
        profile.verifications.append(row)
    row.value, row.source, row.verified_by, row.reason = value, source, verified_by, reason
    row.verified_at = utcnow()


class JobsApplicationHired(Schema):
    """`youthcity.jobs.application.hired` as the jobs service's contract defines it (a
    tolerant reader: fields added later are ignored)."""

    class Meta:
        unknown = EXCLUDE

    application_id = fields.String(required=True)
    post_kind = fields.String(
        required=True, validate=validate.OneOf(("job", "internship", "traineeship"))
    )
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    hired_at = fields.AwareDateTime(required=True)


def record_hire(event, uow) -> None:
    """The person hired into a job is employed by that employer since the hire's day; a hire
    older than the employment already recorded changes nothing (events may come late)."""
    hire = event.data
    if hire["post_kind"] not in EMPLOYMENT_POSTS:
        return
    profile = uow.session.get(YouthProfile, hire["person_id"], with_for_update=True)
    if profile is None:
        return  # erased, or a person without a profile: nothing to keep
    since = clock.local_date(hire["hired_at"])
    if profile.employed_since is not None and profile.employed_since > since:
        return
    profile.employment_status = EMPLOYED
    profile.employer_id, profile.employed_since = hire["employer_id"], since
    _mark_verified(profile, "employment_status", EMPLOYED, HIRE_SOURCE, None, None)
    facts_changed(uow, profile.account_id, ["employment_status"], HIRE_SOURCE)
    uow.session.flush()
