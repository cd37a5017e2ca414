"""Tables of the gateway: accounts, sessions and one-time codes, the youth profile, and the
gateway's own settings."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.common.models import service_metadata
from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = service_metadata()


class Account(Base):
    """A person or system that signs in: youth, employer, officer (of a unit), admin, partner."""

    __tablename__ = "account"
    __table_args__ = (sa.Index("ix_account_role_created", "role", "created_at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    username: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16))
    unit: Mapped[str | None] = mapped_column(sa.String(40))
    display_name: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    locale: Mapped[str] = mapped_column(sa.String(8), default="zh-CN")
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    #: the bootstrap administrator's password came from the environment: it must be changed
    #: before the account may do anything else
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    #: when the phone was proven by a one-time code sent to it (None: declared, not proven)
    phone_proven_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    profile: Mapped[YouthProfile | None] = relationship(
        back_populates="account", uselist=False, lazy="joined"
    )


class AuthSession(Base):
    """A signed-in session (会话): its access tokens name it, its refresh token (stored as a
    hash) rotates on each use; once ended (`ended_at`), neither works (gateway/identity.py)."""

    __tablename__ = "auth_session"
    __table_args__ = (sa.Index("ix_auth_session_account_live", "account_id", "ended_at"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"))
    refresh_hash: Mapped[str] = mapped_column(sa.String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    refreshed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    end_reason: Mapped[str | None] = mapped_column(sa.String(32))


class OneTimeCode(Base):
    """A one-time code sent to a person (a password reset): only its HMAC is kept, it expires,
    and wrong tries use it up. One live code per account and purpose."""

    __tablename__ = "one_time_code"

    account_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"), primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    attempts_left: Mapped[int]


class PhoneCode(Base):
    """A one-time code sent to a phone that is not yet any account's (registration proves the
    phone with it): kept under an HMAC of the number, never the number; one live code per phone
    (gateway/phone_proof.py)."""

    __tablename__ = "phone_code"

    phone_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    attempts_left: Mapped[int]


class IdentityAppeal(Base):
    """A person's claim that an ID number bound to another account is theirs (身份申诉): filed
    with their registration, reviewed by an officer of a personal-data unit, and on approval
    the number moves to them (gateway/appeals.py)."""

    __tablename__ = "identity_appeal"
    __table_args__ = (sa.Index("ix_identity_appeal_status_filed", "status", "filed_at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    claimant_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"), index=True)
    citizen_id: Mapped[str | None] = mapped_column(sa.String(18))
    statement: Mapped[str | None] = mapped_column(sa.Text())
    status: Mapped[str] = mapped_column(sa.String(16))
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(sa.String(36))
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    #: the account the number was taken from on approval (None: it was bound to nobody)
    released_from: Mapped[str | None] = mapped_column(sa.String(36))


class SecondFactor(Base):
    """A staff member's TOTP authenticator (gateway/second_factor.py): its secret sealed under
    the gateway's key, active once `enrolled_at` is set; `last_step` is the time step of the
    last code accepted, so no code is accepted twice."""

    __tablename__ = "second_factor"

    account_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"), primary_key=True)
    sealed_secret: Mapped[str] = mapped_column(sa.String(200))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_step: Mapped[int | None] = mapped_column(sa.BigInteger())


class RecoveryCode(Base):
    """One unused recovery code of a second factor, kept as its SHA-256; used, it is deleted."""

    __tablename__ = "second_factor_recovery_code"

    account_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"), primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)


class YouthProfile(Base):
    """The youth profile the gateway holds; services receive only the facts they need."""

    __tablename__ = "youth_profile"

    account_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"), primary_key=True)
    name: Mapped[str | None] = mapped_column(sa.String(50))
    # unique among people who have not been erased: erasure clears it, and the same ID number
    # may then register again as a new person
    citizen_id: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    birth_date: Mapped[date | None] = mapped_column(sa.Date())
    school: Mapped[str | None] = mapped_column(sa.String(100))
    degree: Mapped[str | None] = mapped_column(sa.String(16))
    graduation_date: Mapped[date | None] = mapped_column(sa.Date())
    employment_status: Mapped[str | None] = mapped_column(sa.String(16))
    # set when jobs reports a hire (`application.hired`), so that eligibility that rests on
    # employment sees it without the person having to say so (gateway/facts.py)
    employer_id: Mapped[str | None] = mapped_column(sa.String(36))
    employed_since: Mapped[date | None] = mapped_column(sa.Date())
    residence: Mapped[str | None] = mapped_column(sa.String(100))
    local_social_insurance_months: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    account: Mapped[Account] = relationship(back_populates="profile")
    # loaded with the profile: the caller's account outlives the session that read it
    verifications: Mapped[list[ProfileFactVerification]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class ProfileFactVerification(Base):
    """A profile fact an officer of its responsible unit checked (核验), or that an event of the
    platform reported (a hire): the value checked, by whom, why. A fact is verified while the
    profile still holds that value; a self-made change deletes the row (`gateway/facts.py`)."""

    __tablename__ = "profile_fact_verification"

    account_id: Mapped[str] = mapped_column(
        sa.ForeignKey("youth_profile.account_id"), primary_key=True
    )
    fact: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(40))
    #: `officer`, `partner:<name>`, or the event that reported it (`jobs.application.hired`)
    source: Mapped[str] = mapped_column(sa.String(100))
    verified_by: Mapped[str | None] = mapped_column(sa.String(36))
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    verified_at: Mapped[datetime] = mapped_column(UtcDateTime())
    #: the evidence document the officer checked the value against (`EvidenceDocument`)
    evidence_id: Mapped[str | None] = mapped_column(sa.String(36))
    #: a partner's own reference for the record it pushed, and the day the value held
    reference: Mapped[str | None] = mapped_column(sa.String(100))
    as_of: Mapped[date | None] = mapped_column(sa.Date())


class EvidenceDocument(Base):
    """A document a person uploaded as evidence of a fact (a degree certificate, a labour
    contract, a social-insurance record), or an employer attached (a business licence, the
    labour contract of a hire it claims a subsidy for): its bytes are in the object store under
    `key`; this row says whose it is, for what, and what it is. The file's name is never
    kept."""

    __tablename__ = "evidence_document"
    __table_args__ = (
        sa.Index("ix_evidence_document_owner", "owner_id", "uploaded_at", "id"),
        sa.Index("ix_evidence_document_fact", "fact", "uploaded_at", "id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"))
    #: the fact it shows (a person's), or the kind of an employer's document
    fact: Mapped[str] = mapped_column(sa.String(40))
    #: an employer's document about a person (the labour contract of a hire): that person,
    #: whose data export lists each officer's read of it
    person_id: Mapped[str | None] = mapped_column(sa.String(36))
    #: what an employer's document is for (the hire's job application id)
    reference: Mapped[str | None] = mapped_column(sa.String(36))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    key: Mapped[str] = mapped_column(sa.String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PartnerFactGrant(Base):
    """A fact kind a partner system may push as verified (a social-insurance agency the months
    of local social insurance, the graduate records office graduation dates and degrees),
    granted by an administrator; a revoked grant keeps its row with who revoked it and when."""

    __tablename__ = "partner_fact_grant"

    partner_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"), primary_key=True)
    fact: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    reference: Mapped[str | None] = mapped_column(sa.String(100))
    granted_by: Mapped[str] = mapped_column(sa.String(36))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_by: Mapped[str | None] = mapped_column(sa.String(36))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class BenefitNotice(Base):
    """A person was told they became eligible for a programme (政策找人): once per programme per
    person, whatever number of fact changes and redeliveries follow (`gateway/benefits.py`)."""

    __tablename__ = "benefit_notice"

    person_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    programme: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    #: the fact change that found it (`officer`, `partner`, `jobs.application.hired`)
    source: Mapped[str] = mapped_column(sa.String(40))
    #: whether the platform opened the application itself (免申即享)
    applied_automatically: Mapped[bool] = mapped_column(default=False)
    noticed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class BenefitCheck(Base):
    """A person's benefits answer as the daily check last found it (政策找人 as days pass:
    `gateway/benefits.py`, `check_as_days_pass`): the programmes they were eligible for and a
    digest of the facts it rested on, so that an answer that changed with the facts alone
    unchanged is known to have changed because days passed. The digest, not the facts: no
    personal data is copied here."""

    __tablename__ = "benefit_check"
    __table_args__ = (sa.Index("ix_benefit_check_due", "checked_on", "person_id"),)

    person_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    checked_on: Mapped[date] = mapped_column(sa.Date())
    #: SHA-256 of the facts the answer used, the age aside (it follows the days)
    facts_digest: Mapped[str] = mapped_column(sa.String(64))
    #: the keys of the programmes the person was eligible for (JSON list)
    eligible: Mapped[str] = mapped_column(sa.Text())


class PlanItem(Base):
    """An item of one of the plan's four lists (see gateway/plan_items.py)."""

    __tablename__ = "plan_item"
    __table_args__ = (
        sa.Index("ix_plan_item_list", "kind", "unit", "due_date", "id"),
        sa.Index("ix_plan_item_due", "due_date", "status"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    task_code: Mapped[str | None] = mapped_column(sa.String(8))
    unit: Mapped[str] = mapped_column(sa.String(40))
    owner: Mapped[str] = mapped_column(sa.String(100))
    due_date: Mapped[date] = mapped_column(sa.Date())
    progress: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(16), default="planned")
    note: Mapped[str | None] = mapped_column(sa.Text())
    #: 分管领导, 责任科室, 责任人: who answers for the item (names of office holders, not
    #: personal data of the young people the platform serves)
    leader: Mapped[str | None] = mapped_column(sa.String(100))
    section: Mapped[str | None] = mapped_column(sa.String(100))
    person: Mapped[str | None] = mapped_column(sa.String(100))
    #: the indicator codes the item serves (gateway/plan/indicators.json), as a JSON list
    indicator_codes: Mapped[str] = mapped_column(sa.Text(), default="[]", server_default="[]")
    #: the district's date the timer found the item past due and reminded its unit
    overdue_since: Mapped[date | None] = mapped_column(sa.Date())
    #: the joint meeting that decided it, when it is one of a meeting's action items
    #: (gateway/meetings.py); tracked, flagged and reminded like every other item
    meeting_id: Mapped[str | None] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str | None] = mapped_column(sa.String(36))


class PlanItemNote(Base):
    """A progress note on a plan item (进展情况): what was done, by whom, when. Only inserted."""

    __tablename__ = "plan_item_note"
    __table_args__ = (sa.Index("ix_plan_item_note_item", "item_id", "written_at"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    item_id: Mapped[str] = mapped_column(sa.ForeignKey("plan_item.id"))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime())
    written_by: Mapped[str | None] = mapped_column(sa.String(36))
    text: Mapped[str] = mapped_column(sa.Text())
    progress: Mapped[int | None]


class PlanItemChange(Base):
    """One change of a plan item: who, when, what (field: [old, new]). Only ever inserted."""

    __tablename__ = "plan_item_change"
    __table_args__ = (sa.Index("ix_plan_item_change_item", "item_id", "version"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    item_id: Mapped[str] = mapped_column(sa.ForeignKey("plan_item.id"))
    version: Mapped[int]
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    changed_by: Mapped[str | None] = mapped_column(sa.String(36))
    changes: Mapped[str] = mapped_column(sa.Text())


class Meeting(Base):
    """A joint meeting (联席会议, plan 四.(一)): when it was held, the units that attended, its
    minutes and decisions; its action items are plan items linked to it (gateway/meetings.py).
    """

    __tablename__ = "meeting"
    __table_args__ = (sa.Index("ix_meeting_held_on", "held_on", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    held_on: Mapped[date] = mapped_column(sa.Date())
    title: Mapped[str] = mapped_column(sa.String(200))
    #: the convening unit (团区委 by the plan: 共青团协调)
    convened_by: Mapped[str] = mapped_column(sa.String(40))
    #: the attending units' codes, as a JSON list
    units: Mapped[str] = mapped_column(sa.Text(), default="[]")
    minutes: Mapped[str] = mapped_column(sa.Text(), default="")
    #: the decisions (议定事项), as a JSON list of texts
    decisions: Mapped[str] = mapped_column(sa.Text(), default="[]")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str | None] = mapped_column(sa.String(36))


class Survey(Base):
    """A questionnaire of one period (the plan's 获得感、幸福感、安全感 and satisfaction with its
    programmes), answered anonymously by young people (gateway/surveys.py)."""

    __tablename__ = "survey"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    #: one survey per period: `2026-Q4`, `2026`, `2026-11`
    period: Mapped[str] = mapped_column(sa.String(16), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: the plan's task codes whose satisfaction is asked, as a JSON list
    programmes: Mapped[str] = mapped_column(sa.Text(), default="[]")
    opens_on: Mapped[date] = mapped_column(sa.Date())
    closes_on: Mapped[date] = mapped_column(sa.Date())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(sa.String(36))


class SurveyRespondent(Base):
    """That someone answered a survey: only a keyed hash of (survey, person), so that each
    person answers once. It is kept apart from the answers, with no time, so no row links
    an answer to its respondent."""

    __tablename__ = "survey_respondent"

    survey_id: Mapped[str] = mapped_column(sa.ForeignKey("survey.id"), primary_key=True)
    respondent_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)


class SurveyAnswer(Base):
    """One anonymous answer: the scores and the respondent's coarse attributes (area, age band)
    for breakdowns. No person id, no hash, no time: nothing links it to who gave it."""

    __tablename__ = "survey_answer"
    __table_args__ = (sa.Index("ix_survey_answer_survey", "survey_id", "area"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    survey_id: Mapped[str] = mapped_column(sa.ForeignKey("survey.id"))
    area: Mapped[str] = mapped_column(sa.String(40))
    age_band: Mapped[str] = mapped_column(sa.String(8))
    #: 获得感、幸福感、安全感, each 1 (lowest) to 5
    gain: Mapped[int]
    happiness: Mapped[int]
    security: Mapped[int]
    #: satisfaction (1–5) by programme (task code); a programme not used is left out; JSON
    satisfaction: Mapped[str] = mapped_column(sa.Text(), default="{}")


class PopulationBaseline(Base):
    """One baseline figure of the district for a year (gateway/baselines.py): a measure in an
    area and age band, as the statistics office published it; the denominators of rates."""

    __tablename__ = "population_baseline"
    __table_args__ = (
        sa.UniqueConstraint("year", "measure", "area", "age_band", name="uq_population_baseline"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    year: Mapped[int]
    area: Mapped[str] = mapped_column(sa.String(16))
    age_band: Mapped[str] = mapped_column(sa.String(8))
    measure: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    imported_by: Mapped[str | None] = mapped_column(sa.String(36))


class ErasureRequest(Base):
    """A person's request to have their personal data erased (PIPL), and how far it has got."""

    __tablename__ = "erasure_request"
    __table_args__ = (sa.Index("ix_erasure_request_status", "status", "requested_at"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    status: Mapped[str] = mapped_column(sa.String(16))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    confirm_after: Mapped[datetime] = mapped_column(UtcDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    confirmed_by: Mapped[str | None] = mapped_column(sa.String(36))
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ErasureServiceState(Base):
    """Whether one service has applied an erasure; re-asked until it has."""

    __tablename__ = "erasure_service_state"

    request_id: Mapped[str] = mapped_column(sa.ForeignKey("erasure_request.id"), primary_key=True)
    service: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    records: Mapped[int | None]
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    times_asked: Mapped[int] = mapped_column(default=1)
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class GatewaySetting(Base):
    """Values the gateway generates once and its replicas share (the token signing key)."""

    __tablename__ = "gateway_setting"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text())


class IdempotentRequest(Base):
    """A command sent with an `Idempotency-Key`: who sent it, what it was, and the answer it got,
    kept so that a repeat is answered the same without being done again (gateway/idempotency.py).
    """

    __tablename__ = "idempotent_request"
    __table_args__ = (sa.Index("ix_idempotent_request_expires_at", "expires_at"),)

    #: the caller: an account id, or "anonymous" for registration and other public commands
    caller: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    #: the request's method, path, query and body, hashed: the same key with another request is
    #: refused
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    #: until when the first attempt holds the key (a gateway that died lets go of it then)
    held_until: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[int | None]
    headers: Mapped[str | None] = mapped_column(sa.Text())
    body: Mapped[bytes | None] = mapped_column(sa.LargeBinary())


class BankAccount(Base):
    """Where a payee is paid (收款账户): given once by the account's owner (a young person, an
    employer, a lending bank) and used by every programme that pays them. Shown masked, written
    out in full only into a payment batch's export for the finance bureau, deleted when the
    person is erased."""

    __tablename__ = "bank_account"

    account_id: Mapped[str] = mapped_column(sa.ForeignKey("account.id"), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(100))
    bank_name: Mapped[str] = mapped_column(sa.String(100))
    number: Mapped[str] = mapped_column(sa.String(34))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
