"""Accounts, tokens and the youth profile (`/api/v1/accounts`, `/api/v1/auth`, `/api/v1/admin`)."""

from __future__ import annotations

from services.common.clock import clock, utcnow
from services.common.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from services.common.validators import age_on

from ..accounts import (
    ADMIN,
    STAFF,
    YOUTH,
    Viewer,
    check_self_registration,
    check_staff_account,
    check_unique,
    reveals_personal_data,
    shown_citizen_id,
    shown_phone,
)
from ..api import Call, Created, PageResult, route
from ..auth import hash_password, verify_password
from ..models import Account
from ..schemas import (
    AccountFilter,
    AccountPage,
    AccountRegistration,
    AccountStatusChange,
    AccountView,
    ProfileUpdate,
    StaffAccountCreation,
    TokenRequest,
    TokenView,
    UnitList,
)
from ..store import (
    account_by_username,
    accounts_page,
    add_account,
    citizen_id_taken,
    profile_row,
    update_profile,
    username_taken,
    youth_facts,
)
from ..units import UNITS

ANYONE_SIGNED_IN = ("youth", "employer", "officer", "admin", "partner")


class AccountRoutes:
    """Registration, sign-in, the caller's own account and profile, and staff accounts."""

    def account_view(self, account: Account, viewer: Viewer) -> dict:
        reveal = reveals_personal_data(viewer, account.id, self.personal_data_units())
        profile = account.profile
        return {
            "id": account.id,
            "username": account.username,
            "role": account.role,
            "unit": account.unit,
            "display_name": account.display_name,
            "email": account.email,
            "phone": shown_phone(account.phone, reveal),
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
                "residence": profile.residence,
                "local_social_insurance_months": profile.local_social_insurance_months,
            },
        }

    def personal_data_units(self) -> tuple[str, ...]:
        return self.api.settings.personal_data_units

    @staticmethod
    def youth_facts(call: Call) -> dict:
        """The caller's profile facts a service may base a decision on (no name, no ID number)."""
        return youth_facts(call.identity.account, clock.today())

    @staticmethod
    def viewer(call: Call) -> Viewer:
        identity = call.identity
        return (
            Viewer(identity.account_id, identity.role, identity.unit)
            if identity
            else Viewer(None, None, None)
        )

    def _create(self, call: Call, fields: dict, created_by: str | None) -> dict:
        fields = dict(fields)
        password = fields.pop("password")
        profile = fields.get("profile")
        password_hash = hash_password(password)
        with self.db.unit_of_work() as uow:
            check_unique(
                username_taken(uow.session, fields["username"]),
                citizen_id_taken(uow.session, profile and profile.get("citizen_id")),
            )
            account = add_account(
                uow.session, password_hash=password_hash, created_by=created_by, **fields
            )
            uow.session.flush()
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
        with self.db.reading() as session:
            return self.account_view(
                session.get(Account, account.id), Viewer(account.id, account.role, account.unit)
            )

    @route(
        "POST",
        "/api/v1/accounts",
        summary="Register as a young person or an employer",
        tags=["accounts"],
        body=AccountRegistration,
        response=AccountView,
        status=201,
        errors=(409, 422, 429),
        description="A young person registers with a profile (name and citizen ID at least); an "
        "employer with its organisation's name, which an officer of 区人社局 verifies later.",
    )
    def register_account(self, call: Call):
        body = call.body
        check_self_registration(body["role"], body.get("profile"), body.get("display_name"))
        view = self._create(call, body, created_by=None)
        return Created(view, f"/api/v1/accounts/{view['id']}")

    @route(
        "POST",
        "/api/v1/auth/token",
        summary="Sign in: exchange a username and password for an access token",
        tags=["accounts"],
        body=TokenRequest,
        response=TokenView,
        errors=(401, 422, 429),
    )
    def issue_token(self, call: Call):
        username, password = call.body["username"], call.body["password"]
        self.api.limit_login(call.request, username)
        with self.db.reading() as session:
            account = account_by_username(session, username)
        if not verify_password(account.password_hash if account else None, password):
            raise Unauthenticated("invalid_credentials")
        if account.status != "active":
            raise Unauthenticated("account_disabled")
        token = self.api.tokens.issue(account.id, account.role, account.unit)
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.api.tokens.lifetime,
        }

    @route(
        "GET",
        "/api/v1/accounts/me",
        summary="My account and profile",
        tags=["accounts"],
        roles=ANYONE_SIGNED_IN,
        response=AccountView,
        errors=(401,),
    )
    def my_account(self, call: Call):
        return self.account_view(call.identity.account, self.viewer(call))

    @route(
        "PATCH",
        "/api/v1/accounts/me/profile",
        summary="Update my youth profile",
        tags=["accounts"],
        roles=(YOUTH,),
        body=ProfileUpdate,
        response=AccountView,
        errors=(401, 403, 409, 422),
    )
    def update_my_profile(self, call: Call):
        with self.db.unit_of_work() as uow:
            account = uow.session.get(Account, call.account_id)
            changes = call.body
            if changes.get("citizen_id") and (
                account.profile is None or changes["citizen_id"] != account.profile.citizen_id
            ):
                check_unique(False, citizen_id_taken(uow.session, changes["citizen_id"]))
            if account.profile is None:
                if "name" not in changes or "citizen_id" not in changes:
                    raise InvalidInput.for_field(
                        "citizen_id" if "name" in changes else "name", "required"
                    )
                uow.session.add(profile_row(account.id, changes))
            else:
                update_profile(account.profile, changes)
            uow.commit()
        with self.db.reading() as session:
            return self.account_view(session.get(Account, call.account_id), self.viewer(call))

    @route(
        "GET",
        "/api/v1/people/<person_id>",
        summary="A person's account and profile, for staff",
        tags=["accounts"],
        roles=STAFF,
        response=AccountView,
        errors=(401, 403, 404),
        description="ID numbers and phones are masked unless the officer's unit needs them "
        "(PERSONAL_DATA_UNITS).",
    )
    def person(self, call: Call, person_id: str):
        with self.db.reading() as session:
            account = session.get(Account, person_id)
            if account is None:
                raise NotFound("person")
            return self.account_view(account, self.viewer(call))

    @route(
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
    def create_staff_account(self, call: Call):
        check_staff_account(call.body["role"], call.body.get("unit"))
        view = self._create(call, call.body, created_by=call.account_id)
        return Created(view, f"/api/v1/people/{view['id']}")

    @route(
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
    def list_accounts(self, call: Call):
        viewer = self.viewer(call)
        with self.db.reading() as session:
            page = accounts_page(
                session, call.query.get("role"), call.query.get("after"), call.query["limit"]
            )
            return PageResult([self.account_view(a, viewer) for a in page.items], page.next_cursor)

    @route(
        "PATCH",
        "/api/v1/admin/accounts/<account_id>",
        summary="Disable or re-enable an account (takes effect at once)",
        tags=["admin"],
        roles=(ADMIN,),
        body=AccountStatusChange,
        response=AccountView,
        errors=(401, 403, 404, 409, 422),
    )
    def change_account_status(self, call: Call, account_id: str):
        if account_id == call.account_id:
            raise Conflict("cannot_disable_self")
        with self.db.unit_of_work() as uow:
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
            uow.commit()
        # this replica at once; the others when the event reaches them
        self.read_model.accounts.forget(account_id)
        with self.db.reading() as session:
            return self.account_view(session.get(Account, account_id), self.viewer(call))

    @route(
        "GET",
        "/api/v1/units",
        summary="The plan's responsible units",
        tags=["reference"],
        response=UnitList,
    )
    def units(self, call: Call):
        return {"items": [unit.as_dict() for unit in UNITS.values()]}
