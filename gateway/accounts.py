"""Accounts and the youth profile: who may exist, who may create whom, who may see what.

Plain rules, no I/O: the gateway's routes apply them and persist the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.common.clock import clock
from services.common.errors import Conflict, Forbidden, InvalidInput
from services.common.validators import age_on, mask_citizen_id, mask_email, mask_mobile

from .facts import facts_state
from .messages import MESSAGES
from .units import UNITS

YOUTH, EMPLOYER, OFFICER, ADMIN, PARTNER = "youth", "employer", "officer", "admin", "partner"
SELF_SERVICE_ROLES = (YOUTH, EMPLOYER)
ADMIN_CREATED_ROLES = (OFFICER, ADMIN, PARTNER)
STAFF = (OFFICER, ADMIN)
ANYONE_SIGNED_IN = (YOUTH, EMPLOYER, OFFICER, ADMIN, PARTNER)

DEGREES = (
    "none",
    "junior_high",
    "high_school",
    "vocational",
    "associate",
    "bachelor",
    "master",
    "doctor",
)
EMPLOYMENT_STATUSES = ("unemployed", "employed", "self_employed", "student")

#: default: the units whose work needs a person's ID number and phone (jobs and subsidies,
#: housing, business registration, civil affairs); a district changes it with PERSONAL_DATA_UNITS
DEFAULT_PERSONAL_DATA_UNITS = ("hrss", "housing", "admin_service_center", "civil_affairs")


def check_self_registration(
    role: str, profile: dict | None, display_name: str | None, appeal: dict | None = None
) -> None:
    """A young person registers with a profile (and, when its ID number is someone else's,
    an identity appeal); an employer with its organisation's name."""
    if role not in SELF_SERVICE_ROLES:
        raise Forbidden("role_not_self_service", field="role")
    if role == YOUTH and not profile:
        raise InvalidInput.for_field("profile", "profile_required", MESSAGES)
    if role == EMPLOYER and not display_name:
        raise InvalidInput.for_field("display_name", "organisation_required", MESSAGES)
    if role == EMPLOYER and profile:
        raise InvalidInput.for_field("profile", "profile_only_for_youth", MESSAGES)
    if role == EMPLOYER and appeal:
        raise InvalidInput.for_field("identity_appeal", "appeal_only_for_youth", MESSAGES)


def check_staff_account(role: str, unit: str | None) -> None:
    """Officers belong to one of the plan's responsible units; admins and partners to none."""
    if role not in ADMIN_CREATED_ROLES:
        raise InvalidInput.for_field(
            "role", "one_of", MESSAGES, choices=", ".join(ADMIN_CREATED_ROLES)
        )
    if role == OFFICER and not unit:
        raise InvalidInput.for_field("unit", "unit_required", MESSAGES)
    if unit is not None and unit not in UNITS:
        raise InvalidInput.for_field("unit", "unknown_unit", MESSAGES)


def identity_unavailable() -> Conflict:
    """The one answer for an ID number that cannot be bound now, whatever the reason: bound to
    another account, or offered with a phone code that is wrong, expired or used. Its status,
    code and words are the same for each, so that the answer is not built to tell which ID
    numbers have an account; its rightful owner appeals (gateway/appeals.py)."""
    return Conflict("identity_unavailable", field="profile.citizen_id")


def check_unique(username_taken: bool, citizen_id_taken: bool) -> None:
    """A taken username is said (people choose another); an ID number already bound gets
    `identity_unavailable`, the answer of every ID number that cannot be bound."""
    if username_taken:
        raise Conflict("username_taken", field="username")
    if citizen_id_taken:
        raise identity_unavailable()


def check_phone_proof(
    required: bool, binds_identity: bool, phone: str | None, phone_code: str | None
) -> None:
    """Where REGISTRATION_PHONE_PROOF_REQUIRED holds, an ID number is bound only with a phone
    proven by the code sent to it (`POST /api/v1/accounts/phone-codes`); a code is always for a
    phone."""
    if phone_code and not phone:
        raise InvalidInput.for_field("phone", "phone_required_for_code", MESSAGES)
    if required and binds_identity:
        if not phone:
            raise InvalidInput.for_field("phone", "phone_required_for_identity", MESSAGES)
        if not phone_code:
            raise InvalidInput.for_field("phone_code", "phone_code_required", MESSAGES)


def check_phone_proven(proven: bool, binds_identity: bool) -> None:
    """A code that does not prove the phone refuses a registration binding an ID number with
    that number's one answer; any other registration is told the code is wrong."""
    if proven:
        return
    if binds_identity:
        raise identity_unavailable()
    raise InvalidInput.for_field("phone_code", "phone_code_invalid", MESSAGES)


@dataclass(frozen=True)
class Viewer:
    """Who is looking at an account: what they may see of it depends on it."""

    account_id: str | None
    role: str | None
    unit: str | None

    @classmethod
    def of(cls, identity) -> Viewer:
        """The authenticated caller (an `api.Identity`), or nobody on a public route."""
        if identity is None:
            return cls(None, None, None)
        return cls(identity.account_id, identity.role, identity.unit)

    @classmethod
    def holder_of(cls, account) -> Viewer:
        """The account's own holder, who sees it unmasked."""
        return cls(account.id, account.role, account.unit)


def reveals_personal_data(viewer: Viewer, subject_id: str) -> bool:
    """ID numbers, phones and emails are shown whole to the person themselves; anyone else sees
    them masked, unless an officer reveals them for a stated purpose (`check_may_reveal`)."""
    return viewer.account_id == subject_id


def check_may_reveal(viewer: Viewer, personal_data_units: Iterable[str]) -> None:
    """Only officers whose unit's work needs a person's ID number and phone (PERSONAL_DATA_UNITS:
    jobs and subsidies, housing, business registration, civil affairs) may reveal them."""
    if viewer.role != OFFICER or viewer.unit not in set(personal_data_units):
        raise Forbidden("not_a_personal_data_unit")


def shown_citizen_id(number: str | None, reveal: bool) -> str | None:
    if number is None:
        return None
    return number if reveal else mask_citizen_id(number)


def shown_phone(number: str | None, reveal: bool) -> str | None:
    if number is None:
        return None
    return number if reveal else mask_mobile(number)


def shown_email(address: str | None, reveal: bool) -> str | None:
    if address is None:
        return None
    return address if reveal else mask_email(address)


def account_view(account, viewer: Viewer, revealed: bool = False) -> dict:
    """An account and its youth profile as `viewer` may see them (`AccountView`): ID number,
    phone and email masked unless the viewer is the person, or `revealed` for a purpose."""
    reveal = revealed or reveals_personal_data(viewer, account.id)
    profile = account.profile
    return {
        "id": account.id,
        "username": account.username,
        "role": account.role,
        "unit": account.unit,
        "display_name": account.display_name,
        "email": shown_email(account.email, reveal),
        "phone": shown_phone(account.phone, reveal),
        "phone_proven": account.phone_proven_at is not None,
        "locale": account.locale,
        "status": account.status,
        "created_at": account.created_at,
        "profile": None
        if profile is None
        else {
            "name": profile.name,
            "citizen_id": shown_citizen_id(profile.citizen_id, reveal),
            "birth_date": profile.birth_date,
            "age": age_on(profile.birth_date, clock.today()) if profile.birth_date else None,
            "school": profile.school,
            "degree": profile.degree,
            "graduation_date": profile.graduation_date,
            "employment_status": profile.employment_status,
            "employer_id": profile.employer_id,
            "employed_since": profile.employed_since,
            "residence": profile.residence,
            "local_social_insurance_months": profile.local_social_insurance_months,
            "facts": facts_state(profile),
        },
    }
