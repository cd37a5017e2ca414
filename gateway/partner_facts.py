"""Facts partner systems push as verified (数据共享核验): a social-insurance agency reports the
months of local social insurance it holds, the graduate records office a graduation date.

* **Granted per fact kind.** An administrator grants a partner account the facts it is trusted
  for (`partner.fact_granted`, with the agreement's reference), and may revoke a grant
  (`partner.fact_revoked`; the row stays with who revoked it and when). A partner pushing a
  fact it holds no live grant for is refused (403 `fact_not_granted`).
* **Pushed, then verified.** The person is named by their account id or their citizen ID; the
  value is checked like the person's own input; it becomes the profile's value, verified with
  source `partner:<username>`, the day it held (`as_of`) and the partner's reference, through
  `facts.change_facts` like every other change, and audited (`profile_fact.pushed`). A record
  as of an earlier day than the one already verified from a partner is not applied (409
  `fact_push_stale`): reports may arrive out of order.
"""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from services.common.clock import clock, utcnow
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound

from .accounts import PARTNER
from .facts import VERIFIED_BY, Source, change_facts, partner_source, value_of
from .messages import MESSAGES
from .models import Account, PartnerFactGrant, YouthProfile
from .schemas import ProfileInput


def grant_view(grant: PartnerFactGrant) -> dict:
    return {
        "partner_id": grant.partner_id,
        "fact": grant.fact,
        "reference": grant.reference,
        "granted_by": grant.granted_by,
        "granted_at": grant.granted_at,
        "revoked_by": grant.revoked_by,
        "revoked_at": grant.revoked_at,
    }


def grants_of(session: Session, partner_id: str) -> list[dict]:
    """A partner's grants, revoked ones too."""
    query = (
        sa.select(PartnerFactGrant)
        .where(PartnerFactGrant.partner_id == partner_id)
        .order_by(PartnerFactGrant.fact)
    )
    return [grant_view(grant) for grant in session.execute(query).scalars()]


def _partner(session: Session, partner_id: str) -> Account:
    account = session.get(Account, partner_id)
    if account is None or account.role != PARTNER:
        raise InvalidInput.for_field("partner_id", "grantee_not_partner", MESSAGES)
    return account


def grant(uow, admin_id: str, partner_id: str, fact: str, reference: str | None) -> dict:
    """Grant (or grant again) `fact` to the partner."""
    _partner(uow.session, partner_id)
    row = uow.session.get(PartnerFactGrant, (partner_id, fact), with_for_update=True)
    if row is None:
        row = PartnerFactGrant(partner_id=partner_id, fact=fact)
        uow.session.add(row)
    row.reference, row.granted_by, row.granted_at = reference, admin_id, utcnow()
    row.revoked_by = row.revoked_at = None
    details = {"fact": fact, "reference": reference}
    uow.audit("partner.fact_granted", ("account", partner_id), None, details)
    return grant_view(row)


def revoke(uow, admin_id: str, partner_id: str, fact: str) -> dict:
    """Revoke a live grant (404 when there is none)."""
    row = uow.session.get(PartnerFactGrant, (partner_id, fact), with_for_update=True)
    if row is None or row.revoked_at is not None:
        raise NotFound("grant")
    row.revoked_by, row.revoked_at = admin_id, utcnow()
    uow.audit("partner.fact_revoked", ("account", partner_id), None, {"fact": fact})
    return grant_view(row)


def _check_granted(session: Session, partner_id: str, fact: str) -> None:
    row = session.get(PartnerFactGrant, (partner_id, fact))
    if row is None or row.revoked_at is not None:
        raise Forbidden("fact_not_granted", params={"fact": fact})


def _person(session: Session, push: dict) -> YouthProfile:
    if ("person_id" in push) == ("citizen_id" in push):
        raise InvalidInput.for_field("person_id", "person_reference_required", MESSAGES)
    if "person_id" in push:
        profile = session.get(YouthProfile, push["person_id"], with_for_update=True)
    else:
        profile = session.execute(
            sa.select(YouthProfile)
            .where(YouthProfile.citizen_id == push["citizen_id"])
            .with_for_update()
        ).scalar_one_or_none()
    if profile is None:
        raise NotFound("person")
    return profile


def _value(fact: str, value) -> object:
    """The pushed value, checked as the person's own input of the fact is."""
    try:
        return ProfileInput(partial=True).load({fact: value})[fact]
    except ValidationError as exc:
        raise InvalidInput.for_field("value", "fact_value_invalid", MESSAGES) from exc


def push(uow, partner, push: dict) -> dict:
    """Apply a partner's report of one fact of one person (see the module's docstring)."""
    fact = push["fact"]
    if fact not in VERIFIED_BY:
        raise InvalidInput.for_field("fact", "fact_value_invalid", MESSAGES)
    _check_granted(uow.session, partner.account_id, fact)
    value = _value(fact, push["value"])
    if push["as_of"] > clock.today():
        raise InvalidInput.for_field("as_of", "as_of_in_future", MESSAGES)
    profile = _person(uow.session, push)
    kept = next((row for row in profile.verifications if row.fact == fact), None)
    if (
        kept is not None
        and kept.source.startswith("partner:")
        and kept.as_of is not None
        and kept.as_of > push["as_of"]
    ):
        raise Conflict("fact_push_stale", params={"as_of": kept.as_of.isoformat()})
    name = partner_source(partner.account.username)
    source = Source(
        name, partner.account_id, None, reference=push.get("reference"), as_of=push["as_of"]
    )
    changed = change_facts(uow, profile, {fact: value}, source)
    uow.audit(
        "profile_fact.pushed",
        ("account", profile.account_id),
        None,
        {
            "fact": fact,
            "source": name,
            "reference": push.get("reference"),
            "as_of": push["as_of"].isoformat(),
        },
    )
    return {
        "person_id": profile.account_id,
        "fact": fact,
        "value": value_of(profile, fact),
        "state": "verified",
        "source": name,
        "as_of": push["as_of"],
        "changed": bool(changed),
    }
