"""The gateway's own request and response schemas (accounts, tokens, profiles, problems, pages).

Services keep the schemas of their resources in their own `schemas.py`; the gateway's routes
use those for bodies and OpenAPI alike.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.context import SUPPORTED_LOCALES
from services.common.fields import CitizenId, Mobile
from services.common.schemas import PageQuery, partial_schema

from .accounts import ADMIN_CREATED_ROLES, DEGREES, EMPLOYMENT_STATUSES, SELF_SERVICE_ROLES
from .units import UNITS

CODE = validate.Regexp(r"^[0-9]{6}$")
USERNAME = validate.Regexp(r"^[A-Za-z0-9_.-]{3,32}$")
PASSWORD = validate.Length(min=8, max=128)


class ProfileInput(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    citizen_id = CitizenId(required=True, metadata={"example": "11010519491231002X"})
    school = fields.String(validate=validate.Length(max=100))
    degree = fields.String(validate=validate.OneOf(DEGREES))
    graduation_date = fields.Date(metadata={"example": "2026-06-30"})
    employment_status = fields.String(validate=validate.OneOf(EMPLOYMENT_STATUSES))
    residence = fields.String(
        validate=validate.Length(max=100), metadata={"description": "district area"}
    )
    local_social_insurance_months = fields.Integer(
        validate=validate.Range(min=0, max=600),
        metadata={"description": "consecutive months of social insurance paid in the district"},
    )


ProfileUpdate = partial_schema(ProfileInput, "ProfileUpdate")


class IdentityAppealInput(Schema):
    statement = fields.String(
        required=True,
        validate=validate.Length(min=10, max=2000),
        metadata={
            "description": "why the number is yours, and how an officer can check it",
            "example": "该身份证号码是我本人的,我从未注册过账号,可携带身份证到区人社局窗口核验",
        },
    )


class AccountRegistration(Schema):
    username = fields.String(required=True, validate=USERNAME, metadata={"example": "li_ming"})
    password = fields.String(required=True, load_only=True, validate=PASSWORD)
    role = fields.String(required=True, validate=validate.OneOf(SELF_SERVICE_ROLES))
    display_name = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "for an employer, the organisation's name"},
    )
    email = fields.Email()
    phone = Mobile(metadata={"example": "13800138000"})
    phone_code = fields.String(
        load_only=True,
        validate=CODE,
        metadata={
            "description": "the code sent to `phone` (`POST /api/v1/accounts/phone-codes`): "
            "proves the phone; required for a young person where "
            "REGISTRATION_PHONE_PROOF_REQUIRED holds",
            "example": "123456",
        },
    )
    locale = fields.String(validate=validate.OneOf(SUPPORTED_LOCALES), load_default="zh-CN")
    profile = fields.Nested(ProfileInput, metadata={"description": "required for a young person"})
    identity_appeal = fields.Nested(
        IdentityAppealInput,
        load_only=True,
        metadata={
            "description": "for a young person whose ID number cannot be bound: the account is "
            "created without it, and an appeal for it goes to an officer (身份申诉)"
        },
    )


class StaffAccountCreation(Schema):
    username = fields.String(required=True, validate=USERNAME)
    password = fields.String(required=True, load_only=True, validate=PASSWORD)
    role = fields.String(required=True, validate=validate.OneOf(ADMIN_CREATED_ROLES))
    unit = fields.String(
        validate=validate.OneOf(list(UNITS)), metadata={"description": "required for officers"}
    )
    display_name = fields.String(validate=validate.Length(min=1, max=100))
    email = fields.Email()
    phone = Mobile()
    locale = fields.String(validate=validate.OneOf(SUPPORTED_LOCALES), load_default="zh-CN")


class RevealRequest(Schema):
    """Why an officer needs a person's ID number, phone and email now: kept with the read."""

    reason = fields.String(
        required=True,
        validate=validate.Length(min=4, max=500),
        metadata={"example": "核对就业补贴申请的身份信息"},
    )
    reference = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "the case or application the read is for", "example": "claim-42"},
    )


class AccountStatusChange(Schema):
    status = fields.String(required=True, validate=validate.OneOf(("active", "disabled")))


class AccountFilter(PageQuery):
    role = fields.String(validate=validate.OneOf(("youth", "employer", *ADMIN_CREATED_ROLES)))


class TokenRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=128)
    )
    second_factor_code = fields.String(
        load_only=True,
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "an account with a second factor: the 6-digit code of its "
            "authenticator app, or one of its recovery codes (asked for by 401 "
            "`second_factor_required`)"
        },
    )


class TokenView(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds"})
    refresh_token = fields.String(
        required=True,
        metadata={
            "description": "exchanged at `POST /api/v1/auth/refresh` for the next access token "
            "and a new refresh token; each may be used once"
        },
    )
    refresh_expires_in = fields.Integer(
        required=True, metadata={"description": "seconds the refresh token stays valid unused"}
    )
    password_change_required = fields.Boolean(
        required=True,
        metadata={
            "description": "the account may do nothing but change its password "
            "(`POST /api/v1/me/password`) until it has"
        },
    )
    second_factor_enrolment_required = fields.Boolean(
        required=True,
        metadata={
            "description": "a staff member without a second factor, while one is required: "
            "the account may do nothing but enrol one (`POST /api/v1/me/second-factor`)"
        },
    )


class SecondFactorStarted(Schema):
    secret = fields.String(
        required=True,
        metadata={"description": "the TOTP secret (base32), shown this once: type it in, or"},
    )
    otpauth_uri = fields.String(
        required=True,
        metadata={
            "description": "the same as an `otpauth://totp/...` URI, which an authenticator "
            "app reads (as a QR code or pasted)",
            "example": "otpauth://totp/Youth%20City:officer?secret=...&issuer=Youth%20City",
        },
    )


class SecondFactorCode(Schema):
    code = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "the 6-digit code the authenticator app shows now"},
    )


class SecondFactorEnrolled(TokenView):
    recovery_codes = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "one-time codes for signing in without the phone, shown this once: "
            "keep them on paper"
        },
    )


class SecondFactorState(Schema):
    enrolled = fields.Boolean(required=True)
    enrolled_at = fields.DateTime(allow_none=True)
    required = fields.Boolean(
        required=True,
        metadata={"description": "whether this account must enrol before doing anything else"},
    )
    recovery_codes_left = fields.Integer(required=True)


class RefreshRequest(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PasswordChange(Schema):
    current_password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=128)
    )
    new_password = fields.String(required=True, load_only=True, validate=PASSWORD)


class PasswordResetRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    channel = fields.String(
        validate=validate.OneOf(("email", "sms")),
        metadata={"description": "where the code goes; default: email if the account has one"},
    )


class PasswordResetConfirmation(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    code = fields.String(required=True, validate=CODE)
    new_password = fields.String(required=True, load_only=True, validate=PASSWORD)


class PasswordResetAccepted(Schema):
    status = fields.String(
        required=True,
        metadata={
            "description": "always `accepted`: whether the account exists is not told",
            "example": "accepted",
        },
    )


class PhoneCodeRequest(Schema):
    phone = Mobile(required=True, metadata={"example": "13800138000"})
    channel = fields.String(
        validate=validate.OneOf(("sms",)),
        load_default="sms",
        metadata={"description": "where the code goes: `sms`"},
    )
    locale = fields.String(validate=validate.OneOf(SUPPORTED_LOCALES), load_default="zh-CN")


class RegistrationRules(Schema):
    phone_proof_required = fields.Boolean(
        required=True,
        metadata={
            "description": "a young person registers with `phone` and the `phone_code` sent "
            "to it (`POST /api/v1/accounts/phone-codes`)"
        },
    )


class CodeAccepted(Schema):
    status = fields.String(
        required=True,
        metadata={
            "description": "always `accepted`: whether anything is known of the number is not told",
            "example": "accepted",
        },
    )


class AppealDecision(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    reason = fields.String(
        required=True,
        validate=validate.Length(min=4, max=500),
        metadata={"example": "本人持身份证到窗口核验,人证一致"},
    )


class IdentityAppealView(Schema):
    id = fields.String(required=True)
    claimant_id = fields.String(required=True)
    citizen_id = fields.String(metadata={"description": "masked unless the viewer is the claimant"})
    statement = fields.String()
    status = fields.String(validate=validate.OneOf(("pending", "approved", "rejected")))
    filed_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True, metadata={"description": "officers only"})
    released_from = fields.String(
        allow_none=True,
        metadata={"description": "officers only: the account the number was taken from"},
    )
    held_by = fields.String(
        allow_none=True,
        metadata={"description": "officers only: the account holding the number now (pending)"},
    )


class IdentityAppealPage(Schema):
    items = fields.List(fields.Nested(IdentityAppealView), required=True)
    next = fields.String(allow_none=True)


class IdentityAppealList(Schema):
    items = fields.List(fields.Nested(IdentityAppealView), required=True)


class AppealFilter(PageQuery):
    status = fields.String(validate=validate.OneOf(("pending", "approved", "rejected")))


class ProfileView(Schema):
    name = fields.String()
    citizen_id = fields.String(metadata={"description": "masked unless the viewer may see it"})
    birth_date = fields.Date()
    age = fields.Integer()
    school = fields.String(allow_none=True)
    degree = fields.String(allow_none=True)
    graduation_date = fields.Date(allow_none=True)
    employment_status = fields.String(allow_none=True)
    employer_id = fields.String(
        allow_none=True, metadata={"description": "the employer of the last hire jobs reported"}
    )
    employed_since = fields.Date(allow_none=True, metadata={"description": "that hire's day"})
    residence = fields.String(allow_none=True)
    local_social_insurance_months = fields.Integer()
    facts = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(("verified", "declared", "missing"))),
        metadata={
            "description": "for each fact a decision rests on: verified by its unit's officer "
            "(or reported by the platform), declared by the person, or missing",
            "example": {"graduation_date": "verified", "degree": "declared"},
        },
    )


class FactVerification(Schema):
    """Why an officer holds a profile fact verified (核验): the evidence seen, kept in the
    audit trail."""

    reason = fields.String(
        required=True,
        validate=validate.Length(min=4, max=500),
        metadata={"example": "核对学信网学历证书电子注册备案表"},
    )
    evidence_id = fields.String(
        validate=validate.Length(max=36),
        metadata={"description": "the person's evidence document the value was checked against"},
    )


class EvidenceView(Schema):
    """An evidence document's record (its bytes: `GET /api/v1/evidence/{id}`)."""

    id = fields.String(required=True)
    owner_id = fields.String(required=True)
    fact = fields.String(
        required=True,
        metadata={
            "example": "graduation_date",
            "description": "the fact it shows, or the kind of an employer's document "
            "(`business_licence`, `labour_contract`)",
        },
    )
    person_id = fields.String(
        allow_none=True,
        metadata={"description": "an employer's document about a person: the hired person"},
    )
    reference = fields.String(
        allow_none=True,
        metadata={"description": "an employer's labour contract: the hire's job application id"},
    )
    content_type = fields.String(
        required=True, metadata={"description": "application/pdf, image/jpeg or image/png"}
    )
    size = fields.Integer(required=True, metadata={"description": "bytes"})
    sha256 = fields.String(required=True)
    uploaded_at = fields.DateTime(required=True)


class EmployerDocumentQuery(Schema):
    """What an employer's document is about, when it is about a hire."""

    application_id = fields.String(
        validate=validate.Length(max=36),
        metadata={"description": "`labour_contract`: the job application that ended in the hire"},
    )


class EvidenceList(Schema):
    items = fields.List(fields.Nested(EvidenceView), required=True)


class EvidenceWaiting(EvidenceView):
    declared_value = fields.String(
        allow_none=True, metadata={"description": "the value the person declares for the fact now"}
    )


class EvidenceQueuePage(Schema):
    items = fields.List(fields.Nested(EvidenceWaiting), required=True)
    next = fields.String(allow_none=True)


class AccountView(Schema):
    id = fields.String(required=True)
    username = fields.String(allow_none=True)
    role = fields.String(required=True)
    unit = fields.String(allow_none=True)
    display_name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(
        allow_none=True, metadata={"description": "masked unless the viewer may see it"}
    )
    phone_proven = fields.Boolean(
        metadata={"description": "the phone was proven by a one-time code sent to it"}
    )
    locale = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
    profile = fields.Nested(ProfileView, allow_none=True)


class AccountPage(Schema):
    items = fields.List(fields.Nested(AccountView), required=True)
    next = fields.String(allow_none=True)


class UnitView(Schema):
    code = fields.String(required=True)
    name = fields.Dict(keys=fields.String(), values=fields.String())


class UnitList(Schema):
    items = fields.List(fields.Nested(UnitView))


class FieldProblem(Schema):
    field = fields.String(allow_none=True)
    code = fields.String()
    message = fields.String()


class Problem(Schema):
    """RFC 9457 problem details, as every refusal of the API is written."""

    type = fields.String(
        required=True, metadata={"example": "urn:youthcity:problem:validation_failed"}
    )
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    code = fields.String(required=True)
    detail = fields.String()
    instance = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    field = fields.String()
    errors = fields.List(fields.Nested(FieldProblem))
