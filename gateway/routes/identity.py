"""Signing in and out, sessions and passwords (`/api/v1/auth`, `/api/v1/me/password`):
identity that can be taken back (gateway/identity.py has the rules, gateway/sessions.py the
tables).

* `POST /auth/token` starts a session: a short access token and a refresh token (staff with a
  second factor give its code too: gateway/routes/second_factor.py);
* `POST /auth/refresh` rotates the refresh token (a reused one ends the session);
* `POST /auth/logout` ends the caller's session; `POST /me/password` ends them all;
* `POST /auth/password-reset` sends a one-time code through notify, answering the same whether
  the account exists or not; `POST /auth/password-reset/confirm` sets the new password with it.

Every end of a session is `account.sessions_ended`, which drops the account from each
replica's read model: its access tokens stop working at once everywhere.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

from services.common.clock import utcnow
from services.common.db import Database
from services.common.errors import InvalidInput, Unauthenticated
from services.common.rpc import ClusterProxy

from .. import identity, second_factor
from ..accounts import ANYONE_SIGNED_IN
from ..api import Api, Call, NoContent
from ..auth import Limit, hash_password, refuse_for, verify_password
from ..codes import CODES, Delivery, per_address, send_after_answer
from ..composition import Routes
from ..messages import MESSAGES
from ..models import Account
from ..read_model import ReadModel
from ..schemas import (
    PasswordChange,
    PasswordResetAccepted,
    PasswordResetConfirmation,
    PasswordResetRequest,
    RefreshRequest,
    TokenRequest,
    TokenView,
)
from ..second_factor_store import is_enrolled, seal_of, use_second_factor
from ..sessions import (
    end_all_sessions,
    end_session,
    issue_code,
    rotate,
    set_password,
    start_session,
    use_code,
)
from ..settings import GatewaySettings
from ..store import account_by_username

log = logging.getLogger(__name__)

routes = Routes(tags=["accounts"])


def session_tokens(
    api: Api,
    settings: GatewaySettings,
    account: Account,
    session_id: str,
    refresh: str,
    enrolled: bool,
):
    """A session's tokens; `enrolled`: whether the account has a second factor."""
    must_enrol = second_factor.enrolment_required(
        account.role, enrolled, settings.staff_second_factor_required
    )
    return {
        "access_token": api.tokens.issue(account.id, account.role, account.unit, session_id),
        "token_type": "Bearer",
        "expires_in": api.tokens.lifetime,
        "refresh_token": refresh,
        "refresh_expires_in": settings.refresh_token_lifetime,
        "password_change_required": bool(account.must_change_password),
        "second_factor_enrolment_required": must_enrol,
    }


def session_lifetime(settings: GatewaySettings) -> timedelta:
    return timedelta(seconds=settings.refresh_token_lifetime)


def record_sessions_ended(uow, account_id: str, reason: str) -> None:
    uow.record(
        "account.sessions_ended",
        subject=account_id,
        data={"account_id": account_id, "reason": reason, "ended_at": utcnow()},
    )


@routes.route(
    "POST",
    "/api/v1/auth/token",
    summary="Sign in: exchange a username and password for an access and a refresh token",
    body=TokenRequest,
    response=TokenView,
    errors=(401, 422, 429),
    description="Sign-ins are limited per username and per client address, and after repeated "
    "failures each further one locks the username (or the address) out for twice as long, "
    "30 s up to 15 min (429 with `Retry-After`), whether the username exists or not.\n\n"
    "An account with a second factor (staff who enrolled an authenticator app) also gives "
    "`second_factor_code`: without it the answer is 401 `second_factor_required`; a wrong or "
    "already used code is 401 `second_factor_invalid` and counts as a failed sign-in. Staff "
    "without one, while STAFF_SECOND_FACTOR_REQUIRED is on, get tokens that open only the "
    "enrolment (`second_factor_enrolment_required`).",
    replayable=False,  # its answer holds tokens, which are never kept
)
def issue_token(call: Call, *, api: Api, db: Database, settings: GatewaySettings):
    username, password = call.body["username"], call.body["password"]
    address = api.address(call.request)
    api.sign_ins.check(address, username)
    with db.reading() as session:
        account = account_by_username(session, username)
        enrolled = account is not None and is_enrolled(session, account.id)
    if not verify_password(account.password_hash if account else None, password):
        api.sign_ins.failed(address, username)
        raise Unauthenticated("invalid_credentials")
    if account.status != "active":
        raise Unauthenticated("account_disabled")
    code = call.body.get("second_factor_code")
    if second_factor.code_required_at_sign_in(enrolled) and not code:
        raise Unauthenticated("second_factor_required")  # not a failure: the next step
    with db.unit_of_work() as uow:
        proven = not enrolled or use_second_factor(uow.session, account.id, seal_of(settings), code)
        if proven:
            session_id, refresh = start_session(uow.session, account.id, session_lifetime(settings))
            uow.commit()
    if not proven:
        # the password was right: a guesser of codes meets the same back-off as of passwords
        api.sign_ins.failed(address, username)
        raise Unauthenticated("second_factor_invalid")
    api.sign_ins.succeeded(username)
    return session_tokens(api, settings, account, session_id, refresh, enrolled)


@routes.route(
    "POST",
    "/api/v1/auth/refresh",
    summary="Exchange a refresh token for a new access token and the next refresh token",
    body=RefreshRequest,
    response=TokenView,
    errors=(401, 422, 429),
    description="Each refresh token may be used once. Presenting one that was already "
    "exchanged ends its session (it was copied): every token of it stops working.",
    replayable=False,  # its answer holds tokens, which are never kept
)
def refresh_token(
    call: Call, *, api: Api, db: Database, read_model: ReadModel, settings: GatewaySettings
):
    with db.unit_of_work() as uow:
        refreshed = rotate(uow.session, call.body["refresh_token"], session_lifetime(settings))
        row = refreshed.session
        account = uow.session.get(Account, row.account_id) if row is not None else None
        # the session was proven at sign-in: refreshing it needs no second code
        enrolled = account is not None and is_enrolled(uow.session, account.id)
        if refreshed.refused == "reused":
            record_sessions_ended(uow, account.id, identity.REUSED)
        uow.commit()
    if refreshed.refused == "reused":
        log.warning("a refresh token was used twice; its session is ended")
        read_model.accounts.forget(account.id)
    if refreshed.refused is not None or account.status != "active":
        raise Unauthenticated("refresh_token_invalid")
    return session_tokens(api, settings, account, row.id, refreshed.refresh_token, enrolled)


@routes.route(
    "POST",
    "/api/v1/auth/logout",
    summary="Sign out: end this session (its access and refresh tokens stop working)",
    roles=ANYONE_SIGNED_IN,
    status=204,
    errors=(401,),
    password_change_exempt=True,
    second_factor_enrolment_exempt=True,
)
def log_out(call: Call, *, db: Database, read_model: ReadModel):
    with db.unit_of_work() as uow:
        if end_session(uow.session, call.identity.session_id, identity.SIGNED_OUT):
            record_sessions_ended(uow, call.account_id, identity.SIGNED_OUT)
        uow.commit()
    read_model.accounts.forget(call.account_id)
    return NoContent


@routes.route(
    "POST",
    "/api/v1/me/password",
    summary="Change my password (every session ends; the answer starts a new one)",
    roles=ANYONE_SIGNED_IN,
    body=PasswordChange,
    response=TokenView,
    errors=(401, 422, 429),
    password_change_exempt=True,
    second_factor_enrolment_exempt=True,
    description="The current password is required, and a wrong one counts towards the "
    "sign-in back-off of the account. Every session of the account ends, here and on every "
    "device; the answer is a new session for the caller.",
    replayable=False,  # its answer holds tokens, which are never kept
)
def change_my_password(
    call: Call, *, api: Api, db: Database, read_model: ReadModel, settings: GatewaySettings
):
    account = call.identity.account
    address = api.address(call.request)
    api.sign_ins.check(address, account.username or account.id)
    if not verify_password(account.password_hash, call.body["current_password"]):
        api.sign_ins.failed(address, account.username or account.id)
        raise InvalidInput.for_field("current_password", "wrong_password", MESSAGES)
    if call.body["new_password"] == call.body["current_password"]:
        raise InvalidInput.for_field("new_password", "password_unchanged", MESSAGES)
    password_hash = hash_password(call.body["new_password"])
    with db.unit_of_work() as uow:
        account = uow.session.get(Account, call.account_id)
        set_password(account, password_hash)
        end_all_sessions(uow.session, account.id, identity.PASSWORD_CHANGED)
        record_sessions_ended(uow, account.id, identity.PASSWORD_CHANGED)
        uow.audit("account.password_changed", ("account", account.id))
        session_id, refresh = start_session(uow.session, account.id, session_lifetime(settings))
        enrolled = is_enrolled(uow.session, account.id)
        uow.commit()
    read_model.accounts.forget(account.id)
    return session_tokens(api, settings, account, session_id, refresh, enrolled)


@routes.route(
    "POST",
    "/api/v1/auth/password-reset",
    summary="Ask for a one-time code to reset a forgotten password",
    body=PasswordResetRequest,
    response=PasswordResetAccepted,
    status=202,
    errors=(422, 429),
    description="If the username has an account with an email address (or, asked or "
    "without one, a phone), a six-digit code valid for 10 minutes is sent there through "
    "notify. The answer is the same, and as quick, whether it exists or not. At most "
    "PASSWORD_RESET_RATE_LIMIT codes per username.",
)
def request_password_reset(
    call: Call, *, api: Api, db: Database, services: ClusterProxy, settings: GatewaySettings
):
    username = call.body["username"]
    limit = Limit(settings.password_reset_rate_limit)
    address_limit = Limit(per_address(settings.password_reset_rate_limit))
    refuse_for(
        api.limiter.hit(limit, "password-reset", username.lower()),
        api.limiter.hit(address_limit, "password-reset-address", api.address(call.request)),
    )
    # the lookup and the send happen after the answer: its time tells nothing either
    prepare = functools.partial(_reset_delivery, api.secret, username, call.body.get("channel"))
    send_after_answer(db, services, call.context, identity.PASSWORD_RESET_CODE, prepare)
    return {"status": "accepted"}


def _reset_delivery(key, username, channel, uow) -> Delivery | None:
    """The code to send for a reset of `username`'s password, or None when there is none to
    send (no such active account, or no address on the channel)."""
    account = account_by_username(uow.session, username)
    if account is None or account.status != "active":
        return None
    channel = channel or ("email" if account.email else "sms")
    address = account.email if channel == "email" else account.phone
    if not address:
        return None
    code = issue_code(uow.session, account.id, identity.PASSWORD_RESET_CODE, key, CODES)
    return Delivery(channel, address, account.locale, identity.PASSWORD_RESET_CODE, code)


@routes.route(
    "POST",
    "/api/v1/auth/password-reset/confirm",
    summary="Set a new password with the one-time code (every session ends)",
    body=PasswordResetConfirmation,
    status=204,
    errors=(422, 429),
    description="A wrong, expired or used code, or an unknown username, get the same answer; "
    "five wrong tries use a code up. A second factor stays: the next sign-in still needs it.",
    replayable=False,  # its answer holds tokens, which are never kept
)
def confirm_password_reset(call: Call, *, api: Api, db: Database, read_model: ReadModel):
    username, address = call.body["username"], api.address(call.request)
    api.sign_ins.check(address, username)
    password_hash = hash_password(call.body["new_password"])
    with db.unit_of_work() as uow:
        account = account_by_username(uow.session, username)
        valid = (
            account is not None
            and account.status == "active"
            and use_code(
                uow.session, account.id, identity.PASSWORD_RESET_CODE, api.secret, call.body["code"]
            )
        )
        if valid:
            set_password(account, password_hash)
            end_all_sessions(uow.session, account.id, identity.PASSWORD_RESET)
            record_sessions_ended(uow, account.id, identity.PASSWORD_RESET)
            uow.audit("account.password_reset", ("account", account.id))
        uow.commit()
    if not valid:
        api.sign_ins.failed(address, username)
        raise InvalidInput.for_field("code", "reset_code_invalid", MESSAGES)
    read_model.accounts.forget(account.id)
    return NoContent
