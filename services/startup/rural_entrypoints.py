"""Rural revitalisation's entrypoints (plan 三.3), mixed into `StartupService` as `Payments` is,
so the service class stays a list: each validates with the contract (`contract/rural.py`), opens
a unit of work or a reading session, calls one handler of `rural.py` or one query of
`queries/rural.py`, and answers a view. It uses the service's `db`, `policy` and `caller`.
"""

from __future__ import annotations

from services.common.rpc import rpc

from . import rural
from .contract import StartupPersonFacts
from .contract.rural import (
    DoerApplicationFilter,
    DoerApplicationInput,
    DoerCallFilter,
    DoerCallInput,
    DoerDecisionInput,
    FollowUpInput,
    PartnerApplicationFilter,
    PartnerApplicationInput,
    PartnerDecisionInput,
    PostingInput,
    RuralProjectFilter,
    RuralProjectInput,
)
from .queries import rural as records
from .queries.rural import CALL, DOER, FOLLOW_UP, PARTNER, PROJECT


class RuralRevitalisation:
    """The rural partner plan (乡村合伙人计划) and the young doers' plan (青年实干家计划)."""

    # -- the rural partner plan ------------------------------------------------------------------

    @rpc
    def publish_rural_project(self, project: dict) -> dict:
        """An officer of the agriculture unit publishes a partnership project."""
        fields = RuralProjectInput().load(project)
        with self.db.unit_of_work() as uow:
            row = rural.publish_project(uow, self.caller.actor, fields, self.policy)
        return PROJECT.dump(row)

    @rpc
    def close_rural_project(self, project_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            row = rural.close_project(uow, self.caller.actor, project_id)
        return PROJECT.dump(row)

    @rpc
    def list_rural_projects(self, filters: dict) -> dict:
        args = RuralProjectFilter().load(filters)
        with self.db.reading() as session:
            return records.list_projects(session, args)

    @rpc
    def get_rural_project(self, project_id: str) -> dict:
        with self.db.reading() as session:
            return records.get_project(session, project_id)

    @rpc
    def apply_as_partner(self, project_id: str, application: dict) -> dict:
        """A young person or a company offers a project a contribution it seeks."""
        fields = PartnerApplicationInput().load(application)
        with self.db.unit_of_work() as uow:
            row = rural.apply_as_partner(uow, self.caller.actor, project_id, fields)
        return {**PARTNER.dump(row), "follow_ups": []}

    @rpc
    def decide_partner_application(self, application_id: str, decision: dict) -> dict:
        fields = PartnerDecisionInput().load(decision)
        with self.db.unit_of_work() as uow:
            rural.decide_partner(uow, self.caller.actor, application_id, fields)
        return self._partner_application(application_id)

    @rpc
    def withdraw_partner_application(self, application_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            rural.withdraw_partner(uow, self.caller.actor, application_id)
        return self._partner_application(application_id)

    @rpc
    def follow_up_partner(self, application_id: str, follow_up: dict) -> dict:
        """The agriculture unit records how an accepted partnership is going."""
        fields = FollowUpInput().load(follow_up)
        with self.db.unit_of_work() as uow:
            row = rural.follow_up(uow, self.caller.actor, application_id, fields)
        return FOLLOW_UP.dump(row)

    @rpc
    def get_partner_application(self, application_id: str) -> dict:
        """One application with its follow-ups."""
        return self._partner_application(application_id)

    def _partner_application(self, application_id: str) -> dict:
        with self.db.reading() as session:
            return records.get_partner_application(session, self.caller.actor, application_id)

    @rpc
    def list_partner_applications(self, filters: dict) -> dict:
        args = PartnerApplicationFilter().load(filters)
        with self.db.reading() as session:
            return records.list_partner_applications(session, self.caller.actor, args, self.policy)

    # -- the young doers' plan -------------------------------------------------------------------

    @rpc
    def open_doer_call(self, call: dict) -> dict:
        """An officer of the organisation department opens a call for village support teams."""
        fields = DoerCallInput().load(call)
        with self.db.unit_of_work() as uow:
            row = rural.open_call(uow, self.caller.actor, fields, self.policy)
        return CALL.dump(row)

    @rpc
    def close_doer_call(self, call_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            row = rural.close_call(uow, self.caller.actor, call_id)
        return CALL.dump(row)

    @rpc
    def list_doer_calls(self, filters: dict) -> dict:
        args = DoerCallFilter().load(filters)
        with self.db.reading() as session:
            return records.list_calls(session, args)

    @rpc
    def get_doer_call(self, call_id: str) -> dict:
        with self.db.reading() as session:
            return records.get_call(session, call_id)

    @rpc
    def apply_as_doer(self, call_id: str, application: dict, person: dict) -> dict:
        """A young person applies to a call (the gateway passes their age and degree)."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        facts = StartupPersonFacts().load(person)
        fields = DoerApplicationInput().load(application)
        with self.db.unit_of_work() as uow:
            row = rural.apply_as_doer(uow, self.caller.actor, facts, call_id, fields, self.policy)
        return DOER.dump(row)

    @rpc
    def decide_doer_application(self, application_id: str, decision: dict) -> dict:
        fields = DoerDecisionInput().load(decision)
        with self.db.unit_of_work() as uow:
            row = rural.decide_doer(uow, self.caller.actor, application_id, fields)
        return DOER.dump(row)

    @rpc
    def post_doer(self, application_id: str, posting: dict) -> dict:
        """A selected member is posted to a village for a term."""
        fields = PostingInput().load(posting)
        with self.db.unit_of_work() as uow:
            row = rural.post_doer(uow, self.caller.actor, application_id, fields, self.policy)
        return DOER.dump(row)

    @rpc
    def withdraw_doer_application(self, application_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            row = rural.withdraw_doer(uow, self.caller.actor, application_id)
        return DOER.dump(row)

    @rpc
    def get_doer_application(self, application_id: str) -> dict:
        with self.db.reading() as session:
            return records.get_doer_application(session, self.caller.actor, application_id)

    @rpc
    def list_doer_applications(self, filters: dict) -> dict:
        args = DoerApplicationFilter().load(filters)
        with self.db.reading() as session:
            return records.list_doer_applications(session, self.caller.actor, args, self.policy)
