"""The events service's nameko class: the list of its entrypoints.

Each entrypoint validates its arguments with the contract's (or the service's) schema, opens a
unit of work (or a reading session), calls one handler of a feature module (or one query of
`queries/`) and returns the answer's view. The rules are in the feature modules and `domain.py`;
the README's "Where things are" names the module of each.
"""

from __future__ import annotations

from services.common.benefits import benefit_subject
from services.common.db import Database
from services.common.policy import Policy
from services.common.privacy import PersonalData, anonymised
from services.common.rpc import rpc
from services.common.schemas import PageQuery
from services.common.service import Audited, ServiceBase

from . import (
    activities,
    checkin,
    clubs,
    privacy,
    programmes,
    queries,
    registrations,
    showcases,
    slots,
    stories,
    venues,
    views,
    wellbeing,
)
from .contract import (
    ActivityChanges,
    ActivityFilter,
    ActivityInput,
    CheckInInput,
    ClubChanges,
    ClubFilter,
    ClubInput,
    CounsellingFilter,
    CounsellingInput,
    DecisionNote,
    DecisionReason,
    HeldInput,
    OutreachFilter,
    OutreachInput,
    RosterQuery,
    SalesReportInput,
    ScheduleInput,
    ShowcaseEntryInput,
    SlotFilter,
    SlotInput,
    StoryFilter,
    StoryInput,
    VenueChanges,
    VenueFilter,
    VenueInput,
)
from .events import EVENTS
from .messages import MESSAGES
from .models import Base
from .policy import EventsPolicy
from .repository import EventsRepository
from .schemas import IndicatorPeriod, Registrant


class EventsService(ServiceBase, Audited, PersonalData):
    """Activities, registrations with capacity and waitlist, check-in, venues, stories."""

    name = "events"
    messages = MESSAGES
    db = Database(
        Base.metadata, package="services.events", events=EVENTS, repository=EventsRepository
    )
    policy = Policy(EventsPolicy)
    personal_data = privacy

    # -- activities -------------------------------------------------------------------------------

    @rpc
    def create_activity(self, activity: dict) -> dict:
        """A draft activity of the calling officer's unit (an administrator names the unit)."""
        fields = ActivityInput().load(activity)
        with self.db.unit_of_work() as uow:
            row = activities.create(uow, self.caller.actor, fields)
        return views.ACTIVITY.dump(row)

    @rpc
    def update_activity(self, activity_id: str, changes: dict) -> dict:
        """Change a draft; the whole activity is checked again as if it were new."""
        changes = ActivityChanges().load(changes)
        with self.db.unit_of_work() as uow:
            row = activities.update(uow, self.caller.actor, activity_id, changes)
        return views.ACTIVITY.dump(row)

    @rpc
    def publish_activity(self, activity_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            row = activities.publish(uow, self.caller.actor, activity_id)
        return views.ACTIVITY.dump(row)

    @rpc
    def cancel_activity(self, activity_id: str, decision: dict) -> dict:
        """Cancel an activity: every registration still in play ends with it, each person told."""
        reason = DecisionReason().load(decision)["reason"]
        with self.db.unit_of_work() as uow:
            row = activities.cancel(uow, self.caller.actor, activity_id, reason)
        return views.ACTIVITY.dump(row)

    @rpc
    def finish_activity(self, activity_id: str, decision: dict | None = None) -> dict:
        """Close an activity that took place; its attendance is final."""
        reason = DecisionNote().load(decision or {}).get("reason")
        with self.db.unit_of_work() as uow:
            row = activities.finish(uow, self.caller.actor, activity_id, reason)
        return views.ACTIVITY.dump(row)

    @rpc
    def get_activity(self, activity_id: str) -> dict:
        with self.db.reading() as session:
            return queries.get_activity(session, self.caller.actor, activity_id)

    @rpc
    def list_activities(self, filters: dict) -> dict:
        """Published activities (by default) by category, area, venue and start, soonest first."""
        filters = ActivityFilter().load(filters)
        with self.db.reading() as session:
            return queries.list_activities(session, self.caller.actor, filters)

    # -- registrations and check-in ---------------------------------------------------------------

    @rpc
    def register(self, activity_id: str, person: dict) -> dict:
        """Confirm a place while places last, else join the waitlist; one registration each."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        facts = Registrant().load(person)
        with self.db.unit_of_work() as uow:
            answer = registrations.register(uow, self.caller.actor, activity_id, facts, self.policy)
        return views.own_registration(*answer)

    # -- the policy catalogue (政策找人) -----------------------------------------------------

    @rpc
    def programmes(self) -> list[dict]:
        """The service's programme for the public policy pages."""
        return [programmes.PROGRAMME.as_dict()]

    @rpc
    def benefits(self, person: dict) -> list[dict]:
        """The activities open now the person may register for, by registering's own rule:
        the caller's own, or anyone's for the platform's own work (after a fact changed)."""
        subject = benefit_subject(self.caller.actor, person)
        # the whole profile's facts come; registering decides on the age alone
        facts = Registrant().load(
            {"person_id": subject, "age": person.get("age"), "birth_date": person.get("birth_date")}
        )
        with self.db.unit_of_work() as uow:
            return programmes.benefits(uow, facts)

    @rpc
    def cancel_registration(self, registration_id: str) -> dict:
        """Give up a place; the first on the waitlist moves up and is told."""
        with self.db.unit_of_work() as uow:
            answer = registrations.cancel(uow, self.caller.actor, registration_id, self.policy)
        return views.own_registration(*answer)

    @rpc
    def get_registration(self, registration_id: str) -> dict:
        """One of the caller's registrations, with its check-in code while it is confirmed."""
        with self.db.reading() as session:
            return queries.get_registration(session, self.caller.actor, registration_id)

    @rpc
    def registrations_of(
        self, after: str | None = None, limit: int = 20, person_id: str | None = None
    ) -> dict:
        """A person's registrations, oldest first, each with its activity and waitlist place."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.registrations_of(session, person_id, after, limit)

    @rpc
    def activity_registrations(self, activity_id: str, query: dict) -> dict:
        """The organiser's roster of an activity in arrival order: ids and states, no codes."""
        query = RosterQuery().load(query)
        with self.db.reading() as session:
            return queries.roster(session, self.caller.actor, activity_id, query)

    @rpc
    def check_in(self, activity_id: str, check_in: dict) -> dict:
        """The organiser scans a person's one-time code: they are counted as attending."""
        code = CheckInInput().load(check_in)["code"]
        with self.db.unit_of_work() as uow:
            row = checkin.scan(uow, self.caller.actor, activity_id, code, self.policy)
        return views.roster_entry(row)

    # -- venues -----------------------------------------------------------------------------------

    @rpc
    def create_venue(self, venue: dict) -> dict:
        """Register a venue of the fitness circle with its opening hours."""
        fields = VenueInput().load(venue)
        with self.db.unit_of_work() as uow:
            row = venues.register_venue(uow, self.caller.actor, fields, self.policy)
        return views.venue(row, row.updated_at)  # open now: as of the change

    @rpc
    def update_venue(self, venue_id: str, changes: dict) -> dict:
        """Change a venue (its opening hours, say); activities already planned stay as they are."""
        fields = VenueChanges().load(changes)
        with self.db.unit_of_work() as uow:
            row = venues.update_venue(uow, self.caller.actor, venue_id, fields, self.policy)
        return views.venue(row, row.updated_at)  # open now: as of the change

    @rpc
    def get_venue(self, venue_id: str) -> dict:
        with self.db.reading() as session:
            return queries.get_venue(session, venue_id)

    @rpc
    def list_venues(self, filters: dict) -> dict:
        """Venues by area and kind, by name; each says whether it is open now."""
        filters = VenueFilter().load(filters)
        with self.db.reading() as session:
            return queries.list_venues(session, filters, self.policy)

    @rpc
    def venue_activities(self, venue_id: str, filters: dict) -> dict:
        """The activities a venue hosts (published by default), soonest first."""
        filters = ActivityFilter().load(filters)
        with self.db.reading() as session:
            return queries.venue_activities(session, self.caller.actor, venue_id, filters)

    # -- the 15-minute circle: slots, clubs, mental health (三.4) ---------------------------------

    @rpc
    def publish_slot(self, venue_id: str, slot: dict) -> dict:
        """A bookable time slot of a venue, within its opening hours."""
        fields = SlotInput().load(slot)
        with self.db.unit_of_work() as uow:
            row = slots.publish_slot(uow, self.caller.actor, venue_id, fields, self.policy)
        return views.slot(row, self.policy.slot_booking_opens_days_before)

    @rpc
    def venue_slots(self, venue_id: str, filters: dict) -> dict:
        """A venue's open slots, soonest first, with the places left."""
        filters = SlotFilter().load(filters)
        with self.db.reading() as session:
            return queries.venue_slots(session, venue_id, filters, self.policy)

    @rpc
    def book_slot(self, slot_id: str) -> dict:
        """A place in a slot for the calling young person while places last."""
        with self.db.unit_of_work() as uow:
            answer = slots.book(uow, self.caller.actor, slot_id, self.policy)
        return views.own_slot_booking(*answer)

    @rpc
    def cancel_slot_booking(self, booking_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            answer = slots.cancel_booking(uow, self.caller.actor, booking_id, self.policy)
        return views.own_slot_booking(*answer)

    @rpc
    def slot_bookings_of(
        self, after: str | None = None, limit: int = 20, person_id: str | None = None
    ) -> dict:
        """A person's slot bookings, newest first."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.slot_bookings_of(session, person_id, after, limit)

    @rpc
    def register_club(self, club: dict) -> dict:
        """Enter a youth sports club in the register (区教体局)."""
        fields = ClubInput().load(club)
        with self.db.unit_of_work() as uow:
            row = clubs.register_club(uow, self.caller.actor, fields, self.policy)
        return views.CLUB.dump(row)

    @rpc
    def update_club(self, club_id: str, changes: dict) -> dict:
        fields = ClubChanges().load(changes)
        with self.db.unit_of_work() as uow:
            row = clubs.update_club(uow, self.caller.actor, club_id, fields, self.policy)
        return views.CLUB.dump(row)

    @rpc
    def deregister_club(self, club_id: str, decision: dict) -> dict:
        reason = DecisionReason().load(decision)["reason"]
        with self.db.unit_of_work() as uow:
            row = clubs.deregister_club(uow, self.caller.actor, club_id, reason, self.policy)
        return views.CLUB.dump(row)

    @rpc
    def get_club(self, club_id: str) -> dict:
        with self.db.reading() as session:
            return queries.get_club(session, club_id)

    @rpc
    def list_clubs(self, filters: dict) -> dict:
        filters = ClubFilter().load(filters)
        with self.db.reading() as session:
            return queries.list_clubs(session, filters)

    @rpc
    def request_outreach(self, request: dict) -> dict:
        """A company's, a village's or an office's request for a mental-health session."""
        fields = OutreachInput().load(request)
        with self.db.unit_of_work() as uow:
            row = wellbeing.request_outreach(uow, self.caller.actor, fields)
        return views.OUTREACH.dump(row)

    @rpc
    def decide_outreach(self, request_id: str, action: str, decision: dict | None = None) -> dict:
        """schedule, decline or hold (the health unit); withdraw (the requester)."""
        decision = _decision(action, decision)
        with self.db.unit_of_work() as uow:
            row = wellbeing.decide_outreach(
                uow, self.caller.actor, request_id, action, decision, self.policy
            )
        return views.OUTREACH.dump(row)

    @rpc
    def get_outreach(self, request_id: str) -> dict:
        with self.db.reading() as session:
            return queries.get_outreach(session, self.caller.actor, request_id, self.policy)

    @rpc
    def list_outreach(self, filters: dict) -> dict:
        """The health unit's queue, or the requester's own requests."""
        filters = OutreachFilter().load(filters)
        with self.db.reading() as session:
            return queries.list_outreach(session, self.caller.actor, filters, self.policy)

    @rpc
    def book_counselling(self, booking: dict) -> dict:
        """A young person's counselling booking, with their separate consent (PIPL art. 28)."""
        fields = CounsellingInput().load(booking)
        with self.db.unit_of_work() as uow:
            row = wellbeing.book_counselling(uow, self.caller.actor, fields, self.policy)
        return views.COUNSELLING.dump(row)

    @rpc
    def decide_counselling(
        self, booking_id: str, action: str, decision: dict | None = None
    ) -> dict:
        """schedule and complete (the health unit); cancel (the person or the health unit)."""
        decision = _decision(action, decision)
        with self.db.unit_of_work() as uow:
            row = wellbeing.decide_counselling(
                uow, self.caller.actor, booking_id, action, decision, self.policy
            )
        return views.COUNSELLING.dump(row)

    @rpc
    def get_counselling(self, booking_id: str) -> dict:
        with self.db.reading() as session:
            return queries.get_counselling(session, self.caller.actor, booking_id, self.policy)

    @rpc
    def counselling_queue(self, filters: dict) -> dict:
        """The health unit's counselling bookings (its officers only)."""
        filters = CounsellingFilter().load(filters)
        with self.db.reading() as session:
            return queries.counselling_queue(session, self.caller.actor, filters, self.policy)

    @rpc
    def counselling_of(
        self, after: str | None = None, limit: int = 20, person_id: str | None = None
    ) -> dict:
        """A person's own counselling bookings."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.counselling_of(session, person_id, after, limit)

    # -- stories ----------------------------------------------------------------------------------

    @rpc
    def submit_story(self, story: dict) -> dict:
        """A young person's story for the column; it waits for a moderator."""
        fields = StoryInput().load(story)
        with self.db.unit_of_work() as uow:
            row = stories.submit(uow, self.caller.actor, fields)
        return views.STORY.dump(row)

    @rpc
    def get_story(self, story_id: str) -> dict:
        with self.db.reading() as session:
            return queries.get_story(
                session, self.caller.actor, story_id, self.policy.story_moderator_units
            )

    @rpc
    def list_stories(self, filters: dict) -> dict:
        """The column (published stories, newest first); for moderators also the queue."""
        filters = StoryFilter().load(filters)
        with self.db.reading() as session:
            return queries.list_stories(
                session, self.caller.actor, filters, self.policy.story_moderator_units
            )

    @rpc
    def stories_of(
        self, after: str | None = None, limit: int = 20, person_id: str | None = None
    ) -> dict:
        """A person's own stories, newest first, in every state."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.stories_of(session, person_id, after, limit)

    @rpc
    def moderate_story(self, story_id: str, action: str, decision: dict | None = None) -> dict:
        """approve, reject (with a reason) or take down (with a reason) a story."""
        reason = DecisionNote().load(decision or {}).get("reason")
        actor = self.caller.actor
        with self.db.unit_of_work() as uow:
            row = stories.moderate(uow, actor, story_id, action, reason, self.policy)
        return views.story(row, actor, self.policy.story_moderator_units)

    # -- showcases and live-commerce contests (showcases.py) --------------------------------------

    @rpc
    def enter_showcase(self, activity_id: str, entry: dict) -> dict:
        """A young person or a company enters a farm-product showcase or contest."""
        fields = ShowcaseEntryInput().load(entry)
        with self.db.unit_of_work() as uow:
            row = showcases.enter(uow, self.caller.actor, activity_id, fields)
        return showcases.ENTRY.dump(row)

    @rpc
    def report_showcase_sales(self, activity_id: str, entry_id: str, report: dict) -> dict:
        """The organiser reports an entrant's sales."""
        fields = SalesReportInput().load(report)
        with self.db.unit_of_work() as uow:
            row = showcases.report_sales(uow, self.caller.actor, activity_id, entry_id, fields)
        return showcases.ENTRY.dump(row)

    @rpc
    def showcase_entrants(self, activity_id: str, query: dict) -> dict:
        """A showcase's entrants (the organiser's), or the caller's own entry."""
        query = PageQuery().load(query)
        with self.db.reading() as session:
            return showcases.entrants(session, self.caller.actor, activity_id, query)

    # -- personal data (PIPL): `export_person` comes with PersonalData ---------------------------

    def release_person(self, uow, person_id: str) -> None:
        """Before the anonymisation: the person's places ahead go to the waitlist, their slot
        places are freed and their counselling still ahead is cancelled."""
        registrations.withdraw_person(uow, person_id, self.policy)
        slots.withdraw_person(uow, person_id)
        wellbeing.withdraw_person(uow, person_id)

    def after_anonymising(self, uow, event, erasure) -> None:
        """Answer the gateway without PersonalData's audit entry: that entry's subject is the
        person's id, and once a person is erased events keeps their id nowhere but in the
        history of its published events (README "Personal data";
        `tests/integration/test_events_privacy.py`)."""
        uow.record(
            "person.anonymised",
            subject=event.data["person_id"],
            data=anonymised(event, erasure.records),
        )

    # -- the dashboard and the indicators ---------------------------------------------------------

    @rpc
    def dashboard(self, person_id: str | None = None) -> dict:
        """A person's registrations (upcoming activities first, with the waitlist place or the
        check-in code) and stories, for the gateway's "my dashboard"."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.dashboard_items(session, person_id, self.policy)

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """The service's monitoring figures (监测评估) for the local days [since, until)."""
        period = IndicatorPeriod().load({"since": since, "until": until})
        with self.db.reading() as session:
            return queries.indicator_figures(session, period["since"], period["until"])


#: the body each decision on an outreach request or a counselling booking takes
_DECISIONS = {"schedule": ScheduleInput, "decline": DecisionReason, "hold": HeldInput}


def _decision(action: str, decision: dict | None) -> dict:
    schema = _DECISIONS.get(action)
    return schema().load(decision or {}) if schema else {}
