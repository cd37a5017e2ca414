"""The events service's nameko class: validates, applies the domain rules, persists, reports."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.common.db import Database
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.pagination import ASC, keyset_page
from services.common.rpc import rpc
from services.common.service import ServiceBase
from services.common.types import utcnow

from . import domain
from .events import EVENTS
from .messages import MESSAGES
from .models import Activity, Base, Registration
from .schemas import ActivityFilter, ActivityInput, ActivityView, RegistrationView

ACTIVITY = ActivityView()
ACTIVITIES = ActivityView(many=True)


def _registration_view(registration: Registration, position: int | None = None) -> dict:
    view = RegistrationView().dump(registration)
    view["waitlist_position"] = position
    return view


def _changed(registration: Registration, activity: Activity) -> dict:
    return {
        "registration_id": registration.id,
        "activity_id": activity.id,
        "person_id": registration.person_id,
        "state": registration.state,
        "activity_title": activity.title,
        "starts_at": activity.starts_at,
        "venue": activity.venue,
    }


def _published(activity: Activity) -> dict:
    return {
        "activity_id": activity.id,
        "title": activity.title,
        "category": activity.category,
        "organiser_unit": activity.organiser_unit,
        "area": activity.area,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
    }


class EventsService(ServiceBase):
    name = "events"
    messages = MESSAGES
    db = Database(Base.metadata, package="services.events", events=EVENTS)

    def _organiser(self) -> domain.Organiser:
        return domain.Organiser(
            self.caller.actor_id, self.caller.actor_role, self.caller.actor_unit
        )

    @staticmethod
    def _activity_for_update(session, activity_id: str) -> Activity:
        """The activity row, locked until commit on PostgreSQL (SQLite writers are serialised)."""
        activity = session.execute(
            sa.select(Activity).where(Activity.id == activity_id).with_for_update()
        ).scalar_one_or_none()
        if activity is None:
            raise NotFound("activity")
        return activity

    @rpc
    def create_activity(self, activity: dict) -> dict:
        """A draft activity of the calling officer's unit."""
        fields = ActivityInput().load(activity)
        organiser = self._organiser()
        named_unit = fields.pop("organiser_unit", None)
        unit = organiser.unit if organiser.role == "officer" else named_unit
        if unit is None:
            raise InvalidInput.for_field("organiser_unit", "required", MESSAGES)
        organiser.check_may_manage(unit)
        with self.db.unit_of_work() as uow:
            row = Activity(
                id=str(uuid.uuid4()),
                organiser_unit=unit,
                state=domain.DRAFT,
                created_by=organiser.account_id,
                created_at=utcnow(),
                **fields,
            )
            uow.session.add(row)
            uow.commit()
            return ACTIVITY.dump(row)

    @rpc
    def publish_activity(self, activity_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            activity = self._activity_for_update(uow.session, activity_id)
            self._organiser().check_may_manage(activity.organiser_unit)
            activity.state = domain.next_activity_state(activity.state, "publish")
            activity.published_at = utcnow()
            uow.record("activity.published", subject=activity.id, data=_published(activity))
            uow.commit()
            return ACTIVITY.dump(activity)

    @rpc
    def get_activity(self, activity_id: str) -> dict:
        with self.db.reading() as session:
            activity = session.get(Activity, activity_id)
            if activity is None:
                raise NotFound("activity")
            return ACTIVITY.dump(activity)

    @rpc
    def list_activities(self, filters: dict) -> dict:
        query_args = ActivityFilter().load(filters)
        query = sa.select(Activity).where(Activity.state == query_args["state"])
        if "category" in query_args:
            query = query.where(Activity.category == query_args["category"])
        if "area" in query_args:
            query = query.where(Activity.area == query_args["area"])
        if "starts_from" in query_args:
            query = query.where(Activity.starts_at >= query_args["starts_from"])
        if "starts_until" in query_args:
            query = query.where(Activity.starts_at <= query_args["starts_until"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(Activity.starts_at, ASC), (Activity.id, ASC)],
                query_args.get("after"),
                query_args["limit"],
            )
            return {"items": ACTIVITIES.dump(page.items), "next_cursor": page.next_cursor}

    @rpc
    def register(self, activity_id: str, person: dict) -> dict:
        """Confirm a place while places last, else join the waitlist; one registration each."""
        person_id, age = person["person_id"], person.get("age")
        now = utcnow()
        with self.db.unit_of_work() as uow:
            activity = self._activity_for_update(uow.session, activity_id)
            existing = uow.session.execute(
                sa.select(Registration).where(
                    Registration.activity_id == activity_id, Registration.person_id == person_id
                )
            ).scalar_one_or_none()
            if existing is not None and existing.state != domain.REG_CANCELLED:
                raise Conflict("already_registered")
            state = domain.place_for_new_registration(
                activity.state,
                activity.capacity,
                activity.confirmed_count,
                domain.Audience(activity.min_age, activity.max_age),
                domain.RegistrationWindow(
                    activity.registration_opens_at, activity.registration_closes_at
                ),
                age,
                now,
            )
            registration = existing or Registration(
                id=str(uuid.uuid4()), activity_id=activity_id, person_id=person_id
            )
            registration.state, registration.age, registration.queued_at = state, age, now
            registration.cancelled_at = registration.promoted_at = None
            uow.session.add(registration)
            if state == domain.CONFIRMED:
                activity.confirmed_count += 1
            else:
                activity.waitlisted_count += 1
            uow.session.flush()
            uow.record(
                f"registration.{state}",
                subject=registration.id,
                data=_changed(registration, activity),
            )
            position = (
                self._waitlist_position(uow.session, registration)
                if state == domain.WAITLISTED
                else None
            )
            uow.commit()
            return _registration_view(registration, position)

    @rpc
    def cancel_registration(self, registration_id: str) -> dict:
        """Give up a place; the first on the waitlist moves up and is told."""
        with self.db.unit_of_work() as uow:
            registration = uow.session.get(Registration, registration_id)
            if registration is None:
                raise NotFound("registration")
            domain.may_cancel_registration(
                self.caller.actor_id, self.caller.actor_role, registration.person_id
            )
            activity = self._activity_for_update(uow.session, registration.activity_id)
            if registration.state == domain.REG_CANCELLED:
                raise Conflict("registration_already_cancelled")
            freed_place = registration.state == domain.CONFIRMED
            if freed_place:
                activity.confirmed_count -= 1
            else:
                activity.waitlisted_count -= 1
            registration.state, registration.cancelled_at = domain.REG_CANCELLED, utcnow()
            uow.record(
                "registration.cancelled",
                subject=registration.id,
                data=_changed(registration, activity),
            )
            if freed_place and activity.state == domain.PUBLISHED:
                self._promote_first(uow, activity)
            uow.commit()
            return _registration_view(registration)

    def _promote_first(self, uow, activity: Activity) -> None:
        first = uow.session.execute(
            sa.select(Registration)
            .where(Registration.activity_id == activity.id, Registration.state == domain.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
            .limit(1)
        ).scalar_one_or_none()
        if first is None:
            return
        first.state, first.promoted_at = domain.CONFIRMED, utcnow()
        activity.waitlisted_count -= 1
        activity.confirmed_count += 1
        uow.record("registration.promoted", subject=first.id, data=_changed(first, activity))

    @staticmethod
    def _waitlist_position(session, registration: Registration) -> int:
        ahead = session.execute(
            sa.select(sa.func.count()).where(
                Registration.activity_id == registration.activity_id,
                Registration.state == domain.WAITLISTED,
                sa.tuple_(Registration.queued_at, Registration.id)
                < (registration.queued_at, registration.id),
            )
        ).scalar()
        return ahead + 1

    @rpc
    def registrations_of(self, person_id: str, after: str | None = None, limit: int = 20) -> dict:
        with self.db.reading() as session:
            query = sa.select(Registration).where(Registration.person_id == person_id)
            page = keyset_page(
                session,
                query,
                [(Registration.queued_at, ASC), (Registration.id, ASC)],
                after,
                limit,
            )
            return {
                "items": [
                    _registration_view(
                        r,
                        self._waitlist_position(session, r)
                        if r.state == domain.WAITLISTED
                        else None,
                    )
                    for r in page.items
                ],
                "next_cursor": page.next_cursor,
            }
