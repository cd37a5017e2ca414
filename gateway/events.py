"""The events the gateway publishes (on `gateway.events`)."""

from marshmallow import Schema, fields

from services.common.events import EventCatalog, EventSpec
from services.common.privacy import PersonErased


class AccountDisabled(Schema):
    account_id = fields.String(required=True)
    disabled_at = fields.DateTime(required=True)


class AccountSessionsEnded(Schema):
    account_id = fields.String(required=True)
    reason = fields.String(
        required=True,
        metadata={
            "description": "signed_out, password_changed, password_reset, disabled, "
            "refresh_token_reused, second_factor_enrolled or second_factor_reset"
        },
    )
    ended_at = fields.DateTime(required=True)


class AccountRegistered(Schema):
    account_id = fields.String(required=True)
    role = fields.String(required=True)
    registered_at = fields.DateTime(required=True)


class IdentityReleased(Schema):
    """The account's ID number was taken from it: an officer approved its rightful owner's
    appeal (ids only)."""

    account_id = fields.String(required=True)
    released_at = fields.DateTime(required=True)


class IdentityAppealDecided(Schema):
    appeal_id = fields.String(required=True)
    account_id = fields.String(required=True, metadata={"description": "the claimant"})
    decided_at = fields.DateTime(required=True)


class PlanItemOverdue(Schema):
    """One reminder to one officer of the responsible unit (notify messages accounts)."""

    item_id = fields.String(required=True)
    officer_id = fields.String(required=True)
    unit = fields.String(required=True)
    title = fields.String(required=True)
    due_date = fields.Date(required=True)


class ProfileFactsChanged(Schema):
    """Facts a decision rests on changed by a hand the person cannot forge (names only)."""

    person_id = fields.String(required=True)
    facts = fields.List(fields.String(), required=True)
    source = fields.String(
        required=True,
        metadata={
            "description": "officer, partner, identity_appeal, or the event it followed "
            "(jobs.application.hired, jobs.traineeship.ended, startup.registration.completed)"
        },
    )
    changed_at = fields.DateTime(required=True)


class BenefitFound(Schema):
    """A person became eligible for a programme of the policy catalogue (政策找人)."""

    person_id = fields.String(required=True)
    programme = fields.String(required=True)
    programme_zh = fields.String(required=True)
    programme_en = fields.String(required=True)
    applied_automatically = fields.Boolean(
        required=True,
        metadata={"description": "the platform opened the application itself (免申即享)"},
    )
    found_at = fields.DateTime(required=True)


EVENTS = EventCatalog(
    "gateway",
    {
        "account.registered": EventSpec(
            AccountRegistered,
            "A person or organisation registered an account (ids only)",
            "the account id",
        ),
        "account.disabled": EventSpec(
            AccountDisabled,
            "An administrator disabled an account: it has lost access (ids only)",
            "the account id",
        ),
        "account.sessions_ended": EventSpec(
            AccountSessionsEnded,
            "One or all of an account's sessions ended (logout, a password change or reset, a "
            "disabled account, a copied refresh token): its access tokens stop working at once "
            "on every gateway replica (ids only)",
            "the account id",
        ),
        "identity.released": EventSpec(
            IdentityReleased,
            "An ID number was taken from the account holding it, on its rightful owner's "
            "approved appeal; the holder is told (ids only)",
            "the account id",
        ),
        "identity_appeal.approved": EventSpec(
            IdentityAppealDecided,
            "An officer approved an identity appeal: the ID number is now the claimant's, who "
            "is told (ids only)",
            "the claimant's account id",
        ),
        "identity_appeal.rejected": EventSpec(
            IdentityAppealDecided,
            "An officer rejected an identity appeal; the claimant is told (ids only)",
            "the claimant's account id",
        ),
        "plan_item.overdue": EventSpec(
            PlanItemOverdue,
            "A four-list item is past its due date and not done: one event per officer of its "
            "unit, to remind them (ids and the item's title)",
            "the plan item id",
        ),
        "profile.facts_changed": EventSpec(
            ProfileFactsChanged,
            "Facts of a person's profile changed by verification, a partner's push or an event "
            "(fact names only, never values); the benefits finder re-evaluates the person",
            "the person id",
        ),
        "benefit.found": EventSpec(
            BenefitFound,
            "A person became eligible for a programme through a changed fact: told once per "
            "programme; an automatic programme (免申即享) opened its application itself",
            "the person id",
        ),
        "person.erased": EventSpec(
            PersonErased,
            "A person's erasure was confirmed; every service anonymises their records (PIPL)",
            "the person id",
        ),
    },
)
