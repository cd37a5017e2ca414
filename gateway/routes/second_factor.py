"""A second factor for staff (`/api/v1/me/second-factor`): officers and administrators enrol an
authenticator app (TOTP), and an administrator resets a lost one
(`/api/v1/accounts/<id>/second-factor`). The rules are in gateway/second_factor.py, the tables
in gateway/second_factor_store.py; signing in with a code is `POST /api/v1/auth/token`.
"""

from __future__ import annotations

from services.common.db import Database
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound

from .. import identity, second_factor
from ..accounts import ADMIN, STAFF
from ..api import Api, Call, NoContent
from ..composition import Routes
from ..messages import MESSAGES
from ..models import Account
from ..read_model import ReadModel
from ..schemas import SecondFactorCode, SecondFactorEnrolled, SecondFactorStarted, SecondFactorState
from ..second_factor_store import (
    confirm_enrolment,
    recovery_codes_left,
    remove_second_factor,
    seal_of,
    second_factor_of,
    start_enrolment,
)
from ..sessions import end_all_sessions, start_session
from ..settings import GatewaySettings
from .identity import record_sessions_ended, session_lifetime, session_tokens

routes = Routes(tags=["accounts"])


@routes.route(
    "GET",
    "/api/v1/me/second-factor",
    summary="My second factor: whether an authenticator app is enrolled, and must be",
    roles=STAFF,
    response=SecondFactorState,
    errors=(401, 403),
    second_factor_enrolment_exempt=True,
    description="`required`: this account may do nothing but enrol until it has "
    "(STAFF_SECOND_FACTOR_REQUIRED). Never shows the secret, which was shown once.",
)
def my_second_factor(call: Call, *, db: Database, settings: GatewaySettings):
    with db.reading() as session:
        row = second_factor_of(session, call.account_id)
        enrolled = row is not None and row.enrolled_at is not None
        left = recovery_codes_left(session, call.account_id) if enrolled else 0
    return {
        "enrolled": enrolled,
        "enrolled_at": row.enrolled_at if enrolled else None,
        "required": second_factor.enrolment_required(
            call.identity.role, enrolled, settings.staff_second_factor_required
        ),
        "recovery_codes_left": left,
    }


@routes.route(
    "POST",
    "/api/v1/me/second-factor",
    summary="Start enrolling an authenticator app: a new TOTP secret, shown once",
    roles=STAFF,
    response=SecondFactorStarted,
    errors=(401, 403, 409),
    second_factor_enrolment_exempt=True,
    description="Officers and administrators add the secret (or its `otpauth://` URI) to an "
    "authenticator app (RFC 6238: 6 digits, 30 seconds, SHA-1), then confirm it with a code "
    "at `POST /api/v1/me/second-factor/confirm`; until then it is not active, and asking "
    "again replaces it. An enrolled factor is replaced only after an administrator resets it "
    "(409 `second_factor_already_enrolled`).",
    replayable=False,  # its answer is a secret, which is never kept
)
def start_second_factor(call: Call, *, db: Database, settings: GatewaySettings):
    account = call.identity.account
    with db.unit_of_work() as uow:
        secret = start_enrolment(uow.session, account.id, seal_of(settings))
        uow.commit()
    return {
        "secret": secret,
        "otpauth_uri": second_factor.provisioning_uri(secret, account.username or account.id),
    }


@routes.route(
    "POST",
    "/api/v1/me/second-factor/confirm",
    summary="Confirm the authenticator app with a code: the second factor becomes active",
    roles=STAFF,
    body=SecondFactorCode,
    response=SecondFactorEnrolled,
    errors=(401, 403, 409, 422),
    second_factor_enrolment_exempt=True,
    description="A valid code activates the factor: from now on every sign-in of the account "
    "needs a code. Every other session ends (they began with the password alone); the answer "
    "is a new session for the caller and eight one-time recovery codes, shown this once.",
    replayable=False,  # its answer holds tokens and recovery codes, which are never kept
)
def confirm_second_factor(
    call: Call, *, api: Api, db: Database, read_model: ReadModel, settings: GatewaySettings
):
    with db.unit_of_work() as uow:
        pending = second_factor_of(uow.session, call.account_id)
        if pending is None or pending.enrolled_at is not None:
            raise Conflict("second_factor_not_started")
        seal = seal_of(settings)
        codes = confirm_enrolment(uow.session, call.account_id, seal, call.body["code"])
        if codes is None:
            raise InvalidInput.for_field("code", "second_factor_invalid", MESSAGES)
        account = uow.session.get(Account, call.account_id)
        end_all_sessions(uow.session, account.id, identity.SECOND_FACTOR_ENROLLED)
        record_sessions_ended(uow, account.id, identity.SECOND_FACTOR_ENROLLED)
        uow.audit("account.second_factor_enrolled", ("account", account.id))
        session_id, refresh = start_session(uow.session, account.id, session_lifetime(settings))
        uow.commit()
    read_model.accounts.forget(account.id)
    tokens = session_tokens(api, settings, account, session_id, refresh, enrolled=True)
    return {**tokens, "recovery_codes": codes}


@routes.route(
    "DELETE",
    "/api/v1/accounts/<account_id>/second-factor",
    summary="Reset a staff member's second factor (a lost phone): they enrol again",
    roles=(ADMIN,),
    status=204,
    errors=(401, 403, 404),
    description="The factor and its recovery codes are forgotten and every session of the "
    "account ends; while STAFF_SECOND_FACTOR_REQUIRED is on, the next sign-in may do nothing "
    "but enrol a new one. Recorded in the audit trail. An administrator cannot reset their "
    "own (403 `cannot_reset_own_second_factor`): another one does.",
)
def reset_second_factor(call: Call, account_id: str, *, db: Database, read_model: ReadModel):
    if account_id == call.account_id:
        raise Forbidden("cannot_reset_own_second_factor")
    with db.unit_of_work() as uow:
        if uow.session.get(Account, account_id) is None:
            raise NotFound("account")
        if not remove_second_factor(uow.session, account_id):
            raise NotFound("second_factor", code="second_factor_not_enrolled")
        end_all_sessions(uow.session, account_id, identity.SECOND_FACTOR_RESET)
        record_sessions_ended(uow, account_id, identity.SECOND_FACTOR_RESET)
        uow.audit("account.second_factor_reset", ("account", account_id))
        uow.commit()
    read_model.accounts.forget(account_id)
    return NoContent
