"""The youth profile's facts that decide eligibility, and how far each can be relied on.

* **Verified or declared.** The facts a decision rests on (`VERIFIED_BY`: graduation date,
  degree, employment status, months of local social insurance) are self-declared until an
  officer of the unit responsible for them verifies the value the profile holds (核验, with a
  reason, audited). A change the person makes to a verified fact sends it back to declared:
  what was checked is no longer what the profile says. Decisions that pay money ask which
  facts are verified (`verified_facts`) and refuse to rest on a declared one.
* **Facts that follow events.** A hire reported by jobs makes the person employed (就业), so
  that what rests on employment (traineeship eligibility, youth-station nights, which are for
  job seekers) sees it without the person having to say so; the platform saw the hire, so the
  fact is verified (source `jobs.application.hired`). The end of a traineeship (见习,
  `jobs.traineeship.ended`) makes a trainee the host retained employed by the host, and one
  who completed or left a job seeker (`unemployed`) again, unless they were hired or started
  a business meanwhile. A completed business registration (`startup.registration.completed`)
  makes the founder `self_employed` (自主创业): not a job seeker any more. Each is applied
  once, through the gateway's inbox (`gateway/background.py`); an event older than the
  employment already recorded changes nothing (events may come late).
* **Pushed by a partner.** A partner system (social insurance, graduate records) reports a
  fact it keeps, for the fact kinds an administrator granted it (`gateway/partner_facts.py`):
  the value becomes the profile's and is verified (source `partner:<name>`).
* **One way to change a fact, and what follows it.** Every change (an officer's
  verification, a partner's push, an event, an approved identity appeal, the person's own
  edit) goes through `change_facts`. When a hand the person cannot forge changed a fact's
  value or whether it is verified (an appeal takes verifications back), it records
  `profile.facts_changed` (the person and the names of the facts, never their values), which
  the benefits finder follows (`gateway/benefits.py`: people told of programmes they became
  eligible for). The person's own edit is not announced: the platform does not go looking
  for people on what they declare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from marshmallow import EXCLUDE, Schema, fields, validate

from services.common.clock import clock, utcnow
from services.common.errors import Conflict, Forbidden, NotFound

from .models import ProfileFactVerification, YouthProfile

EMPLOYED = "employed"
UNEMPLOYED = "unemployed"
#: a founder whose business registration is complete runs their own business (自主创业): not
#: a job seeker any more, and not anyone's employee
SELF_EMPLOYED = "self_employed"
#: a hire into one of these is employment; an internship (实习) or a traineeship (就业见习) is
#: not: a trainee is still a job seeker for the traineeship and station rules
EMPLOYMENT_POSTS = ("job",)
HIRE_SOURCE = "jobs.application.hired"
TRAINEESHIP_END_SOURCE = "jobs.traineeship.ended"
REGISTRATION_SOURCE = "startup.registration.completed"
#: an officer approved an identity appeal: the ID number, and what was checked as its
#: person's, left the account that held it (`gateway/appeals.py`)
APPEAL_SOURCE = "identity_appeal"
OFFICER_SOURCE = "officer"
#: the person's own edit: the fact is declared again
SELF_SOURCE = "self"
#: the event that reports a changed fact (ids and fact names only)
FACTS_CHANGED = "profile.facts_changed"

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


def partner_source(name: str) -> str:
    """The source a partner's pushed facts are verified with."""
    return f"partner:{name}"


def verify(
    uow, officer, person_id: str, fact: str, reason: str, evidence_id: str | None = None
) -> YouthProfile:
    """An officer of the fact's unit verifies the value the person's profile holds now, against
    the evidence document `evidence_id` when one was seen (`gateway/evidence.py` checks it is
    the person's, for this fact)."""
    if officer.unit != VERIFIED_BY[fact]:
        raise Forbidden("not_responsible_unit", params={"unit": VERIFIED_BY[fact]})
    profile = uow.session.get(YouthProfile, person_id, with_for_update=True)
    if profile is None:
        raise NotFound("person")
    value = getattr(profile, fact)
    if value is None:
        raise Conflict("fact_not_declared", field=fact)
    change_facts(
        uow,
        profile,
        {fact: value},
        Source(OFFICER_SOURCE, officer.account_id, reason, evidence_id=evidence_id),
    )
    details = {"fact": fact, "source": OFFICER_SOURCE}
    if evidence_id is not None:
        details["evidence_id"] = evidence_id
    uow.audit("profile_fact.verified", ("account", person_id), reason, details)
    return profile


def snapshot(profile: YouthProfile) -> tuple[dict[str, str | None], frozenset[str]]:
    """Each fact's value and which are verified: taken before a change the caller applies
    itself (the person's edit of the profile), to hand to `change_facts`."""
    return values_of(profile), frozenset(verified_facts(profile))


def forget_changed(uow, profile: YouthProfile, before: tuple) -> None:
    """A change the person made (`before`: the `snapshot` taken before it) sends a verified
    fact back to declared: what was checked is no longer what the profile says."""
    values, _ = before
    changed = {
        fact: getattr(profile, fact)
        for fact, value in values.items()
        if value != value_of(profile, fact)
    }
    change_facts(uow, profile, changed, Source(SELF_SOURCE), before=before)


#: what the age is read from: a change of it changes the `age` fact (an identity appeal)
BIRTH_DATE = "birth_date"


def values_of(profile: YouthProfile | None) -> dict[str, str | None]:
    """Every fact a decision rests on, and the birth date the age comes from, as text (to
    compare before and after a change)."""
    return {
        fact: value_of(profile, fact) if profile else None for fact in (*VERIFIED_BY, BIRTH_DATE)
    }


@dataclass(frozen=True)
class Source:
    """Where a change of facts comes from: `officer`, `partner:<name>`, the event that
    reported it, `identity_appeal`, or `self` (the person: the facts are declared, not
    verified). `withdraws`: every verification is taken back (the ID number the facts were
    checked as went to its rightful owner), announced all the same."""

    name: str
    verified_by: str | None = None
    reason: str | None = None
    evidence_id: str | None = None
    reference: str | None = None
    as_of: date | None = None
    withdraws: bool = False

    @property
    def verifies(self) -> bool:
        return self.name != SELF_SOURCE and not self.withdraws

    @property
    def announced(self) -> bool:
        """A hand the person cannot forge: the change is told to the benefits finder."""
        return self.name != SELF_SOURCE


def change_facts(
    uow, profile: YouthProfile, values: dict, source: Source, before: tuple | None = None
) -> list[str]:
    """THE one way a fact a decision rests on changes: set `values` (fact → value) on the
    profile, verified by `source` or, for the person's own edit, declared. Returns the names
    of the facts whose value or verified state changed (`age` when the birth date did);
    when `source` is not the person and there are any, records `profile.facts_changed`
    naming them (never their values), which the benefits finder follows. `before` is the
    `snapshot` when the caller has already applied the values itself."""
    before_values, before_verified = before or snapshot(profile)
    if source.withdraws:
        profile.verifications = []
    for fact, value in values.items():
        setattr(profile, fact, value)
        if source.verifies:
            _mark_verified(profile, fact, value_of(profile, fact), source)
        else:
            profile.verifications = [row for row in profile.verifications if row.fact != fact]
    now_verified = set(verified_facts(profile))
    changed = [
        fact
        for fact in VERIFIED_BY
        if before_values[fact] != value_of(profile, fact)
        or (fact in before_verified) != (fact in now_verified)
    ]
    if before_values.get(BIRTH_DATE) != value_of(profile, BIRTH_DATE):
        changed.append("age")
    if changed:
        profile.updated_at = utcnow()
    if changed and source.announced:
        uow.record(
            FACTS_CHANGED,
            subject=profile.account_id,
            data={
                "person_id": profile.account_id,
                "facts": changed,
                # `partner:<name>` is told as `partner`: which partner is the audit trail's
                "source": source.name.partition(":")[0],
                "changed_at": profile.updated_at,
            },
        )
    return changed


def _mark_verified(profile, fact, value, source: Source) -> None:
    row = next((row for row in profile.verifications if row.fact == fact), None)
    if row is None:
        row = ProfileFactVerification(account_id=profile.account_id, fact=fact)
        profile.verifications.append(row)
    row.value, row.source = value, source.name
    row.verified_by, row.reason = source.verified_by, source.reason
    row.evidence_id, row.reference, row.as_of = source.evidence_id, source.reference, source.as_of
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


class JobsTraineeshipEnded(Schema):
    """`youthcity.jobs.traineeship.ended` as the jobs service's contract defines it (a
    tolerant reader)."""

    class Meta:
        unknown = EXCLUDE

    traineeship_id = fields.String(required=True)
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    outcome = fields.String(
        required=True, validate=validate.OneOf(("completed", "retained", "left"))
    )
    ended_on = fields.Date(required=True)


class StartupRegistrationCompleted(Schema):
    """`youthcity.startup.registration.completed` as the startup service's contract defines
    it (a tolerant reader)."""

    class Meta:
        unknown = EXCLUDE

    registration_id = fields.String(required=True)
    person_id = fields.String(required=True)
    completed_at = fields.AwareDateTime(required=True)


def record_hire(event, uow) -> None:
    """The person hired into a job is employed by that employer since the hire's day; a hire
    older than the employment already recorded changes nothing (events may come late)."""
    hire = event.data
    if hire["post_kind"] not in EMPLOYMENT_POSTS:
        return
    since = clock.local_date(hire["hired_at"])
    _employ(uow, hire["person_id"], EMPLOYED, hire["employer_id"], since, HIRE_SOURCE)


def record_traineeship_end(event, uow) -> None:
    """A traineeship ended: retained by the host, the trainee is employed by it from the last
    day; completed or left, a job seeker again, unless the profile says they were hired or
    started a business meanwhile (that later fact stands)."""
    end = event.data
    if end["outcome"] == "retained":
        employer, since = end["employer_id"], end["ended_on"]
        _employ(uow, end["person_id"], EMPLOYED, employer, since, TRAINEESHIP_END_SOURCE)
        return
    profile = _locked_profile(uow, end["person_id"])
    if profile is None or profile.employment_status in (EMPLOYED, SELF_EMPLOYED):
        return
    profile.employer_id = profile.employed_since = None
    source = Source(TRAINEESHIP_END_SOURCE, as_of=end["ended_on"])
    change_facts(uow, profile, {"employment_status": UNEMPLOYED}, source)
    uow.session.flush()


def record_registration(event, uow) -> None:
    """The founder's business is open: self-employed since the day its registration was
    completed (no employer: they run their own)."""
    done = event.data
    since = clock.local_date(done["completed_at"])
    _employ(uow, done["person_id"], SELF_EMPLOYED, None, since, REGISTRATION_SOURCE)


def _locked_profile(uow, person_id: str) -> YouthProfile | None:
    # None: erased, or a person without a profile: nothing to keep
    return uow.session.get(YouthProfile, person_id, with_for_update=True)


def _employ(
    uow, person_id: str, status: str, employer_id: str | None, since: date, source: str
) -> None:
    """`status` (employed, self-employed) since `since`, verified by the event `source`; an
    event older than the employment already recorded changes nothing."""
    profile = _locked_profile(uow, person_id)
    if profile is None:
        return
    if profile.employed_since is not None and profile.employed_since > since:
        return
    profile.employer_id, profile.employed_since = employer_id, since
    change_facts(uow, profile, {"employment_status": status}, Source(source, as_of=since))
    uow.session.flush()
