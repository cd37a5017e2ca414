"""Partners' purpose grants (数据提供目的授权): an administrator grants a partner account a
purpose of `purposes.json` under an agreement it names, and revokes it; the partner and the
administrators read the grants. Who granted and revoked what is kept on the grant and in the
audit trail.

Revoking settles what waits: a pending delivery whose type no remaining grant covers fails with
`not_granted` instead of going out. Subscriptions stay as they are; events outside the grant
are simply no longer queued for them (`webhooks.queue_for_subscribers`).
"""

from __future__ import annotations

from services.common.actor import ADMIN, Actor
from services.common.clock import utcnow
from services.common.errors import InvalidInput, NotFound

from .messages import MESSAGES
from .models import PartnerGrant, WebhookDelivery
from .purposes import purpose_for, purposes
from .vocabulary import FAILED

#: the reason a delivery no grant covers any more carries
NOT_GRANTED = "not_granted"


def _known(purpose: str):
    found = purposes().get(purpose)
    if found is None:
        raise InvalidInput.for_field("purpose", "purpose_unknown", MESSAGES)
    return found


def grant(uow, actor: Actor, partner_id: str, purpose: str, data: dict) -> PartnerGrant:
    """Grant (or grant again) `purpose` to the partner: the legal basis is recorded as the
    vocabulary states it now, with the agreement `reference` and the partner's name, which the
    gateway looked up and checked to be a partner account's."""
    actor.require_role(ADMIN)
    known = _known(purpose)
    now = utcnow()
    row = uow.repo.grant_of(partner_id, purpose, lock=True)
    if row is None:
        row = PartnerGrant(partner_id=partner_id, purpose=purpose)
        uow.repo.add(row)
    row.partner_name = data["partner_name"]
    row.reference = data["reference"]
    row.legal_basis_zh = known.legal_basis["zh-CN"]
    row.legal_basis_en = known.legal_basis["en"]
    row.granted_by, row.granted_at = actor.account_id, now
    row.revoked_by = row.revoked_at = None
    uow.audit(
        "partner.purpose_granted",
        ("partner", partner_id),
        details={
            "purpose": purpose,
            "reference": row.reference,
            "event_types": list(known.event_types),
        },
    )
    uow.commit()
    return row


def revoke(uow, actor: Actor, partner_id: str, purpose: str) -> None:
    """Revoke an active grant (404 for none); pending deliveries no remaining grant covers
    fail with `not_granted`."""
    actor.require_role(ADMIN)
    row = uow.repo.grant_of(partner_id, purpose, lock=True)
    if row is None or row.revoked_at is not None:
        raise NotFound("grant")
    now = utcnow()
    row.revoked_by, row.revoked_at = actor.account_id, now
    remaining = uow.repo.active_purposes_of(partner_id) - {purpose}
    settled = 0
    for delivery in uow.repo.pending_deliveries_of_owner(partner_id):
        if purpose_for(delivery.event_type, remaining) is None:
            _settle_not_granted(delivery, now)
            settled += 1
    uow.audit(
        "partner.purpose_revoked",
        ("partner", partner_id),
        details={"purpose": purpose, "deliveries_withdrawn": settled},
    )
    uow.commit()


def _settle_not_granted(delivery: WebhookDelivery, now) -> None:
    delivery.state, delivery.last_error = FAILED, NOT_GRANTED
    delivery.next_attempt_at = delivery.lease_until = None
    delivery.updated_at = now


def grants_of(repo, actor: Actor, partner_id: str) -> list[PartnerGrant]:
    """The partner's grants, revoked ones too: to the partner itself and administrators; to
    anyone else they do not exist (404)."""
    actor.require_own(partner_id, NotFound("partner"))
    return repo.grants_of(partner_id)


def grant_view(row: PartnerGrant) -> dict:
    known = purposes().get(row.purpose)
    return {
        "partner_id": row.partner_id,
        "partner_name": row.partner_name,
        "purpose": row.purpose,
        "title": known.title if known else None,
        "event_types": list(known.event_types) if known else [],
        "legal_basis": {"zh-CN": row.legal_basis_zh, "en": row.legal_basis_en},
        "reference": row.reference,
        "active": row.revoked_at is None,
        "granted_by": row.granted_by,
        "granted_at": row.granted_at,
        "revoked_by": row.revoked_by,
        "revoked_at": row.revoked_at,
    }


def purpose_views() -> list[dict]:
    """The vocabulary, as partners and administrators read it."""
    return [
        {
            "name": p.name,
            "title": p.title,
            "recipients": p.recipients,
            "legal_basis": p.legal_basis,
            "event_types": list(p.event_types),
        }
        for p in sorted(purposes().values(), key=lambda p: p.name)
    ]
