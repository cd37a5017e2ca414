"""The events service's nameko class: validates, applies the domain rules, persists, reports.

Every change to an activity's places (register, cancel, promote, check in, cancel the activity)
first locks the activity's row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises its
writers), then reads what it decides on, so two replicas deciding at the same moment see each
other's result and never hand out more places than there are.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from services.common.clock import clock, utcnow
from services.common.consumer import event_handler
from services.common.db import Database
from services.common.errors import IllegalTransition, InvalidInput
from services.common.pagination import ASC, DESC, keyset_page
from services.common.policy import Policy
from services.common.privacy import PersonErased, anonymised
from services.common.rpc import rpc
from services.common.service import Audited, ServiceBase

from . import domain, privacy
from .contract import (
    ActivityChanges,
    ActivityFields,
    ActivityFilter,
    ActivityInput,
    ActivityRegistrationView,
    ActivitySummary,
    ActivityView,
    CheckInInput,
    DecisionNote,
    DecisionReason,
    RosterEntry,
    RosterQuery,
    StoryFilter,
    StoryInput,
    StoryView,
    VenueChanges,
    VenueFilter,
    VenueInput,
    VenueView,
)
from .events import EVENTS
from .messages import MESSAGES
from .models import Activity, Base, Registration, Story, Venue
from .policy import EventsPolicy
from .schemas import IndicatorPeriod, Registrant
from .vocabulary import CATEGORIES

ACTIVITY = ActivityView()
ACTIVITIES = ActivityView(many=True)
SUMMARY = ActivitySummary()
STORY = StoryView()
PUBLIC_STORY_FIELDS = ("id", "title", "body", "byline", "published_at")
VENUE = VenueView()


def _waitlist_position():
    """The registration's place in its activity's waitlist (None unless waitlisted), computed
    in the same statement as the rows it belongs to."""
    ahead = aliased(Registration)
    count = (
        sa.select(sa.func.count())
        .where(
            ahead.activity_id == Registration.activity_id,
            ahead.state == domain.WAITLISTED,
            ahead.sequence <= Registration.sequence,
        )
        .correlate(Registration)
        .scalar_subquery()
    )
    return sa.case((Registration.state == domain.WAITLISTED, count), else_=None).label("position")


def _own_view(registration: Registration, activity: Activity | None, position=None) -> dict:
    """The person's view of their registration: with the check-in code while it is valid."""
    view = ActivityRegistrationView().dump(registration)
    view["waitlist_position"] = position
    view["check_in_code"] = (
        registration.check_in_code if registration.state == domain.CONFIRMED else None
    )
    view["activity"] = SUMMARY.dump(activity) if activity is not None else None
    return view


def _roster_entry(registration: Registration, position=None) -> dict:
    view = RosterEntry().dump(registration)
    view["waitlist_position"] = position
    return view


def _changed(registration: Registration, activity: Activity, position: int | None = None) -> dict:
    return {
        "registration_id": registration.id,
        "activity_id": activity.id,
        "person_id": registration.person_id,
        "state": registration.state,
        "activity_title": activity.title,
        "starts_at": activity.starts_at,
        "venue": activity.venue,
        "waitlist_position": position,
    }


def _published(activity: Activity) -> dict:
    return {
        "activity_id": activity.id,
        "title": activity.title,
        "category": activity.category,
        "organiser_unit": activity.organiser_unit,
        "venue_id": activity.venue_id,
        "area": activity.area,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
    }


def _story_event(story: Story, reason: str | None = None) -> dict:
    data = {
        "story_id": story.id,
        "author_id": story.author_id,
        "state": story.state,
        "submitted_at": story.submitted_at,
        "published_at": story.published_at,
    }
    if reason is not None:
        data["reason"] = reason
    return data


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class EventsService(ServiceBase, Audited):
    """Activities, registrations with capacity and waitlist, check-in, venues, stories."""

    name = "events"
    messages = MESSAGES
    db = Database(Base.metadata, package="services.events", events=EVENTS)
    policy = Policy(EventsPolicy)

    # -- who is calling ---------------------------------------------------------------------------

    def _organiser(self) -> domain.Organiser:
        return domain.Organiser(
            self.caller.actor_id, self.caller.actor_role, self.caller.actor_unit
        )

    def _reader(self) -> domain.Reader:
        return domain.Reader(
            self.caller.actor_id,
            self.caller.actor_role,
            self.caller.actor_unit,
            self.policy.story_moderator_units,
        )

    # -- activities -------------------------------------------------------------------------------

    @staticmethod
    def _activity_for_update(session, activity_id: str) -> Activity:
        """The activity row, locked until commit on PostgreSQL (SQLite writers are serialised)."""
        activity = session.execute(
            sa.select(Activity).where(Activity.id == activity_id).with_for_update()
        ).scalar_one_or_none()
        if activity is None:
            raise domain.not_found("activity")
        return activity

    def _place_at_venue(self, session, fields: dict) -> None:
        """An activity at a venue takes its name and area unless given, and must fit its hours."""
        venue_id = fields.get("venue_id")
        if venue_id is None:
            return
        venue = session.get(Venue, venue_id)
        if venue is None:
            raise InvalidInput.for_field("venue_id", "unknown_venue", MESSAGES)
        hours = domain.OpeningHours.from_data(venue.opening_hours)
        domain.check_venue_hosts(hours, fields["starts_at"], fields["ends_at"], clock.zone)
        fields["venue"] = fields.get("venue") or venue.name
        fields["area"] = fields.get("area") or venue.area

    @rpc
    def create_activity(self, activity: dict) -> dict:
        """A draft activity of the calling officer's unit (an administrator names the unit)."""
        fields = ActivityInput().load(activity)
        organiser = self._organiser()
        named_unit = fields.pop("organiser_unit", None)
        unit = organiser.unit if organiser.role == "officer" else named_unit
        if unit is None:
            raise InvalidInput.for_field("organiser_unit", "required", MESSAGES)
        organiser.check_may_manage(unit)
        with self.db.unit_of_work() as uow:
            self._place_at_venue(uow.session, fields)
            now = utcnow()
            row = Activity(
                id=str(uuid.uuid4()),
                organiser_unit=unit,
                state=domain.DRAFT,
                created_by=organiser.account_id,
                created_at=now,
                updated_at=now,
                **fields,
            )
            uow.session.add(row)
            uow.commit()
            return ACTIVITY.dump(row)

    @rpc
    def update_activity(self, activity_id: str, changes: dict) -> dict:
        """Change a draft; the whole activity is checked again as if it were new."""
        changes = ActivityChanges().load(changes)
        with self.db.unit_of_work() as uow:
            activity = self._activity_for_update(uow.session, activity_id)
            self._organiser().check_may_manage_activity(activity.state, activity.organiser_unit)
            if activity.state != domain.DRAFT:
                raise IllegalTransition(activity.state, "edit")
            current = ActivityFields().dump(activity)
            if "venue_id" in changes and changes["venue_id"] != activity.venue_id:
                # a new venue brings its own name and area unless the change names them
                current.pop("venue", None)
                current.pop("area", None)
            merged = {
                k: v for k, v in (current | ActivityFields().dump(changes)).items() if v is not None
            }
            fields = ActivityInput().load(merged)
            self._place_at_venue(uow.session, fields)
            for name, value in fields.items():
                setattr(activity, name, value)
            activity.updated_at = utcnow()
            uow.commit()
            return ACTIVITY.dump(activity)

    @rpc
    def publish_activity(self, activity_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            activity = self._activity_for_update(uow.session, activity_id)
            self._organiser().check_may_manage_activity(activity.state, activity.organiser_unit)
            activity.state = domain.next_activity_state(activity.state, "publish")
            now = utcnow()
            domain.check_may_publish(activity.ends_at, now)
            activity.published_at = activity.updated_at = now
            uow.record("activity.published", subject=activity.id, data=_published(activity))
            uow.audit("activity.published", ("activity", activity.id))
            uow.commit()
            return ACTIVITY.dump(activity)

    @rpc
    def cancel_activity(self, activity_id: str, decision: dict) -> dict:
        """Cancel an activity: every registration still in play ends with it, and each of its
        people is told why (one `registration.activity_cancelled` each)."""
        reason = DecisionReason().load(decision)["reason"]
        with self.db.unit_of_work() as uow:
            activity = self._activity_for_update(uow.session, activity_id)
            self._organiser().check_may_manage_activity(activity.state, activity.organiser_unit)
            activity.state = domain.next_activity_state(activity.state, "cancel")
            now = utcnow()
            activity.cancelled_at = activity.updated_at = now
            activity.cancel_reason = reason
            affected = (
                uow.session.execute(
                    sa.select(Registration)
                    .where(
                        Registration.activity_id == activity.id,
                        Registration.state.in_(domain.ACTIVE_REGISTRATION),
                    )
                    .order_by(Registration.sequence)
                )
                .scalars()
                .all()
            )
            for registration in affected:
                registration.state = domain.next_registration_state(registration.state, "void")
                registration.cancelled_at = registration.updated_at = now
                registration.cancelled_by = domain.BY_ACTIVITY
                uow.record(
                    "registration.activity_cancelled",
                    subject=registration.id,
                    data=_changed(registration, activity) | {"reason": reason},
                )
            activity.confirmed_count = activity.waitlisted_count = 0
            uow.record(
                "activity.cancelled",
                subject=activity.id,
                data={
                    "activity_id": activity.id,
                    "category": activity.category,
                    "organiser_unit": activity.organiser_unit,
                    "reason": reason,
                    "registrations_affected": len(affected),
                    "cancelled_at": now,
                },
            )
            uow.audit(
                "activity.cancelled",
                ("activity", activity.id),
                reason,
                {"registrations_affected": len(affected)},
            )
            uow.commit()
            return ACTIVITY.dump(activity)

    @rpc
    def finish_activity(self, activity_id: str, decision: dict | None = None) -> dict:
        """Close an activity that took place; its attendance is final."""
        reason = DecisionNote().load(decision or {}).get("reason")
        with self.db.unit_of_work() as uow:
            activity = self._activity_for_update(uow.session, activity_id)
            self._organiser().check_may_manage_activity(activity.state, activity.organiser_unit)
            activity.state = domain.next_activity_state(activity.state, "finish")
            now = utcnow()
            domain.check_may_finish(activity.starts_at, now)
            activity.finished_at = activity.updated_at = now
            attendance = {
                "places_taken": activity.confirmed_count,
                "attended": activity.attended_count,
            }
            uow.record(
                "activity.finished",
                subject=activity.id,
                data={
                    "activity_id": activity.id,
                    "category": activity.category,
                    "organiser_unit": activity.organiser_unit,
                    "finished_at": now,
                    **attendance,
                },
            )
            uow.audit("activity.finished", ("activity", activity.id), reason, attendance)
            uow.commit()
            return ACTIVITY.dump(activity)

    @rpc
    def get_activity(self, activity_id: str) -> dict:
        with self.db.reading() as session:
            activity = session.get(Activity, activity_id)
            if activity is None:
                raise domain.not_found("activity")
            self._organiser().check_may_see(activity.state, activity.organiser_unit)
            return ACTIVITY.dump(activity)

    def _activity_page(self, session, query_args: dict, venue_id: str | None = None) -> dict:
        state = query_args["state"]
        query = sa.select(Activity).where(Activity.state == state)
        if state == domain.DRAFT:
            units = self._organiser().draft_units()
            if units is not None:
                query = query.where(Activity.organiser_unit.in_(units))
        venue_id = venue_id or query_args.get("venue_id")
        if venue_id:
            query = query.where(Activity.venue_id == venue_id)
        if "category" in query_args:
            query = query.where(Activity.category == query_args["category"])
        if "area" in query_args:
            query = query.where(Activity.area == query_args["area"])
        if "starts_from" in query_args:
            query = query.where(Activity.starts_at >= query_args["starts_from"])
        if "starts_until" in query_args:
            query = query.where(Activity.starts_at <= query_args["starts_until"])
        page = keyset_page(
            session,
            query,
            [(Activity.starts_at, ASC), (Activity.id, ASC)],
            query_args.get("after"),
            query_args["limit"],
        )
        return {"items": ACTIVITIES.dump(page.items), "next_cursor": page.next_cursor}

    @rpc
    def list_activities(self, filters: dict) -> dict:
        """Published activities (by default) by category, area, venue and start, soonest first."""
        query_args = ActivityFilter().load(filters)
        with self.db.reading() as session:
            return self._activity_page(session, query_args)

    # -- registrations ----------------------------------------------------------------------------

    def _new_code(self, session, activity_id: str) -> str:
        """A check-in code no other registration of the activity has (the activity is locked)."""
        while True:
            code = domain.new_check_in_code(self.policy.check_in_code_length)
            taken = session.execute(
                sa.select(Registration.id).where(
                    Registration.activity_id == activity_id, Registration.check_in_code == code
                )
            ).first()
            if taken is None:
                return code

    @rpc
    def register(self, activity_id: str, person: dict) -> dict:
        """Confirm a place while places last, else join the waitlist; one registration each."""
        facts = Registrant().load(person)
        person_id = facts["person_id"]
        with self.db.unit_of_work() as uow:
            activity = self._activity_for_update(uow.session, activity_id)
            self._organiser().check_may_see(activity.state, activity.organiser_unit)
            now = utcnow()
            existing = uow.session.execute(
                sa.select(Registration).where(
                    Registration.activity_id == activity_id, Registration.person_id == person_id
                )
            ).scalar_one_or_none()
            domain.check_may_register_again(existing.state if existing else None)
            age = domain.age_at_activity(
                facts.get("birth_date"), facts.get("age"), activity.starts_at, clock.zone
            )
            state = domain.place_for_new_registration(
                activity.state,
                activity.capacity,
                activity.confirmed_count,
                domain.Audience(activity.min_age, activity.max_age),
                domain.registration_window(
                    activity.registration_opens_at,
                    activity.registration_closes_at,
                    activity.ends_at,
                ),
                age,
                now,
            )
            registration = existing or Registration(
                id=str(uuid.uuid4()), activity_id=activity_id, person_id=person_id
            )
            activity.last_sequence += 1
            registration.state, registration.age = state, age
            registration.sequence, registration.queued_at = activity.last_sequence, now
            registration.updated_at = now
            registration.promoted_at = registration.cancelled_at = None
            registration.cancelled_by = registration.checked_in_at = None
            registration.checked_in_by = None
            registration.check_in_code = (
                self._new_code(uow.session, activity.id) if state == domain.CONFIRMED else None
            )
            uow.session.add(registration)
            position = None
            if state == domain.CONFIRMED:
                activity.confirmed_count += 1
            else:
                activity.waitlisted_count += 1
                # the newest arrival is last in line
                position = activity.waitlisted_count
            uow.record(
                f"registration.{state}",
                subject=registration.id,
                data=_changed(registration, activity, position),
            )
            uow.commit()
            return _own_view(registration, activity, position)

    def _own_registration_for_update(self, session, registration_id: str):
        """The caller's registration and its activity, the activity locked first and the
        registration read after the lock (what another transaction just did is seen)."""
        found = session.get(Registration, registration_id)
        if found is None:
            raise domain.not_found("registration")
        domain.check_registration_owner(
            self.caller.actor_id, self.caller.actor_role, found.person_id
        )
        activity = self._activity_for_update(session, found.activity_id)
        registration = session.execute(
            sa.select(Registration)
            .where(Registration.id == registration_id)
            .execution_options(populate_existing=True)
        ).scalar_one()
        return registration, activity

    @rpc
    def cancel_registration(self, registration_id: str) -> dict:
        """Give up a place; the first on the waitlist moves up and is told."""
        with self.db.unit_of_work() as uow:
            registration, activity = self._own_registration_for_update(uow.session, registration_id)
            now = utcnow()
            domain.check_cancellable(registration.state, activity.ends_at, now)
            freed_place = registration.state == domain.CONFIRMED
            if freed_place:
                activity.confirmed_count -= 1
            else:
                activity.waitlisted_count -= 1
            registration.state = domain.next_registration_state(registration.state, "cancel")
            registration.cancelled_at = registration.updated_at = now
            registration.cancelled_by = domain.BY_PERSON
            uow.record(
                "registration.cancelled",
                subject=registration.id,
                data=_changed(registration, activity),
            )
            if domain.promotes_on_cancel(freed_place, activity.state, activity.ends_at, now):
                self._promote_first(uow, activity, now)
            uow.commit()
            return _own_view(registration, activity)

    def _promote_first(self, uow, activity: Activity, now: datetime) -> None:
        first = uow.session.execute(
            sa.select(Registration)
            .where(Registration.activity_id == activity.id, Registration.state == domain.WAITLISTED)
            .order_by(Registration.sequence)
            .limit(1)
        ).scalar_one_or_none()
        if first is None:
            return
        first.state = domain.next_registration_state(first.state, "promote")
        first.promoted_at = first.updated_at = now
        first.check_in_code = self._new_code(uow.session, activity.id)
        activity.waitlisted_count -= 1
        activity.confirmed_count += 1
        uow.record("registration.promoted", subject=first.id, data=_changed(first, activity))

    @rpc
    def get_registration(self, registration_id: str) -> dict:
        """One of the caller's registrations, with its check-in code while it is confirmed."""
        with self.db.reading() as session:
            row = session.execute(
                sa.select(Registration, Activity, _waitlist_position())
                .join(Activity, Activity.id == Registration.activity_id)
                .where(Registration.id == registration_id)
            ).first()
            if row is None:
                raise domain.not_found("registration")
            registration, activity, position = row
            domain.check_registration_owner(
                self.caller.actor_id, self.caller.actor_role, registration.person_id
            )
            return _own_view(registration, activity, position)

    @rpc
    def registrations_of(self, person_id: str, after: str | None = None, limit: int = 20) -> dict:
        """A person's registrations, oldest first, each with its activity and waitlist place."""
        with self.db.reading() as session:
            query = (
                sa.select(Registration, Activity, _waitlist_position())
                .join(Activity, Activity.id == Registration.activity_id)
                .where(Registration.person_id == person_id)
            )
            page = keyset_page(
                session,
                query,
                [(Registration.queued_at, ASC), (Registration.id, ASC)],
                after,
                limit,
                key=lambda row: (row[0].queued_at, row[0].id),
                rows=True,
            )
            return {
                "items": [_own_view(r, a, position) for r, a, position in page.items],
                "next_cursor": page.next_cursor,
            }

    @rpc
    def activity_registrations(self, activity_id: str, query: dict) -> dict:
        """The organiser's roster of an activity in arrival order: ids and states, no codes."""
        args = RosterQuery().load(query)
        with self.db.reading() as session:
            activity = session.get(Activity, activity_id)
            if activity is None:
                raise domain.not_found("activity")
            self._organiser().check_may_manage_activity(activity.state, activity.organiser_unit)
            select = sa.select(Registration, _waitlist_position()).where(
                Registration.activity_id == activity_id
            )
            if "state" in args:
                select = select.where(Registration.state == args["state"])
            page = keyset_page(
                session,
                select,
                [(Registration.sequence, ASC), (Registration.id, ASC)],
                args.get("after"),
                args["limit"],
                key=lambda row: (row[0].sequence, row[0].id),
                rows=True,
            )
            return {
                "items": [_roster_entry(r, position) for r, position in page.items],
                "next_cursor": page.next_cursor,
            }

    @rpc
    def check_in(self, activity_id: str, check_in: dict) -> dict:
        """The organiser scans a person's one-time code: they are counted as attending. A code
        works once."""
        code = domain.normalise_code(CheckInInput().load(check_in)["code"])
        with self.db.unit_of_work() as uow:
            activity = self._activity_for_update(uow.session, activity_id)
            self._organiser().check_may_manage_activity(activity.state, activity.organiser_unit)
            registration = uow.session.execute(
                sa.select(Registration).where(
                    Registration.activity_id == activity.id, Registration.check_in_code == code
                )
            ).scalar_one_or_none()
            if registration is None:
                raise domain.not_found("check_in_code")
            now = utcnow()
            window = domain.CheckInWindow.of(
                activity.starts_at,
                activity.ends_at,
                self.policy.check_in_opens_minutes_before_start,
            )
            registration.state = domain.check_in_state(
                activity.state, window, registration.state, registration.checked_in_at, now
            )
            registration.checked_in_at = registration.updated_at = now
            registration.checked_in_by = self.caller.actor_id
            activity.attended_count += 1
            uow.record(
                "registration.checked_in",
                subject=registration.id,
                data=_changed(registration, activity) | {"checked_in_at": now},
            )
            uow.commit()
            return _roster_entry(registration)

    # -- venues -----------------------------------------------------------------------------------

    def _venue_view(self, venue: Venue, now: datetime) -> dict:
        view = VENUE.dump(venue)
        hours = domain.OpeningHours.from_data(venue.opening_hours)
        view["open_now"] = hours.is_open_at(now, clock.zone)
        return view

    def _check_may_keep_venues(self) -> None:
        domain.check_may_keep_venues(
            self.caller.actor_role, self.caller.actor_unit, self.policy.venue_units
        )

    @rpc
    def create_venue(self, venue: dict) -> dict:
        """Register a venue of the fitness circle with its opening hours."""
        self._check_may_keep_venues()
        fields = VenueInput().load(venue)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = Venue(
                id=str(uuid.uuid4()),
                created_by=self.caller.actor_id,
                created_at=now,
                updated_at=now,
                **fields,
            )
            uow.session.add(row)
            uow.audit("venue.registered", ("venue", row.id), details={"name": row.name})
            uow.commit()
            return self._venue_view(row, now)

    @rpc
    def update_venue(self, venue_id: str, changes: dict) -> dict:
        """Change a venue (its opening hours, say); activities already planned stay as they are."""
        self._check_may_keep_venues()
        fields = VenueChanges().load(changes)
        with self.db.unit_of_work() as uow:
            venue = uow.session.get(Venue, venue_id)
            if venue is None:
                raise domain.not_found("venue")
            for name, value in fields.items():
                setattr(venue, name, value)
            now = utcnow()
            venue.updated_at = now
            uow.audit("venue.updated", ("venue", venue.id), details={"fields": sorted(fields)})
            uow.commit()
            return self._venue_view(venue, now)

    @rpc
    def get_venue(self, venue_id: str) -> dict:
        with self.db.reading() as session:
            venue = session.get(Venue, venue_id)
            if venue is None:
                raise domain.not_found("venue")
            return self._venue_view(venue, utcnow())

    @rpc
    def list_venues(self, filters: dict) -> dict:
        """Venues by area and kind, by name; each says whether it is open now."""
        args = VenueFilter().load(filters)
        query = sa.select(Venue)
        if "area" in args:
            query = query.where(Venue.area == args["area"])
        if "kind" in args:
            query = query.where(Venue.kind == args["kind"])
        now = utcnow()
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(Venue.name, ASC), (Venue.id, ASC)],
                args.get("after"),
                args["limit"],
            )
            return {
                "items": [self._venue_view(v, now) for v in page.items],
                "next_cursor": page.next_cursor,
            }

    @rpc
    def venue_activities(self, venue_id: str, filters: dict) -> dict:
        """The activities a venue hosts (published by default), soonest first."""
        args = ActivityFilter().load(filters)
        with self.db.reading() as session:
            if session.get(Venue, venue_id) is None:
                raise domain.not_found("venue")
            return self._activity_page(session, args, venue_id=venue_id)

    # -- stories ----------------------------------------------------------------------------------

    def _story_view(self, story: Story, reader: domain.Reader) -> dict:
        view = STORY.dump(story)
        if reader.moderates or reader.account_id == story.author_id:
            return view
        return {name: view[name] for name in PUBLIC_STORY_FIELDS}

    @rpc
    def submit_story(self, story: dict) -> dict:
        """A young person's story for the column; it waits for a moderator."""
        domain.check_may_submit_story(self.caller.actor_role)
        fields = StoryInput().load(story)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = Story(
                id=str(uuid.uuid4()),
                author_id=self.caller.actor_id,
                state=domain.SUBMITTED,
                submitted_at=now,
                updated_at=now,
                **fields,
            )
            uow.session.add(row)
            uow.record("story.submitted", subject=row.id, data=_story_event(row))
            uow.commit()
            return STORY.dump(row)

    @rpc
    def get_story(self, story_id: str) -> dict:
        reader = self._reader()
        with self.db.reading() as session:
            story = session.get(Story, story_id)
            if story is None:
                raise domain.not_found("story")
            reader.check_may_read(story.state, story.author_id)
            return self._story_view(story, reader)

    @rpc
    def list_stories(self, filters: dict) -> dict:
        """The column (published stories, newest first); for moderators also the queue of
        submitted stories (oldest first) and what was rejected or taken down."""
        args = StoryFilter().load(filters)
        reader = self._reader()
        reader.check_may_list(args["state"])
        query = sa.select(Story).where(Story.state == args["state"])
        if args["state"] == domain.SUBMITTED:
            order = [(Story.submitted_at, ASC), (Story.id, ASC)]
        elif args["state"] == domain.STORY_PUBLISHED:
            order = [(Story.published_at, DESC), (Story.id, DESC)]
        else:
            order = [(Story.submitted_at, DESC), (Story.id, DESC)]
        with self.db.reading() as session:
            page = keyset_page(session, query, order, args.get("after"), args["limit"])
            return {
                "items": [self._story_view(s, reader) for s in page.items],
                "next_cursor": page.next_cursor,
            }

    @rpc
    def stories_of(self, person_id: str, after: str | None = None, limit: int = 20) -> dict:
        """A person's own stories, newest first, in every state."""
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(Story).where(Story.author_id == person_id),
                [(Story.submitted_at, DESC), (Story.id, DESC)],
                after,
                limit,
            )
            return {"items": STORY.dump(page.items, many=True), "next_cursor": page.next_cursor}

    @rpc
    def moderate_story(self, story_id: str, action: str, decision: dict | None = None) -> dict:
        """approve, reject (with a reason) or take down (with a reason) a story."""
        if action not in domain.STORY_TRANSITIONS:
            raise InvalidInput.for_field("action", "invalid", MESSAGES)
        reason = DecisionNote().load(decision or {}).get("reason")
        reader = self._reader()
        with self.db.unit_of_work() as uow:
            story = uow.session.execute(
                sa.select(Story).where(Story.id == story_id).with_for_update()
            ).scalar_one_or_none()
            if story is None:
                raise domain.not_found("story")
            reader.check_may_read(story.state, story.author_id)
            reader.check_may_moderate()
            story.state = domain.moderate(story.state, action, reason)
            now = utcnow()
            story.decided_at = story.updated_at = now
            story.decided_by, story.decision_reason = reader.account_id, reason
            if story.state == domain.STORY_PUBLISHED:
                story.published_at = now
                uow.record("story.published", subject=story.id, data=_story_event(story))
            else:
                uow.record(
                    f"story.{story.state}", subject=story.id, data=_story_event(story, reason)
                )
            uow.audit(f"story.{story.state}", ("story", story.id), reason)
            uow.commit()
            return self._story_view(story, reader)

    # -- personal data (PIPL) ---------------------------------------------------------------------

    @rpc
    def export_person(self, person_id: str) -> dict:
        """Everything held about the person: their registrations, each with its activity, the
        age it was decided on, the waitlist place and the check-in code, and their stories."""
        with self.db.reading() as session:
            rows = session.execute(
                sa.select(Registration, Activity, _waitlist_position())
                .join(Activity, Activity.id == Registration.activity_id)
                .where(Registration.person_id == person_id)
                .order_by(Registration.queued_at, Registration.id)
            ).all()
            stories = (
                session.execute(
                    sa.select(Story)
                    .where(Story.author_id == person_id)
                    .order_by(Story.submitted_at, Story.id)
                )
                .scalars()
                .all()
            )
            return {
                "registrations": [
                    # the code as stored, spent or not: an export hides nothing held
                    _own_view(registration, activity, position)
                    | {"age": registration.age, "check_in_code": registration.check_in_code}
                    for registration, activity, position in rows
                ],
                "stories": STORY.dump(stories, many=True),
            }

    @event_handler("gateway", "person.erased", PersonErased)
    def on_person_erased(self, event, uow):
        """Anonymise the person's registrations and stories (what stays and why:
        `services/events/privacy.py`), and answer the gateway."""
        person_id = event.data["person_id"]
        records = privacy.erase_person(uow, person_id, utcnow(), self._promote_first)
        uow.record("person.anonymised", subject=person_id, data=anonymised(event, records))

    # -- the dashboard and the indicators ---------------------------------------------------------

    @rpc
    def dashboard(self, person_id: str) -> dict:
        """A person's registrations (upcoming activities first, with the waitlist place or the
        check-in code) and stories, for the gateway's "my dashboard"."""
        now, zone, policy = utcnow(), clock.zone, self.policy
        joined = (
            sa.select(Registration, Activity, _waitlist_position())
            .join(Activity, Activity.id == Registration.activity_id)
            .where(Registration.person_id == person_id)
        )
        ahead = sa.and_(Registration.state.in_(domain.ACTIVE_REGISTRATION), Activity.ends_at > now)
        with self.db.reading() as session:
            upcoming = session.execute(
                joined.where(ahead)
                .order_by(Activity.starts_at, Registration.id)
                .limit(policy.dashboard_upcoming_items)
            ).all()
            recent = session.execute(
                joined.where(sa.not_(ahead))
                .order_by(Registration.updated_at.desc(), Registration.id)
                .limit(policy.dashboard_recent_items)
            ).all()
            stories = (
                session.execute(
                    sa.select(Story)
                    .where(Story.author_id == person_id)
                    .order_by(Story.updated_at.desc(), Story.id)
                    .limit(policy.dashboard_recent_items)
                )
                .scalars()
                .all()
            )
        items = []
        for registration, activity, position in [*upcoming, *recent]:
            code = registration.check_in_code if registration.state == domain.CONFIRMED else None
            items.append(
                {
                    "kind": "events.registration",
                    "id": registration.id,
                    "title": MESSAGES.render("dashboard.registration", {"title": activity.title}),
                    "state": registration.state,
                    "next_step": domain.registration_next_step(
                        registration.state,
                        position,
                        code,
                        activity.starts_at,
                        activity.ends_at,
                        now,
                        zone,
                    ),
                    "updated_at": _iso(registration.updated_at or registration.queued_at),
                    "link": f"/api/v1/me/registrations/{registration.id}",
                    "starts_at": _iso(activity.starts_at),
                    "waitlist_position": position,
                    "check_in_code": code,
                }
            )
        for story in stories:
            items.append(
                {
                    "kind": "events.story",
                    "id": story.id,
                    "title": MESSAGES.render("dashboard.story", {"title": story.title}),
                    "state": story.state,
                    "next_step": domain.story_next_step(story.state, story.decision_reason),
                    "updated_at": _iso(story.updated_at),
                    "link": f"/api/v1/stories/{story.id}",
                }
            )
        return {"items": items}

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """The service's monitoring figures (监测评估) for the local days [since, until)."""
        args = IndicatorPeriod().load({"since": since, "until": until})
        period = domain.Period.of(args["since"], args["until"], clock.zone)

        def within(column):
            return sa.and_(column >= period.since, column < period.until)

        count = sa.func.count()
        with self.db.reading() as session:
            held = dict(
                session.execute(
                    sa.select(Activity.category, count)
                    .where(
                        Activity.state.in_(domain.HELD_ACTIVITY_STATES), within(Activity.starts_at)
                    )
                    .group_by(Activity.category)
                ).all()
            )
            attendance = dict(
                session.execute(
                    sa.select(Registration.state, count)
                    .join(Activity, Activity.id == Registration.activity_id)
                    .where(
                        Activity.state.in_(domain.HELD_ACTIVITY_STATES),
                        within(Activity.starts_at),
                        Registration.state.in_(domain.HOLDS_PLACE),
                    )
                    .group_by(Registration.state)
                ).all()
            )

            def how_many(query) -> int:
                return session.execute(query).scalar() or 0

            cancelled = how_many(sa.select(count).where(within(Activity.cancelled_at)))
            registrations = how_many(sa.select(count).where(within(Registration.queued_at)))
            promotions = how_many(sa.select(count).where(within(Registration.promoted_at)))
            submitted = how_many(sa.select(count).where(within(Story.submitted_at)))
            published = how_many(
                sa.select(count).where(
                    Story.state.in_(domain.ONCE_PUBLISHED),
                    within(Story.published_at),
                )
            )
        attended = attendance.get(domain.CHECKED_IN, 0)
        places_taken = attended + attendance.get(domain.CONFIRMED, 0)
        figures = {
            "events.activities_held": sum(held.values()),
            **{f"events.activities_held.{c}": held.get(c, 0) for c in CATEGORIES},
            "events.activities_cancelled": cancelled,
            "events.registrations": registrations,
            "events.waitlist_promotions": promotions,
            "events.places_taken": places_taken,
            "events.attended": attended,
            "events.attendance_rate": domain.attendance_rate(attended, places_taken),
            "events.stories_submitted": submitted,
            "events.stories_published": published,
        }
        return figures
