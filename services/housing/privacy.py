"""What the housing service holds about a person, and what an erasure leaves of it (PIPL).

A person's rental applications (with their eligibility explanation), offers, leases, youth
station bookings and nights, purchase-subsidy and housing-fund applications, talent-ledger
entries with their follow-up visits, and the talent-apartment hint are exported whole. On
erasure the person's facts and declarations, free texts about them and the property address go;
what allocation, occupancy and the station's nights count stays, and a subsidy keeps its amounts,
dates and decision (public funds). The opaque `person_id` is kept (README "Personal data").
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.privacy import (
    COUNTED_RETAINED,
    ERASED,
    PUBLIC_FUNDS_RETAINED,
    Erasure,
    exported,
    redact_audit,
    scrub,
)

from . import applications, station
from .domain import explanation_without_facts
from .models import (
    HousingApplication,
    Lease,
    LedgerEntry,
    LedgerFollowUp,
    Offer,
    StationBooking,
    StationNight,
    SubsidyApplication,
    TalentHint,
)
from .policy import HousingPolicy

#: what erasure leaves of each record of a person: personal column → its replacement
FACTS_ERASED = {"age": None, "degree": None, "social_insurance_months": None, "on_payroll": None}
APPLICATION_ERASED = {
    **FACTS_ERASED,
    "owns_property": None,
    "household_size": None,
    "decision_reason": ERASED,
}
SUBSIDY_ERASED = {**FACTS_ERASED, "property_address": None, "decision_reason": ERASED}
LEASE_ERASED = {"end_reason": ERASED}
BOOKING_ERASED = {"graduation_date": None}
FOLLOWUP_ERASED = {"notes": "", "employment_status": None}

#: the audit subject type of each record kind whose decisions carry an officer's reason
AUDITED = {
    "application": HousingApplication,
    "offer": Offer,
    "lease": Lease,
    "subsidy": SubsidyApplication,
    "ledger_entry": LedgerEntry,
}


def release(uow, person_id: str, policy: HousingPolicy) -> None:
    """Close what waits on an erased person, who will answer for nothing: their open
    applications are withdrawn (a pending offer's unit goes to the next in line now, not after
    its deadline) and the stays they have not arrived for are cancelled, their beds freed for
    other job seekers. A tenancy or a stay under way is a fact on the ground, left to end as it
    will."""
    applications.withdraw_all_of(uow, person_id, policy)
    station.cancel_upcoming_of(uow, person_id)


def export(service, session: Session, person_id: str) -> dict:
    """Everything the service holds about the person."""

    def of(model, *order):
        return (
            session.execute(sa.select(model).where(model.person_id == person_id).order_by(*order))
            .scalars()
            .all()
        )

    entries = of(LedgerEntry, LedgerEntry.housed_since, LedgerEntry.id)
    followups: dict[str, list] = {}
    if entries:
        visits = session.execute(
            sa.select(LedgerFollowUp)
            .where(LedgerFollowUp.entry_id.in_([e.id for e in entries]))
            .order_by(LedgerFollowUp.visited_on, LedgerFollowUp.id)
        ).scalars()
        for visit in visits:
            followups.setdefault(visit.entry_id, []).append(exported(visit))
    nights: dict[str, list] = {}
    for night in of(StationNight, StationNight.night):
        nights.setdefault(night.booking_id, []).append(exported(night))
    return {
        "applications": [
            exported(a, json_columns=("eligibility",))
            for a in of(HousingApplication, HousingApplication.submitted_at)
        ],
        "offers": [exported(o) for o in of(Offer, Offer.offered_at)],
        "leases": [exported(lease) for lease in of(Lease, Lease.starts_on)],
        "station_bookings": [
            {**exported(b), "nights": nights.get(b.id, [])}
            for b in of(StationBooking, StationBooking.created_at)
        ],
        "subsidy_applications": [
            exported(s, json_columns=("eligibility",))
            for s in of(SubsidyApplication, SubsidyApplication.submitted_at)
        ],
        "talent_ledger": [{**exported(e), "followups": followups.get(e.id, [])} for e in entries],
        "talent_hints": [exported(h) for h in of(TalentHint, TalentHint.sent_at)],
    }


def _ids(session: Session, model, person_id: str) -> list[str]:
    return session.execute(sa.select(model.id).where(model.person_id == person_id)).scalars().all()


def _forget_facts_in_explanations(session: Session, model, person_id: str) -> None:
    rows = session.execute(
        sa.select(model.id, model.eligibility).where(model.person_id == person_id)
    ).all()
    for row_id, eligibility in rows:
        kept = json.dumps(explanation_without_facts(json.loads(eligibility)), ensure_ascii=False)
        if kept != eligibility:
            session.execute(sa.update(model).where(model.id == row_id).values(eligibility=kept))


def anonymise(uow, person_id: str) -> Erasure:
    """Erase the person's personal details from every record, in the caller's transaction;
    running it again changes nothing."""
    session = uow.session
    erasure = Erasure()
    mine = {kind: _ids(session, model, person_id) for kind, model in AUDITED.items()}

    def count(model) -> int:
        return session.execute(
            sa.select(sa.func.count()).select_from(model).where(model.person_id == person_id)
        ).scalar()

    erasure.count(
        "application",
        scrub(
            session,
            HousingApplication,
            HousingApplication.person_id == person_id,
            APPLICATION_ERASED,
        ),
        COUNTED_RETAINED,
    )
    _forget_facts_in_explanations(session, HousingApplication, person_id)
    erasure.count("offer", count(Offer), COUNTED_RETAINED)
    erasure.count(
        "lease",
        scrub(session, Lease, Lease.person_id == person_id, LEASE_ERASED),
        COUNTED_RETAINED,
    )
    erasure.count(
        "station_booking",
        scrub(session, StationBooking, StationBooking.person_id == person_id, BOOKING_ERASED),
        COUNTED_RETAINED,
    )
    erasure.count("station_night", count(StationNight), COUNTED_RETAINED)
    erasure.count(
        "subsidy_application",
        scrub(
            session, SubsidyApplication, SubsidyApplication.person_id == person_id, SUBSIDY_ERASED
        ),
        PUBLIC_FUNDS_RETAINED,
    )
    _forget_facts_in_explanations(session, SubsidyApplication, person_id)
    erasure.count("ledger_entry", len(mine["ledger_entry"]), COUNTED_RETAINED)
    if mine["ledger_entry"]:
        erasure.count(
            "ledger_followup",
            scrub(
                session,
                LedgerFollowUp,
                LedgerFollowUp.entry_id.in_(mine["ledger_entry"]),
                FOLLOWUP_ERASED,
            ),
        )
    erasure.count("talent_hint", count(TalentHint))
    redact_audit(uow, mine)
    return erasure
