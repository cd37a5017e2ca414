"""Accounts and the youth profile (`/api/v1/accounts`, `/api/v1/people`,
`/api/v1/admin/accounts`) and the plan's responsible units (`/api/v1/units`); signing in,
sessions and passwords are `gateway/routes/identity.py`.

The gateway alone holds accounts: these routes work on its own database, with the rules of
`gateway/accounts.py` (who may register, who may see which personal data).
"""

from __future__ import annotations

import functools
import logging

from services.common.clock import utcnow
from services.common.db import Database
from services.common.errors import Conflict, DomainError, InvalidInput, NotFound
from services.common.metrics import REGISTRATION_REFUSALS
from services.common.rpc import ClusterProxy

from .. import appeals, evidence, facts, phone_proof
from ..accounts import (
    ADMIN,
    ANYONE_SIGNED_IN,
    OFFICER,
    STAFF,
    YOUTH,
    Viewer,
    account_view,
    check_may_reveal,
    check_phone_proof,
    check_phone_proven,
    check_self_registration,
    check_staff_account,
    check_unique,
    identity_unavailable,
)
from ..api import Api, Call, Created, PageResult
from ..auth import Limit, hash_password, refuse_for
from ..codes import per_address, send_after_answer
from ..composition import Routes
from ..identity import DISABLED, Backoff
from ..messages import MESSAGES
from ..models import Account
from ..read_model import ReadModel
from ..schemas import (
    AccountFilter,
    AccountPage,
    AccountRegistration,
    AccountStatusChange,
    AccountView,
    CodeAccepted,
    FactVerification,
    PhoneCodeRequest,
    ProfileUpdate,
    RegistrationRules,
    RevealRequest,
    StaffAccountCreation,
    UnitList,
)
from ..sessions import end_all_sessions
from ..settings import GatewaySettings
from ..store import (
    accounts_page,
    add_account,
    citizen_id_taken,
    profile_row,
    update_profile,
    username_taken,
)
from ..units import UNITS

log = logging.getLogger(__name__)

routes = Routes(tags=["accounts"])


def _create_account(
    db: Database,
    fields: dict,
    created_by: str | None,
    phone_proven: bool = False,
    appeal: dict | None = None,
) -> dict:
    """A new account (registered by its owner, or created by `created_by`), as its owner sees it.
    With `appeal`, the profile's ID number is not bound but claimed (gateway/appeals.py)."""
    fields = dict(fields)
    password = fields.pop("password")
    profile = fields.get("profile")
    claimed = None
    if appeal is not None:
        profile = dict(profile)
        claimed = profile.pop("citizen_id")
        fields["profile"] = profile
    password_hash = hash_password(password)
    with db.unit_of_work() as uow:
        check_unique(
            username_taken(uow.session, fields["username"]),
            citizen_id_taken(uow.session, profile and profile.get("citizen_id")),
        )
        account = add_account(
            uow.session, password_hash=password_hash, created_by=created_by, **fields
        )
        if phone_proven:
            account.phone_proven_at = account.created_at
        uow.session.flush()
        if claimed is not None:
            appeals.file_appeal(uow, account.id, claimed, appeal["statement"])
        if created_by is not None:
            details = {"role": account.role, "unit": account.unit}
            uow.audit("account.created", ("account", account.id), details=details)
        uow.record(
            "account.registered",
            subject=account.id,
            data={
                "account_id": account.id,
                "role": account.role,
                "registered_at": account.created_at,
            },
        )
        uow.commit()
    return _shown(db, account.id, Viewer.holder_of(account))


def _shown(db: Database, account_id: str, viewer: Viewer) -> dict:
    """The account as stored now, as `viewer` may see it."""
    with db.reading() as session:
        return account_view(session.get(Account, account_id), viewer)


@routes.route(
    "GET",
    "/api/v1/accounts/registration",
    summary="What registering here asks for",
    response=RegistrationRules,
    description="Whether a young person must prove their phone with a one-time code "
    "(REGISTRATION_PHONE_PROOF_REQUIRED): the console asks for the code when so.",
)
def registration_rules(call: Call, *, settings: GatewaySettings):
    return {"phone_proof_required": settings.registration_phone_proof_required}


@routes.route(
    "POST",
    "/api/v1/accounts/phone-codes",
    summary="Ask for a one-time code that proves a phone, before registering with it",
    body=PhoneCodeRequest,
    response=CodeAccepted,
    status=202,
    errors=(422, 429),
    description="A six-digit code valid for 10 minutes is sent by SMS (through notify) to the "
    "number; registration carries it as `phone_code`. The answer is the same, and as quick, "
    "whoever the number belongs to. At most PHONE_CODE_RATE_LIMIT codes per number, ten times "
    "as many per client address (429 with `Retry-After`); a new code replaces the last.",
)
def request_phone_code(
    call: Call, *, api: Api, db: Database, services: ClusterProxy, settings: GatewaySettings
):
    phone, address = call.body["phone"], api.address(call.request)
    limit = Limit(settings.phone_code_rate_limit)
    refuse_for(
        # counted under the number's HMAC: the limiter's storage holds no phone numbers
        api.limiter.hit(limit, "phone-code", phone_proof.phone_key(api.secret, phone)),
        api.limiter.hit(Limit(per_address(limit.text)), "phone-code-address", address),
        api.limiter.locked_for("registration", address),
    )
    prepare = functools.partial(phone_proof.phone_delivery, api.secret, phone, call.body["locale"])
    send_after_answer(db, services, call.context, phone_proof.PHONE_PROOF, prepare)
    return {"status": "accepted"}


@routes.route(
    "POST",
    "/api/v1/accounts",
    summary="Register as a young person or an employer",
    body=AccountRegistration,
    response=AccountView,
    status=201,
    errors=(409, 422, 429),
    description="A young person registers with a profile (name and citizen ID at least) and, "
    "where REGISTRATION_PHONE_PROOF_REQUIRED holds (the default), a phone proven by the code "
    "sent to it (`POST /api/v1/accounts/phone-codes`, then `phone` and `phone_code` here); an "
    "employer with its organisation's name, which an officer of 区人社局 verifies later. "
    "An ID number that cannot be bound to a new account gets `409 identity_unavailable`, "
    "whatever the reason: bound to another account, or a phone code that is wrong, expired or "
    "used (a code is used up by the try, whatever its answer). Its rightful owner registers "
    "with `identity_appeal`: the account is created without the number and an officer decides "
    "(`/api/v1/identity-appeals`). Registrations are limited per client address "
    "(REGISTRATION_RATE_LIMIT_ADDRESS), and after repeated refusals each further one locks "
    "the address out for twice as long (429 with `Retry-After`).",
)
def register_account(call: Call, *, api: Api, db: Database, settings: GatewaySettings):
    body, address = dict(call.body), api.address(call.request)
    refuse_for(
        api.limiter.hit(Limit(settings.registration_rate_limit_address), "register", address),
        api.limiter.locked_for("registration", address),
    )
    code, appeal = body.pop("phone_code", None), body.pop("identity_appeal", None)
    check_self_registration(body["role"], body.get("profile"), body.get("display_name"), appeal)
    binds_identity = body["role"] == YOUTH
    check_phone_proof(
        settings.registration_phone_proof_required, binds_identity, body.get("phone"), code
    )
    try:
        proven = code is not None and _prove_phone(db, api, body, code, binds_identity)
        view = _create_account(db, body, None, phone_proven=proven, appeal=appeal)
    except DomainError as refused:
        if refused.status == 409:
            backoff = Backoff(free=settings.registration_backoff_after)
            api.limiter.fail(backoff, "registration", address)
        if refused.code == "identity_unavailable":
            REGISTRATION_REFUSALS.labels("identity_unavailable").inc()
            log.info("registration refused: identity_unavailable")
        raise
    return Created(view, f"/api/v1/accounts/{view['id']}")


def _prove_phone(db: Database, api: Api, body: dict, code: str, binds_identity: bool) -> bool:
    """Spend the phone's code (a taken username is said first: it costs no code)."""
    with db.reading() as session:
        check_unique(username_taken(session, body["username"]), False)
    proven = phone_proof.prove_phone(db, api.secret, body["phone"], code)
    check_phone_proven(proven, binds_identity)
    return proven


@routes.route(
    "GET",
    "/api/v1/accounts/me",
    summary="My account and profile",
    roles=ANYONE_SIGNED_IN,
    response=AccountView,
    errors=(401,),
    # who is signed in: the console asks it first, whatever the account must do before the rest
    password_change_exempt=True,
    second_factor_enrolment_exempt=True,
)
def my_account(call: Call, *, settings: GatewaySettings):
    return account_view(call.identity.account, Viewer.of(call.identity))


@routes.route(
    "PATCH",
    "/api/v1/accounts/me/profile",
    summary="Update my youth profile",
    roles=(YOUTH,),
    body=ProfileUpdate,
    response=AccountView,
    errors=(401, 403, 409, 422),
)
def update_my_profile(call: Call, *, db: Database, settings: GatewaySettings):
    with db.unit_of_work() as uow:
        account = uow.session.get(Account, call.account_id)
        changes = call.body
        if account.profile is None:
            if "name" not in changes or "citizen_id" not in changes:
                raise InvalidInput.for_field(
                    "citizen_id" if "name" in changes else "name", "required"
                )
            # binding a number here needs a proven phone, as registering with it does
            if settings.registration_phone_proof_required and account.phone_proven_at is None:
                raise identity_unavailable()
            check_unique(False, citizen_id_taken(uow.session, changes["citizen_id"]))
            uow.session.add(profile_row(account.id, changes))
        else:
            # the ID number is who the person is (and their age): bound at registration, it is
            # corrected only at the counter, never by the person alone
            if changes.get("citizen_id", account.profile.citizen_id) != account.profile.citizen_id:
                raise InvalidInput.for_field("citizen_id", "citizen_id_locked", MESSAGES)
            before = facts.snapshot(account.profile)
            update_profile(account.profile, changes)
            facts.forget_changed(uow, account.profile, before)
        uow.commit()
    return _shown(db, call.account_id, Viewer.of(call.identity))


@routes.route(
    "POST",
    "/api/v1/people/<person_id>/facts/<fact>/verification",
    summary="Verify a profile fact a decision rests on (核验), with the evidence seen",
    roles=(OFFICER,),
    body=FactVerification,
    response=AccountView,
    errors=(401, 403, 404, 409, 422),
    description="An officer of the fact's responsible unit (区人社局 for the graduation date, "
    "the degree, the employment status and the months of local social insurance) holds the "
    "value the profile has now verified; recorded in the audit trail with the reason and, "
    "when given, the person's evidence document it was checked against (`evidence_id`, 422 "
    "`evidence_not_of_fact` for another's or another fact's). The person changing it sends it "
    "back to declared. Facts: "
    + ", ".join(f"`{fact}`" for fact in facts.VERIFIED_BY)
    + "; a fact the person has not declared is 409 `fact_not_declared`.",
)
def verify_fact(call: Call, person_id: str, fact: str, *, db: Database):
    if fact not in facts.VERIFIED_BY:
        raise NotFound("fact")
    evidence_id = call.body.get("evidence_id")
    with db.unit_of_work() as uow:
        facts.verify(uow, call.identity, person_id, fact, call.body["reason"], evidence_id)
        if evidence_id is not None:
            evidence.check_evidence_of(uow.session, evidence_id, person_id, fact)
        uow.commit()
    return _shown(db, person_id, Viewer.of(call.identity))


@routes.route(
    "GET",
    "/api/v1/people/<person_id>",
    summary="A person's account and profile, for staff",
    roles=STAFF,
    response=AccountView,
    errors=(401, 403, 404),
    description="ID numbers, phones and emails are masked: an officer whose unit needs them "
    "reveals them for a stated purpose (`POST .../reveal`), which is recorded.",
)
def person(call: Call, person_id: str, *, db: Database):
    with db.reading() as session:
        account = session.get(Account, person_id)
        if account is None:
            raise NotFound("person")
        return account_view(account, Viewer.of(call.identity))


@routes.route(
    "POST",
    "/api/v1/people/<person_id>/reveal",
    summary="Reveal a person's ID number, phone and email, for a stated purpose (recorded)",
    roles=(OFFICER,),
    body=RevealRequest,
    response=AccountView,
    errors=(401, 403, 404, 422),
    description="Only officers of the units whose work needs them (PERSONAL_DATA_UNITS). The "
    "read is kept (who, when, whose, why) in the gateway's audit trail, and the person sees it "
    "in their data export (PIPL art. 45).",
)
def reveal_person(call: Call, person_id: str, *, db: Database, settings: GatewaySettings):
    viewer = Viewer.of(call.identity)
    check_may_reveal(viewer, settings.personal_data_units)
    with db.unit_of_work() as uow:
        account = uow.session.get(Account, person_id)
        if account is None:
            raise NotFound("person")
        uow.audit(
            "person.revealed",
            ("person", person_id),
            call.body["reason"],
            {"reference": call.body.get("reference")},
        )
        uow.commit()
        return account_view(account, viewer, revealed=True)


@routes.route(
    "POST",
    "/api/v1/admin/accounts",
    summary="Create an officer, administrator or partner-system account",
    tags=["admin"],
    roles=(ADMIN,),
    body=StaffAccountCreation,
    response=AccountView,
    status=201,
    errors=(401, 403, 409, 422),
)
def create_staff_account(call: Call, *, db: Database, settings: GatewaySettings):
    check_staff_account(call.body["role"], call.body.get("unit"))
    view = _create_account(db, call.body, created_by=call.account_id)
    return Created(view, f"/api/v1/people/{view['id']}")


@routes.route(
    "GET",
    "/api/v1/admin/accounts",
    summary="List accounts",
    tags=["admin"],
    roles=(ADMIN,),
    query=AccountFilter,
    response=AccountPage,
    paginated=True,
    errors=(401, 403, 422),
)
def list_accounts(call: Call, *, db: Database, settings: GatewaySettings):
    viewer = Viewer.of(call.identity)
    with db.reading() as session:
        page = accounts_page(
            session, call.query.get("role"), call.query.get("after"), call.query["limit"]
        )
        return PageResult(
            [account_view(a, viewer) for a in page.items],
            page.next_cursor,
        )


@routes.route(
    "PATCH",
    "/api/v1/admin/accounts/<account_id>",
    summary="Disable or re-enable an account (takes effect at once)",
    tags=["admin"],
    roles=(ADMIN,),
    body=AccountStatusChange,
    response=AccountView,
    errors=(401, 403, 404, 409, 422),
)
def change_account_status(
    call: Call,
    account_id: str,
    *,
    db: Database,
    read_model: ReadModel,
    settings: GatewaySettings,
):
    if account_id == call.account_id:
        raise Conflict("cannot_disable_self")
    with db.unit_of_work() as uow:
        account = uow.session.get(Account, account_id)
        if account is None or account.status == "erased":
            raise NotFound("account")
        account.status = call.body["status"]
        account.status_changed_at = utcnow()
        action = "account.enabled" if account.status == "active" else "account.disabled"
        uow.audit(action, ("account", account.id))
        if account.status != "active":
            uow.record(
                "account.disabled",
                subject=account.id,
                data={"account_id": account.id, "disabled_at": account.status_changed_at},
            )
        # re-enabling an account must not revive the tokens it had: they all end here
        if end_all_sessions(uow.session, account.id, DISABLED):
            uow.record(
                "account.sessions_ended",
                subject=account.id,
                data={"account_id": account.id, "reason": DISABLED, "ended_at": utcnow()},
            )
        uow.commit()
    # this replica at once; the others when the event reaches them
    read_model.accounts.forget(account_id)
    return _shown(db, account_id, Viewer.of(call.identity))


@routes.route(
    "GET",
    "/api/v1/units",
    summary="The plan's responsible units",
    tags=["reference"],
    response=UnitList,
)
def units(call: Call):
    return {"items": [unit.as_dict() for unit in UNITS.values()]}
