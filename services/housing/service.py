"""The housing service's nameko class: validates, applies the domain rules, persists, reports.

Rules live in `domain.py`; this class loads input with the schemas, locks what it counts
against, calls the rules, writes rows and records events in one unit of work.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from nameko.timer import timer

from services.common.clock import clock, utcnow
from services.common.consumer import event_handler
from services.common.context import CallContext
from services.common.db import Database, is_sqlite
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.pagination import DESC, keyset_page
from services.common.policy import Policy
from services.common.privacy import PersonalData
from services.common.rpc import rpc
from services.common.service import Audited, ServiceBase

from . import domain, privacy
from .events import EVENTS
from .messages import MESSAGES
from .models import (
    Base,
    HousingApplication,
    HousingUnit,
    Lease,
    LedgerEntry,
    LedgerFollowUp,
    Lottery,
    Offer,
    StationBooking,
    StationNight,
    SubsidyApplication,
    TalentHint,
)
from .policy import HousingPolicy
from .schemas import (
    AllocationRoundInput,
    FollowUpInput,
    FollowUpView,
    HousingApplicationDecision,
    HousingApplicationFilter,
    HousingApplicationInput,
    HousingApplicationView,
    HousingEligibilityQuery,
    HousingLeaseEnd,
    HousingLeaseFilter,
    HousingLeaseView,
    HousingOfferView,
    HousingPeriod,
    HousingSubsidyDecision,
    HousingSubsidyFilter,
    HousingSubsidyInput,
    HousingSubsidyView,
    HousingUnitFilter,
    HousingUnitInput,
    HousingUnitStateChange,
    HousingUnitUpdate,
    HousingUnitView,
    JobsApplicationHired,
    LedgerEntryView,
    LedgerFilter,
    LotteryInput,
    NightsQuery,
    StationBookingInput,
    StationBookingView,
)

#: seconds between sweeps for offers past their deadline (each sweep is one indexed query)
OFFER_SWEEP_SECONDS = 60
SWEEP_BATCH = 100

UNIT = HousingUnitView()
APPLICATION = HousingApplicationView()
OFFER = HousingOfferView()
LEASE = HousingLeaseView()
BOOKING = StationBookingView()
SUBSIDY = HousingSubsidyView()
ENTRY = LedgerEntryView()
FOLLOWUP = FollowUpView()


def _new_id() -> str:
    return str(uuid.uuid4())


def _locked(session, model, row_id: str, resource: str):
    """The row, locked until commit on PostgreSQL (SQLite writers are serialised anyway)."""
    row = session.execute(
        sa.select(model).where(model.id == row_id).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(resource)
    return row


def _page(page, schema) -> dict:
    return {"items": schema.dump(page.items, many=True), "next_cursor": page.next_cursor}


# -- event data ---------------------------------------------------------------------------


def _offer_made(offer: Offer, unit: HousingUnit) -> dict:
    return {
        "offer_id": offer.id,
        "application_id": offer.application_id,
        "unit_id": unit.id,
        "person_id": offer.person_id,
        "method": offer.method,
        "unit_title": unit.title,
        "unit_address": unit.address,
        "rent_cny": unit.rent_cny,
        "respond_by": offer.respond_by,
        **domain.kind_labels(offer.kind),
    }


def _offer_closed(offer: Offer, unit: HousingUnit) -> dict:
    return {
        "offer_id": offer.id,
        "application_id": offer.application_id,
        "unit_id": unit.id,
        "person_id": offer.person_id,
        "state": offer.state,
        "unit_title": unit.title,
        **domain.kind_labels(offer.kind),
    }


def _lease_changed(lease: Lease, unit: HousingUnit) -> dict:
    return {
        "lease_id": lease.id,
        "unit_id": unit.id,
        "person_id": lease.person_id,
        "unit_title": unit.title,
        "unit_address": unit.address,
        "starts_on": lease.starts_on,
        "ends_on": lease.ends_on,
        **domain.kind_labels(lease.kind),
    }


def _booking_changed(booking: StationBooking, unit: HousingUnit, **extra) -> dict:
    return {
        "booking_id": booking.id,
        "unit_id": unit.id,
        "person_id": booking.person_id,
        "state": booking.state,
        "unit_title": unit.title,
        "unit_address": unit.address,
        "first_night": booking.first_night,
        "last_night": booking.last_night,
        "nights_booked": booking.nights_booked,
        **extra,
    }


def _subsidy_data(subsidy: SubsidyApplication) -> dict:
    data = {
        "subsidy_id": subsidy.id,
        "person_id": subsidy.person_id,
        "kind": subsidy.kind,
        "amount_requested_cny": subsidy.amount_requested_cny,
        "eligible": subsidy.eligible,
    }
    if subsidy.state in (domain.GRANTED, domain.REFUSED):
        labels = domain.kind_labels(subsidy.kind)
        data |= {
            **domain.decision_labels(subsidy.state),
            "kind_zh": labels["kind_zh"],
            "kind_en": labels["kind_en"],
            "amount_granted_cny": subsidy.amount_granted_cny,
            "decided_at": subsidy.decided_at,
        }
    return data


class HousingService(ServiceBase, Audited, PersonalData):
    """Housing (二.1): inventory, applications, allocation, station stays, subsidies, ledger."""

    name = "housing"
    messages = MESSAGES
    db = Database(Base.metadata, package="services.housing", events=EVENTS)
    policy = Policy(HousingPolicy)
    personal_data = privacy

    # -- helpers -------------------------------------------------------------------------

    def _actor(self) -> domain.Actor:
        return domain.Actor(self.caller.actor_id, self.caller.actor_role, self.caller.actor_unit)

    def _staff(self) -> domain.Actor:
        actor = self._actor()
        actor.check_housing_staff()
        return actor

    def _visible(self, row, resource: str):
        """A person sees their own; housing staff see all; to anyone else it does not exist."""
        if row is None or not self._actor().may_see(row.person_id):
            raise NotFound(resource)
        return row

    @staticmethod
    def _facts(person: dict, declarations: dict) -> domain.Facts:
        return domain.Facts(
            age=person.get("age"),
            degree=person.get("degree"),
            social_insurance_months=person.get("local_social_insurance_months"),
            owns_property=declarations.get("owns_property_in_district"),
            on_payroll=declarations.get("on_government_payroll"),
        )

    # -- units ---------------------------------------------------------------------------

    @rpc
    def create_unit(self, unit: dict) -> dict:
        """A unit of the inventory, available at once (station beds: bookable at once)."""
        self._staff()
        fields = HousingUnitInput().load(unit)
        domain.check_unit_fields(fields["kind"], fields, self.policy)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = HousingUnit(
                id=_new_id(),
                state=domain.AVAILABLE,
                created_at=now,
                updated_at=now,
                **{"beds": 1, **fields},
            )
            uow.session.add(row)
            uow.commit()
            return UNIT.dump(row)

    @rpc
    def update_unit(self, unit_id: str, changes: dict) -> dict:
        self._staff()
        fields = HousingUnitUpdate().load(changes)
        with self.db.unit_of_work() as uow:
            unit = _locked(uow.session, HousingUnit, unit_id, "unit")
            merged = {"area_m2": unit.area_m2, "beds": unit.beds, **fields}
            domain.check_unit_fields(unit.kind, merged, self.policy)
            if "beds" in fields and fields["beds"] < unit.beds:
                highest = uow.session.execute(
                    sa.select(sa.func.max(StationNight.bed)).where(
                        StationNight.unit_id == unit.id,
                        StationNight.state == domain.NIGHT_BOOKED,
                        StationNight.night >= clock.today(),
                    )
                ).scalar()
                if highest is not None and highest > fields["beds"]:
                    raise Conflict("beds_in_use", params={"bed": highest, "beds": fields["beds"]})
            for name, value in fields.items():
                setattr(unit, name, value)
            unit.updated_at = utcnow()
            uow.commit()
            return UNIT.dump(unit)

    @rpc
    def get_unit(self, unit_id: str) -> dict:
        with self.db.reading() as session:
            unit = session.get(HousingUnit, unit_id)
            if unit is None:
                raise NotFound("unit")
            return UNIT.dump(unit)

    @rpc
    def list_units(self, filters: dict) -> dict:
        args = HousingUnitFilter().load(filters)
        query = sa.select(HousingUnit)
        for name in ("kind", "state", "area"):
            if name in args:
                query = query.where(getattr(HousingUnit, name) == args[name])
        with self.db.reading() as session:
            page = keyset_page(
                session, query, [(HousingUnit.id, False)], args.get("after"), args["limit"]
            )
            return _page(page, UNIT)

    @rpc
    def set_unit_maintenance(self, unit_id: str, change: dict) -> dict:
        """Take an available unit out of service (维修)."""
        self._staff()
        fields = HousingUnitStateChange().load(change)
        with self.db.unit_of_work() as uow:
            unit = _locked(uow.session, HousingUnit, unit_id, "unit")
            unit.state = domain.next_unit_state(unit.state, "maintain")
            unit.updated_at = utcnow()
            uow.audit("unit.maintenance", ("unit", unit.id), fields["reason"])
            uow.commit()
            return UNIT.dump(unit)

    @rpc
    def reopen_unit(self, unit_id: str, change: dict) -> dict:
        """Back in service: a rental goes at once to the next in line."""
        self._staff()
        fields = HousingUnitStateChange().load(change)
        with self.db.unit_of_work() as uow:
            unit = _locked(uow.session, HousingUnit, unit_id, "unit")
            unit.state = domain.next_unit_state(unit.state, "reopen")
            unit.updated_at = utcnow()
            uow.audit("unit.reopened", ("unit", unit.id), fields["reason"])
            if unit.kind in domain.RENTAL_KINDS:
                self._offer_next(uow, unit)
            uow.commit()
            return UNIT.dump(unit)

    @rpc
    def station_nights(self, unit_id: str, query: dict) -> dict:
        """Beds booked and free for each night of a range: one grouped query."""
        args = NightsQuery().load(query)
        nights = domain.nights_from(args["first_night"], args["nights"])
        with self.db.reading() as session:
            unit = session.get(HousingUnit, unit_id)
            if unit is None:
                raise NotFound("unit")
            if unit.kind != domain.STATION_BED:
                raise InvalidInput.for_field("unit_id", "not_a_station", MESSAGES)
            booked = dict(
                session.execute(
                    sa.select(StationNight.night, sa.func.count())
                    .where(
                        StationNight.unit_id == unit_id,
                        StationNight.state == domain.NIGHT_BOOKED,
                        StationNight.night.between(nights[0], nights[-1]),
                    )
                    .group_by(StationNight.night)
                ).all()
            )
        return {
            "unit_id": unit_id,
            "nights": [
                {
                    "night": night.isoformat(),
                    "beds": unit.beds,
                    "booked": booked.get(night, 0),
                    "free": max(0, unit.beds - booked.get(night, 0)),
                }
                for night in nights
            ],
        }

    # -- eligibility and applications ---------------------------------------------------

    @rpc
    def check_eligibility(self, person: dict, query: dict) -> dict:
        """The explanation an application of `kind` would get now, rule by rule; stores nothing."""
        args = HousingEligibilityQuery().load(query)
        result = domain.evaluate(args["kind"], self._facts(person, args), self.policy)
        return {"kind": args["kind"], "eligible": result.eligible, "rules": result.explained()}

    @rpc
    def submit_application(self, person: dict, application: dict) -> dict:
        """Apply for a kind of rental. The rules are evaluated at once: an applicant who fails
        one is rejected with every reason; one who passes waits for an officer's review."""
        fields = HousingApplicationInput().load(application)
        person_id, kind = person["person_id"], fields["kind"]
        facts = self._facts(person, fields)
        result = domain.evaluate(kind, facts, self.policy)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = HousingApplication(
                id=_new_id(),
                person_id=person_id,
                kind=kind,
                state=domain.SUBMITTED,
                age=facts.age,
                degree=facts.degree,
                social_insurance_months=facts.social_insurance_months,
                owns_property=fields["owns_property_in_district"],
                on_payroll=fields["on_government_payroll"],
                household_size=fields["household_size"],
                eligible=result.eligible,
                eligibility=json.dumps(result.explained(), ensure_ascii=False),
                submitted_at=now,
                updated_at=now,
            )
            if not result.eligible:
                row.state, row.decision, row.decided_at = domain.REJECTED, domain.REJECTED, now
            uow.session.add(row)
            try:
                uow.session.flush()
            except sa.exc.IntegrityError as exc:
                raise Conflict("application_open") from exc
            uow.record(
                "application.submitted",
                subject=row.id,
                data={
                    "application_id": row.id,
                    "person_id": person_id,
                    "eligible": result.eligible,
                    "submitted_at": now,
                    **domain.kind_labels(kind),
                },
            )
            if not result.eligible:
                uow.audit(
                    "application.rejected",
                    ("application", row.id),
                    "eligibility rules failed",
                    {"failed_rules": result.failed, "automatic": True},
                )
                uow.record("application.decided", subject=row.id, data=self._decided(row, True))
            uow.commit()
            return APPLICATION.dump(row)

    def _decided(self, row: HousingApplication, automatic: bool) -> dict:
        failed = [rule["rule"] for rule in json.loads(row.eligibility) if not rule["passed"]]
        return {
            "application_id": row.id,
            "person_id": row.person_id,
            "automatic": automatic,
            "failed_rules": failed,
            "decided_at": row.decided_at,
            **domain.kind_labels(row.kind),
            **domain.decision_labels(row.decision),
        }

    @rpc
    def get_application(self, application_id: str) -> dict:
        with self.db.reading() as session:
            row = self._visible(session.get(HousingApplication, application_id), "application")
            return self._with_positions(session, [row])[0]

    @rpc
    def applications_of(self, person_id: str, after: str | None = None, limit: int = 20) -> dict:
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(HousingApplication).where(HousingApplication.person_id == person_id),
                [(HousingApplication.submitted_at, DESC), (HousingApplication.id, DESC)],
                after,
                limit,
            )
            return {
                "items": self._with_positions(session, page.items),
                "next_cursor": page.next_cursor,
            }

    @rpc
    def list_applications(self, filters: dict) -> dict:
        self._staff()
        args = HousingApplicationFilter().load(filters)
        query = sa.select(HousingApplication)
        for name in ("kind", "state"):
            if name in args:
                query = query.where(getattr(HousingApplication, name) == args[name])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(HousingApplication.submitted_at, False), (HousingApplication.id, False)],
                args.get("after"),
                args["limit"],
            )
            return {
                "items": self._with_positions(session, page.items),
                "next_cursor": page.next_cursor,
            }

    def _queue_order(self, kind: str):
        """The order of a kind's list: arrival, or the draws in order."""
        if self.policy.allocation_for(kind) == "lottery":
            return [HousingApplication.drawn_at, HousingApplication.lottery_position]
        return [HousingApplication.submitted_at, HousingApplication.id]

    def _queue(self, kind: str):
        query = sa.select(HousingApplication).where(
            HousingApplication.kind == kind, HousingApplication.state == domain.WAITLISTED
        )
        if self.policy.allocation_for(kind) == "lottery":
            query = query.where(HousingApplication.lottery_id.is_not(None))
        return query.order_by(*self._queue_order(kind))

    def _with_positions(self, session, rows: list) -> list[dict]:
        """Views with each waiting application's place in line: one query per kind at most."""
        views = [APPLICATION.dump(row) for row in rows]
        waiting = {row.id: row.kind for row in rows if row.state == domain.WAITLISTED}
        for kind in set(waiting.values()):
            ranked = self._queue(kind).order_by(None).subquery()
            position = sa.func.row_number().over(
                order_by=[ranked.c[c.key] for c in self._queue_order(kind)]
            )
            numbered = sa.select(ranked.c.id, position.label("position")).subquery()
            ids = [app_id for app_id, app_kind in waiting.items() if app_kind == kind]
            positions = dict(
                session.execute(
                    sa.select(numbered.c.id, numbered.c.position).where(numbered.c.id.in_(ids))
                ).all()
            )
            for view in views:
                if view["id"] in positions:
                    view["waitlist_position"] = positions[view["id"]]
        return views

    @rpc
    def decide_application(self, application_id: str, decision: dict) -> dict:
        """An officer's review: approve (the applicant joins the kind's list, in a preference
        group) or reject with a reason. Recorded in the audit trail."""
        actor = self._staff()
        fields = HousingApplicationDecision().load(decision)
        verdict, reason = fields["decision"], fields.get("reason")
        domain.check_rejection_reason(verdict, reason)
        group = fields.get("preference_group", self.policy.preference_groups[-1])
        domain.check_preference_group(group, self.policy)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = _locked(uow.session, HousingApplication, application_id, "application")
            action = "approve" if verdict == domain.APPROVED else "reject"
            target = domain.next_application_state(row.state, action)
            failed = [rule["rule"] for rule in json.loads(row.eligibility) if not rule["passed"]]
            if action == "approve":
                domain.check_approvable(row.eligible, failed)
                row.preference_group = group
            row.state, row.decision = target, verdict
            row.decided_at, row.decided_by, row.decision_reason = now, actor.account_id, reason
            row.updated_at = now
            uow.audit(
                f"application.{verdict}",
                ("application", row.id),
                reason,
                {
                    "kind": row.kind,
                    "preference_group": row.preference_group,
                    "failed_rules": failed,
                },
            )
            uow.record("application.decided", subject=row.id, data=self._decided(row, False))
            if action == "approve":
                uow.session.flush()
                view = self._with_positions(uow.session, [row])[0]
                uow.record(
                    "application.waitlisted",
                    subject=row.id,
                    data={
                        "application_id": row.id,
                        "person_id": row.person_id,
                        "method": self.policy.allocation_for(row.kind),
                        "preference_group": group,
                        "position": view["waitlist_position"],
                        **domain.kind_labels(row.kind),
                    },
                )
            else:
                view = APPLICATION.dump(row)
            uow.commit()
            return view

    @rpc
    def withdraw_application(self, application_id: str) -> dict:
        """The applicant gives up; a pending offer is withdrawn and its unit goes on."""
        with self.db.unit_of_work() as uow:
            row = _locked(uow.session, HousingApplication, application_id, "application")
            self._actor().check_owner(row.person_id, "application")
            self._withdraw(uow, row)
            uow.commit()
            return APPLICATION.dump(row)

    def _withdraw(self, uow, row: HousingApplication) -> None:
        row.state = domain.next_application_state(row.state, "withdraw")
        row.updated_at = utcnow()
        offer = uow.session.execute(
            sa.select(Offer)
            .where(Offer.application_id == row.id, Offer.state == domain.PENDING)
            .with_for_update()
        ).scalar_one_or_none()
        if offer is not None:
            offer.state, offer.responded_at = domain.OFFER_WITHDRAWN, utcnow()
            unit = _locked(uow.session, HousingUnit, offer.unit_id, "unit")
            unit.state = domain.next_unit_state(unit.state, "release")
            uow.record("offer.declined", subject=offer.id, data=_offer_closed(offer, unit))
            uow.session.flush()
            self._offer_next(uow, unit)

    # -- allocation ----------------------------------------------------------------------

    @rpc
    def run_lottery(self, lottery: dict) -> dict:
        """Draw the order of every approved application of a kind not yet drawn (摇号).
        The seed and the entrants are kept, so anyone can re-run the draw."""
        actor = self._staff()
        fields = LotteryInput().load(lottery)
        kind = fields["kind"]
        if self.policy.allocation_for(kind) != "lottery":
            raise Conflict("lottery_not_used")
        seed = fields.get("seed") or secrets.token_hex(16)
        groups = list(self.policy.preference_groups)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            rows = (
                uow.session.execute(
                    sa.select(HousingApplication)
                    .where(
                        HousingApplication.kind == kind,
                        HousingApplication.state == domain.WAITLISTED,
                        HousingApplication.lottery_id.is_(None),
                    )
                    .order_by(HousingApplication.id)
                    .with_for_update()
                )
                .scalars()
                .all()
            )
            if not rows:
                raise Conflict("no_entrants")
            entrants = [domain.Entrant(row.id, row.preference_group) for row in rows]
            order = domain.draw(seed, entrants, groups)
            draw = Lottery(
                id=_new_id(),
                kind=kind,
                seed=seed,
                algorithm=domain.LOTTERY_ALGORITHM,
                groups=json.dumps(groups),
                entrants=json.dumps(
                    [{"application_id": e.application_id, "group": e.group} for e in entrants]
                ),
                result=json.dumps(order),
                drawn_at=now,
                drawn_by=actor.account_id,
            )
            uow.session.add(draw)
            uow.session.flush()
            uow.session.execute(
                sa.update(HousingApplication),
                [
                    {
                        "id": app_id,
                        "lottery_id": draw.id,
                        "lottery_position": position,
                        "drawn_at": now,
                        "updated_at": now,
                    }
                    for position, app_id in enumerate(order, start=1)
                ],
            )
            uow.audit(
                "lottery.drawn",
                ("lottery", draw.id),
                None,
                {"kind": kind, "seed": seed, "entrants": len(entrants)},
            )
            uow.record(
                "lottery.drawn",
                subject=draw.id,
                data={
                    "lottery_id": draw.id,
                    "seed": seed,
                    "algorithm": draw.algorithm,
                    "entrants": len(entrants),
                    "drawn_at": now,
                    **domain.kind_labels(kind),
                },
            )
            uow.commit()
            return self._lottery_view(draw)

    @staticmethod
    def _lottery_view(draw: Lottery) -> dict:
        entrants = json.loads(draw.entrants)
        groups = json.loads(draw.groups)
        order = json.loads(draw.result)
        rerun = domain.draw(
            draw.seed, [domain.Entrant(e["application_id"], e["group"]) for e in entrants], groups
        )
        return {
            "id": draw.id,
            "kind": draw.kind,
            "seed": draw.seed,
            "algorithm": draw.algorithm,
            "groups": groups,
            "entrants": entrants,
            "order": order,
            "drawn_at": draw.drawn_at,
            "reproduced": rerun == order,
        }

    @rpc
    def get_lottery(self, lottery_id: str) -> dict:
        with self.db.reading() as session:
            draw = session.get(Lottery, lottery_id)
            if draw is None:
                raise NotFound("lottery")
            return self._lottery_view(draw)

    @rpc
    def allocation_round(self, round: dict) -> dict:
        """Offer every available unit of a kind to the next in line, in order."""
        self._staff()
        kind = AllocationRoundInput().load(round)["kind"]
        with self.db.unit_of_work() as uow:
            units = (
                uow.session.execute(
                    sa.select(HousingUnit)
                    .where(HousingUnit.kind == kind, HousingUnit.state == domain.AVAILABLE)
                    .order_by(HousingUnit.created_at, HousingUnit.id)
                    .with_for_update()
                )
                .scalars()
                .all()
            )
            offers = []
            for unit in units:
                offer = self._offer_next(uow, unit)
                if offer is None:
                    break
                offers.append(offer)
            uow.commit()
            return {
                "kind": kind,
                "method": self.policy.allocation_for(kind),
                "offers": OFFER.dump(offers, many=True),
            }

    def _offer_next(self, uow, unit: HousingUnit) -> Offer | None:
        """The unit to the first in its kind's line, with a deadline; None if nobody waits."""
        if unit.state != domain.AVAILABLE:
            return None
        query = self._queue(unit.kind).limit(1).with_for_update()
        if not is_sqlite(uow.engine):
            query = query.with_for_update(skip_locked=True)
        application = uow.session.execute(query).scalar_one_or_none()
        if application is None:
            return None
        now = utcnow()
        application.state = domain.next_application_state(application.state, "offer")
        application.updated_at = now
        unit.state = domain.next_unit_state(unit.state, "offer")
        unit.updated_at = now
        offer = Offer(
            id=_new_id(),
            application_id=application.id,
            unit_id=unit.id,
            person_id=application.person_id,
            kind=unit.kind,
            method=self.policy.allocation_for(unit.kind),
            state=domain.PENDING,
            offered_at=now,
            respond_by=domain.respond_by(now, self.policy),
        )
        uow.session.add(offer)
        uow.session.flush()
        uow.audit(
            "offer.made",
            ("offer", offer.id),
            None,
            {
                "unit_id": unit.id,
                "application_id": application.id,
                "method": offer.method,
                "lottery_position": application.lottery_position,
            },
        )
        uow.record("offer.made", subject=offer.id, data=_offer_made(offer, unit))
        return offer

    @rpc
    def get_offer(self, offer_id: str) -> dict:
        with self.db.reading() as session:
            return OFFER.dump(self._visible(session.get(Offer, offer_id), "offer"))

    @rpc
    def offers_of(self, person_id: str, after: str | None = None, limit: int = 20) -> dict:
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(Offer).where(Offer.person_id == person_id),
                [(Offer.offered_at, DESC), (Offer.id, DESC)],
                after,
                limit,
            )
            return _page(page, OFFER)

    @rpc
    def accept_offer(self, offer_id: str) -> dict:
        """Take the unit before the deadline: the lease starts today and the person enters
        the talent ledger."""
        now, today = utcnow(), clock.today()
        with self.db.unit_of_work() as uow:
            offer = _locked(uow.session, Offer, offer_id, "offer")
            self._actor().check_owner(offer.person_id, "offer")
            domain.check_offer_open(offer.state, offer.respond_by, now, "accept")
            application = _locked(
                uow.session, HousingApplication, offer.application_id, "application"
            )
            unit = _locked(uow.session, HousingUnit, offer.unit_id, "unit")
            offer.state, offer.responded_at = domain.ACCEPTED, now
            application.state = domain.next_application_state(application.state, "accept")
            application.updated_at = now
            unit.state = domain.next_unit_state(unit.state, "let")
            unit.updated_at = now
            lease = Lease(
                id=_new_id(),
                unit_id=unit.id,
                application_id=application.id,
                offer_id=offer.id,
                person_id=offer.person_id,
                kind=unit.kind,
                rent_cny=unit.rent_cny,
                state=domain.ACTIVE,
                starts_on=today,
            )
            uow.session.add(lease)
            uow.session.flush()
            uow.session.add(
                LedgerEntry(
                    id=_new_id(),
                    person_id=lease.person_id,
                    lease_id=lease.id,
                    unit_id=unit.id,
                    kind=unit.kind,
                    housed_since=today,
                    followups=0,
                    created_at=now,
                )
            )
            uow.record("offer.accepted", subject=offer.id, data=_offer_closed(offer, unit))
            uow.record(
                "unit.allocated",
                subject=unit.id,
                data={
                    "unit_id": unit.id,
                    "person_id": lease.person_id,
                    "application_id": application.id,
                    "offer_id": offer.id,
                    "lease_id": lease.id,
                    "method": offer.method,
                    "allocated_at": now,
                    **domain.kind_labels(unit.kind),
                },
            )
            uow.record("lease.started", subject=lease.id, data=_lease_changed(lease, unit))
            uow.commit()
            return {"offer": OFFER.dump(offer), "lease": LEASE.dump(lease)}

    @rpc
    def decline_offer(self, offer_id: str) -> dict:
        """Say no: the unit goes at once to the next in line."""
        now = utcnow()
        with self.db.unit_of_work() as uow:
            offer = _locked(uow.session, Offer, offer_id, "offer")
            self._actor().check_owner(offer.person_id, "offer")
            domain.check_offer_open(offer.state, offer.respond_by, now, "decline")
            self._close_offer(uow, offer, domain.OFFER_DECLINED, "decline", now)
            uow.commit()
            return OFFER.dump(offer)

    def _close_offer(self, uow, offer: Offer, state: str, action: str, now: datetime) -> None:
        application = _locked(uow.session, HousingApplication, offer.application_id, "application")
        unit = _locked(uow.session, HousingUnit, offer.unit_id, "unit")
        offer.state, offer.responded_at = state, now
        application.state = domain.next_application_state(application.state, action)
        application.updated_at = now
        unit.state = domain.next_unit_state(unit.state, "release")
        unit.updated_at = now
        uow.record(f"offer.{state}", subject=offer.id, data=_offer_closed(offer, unit))
        uow.session.flush()
        self._offer_next(uow, unit)

    @rpc
    def expire_offers(self) -> dict:
        """Expire every pending offer past its deadline (the timer calls this every minute;
        operators and tests may call it too). Each offer is closed in its own transaction
        under its row lock, so replicas sweeping at once never expire one twice."""
        return {"expired": self._expire_due()}

    @timer(interval=OFFER_SWEEP_SECONDS)
    def sweep_offers(self) -> None:
        self._expire_due()

    def _expire_due(self) -> int:
        now = utcnow()
        with self.db.reading() as session:
            due = (
                session.execute(
                    sa.select(Offer.id)
                    .where(Offer.state == domain.PENDING, Offer.respond_by < now)
                    .order_by(Offer.respond_by)
                    .limit(SWEEP_BATCH)
                )
                .scalars()
                .all()
            )
        expired = 0
        for offer_id in due:
            with self.db.unit_of_work(CallContext.system()) as uow:
                query = sa.select(Offer).where(Offer.id == offer_id).with_for_update()
                if not is_sqlite(uow.engine):
                    query = query.with_for_update(skip_locked=True)
                offer = uow.session.execute(query).scalar_one_or_none()
                if offer is None or offer.state != domain.PENDING or offer.respond_by >= now:
                    continue
                self._close_offer(uow, offer, domain.EXPIRED, "lapse", now)
                uow.commit()
                expired += 1
        return expired

    @rpc
    def list_leases(self, filters: dict) -> dict:
        self._staff()
        args = HousingLeaseFilter().load(filters)
        query = sa.select(Lease)
        for name in ("kind", "state"):
            if name in args:
                query = query.where(getattr(Lease, name) == args[name])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(Lease.starts_on, DESC), (Lease.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return _page(page, LEASE)

    @rpc
    def end_lease(self, lease_id: str, end: dict) -> dict:
        """The tenancy ends (an officer records it); the unit goes to the next in line."""
        self._staff()
        fields = HousingLeaseEnd().load(end)
        ended_on = fields.get("ended_on") or clock.today()
        with self.db.unit_of_work() as uow:
            lease = _locked(uow.session, Lease, lease_id, "lease")
            if lease.state != domain.ACTIVE:
                raise Conflict("illegal_transition", params={"state": lease.state, "action": "end"})
            unit = _locked(uow.session, HousingUnit, lease.unit_id, "unit")
            lease.state, lease.ends_on, lease.end_reason = domain.ENDED, ended_on, fields["reason"]
            unit.state = domain.next_unit_state(unit.state, "release")
            unit.updated_at = utcnow()
            uow.session.execute(
                sa.update(LedgerEntry)
                .where(LedgerEntry.lease_id == lease.id)
                .values(moved_out_on=ended_on)
            )
            uow.audit("lease.ended", ("lease", lease.id), fields["reason"], {"ends_on": ended_on})
            uow.record("lease.ended", subject=lease.id, data=_lease_changed(lease, unit))
            uow.session.flush()
            self._offer_next(uow, unit)
            uow.commit()
            return LEASE.dump(lease)

    # -- the youth station (青年驿站) ---------------------------------------------------

    @rpc
    def book_station(self, person: dict, booking: dict) -> dict:
        """Free nights for a job-seeking graduate, one bed a night, within the person's cap.
        The station's row is locked while its beds are counted; the database's unique beds
        per night refuse an overbooking even so."""
        fields = StationBookingInput().load(booking)
        person_id = person["person_id"]
        nights = domain.nights_from(fields["first_night"], fields["nights"])
        graduation = person.get("graduation_date")
        graduation = date.fromisoformat(graduation) if isinstance(graduation, str) else graduation
        today, now = clock.today(), utcnow()
        domain.check_station_stay(
            nights, graduation, person.get("employment_status"), today, self.policy
        )
        with self.db.unit_of_work() as uow:
            session = uow.session
            unit = session.execute(
                sa.select(HousingUnit).where(HousingUnit.id == fields["unit_id"]).with_for_update()
            ).scalar_one_or_none()
            if unit is None or unit.kind != domain.STATION_BED:
                raise InvalidInput.for_field("unit_id", "not_a_station", MESSAGES)
            if unit.state != domain.AVAILABLE:
                raise Conflict("unit_not_available", params={"state": unit.state})
            held = (
                session.execute(
                    sa.select(StationNight.night).where(
                        StationNight.person_id == person_id,
                        StationNight.state == domain.NIGHT_BOOKED,
                    )
                )
                .scalars()
                .all()
            )
            clash = sorted(set(held) & set(nights))
            if clash:
                raise Conflict("station_night_taken", params={"night": clash[0].isoformat()})
            domain.check_night_cap(len(held), len(nights), self.policy)
            taken = defaultdict(set)
            for night, bed in session.execute(
                sa.select(StationNight.night, StationNight.bed).where(
                    StationNight.unit_id == unit.id,
                    StationNight.state == domain.NIGHT_BOOKED,
                    StationNight.night.between(nights[0], nights[-1]),
                )
            ):
                taken[night].add(bed)
            beds = domain.assign_beds(unit.beds, taken, nights)
            row = StationBooking(
                id=_new_id(),
                person_id=person_id,
                unit_id=unit.id,
                state=domain.CONFIRMED,
                first_night=nights[0],
                last_night=nights[-1],
                nights_booked=len(nights),
                graduation_date=graduation,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            session.add_all(
                StationNight(
                    id=_new_id(),
                    booking_id=row.id,
                    unit_id=unit.id,
                    person_id=person_id,
                    night=night,
                    bed=bed,
                    state=domain.NIGHT_BOOKED,
                )
                for night, bed in beds.items()
            )
            try:
                session.flush()
            except sa.exc.IntegrityError as exc:
                # the last guard: another booking took the bed, or this person's night,
                # between our count and our insert
                if "uq_station_night_person" in str(exc.orig):
                    raise Conflict(
                        "station_night_taken", params={"night": nights[0].isoformat()}
                    ) from exc
                raise Conflict("station_full", params={"night": nights[0].isoformat()}) from exc
            uow.record("stationbooking.confirmed", subject=row.id, data=_booking_changed(row, unit))
            view = self._booking_views(session, [row])[0]
            uow.commit()
            return view

    @staticmethod
    def _booking_views(session, rows: list) -> list[dict]:
        """Bookings with their nights: one query for the whole page."""
        nights = defaultdict(list)
        if rows:
            for night in session.execute(
                sa.select(StationNight)
                .where(StationNight.booking_id.in_([row.id for row in rows]))
                .order_by(StationNight.night)
            ).scalars():
                nights[night.booking_id].append(
                    {"night": night.night, "bed": night.bed, "state": night.state}
                )
        views = []
        for row in rows:
            view = BOOKING.dump(row)
            view["nights"] = [
                {**n, "night": n["night"].isoformat()} for n in nights.get(row.id, [])
            ]
            views.append(view)
        return views

    @rpc
    def get_station_booking(self, booking_id: str) -> dict:
        with self.db.reading() as session:
            row = self._visible(session.get(StationBooking, booking_id), "station booking")
            return self._booking_views(session, [row])[0]

    @rpc
    def station_bookings_of(
        self, person_id: str, after: str | None = None, limit: int = 20
    ) -> dict:
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(StationBooking).where(StationBooking.person_id == person_id),
                [(StationBooking.created_at, DESC), (StationBooking.id, DESC)],
                after,
                limit,
            )
            return {
                "items": self._booking_views(session, page.items),
                "next_cursor": page.next_cursor,
            }

    def _free_nights(self, uow, booking: StationBooking, after: date, reason: str) -> list[date]:
        """Give back the booking's nights after `after`; reports them if there were any."""
        nights = (
            uow.session.execute(
                sa.select(StationNight)
                .where(
                    StationNight.booking_id == booking.id,
                    StationNight.state == domain.NIGHT_BOOKED,
                    StationNight.night > after,
                )
                .with_for_update()
            )
            .scalars()
            .all()
        )
        if not nights:
            return []
        now = utcnow()
        for night in nights:
            night.state, night.cancelled_at = domain.NIGHT_CANCELLED, now
        booking.nights_booked -= len(nights)
        booking.updated_at = now
        booking.state = domain.booking_state_after_freeing(booking.state, booking.nights_booked)
        if booking.state == domain.BOOKING_CANCELLED:
            booking.cancelled_at, booking.cancel_reason = now, reason
        freed = sorted(night.night for night in nights)
        unit = uow.session.get(HousingUnit, booking.unit_id)
        uow.record(
            "stationbooking.cancelled",
            subject=booking.id,
            data=_booking_changed(booking, unit, nights_cancelled=freed, reason=reason),
        )
        return freed

    @rpc
    def cancel_station_booking(self, booking_id: str) -> dict:
        """The guest cancels before arriving: tonight and later nights are freed."""
        with self.db.unit_of_work() as uow:
            booking = _locked(uow.session, StationBooking, booking_id, "station booking")
            self._actor().check_owner(booking.person_id, "station booking")
            self._cancel_booking(uow, booking)
            view = self._booking_views(uow.session, [booking])[0]
            uow.commit()
            return view

    def _cancel_booking(self, uow, booking: StationBooking) -> None:
        domain.check_cancellable(booking.state)
        today = clock.today()
        self._free_nights(uow, booking, today - timedelta(days=1), "person")
        if booking.state != domain.BOOKING_CANCELLED:
            # only past nights were left (a no-show): the booking ends here
            booking.state, booking.cancelled_at = domain.BOOKING_CANCELLED, utcnow()
            booking.cancel_reason = "person"

    def release_person(self, uow, person_id: str) -> None:
        """Nobody will answer for an erased person: their open applications are withdrawn (a
        pending offer's unit goes to the next in line now, not after its deadline) and the
        stays they have not arrived for are cancelled, their beds freed for other job seekers.
        A tenancy or a stay under way is a fact on the ground, left to end as it will."""
        applications = uow.session.execute(
            sa.select(HousingApplication)
            .where(
                HousingApplication.person_id == person_id,
                HousingApplication.state.in_(domain.OPEN_APPLICATION_STATES),
            )
            .with_for_update()
        ).scalars()
        for row in applications.all():
            self._withdraw(uow, row)
        bookings = uow.session.execute(
            sa.select(StationBooking)
            .where(
                StationBooking.person_id == person_id,
                StationBooking.state == domain.CONFIRMED,
            )
            .with_for_update()
        ).scalars()
        for booking in bookings.all():
            self._cancel_booking(uow, booking)

    @rpc
    def check_in_station(self, booking_id: str) -> dict:
        self._staff()
        with self.db.unit_of_work() as uow:
            booking = _locked(uow.session, StationBooking, booking_id, "station booking")
            domain.check_check_in(booking.state, booking.first_night, clock.today())
            booking.state, booking.checked_in_at = domain.CHECKED_IN, utcnow()
            booking.updated_at = booking.checked_in_at
            unit = uow.session.get(HousingUnit, booking.unit_id)
            uow.record(
                "stationbooking.checked_in",
                subject=booking.id,
                data=_booking_changed(booking, unit),
            )
            view = self._booking_views(uow.session, [booking])[0]
            uow.commit()
            return view

    @rpc
    def check_out_station(self, booking_id: str) -> dict:
        """The guest leaves; nights after tonight go back to the station."""
        self._staff()
        with self.db.unit_of_work() as uow:
            booking = _locked(uow.session, StationBooking, booking_id, "station booking")
            if booking.state != domain.CHECKED_IN:
                raise Conflict(
                    "illegal_transition", params={"state": booking.state, "action": "check_out"}
                )
            self._free_nights(uow, booking, clock.today(), "checked_out_early")
            booking.state, booking.checked_out_at = domain.CHECKED_OUT, utcnow()
            booking.updated_at = booking.checked_out_at
            unit = uow.session.get(HousingUnit, booking.unit_id)
            uow.record(
                "stationbooking.checked_out",
                subject=booking.id,
                data=_booking_changed(booking, unit),
            )
            view = self._booking_views(uow.session, [booking])[0]
            uow.commit()
            return view

    @event_handler("jobs", "application.hired", JobsApplicationHired)
    def on_hired(self, event, uow):
        """Hired in the district: the person's future station nights are freed for other job
        seekers (tonight and the past stay), and the person hears about talent apartments."""
        data = event.data
        if not data["in_district"]:
            return
        person_id, today = data["person_id"], clock.today()
        bookings = (
            uow.session.execute(
                sa.select(StationBooking)
                .where(
                    StationBooking.person_id == person_id,
                    StationBooking.state.in_((domain.CONFIRMED, domain.CHECKED_IN)),
                    StationBooking.last_night > today,
                )
                .order_by(StationBooking.first_night)
                .with_for_update()
            )
            .scalars()
            .all()
        )
        for booking in bookings:
            self._free_nights(uow, booking, today, "hired_in_district")
        if uow.session.get(TalentHint, person_id) is None:
            uow.session.add(
                TalentHint(
                    person_id=person_id,
                    job_application_id=data["application_id"],
                    sent_at=utcnow(),
                )
            )
            uow.record(
                "talenthint.sent",
                subject=person_id,
                data={
                    "person_id": person_id,
                    "hint": domain.TALENT_APARTMENT,
                    "reason": "hired_in_district",
                    "job_application_id": data["application_id"],
                },
            )

    # -- subsidies -----------------------------------------------------------------------

    @rpc
    def submit_subsidy(self, person: dict, subsidy: dict) -> dict:
        """A home-purchase subsidy or housing-fund application; like housing applications,
        one that fails a rule is refused at once with every reason."""
        fields = HousingSubsidyInput().load(subsidy)
        facts = self._facts(person, fields)
        result = domain.evaluate(fields["kind"], facts, self.policy)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = SubsidyApplication(
                id=_new_id(),
                person_id=person["person_id"],
                kind=fields["kind"],
                state=domain.SUBMITTED if result.eligible else domain.REFUSED,
                amount_requested_cny=fields["amount_requested_cny"],
                property_address=fields.get("property_address"),
                contract_date=fields.get("contract_date"),
                age=facts.age,
                degree=facts.degree,
                social_insurance_months=facts.social_insurance_months,
                on_payroll=fields["on_government_payroll"],
                eligible=result.eligible,
                eligibility=json.dumps(result.explained(), ensure_ascii=False),
                submitted_at=now,
            )
            if not result.eligible:
                row.decided_at, row.decision_reason = now, "eligibility rules failed"
            uow.session.add(row)
            uow.session.flush()
            uow.record("subsidy.submitted", subject=row.id, data=_subsidy_data(row))
            if not result.eligible:
                uow.audit(
                    "subsidy.refused",
                    ("subsidy", row.id),
                    "eligibility rules failed",
                    {"failed_rules": result.failed, "automatic": True},
                )
                uow.record("subsidy.decided", subject=row.id, data=_subsidy_data(row))
            uow.commit()
            return SUBSIDY.dump(row)

    @rpc
    def get_subsidy(self, subsidy_id: str) -> dict:
        with self.db.reading() as session:
            return SUBSIDY.dump(
                self._visible(session.get(SubsidyApplication, subsidy_id), "subsidy application")
            )

    @rpc
    def subsidies_of(self, person_id: str, after: str | None = None, limit: int = 20) -> dict:
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(SubsidyApplication).where(SubsidyApplication.person_id == person_id),
                [(SubsidyApplication.submitted_at, DESC), (SubsidyApplication.id, DESC)],
                after,
                limit,
            )
            return _page(page, SUBSIDY)

    @rpc
    def list_subsidies(self, filters: dict) -> dict:
        self._staff()
        args = HousingSubsidyFilter().load(filters)
        query = sa.select(SubsidyApplication)
        for name in ("kind", "state"):
            if name in args:
                query = query.where(getattr(SubsidyApplication, name) == args[name])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(SubsidyApplication.submitted_at, False), (SubsidyApplication.id, False)],
                args.get("after"),
                args["limit"],
            )
            return _page(page, SUBSIDY)

    @rpc
    def decide_subsidy(self, subsidy_id: str, decision: dict) -> dict:
        """An officer grants (an amount up to the one requested) or refuses with a reason."""
        actor = self._staff()
        fields = HousingSubsidyDecision().load(decision)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = _locked(uow.session, SubsidyApplication, subsidy_id, "subsidy application")
            verdict, amount = fields["decision"], fields.get("amount_granted_cny")
            domain.check_subsidy_decision(
                row.state, verdict, amount, row.amount_requested_cny, fields.get("reason")
            )
            failed = [rule["rule"] for rule in json.loads(row.eligibility) if not rule["passed"]]
            if verdict == domain.GRANTED:
                domain.check_approvable(row.eligible, failed)
                row.amount_granted_cny = amount
            row.state, row.decided_at, row.decided_by = verdict, now, actor.account_id
            row.decision_reason = fields.get("reason")
            uow.audit(
                f"subsidy.{verdict}",
                ("subsidy", row.id),
                fields.get("reason"),
                {"kind": row.kind, "amount_granted_cny": amount},
            )
            uow.record("subsidy.decided", subject=row.id, data=_subsidy_data(row))
            uow.commit()
            return SUBSIDY.dump(row)

    # -- the talent ledger (人才台账) ----------------------------------------------------

    @rpc
    def list_ledger(self, filters: dict) -> dict:
        self._staff()
        args = LedgerFilter().load(filters)
        query = sa.select(LedgerEntry)
        for name in ("kind", "person_id"):
            if name in args:
                query = query.where(getattr(LedgerEntry, name) == args[name])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(LedgerEntry.housed_since, DESC), (LedgerEntry.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return _page(page, ENTRY)

    @rpc
    def get_ledger_entry(self, entry_id: str) -> dict:
        self._staff()
        with self.db.reading() as session:
            entry = session.get(LedgerEntry, entry_id)
            if entry is None:
                raise NotFound("ledger entry")
            visits = (
                session.execute(
                    sa.select(LedgerFollowUp)
                    .where(LedgerFollowUp.entry_id == entry_id)
                    .order_by(LedgerFollowUp.visited_on.desc(), LedgerFollowUp.id)
                )
                .scalars()
                .all()
            )
            view = ENTRY.dump(entry)
            view["visits"] = FOLLOWUP.dump(visits, many=True)
            return view

    @rpc
    def record_followup(self, entry_id: str, followup: dict) -> dict:
        """An officer's follow-up visit (跟踪服务), kept with the entry and in the audit trail."""
        actor = self._staff()
        fields = FollowUpInput().load(followup)
        with self.db.unit_of_work() as uow:
            entry = _locked(uow.session, LedgerEntry, entry_id, "ledger entry")
            visit = LedgerFollowUp(
                id=_new_id(),
                entry_id=entry.id,
                recorded_by=actor.account_id,
                recorded_at=utcnow(),
                **fields,
            )
            uow.session.add(visit)
            entry.followups += 1
            if entry.last_followup_on is None or visit.visited_on > entry.last_followup_on:
                entry.last_followup_on = visit.visited_on
            uow.session.flush()
            uow.audit(
                "ledger.followup_recorded",
                ("ledger_entry", entry.id),
                fields.get("notes") or None,
                {"method": visit.method, "visited_on": visit.visited_on},
            )
            uow.record(
                "ledger.followup_recorded",
                subject=entry.id,
                data={
                    "entry_id": entry.id,
                    "followup_id": visit.id,
                    "person_id": entry.person_id,
                    "visited_on": visit.visited_on,
                    "method": visit.method,
                },
            )
            uow.commit()
            return FOLLOWUP.dump(visit)

    # -- the gateway's aggregated views -------------------------------------------------

    @rpc
    def dashboard(self, person_id: str) -> dict:
        """The person's housing applications, offers, station bookings and subsidy
        applications, newest first (four queries, at most 20 of each)."""
        items = []

        def title(kind: str, noun_zh: str, noun_en: str) -> dict:
            zh, en = domain.KIND_LABELS[kind]
            return {"zh-CN": f"{zh}{noun_zh}", "en": f"{en} {noun_en}".strip()}

        def item(kind, row, heading, step_kind, updated_at, link):
            return {
                "kind": f"housing.{kind}",
                "id": row.id,
                "title": heading,
                "state": row.state,
                "next_step": domain.next_step(step_kind, row.state),
                "updated_at": updated_at,
                "link": link,
            }

        with self.db.reading() as session:

            def latest(model, order):
                return (
                    session.execute(
                        sa.select(model)
                        .where(model.person_id == person_id)
                        .order_by(order.desc())
                        .limit(20)
                    )
                    .scalars()
                    .all()
                )

            for row in latest(HousingApplication, HousingApplication.submitted_at):
                items.append(
                    item(
                        "application",
                        row,
                        title(row.kind, "申请", "application"),
                        "application",
                        row.updated_at,
                        f"/api/v1/housing/applications/{row.id}",
                    )
                )
            for row in latest(Offer, Offer.offered_at):
                items.append(
                    item(
                        "offer",
                        row,
                        title(row.kind, "房源分配", "offer"),
                        "offer",
                        row.responded_at or row.offered_at,
                        f"/api/v1/housing/offers/{row.id}",
                    )
                )
            for row in latest(StationBooking, StationBooking.created_at):
                heading = title(domain.STATION_BED, "预订", "booking")
                heading = {
                    "zh-CN": f"{heading['zh-CN']} {row.first_night}–{row.last_night}",
                    "en": f"{heading['en']} {row.first_night} to {row.last_night}",
                }
                items.append(
                    item(
                        "stationbooking",
                        row,
                        heading,
                        "stationbooking",
                        row.updated_at,
                        f"/api/v1/housing/station-bookings/{row.id}",
                    )
                )
            for row in latest(SubsidyApplication, SubsidyApplication.submitted_at):
                items.append(
                    item(
                        "subsidy",
                        row,
                        title(row.kind, "申请", "application"),
                        "subsidy",
                        row.decided_at or row.submitted_at,
                        f"/api/v1/housing/subsidy-applications/{row.id}",
                    )
                )
        items.sort(key=lambda i: i["updated_at"], reverse=True)
        for entry in items:
            entry["updated_at"] = entry["updated_at"].isoformat()
        return {"items": items}

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """Figures for the district days [since, until): see the README's table of codes."""
        period = HousingPeriod().load({"since": since, "until": until})
        first_day, end_day = period["since"], period["until"]
        start, end = clock.start_of(first_day), clock.start_of(end_day)
        figures: dict[str, float] = {}

        def put(code: str, value) -> None:
            figures[f"housing.{code}"] = value

        with self.db.reading() as session:
            app = HousingApplication
            for kind, count in session.execute(
                sa.select(app.kind, sa.func.count())
                .where(app.submitted_at >= start, app.submitted_at < end)
                .group_by(app.kind)
            ):
                put(f"applications.submitted.{kind}", count)
            for kind, decision, count in session.execute(
                sa.select(app.kind, app.decision, sa.func.count())
                .where(app.decided_at >= start, app.decided_at < end)
                .group_by(app.kind, app.decision)
            ):
                put(f"applications.{decision}.{kind}", count)
            for kind, count in session.execute(
                sa.select(Lease.kind, sa.func.count())
                .where(Lease.starts_on >= first_day, Lease.starts_on < end_day)
                .group_by(Lease.kind)
            ):
                put(f"allocations.{kind}", count)
            for state, count in session.execute(
                sa.select(Offer.state, sa.func.count())
                .where(
                    Offer.state.in_((domain.OFFER_DECLINED, domain.EXPIRED)),
                    Offer.responded_at >= start,
                    Offer.responded_at < end,
                )
                .group_by(Offer.state)
            ):
                put(f"offers.{state}", count)
            units = dict(
                session.execute(
                    sa.select(HousingUnit.kind, sa.func.count())
                    .where(HousingUnit.kind.in_(domain.RENTAL_KINDS), HousingUnit.created_at < end)
                    .group_by(HousingUnit.kind)
                ).all()
            )
            occupied = dict(
                session.execute(
                    sa.select(Lease.kind, sa.func.count())
                    .where(
                        Lease.starts_on < end_day,
                        sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= end_day),
                    )
                    .group_by(Lease.kind)
                ).all()
            )
            for kind in domain.RENTAL_KINDS:
                put(f"units.{kind}", units.get(kind, 0))
                put(f"leases_active.{kind}", occupied.get(kind, 0))
                total = units.get(kind, 0)
                put(f"occupancy.{kind}", round(occupied.get(kind, 0) / total, 4) if total else 0.0)
            nights = dict(
                session.execute(
                    sa.select(StationNight.state, sa.func.count())
                    .where(StationNight.night >= first_day, StationNight.night < end_day)
                    .group_by(StationNight.state)
                ).all()
            )
            put("station_nights", nights.get(domain.NIGHT_BOOKED, 0))
            put("station_nights.freed", nights.get(domain.NIGHT_CANCELLED, 0))
            sub = SubsidyApplication
            for kind, count, amount in session.execute(
                sa.select(sub.kind, sa.func.count(), sa.func.sum(sub.amount_granted_cny))
                .where(sub.state == domain.GRANTED, sub.decided_at >= start, sub.decided_at < end)
                .group_by(sub.kind)
            ):
                put(f"subsidies.granted.{kind}", count)
                put(f"subsidies.granted_cny.{kind}", float(amount or 0))
            put(
                "ledger.housed",
                session.execute(
                    sa.select(sa.func.count()).where(
                        LedgerEntry.housed_since >= first_day, LedgerEntry.housed_since < end_day
                    )
                ).scalar(),
            )
            put(
                "ledger.followups",
                session.execute(
                    sa.select(sa.func.count()).where(
                        LedgerFollowUp.visited_on >= first_day, LedgerFollowUp.visited_on < end_day
                    )
                ).scalar(),
            )
        return figures
