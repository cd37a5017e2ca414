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


class ProfileFactsChanged(Schema):
    """Facts a decision rests on changed for one person: their names, never their values."""

    person_id = fields.String(required=True)
    facts = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "the facts whose value or verified state changed: graduation_date, "
            "degree, employment_status, local_social_insurance_months"
        },
    )
    verified = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "those of them now verified (the others are declared)"},
    )
    source = fields.String(
        required=True,
        metadata={
            "description": "officer (verified against evidence), partner (pushed by a partner "
            "system), jobs.application.hired (a hire), or self (the person's own edit)"
        },
    )
    changed_at = fields.DateTime(required=True)


class PlanItemOverdue(Schema):
    """One reminder to one officer of the responsible unit (notify messages accounts)."""

    item_id = fields.String(required=True)
    officer_id = fields.String(required=True)
    unit = fields.String(required=True)
    title = fields.String(required=True)
    due_date = fields.Date(required=True)


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
        "profile.facts_changed": EventSpec(
            ProfileFactsChanged,
            "Facts a decision rests on changed for a person (verified by an officer, pushed by "
            "a partner, reported by a hire, or edited by the person): what rests on them may "
            "be decided again (ids and fact names only)",
            "the person id",
        ),
        "plan_item.overdue": EventSpec(
            PlanItemOverdue,
            "A four-list item is past its due date and not done: one event per officer of its "
            "unit, to remind them (ids and the item's title)",
            "the plan item id",
        ),
        "person.erased": EventSpec(
            PersonErased,
            "A person's erasure was confirmed; every service anonymises their records (PIPL)",
            "the person id",
        ),
    },
)
