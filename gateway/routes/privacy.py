"""Personal-data rights (PIPL): a person sees everything held about them, and has it erased.

* `GET /api/v1/me/data` gathers the gateway's part and every service's (`export_person`), each
  labelled; a part that cannot be had makes the whole a 503 naming it (an export must not
  silently leave things out).
* `POST /api/v1/me/erasure` asks; an administrator confirms, or ERASURE_GRACE_HOURS pass. Then
  the gateway anonymises its own records, publishes `person.erased`, and follows each service's
  `person.anonymised` answer; a service that has not answered is asked again every
  ERASURE_RETRY_SECONDS until it has. Admins see the state service by service.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import uuid
from datetime import timedelta

import sqlalchemy as sa
from marshmallow import Schema, fields
from nameko.timer import timer
from werkzeug.wrappers import Response

from services.common.clock import utcnow
from services.common.consumer import event_handler
from services.common.encoding import dumps
from services.common.errors import Conflict, DomainError, NotFound
from services.common.privacy import PersonAnonymised
from services.common.registry import DOMAIN_SERVICES

from ..accounts import ADMIN, EMPLOYER, YOUTH, Viewer
from ..api import Call, PageResult, route
from ..fanout import call_all
from ..models import Account, ErasureRequest, ErasureServiceState, YouthProfile

log = logging.getLogger(__name__)

PEOPLE = (YOUTH, EMPLOYER)
ACTIVE = ("requested", "confirmed")


class ErasureStateView(Schema):
    service = fields.String()
    status = fields.String()
    records = fields.Integer(allow_none=True)
    times_asked = fields.Integer()
    applied_at = fields.DateTime(allow_none=True)


class ErasureView(Schema):
    id = fields.String()
    person_id = fields.String()
    status = fields.String(metadata={"description": "requested, confirmed, completed or cancelled"})
    requested_at = fields.DateTime()
    confirm_after = fields.DateTime()
    confirmed_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    services = fields.List(fields.Nested(ErasureStateView))


class ErasurePage(Schema):
    items = fields.List(fields.Nested(ErasureView), required=True)
    next = fields.String(allow_none=True)


class ErasureFilter(Schema):
    status = fields.String()
    limit = fields.Integer(load_default=20)
    after = fields.String()


class PersonalData(Schema):
    person_id = fields.String()
    exported_at = fields.DateTime()
    parts = fields.Dict(
        metadata={"description": "what each part of the platform holds, by service"}
    )


def _erasure_view(request: ErasureRequest, states: list[ErasureServiceState]) -> dict:
    return {
        "id": request.id,
        "person_id": request.person_id,
        "status": request.status,
        "requested_at": request.requested_at,
        "confirm_after": request.confirm_after,
        "confirmed_at": request.confirmed_at,
        "completed_at": request.completed_at,
        "services": [
            {
                "service": s.service,
                "status": s.status,
                "records": s.records,
                "times_asked": s.times_asked,
                "applied_at": s.applied_at,
            }
            for s in sorted(states, key=lambda s: s.service)
        ],
    }


class PrivacyRoutes:
    """Export and erasure of a person's data."""

    # -- export -----------------------------------------------------------------------

    def _gateway_part(self, account: Account) -> dict:
        return {
            "account": self.account_view(account, Viewer(account.id, account.role, account.unit))
        }

    def _export(self, call: Call) -> dict:
        person = call.account_id
        timeout = self._view_timeout()
        services = self.services.with_timeout(timeout)
        calls = {
            name: functools.partial(getattr(services, name).export_person, person_id=person)
            for name in DOMAIN_SERVICES
        }
        parts, degraded = call_all(calls, timeout)
        if degraded:
            raise DomainError(
                "export_incomplete",
                status=503,
                params={"services": ", ".join(sorted(d.part for d in degraded))},
            )
        return {
            "person_id": person,
            "exported_at": utcnow(),
            "parts": {"gateway": self._gateway_part(call.identity.account), **parts},
        }

    @route(
        "GET",
        "/api/v1/me/data",
        summary="Everything the platform holds about me, each service's part labelled (PIPL)",
        tags=["privacy"],
        roles=PEOPLE,
        response=PersonalData,
        errors=(503,),
    )
    def my_data(self, call: Call):
        return self._export(call)

    @route(
        "GET",
        "/api/v1/me/data/download",
        summary="The same, as a JSON file to keep",
        tags=["privacy"],
        roles=PEOPLE,
        errors=(503,),
        response_content_type="application/json",
    )
    def my_data_download(self, call: Call):
        export = self._export(call)
        response = Response(dumps(export), content_type="application/json")
        day = export["exported_at"].date().isoformat()
        response.headers["Content-Disposition"] = (
            f'attachment; filename="youthcity-my-data-{day}.json"'
        )
        return response

    # -- erasure ----------------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/me/erasure",
        summary="Ask for my personal data to be erased",
        tags=["privacy"],
        roles=PEOPLE,
        response=ErasureView,
        status=202,
        errors=(409,),
        description="An administrator confirms, or the grace period (ERASURE_GRACE_HOURS) passes; "
        "then every service anonymises the records it holds about me.",
    )
    def request_erasure(self, call: Call):
        now = utcnow()
        grace = timedelta(hours=self.api.settings.erasure_grace_hours)
        with self.db.unit_of_work() as uow:
            pending = uow.session.execute(
                sa.select(ErasureRequest).where(
                    ErasureRequest.person_id == call.account_id, ErasureRequest.status.in_(ACTIVE)
                )
            ).scalar_one_or_none()
            if pending is not None:
                raise Conflict("erasure_already_requested")
            request = ErasureRequest(
                id=str(uuid.uuid4()),
                person_id=call.account_id,
                status="requested",
                requested_at=now,
                confirm_after=now + grace,
            )
            uow.session.add(request)
            uow.commit()
            return _erasure_view(request, [])

    @route(
        "GET",
        "/api/v1/me/erasure",
        summary="My erasure request and how far it has got",
        tags=["privacy"],
        roles=PEOPLE,
        response=ErasureView,
        errors=(404,),
    )
    def my_erasure(self, call: Call):
        with self.db.reading() as session:
            request = session.execute(
                sa.select(ErasureRequest)
                .where(ErasureRequest.person_id == call.account_id)
                .order_by(ErasureRequest.requested_at.desc())
                .limit(1)
            ).scalar_one_or_none()
            if request is None:
                raise NotFound("erasure")
            return _erasure_view(request, self._states(session, request.id))

    @route(
        "GET",
        "/api/v1/admin/erasures",
        summary="Erasure requests and their state in each service",
        tags=["admin", "privacy"],
        roles=(ADMIN,),
        query=ErasureFilter,
        response=ErasurePage,
        paginated=True,
    )
    def list_erasures(self, call: Call):
        from services.common.pagination import DESC, keyset_page

        query = sa.select(ErasureRequest)
        if call.query.get("status"):
            query = query.where(ErasureRequest.status == call.query["status"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(ErasureRequest.requested_at, DESC), (ErasureRequest.id, DESC)],
                call.query.get("after"),
                call.query["limit"],
            )
            return PageResult(
                [_erasure_view(r, self._states(session, r.id)) for r in page.items],
                page.next_cursor,
            )

    @route(
        "POST",
        "/api/v1/admin/erasures/<erasure_id>/confirm",
        summary="Confirm an erasure: the person's data is anonymised everywhere",
        tags=["admin", "privacy"],
        roles=(ADMIN,),
        response=ErasureView,
        errors=(404, 409),
    )
    def confirm_erasure(self, call: Call, erasure_id: str):
        self._erase(erasure_id, confirmed_by=call.account_id)
        with self.db.reading() as session:
            return _erasure_view(
                session.get(ErasureRequest, erasure_id), self._states(session, erasure_id)
            )

    @staticmethod
    def _states(session, request_id: str) -> list[ErasureServiceState]:
        return list(
            session.execute(
                sa.select(ErasureServiceState).where(ErasureServiceState.request_id == request_id)
            ).scalars()
        )

    def _erase(self, erasure_id: str, confirmed_by: str | None) -> None:
        """Anonymise the gateway's records of the person, and tell every service to do the same."""
        now = utcnow()
        with self.db.unit_of_work() as uow:
            request = uow.session.execute(
                sa.select(ErasureRequest).where(ErasureRequest.id == erasure_id).with_for_update()
            ).scalar_one_or_none()
            if request is None:
                raise NotFound("erasure")
            if request.status != "requested":
                raise Conflict("erasure_not_pending", params={"status": request.status})
            account = uow.session.get(Account, request.person_id)
            if account is not None:
                uow.session.execute(
                    sa.delete(YouthProfile).where(YouthProfile.account_id == account.id)
                )
                account.username = account.password_hash = account.display_name = None
                account.email = account.phone = None
                account.status, account.status_changed_at = "erased", now
            request.status, request.confirmed_at, request.confirmed_by = (
                "confirmed",
                now,
                confirmed_by,
            )
            for service in DOMAIN_SERVICES:
                uow.session.add(
                    ErasureServiceState(request_id=request.id, service=service, asked_at=now)
                )
            uow.record(
                "person.erased",
                subject=request.person_id,
                data={"person_id": request.person_id, "erasure_id": request.id, "erased_at": now},
            )
            uow.audit(
                "person.erased",
                ("person", request.person_id),
                reason="confirmed by an administrator" if confirmed_by else "grace period passed",
                details={"erasure_id": request.id},
            )
            uow.commit()
        self.read_model.accounts.forget(request.person_id)

    @timer(interval=5)
    def follow_erasures(self):
        """Confirm requests whose grace period has passed; ask again the services that have not
        applied an erasure for ERASURE_RETRY_SECONDS."""
        now = utcnow()
        retry_after = timedelta(seconds=self.api.settings.erasure_retry_seconds)
        with self.db.reading() as session:
            due = (
                session.execute(
                    sa.select(ErasureRequest.id).where(
                        ErasureRequest.status == "requested", ErasureRequest.confirm_after <= now
                    )
                )
                .scalars()
                .all()
            )
            stale = (
                session.execute(
                    sa.select(ErasureServiceState.request_id)
                    .where(
                        ErasureServiceState.status == "pending",
                        ErasureServiceState.asked_at <= now - retry_after,
                    )
                    .distinct()
                )
                .scalars()
                .all()
            )
        for erasure_id in due:
            with contextlib.suppress(Conflict):  # confirmed meanwhile by an administrator
                self._erase(erasure_id, confirmed_by=None)
        for erasure_id in stale:
            self._ask_again(erasure_id, now, retry_after)

    def _ask_again(self, erasure_id: str, now, retry_after) -> None:
        with self.db.unit_of_work() as uow:
            request = uow.session.get(ErasureRequest, erasure_id)
            states = (
                uow.session.execute(
                    sa.select(ErasureServiceState)
                    .where(
                        ErasureServiceState.request_id == erasure_id,
                        ErasureServiceState.status == "pending",
                        ErasureServiceState.asked_at <= now - retry_after,
                    )
                    .with_for_update()
                )
                .scalars()
                .all()
            )
            if not states:
                return
            for state in states:
                state.asked_at, state.times_asked = now, state.times_asked + 1
            log.info(
                "erasure asked again",
                extra={"erasure_id": erasure_id, "not_answered": [s.service for s in states]},
            )
            uow.record(
                "person.erased",
                subject=request.person_id,
                data={
                    "person_id": request.person_id,
                    "erasure_id": request.id,
                    "erased_at": request.confirmed_at,
                },
            )
            uow.commit()

    def _anonymised(self, event, uow) -> None:
        # answers from several services arrive together: holding the request while counting
        # makes the last of them see every other one applied (each locking only its own state,
        # two last answers would each count the other pending, and none would complete it)
        request = uow.session.execute(
            sa.select(ErasureRequest)
            .where(ErasureRequest.id == event.data["erasure_id"])
            .with_for_update()
        ).scalar_one_or_none()
        if request is None:
            return
        state = uow.session.execute(
            sa.select(ErasureServiceState)
            .where(
                ErasureServiceState.request_id == event.data["erasure_id"],
                ErasureServiceState.service == event.source_service,
            )
            .with_for_update()
        ).scalar_one_or_none()
        if state is None or state.status == "applied":
            return
        state.status, state.records, state.applied_at = "applied", event.data["records"], utcnow()
        log.info("erasure applied", extra={"erasure_id": request.id, "answered_by": state.service})
        uow.session.flush()
        pending = uow.session.execute(
            sa.select(sa.func.count()).where(
                ErasureServiceState.request_id == state.request_id,
                ErasureServiceState.status == "pending",
            )
        ).scalar()
        if pending == 0:
            request.status, request.completed_at = "completed", utcnow()
            log.info("erasure completed", extra={"erasure_id": request.id})

    @event_handler("jobs", "person.anonymised", PersonAnonymised)
    def on_jobs_anonymised(self, event, uow):
        self._anonymised(event, uow)

    @event_handler("housing", "person.anonymised", PersonAnonymised)
    def on_housing_anonymised(self, event, uow):
        self._anonymised(event, uow)

    @event_handler("startup", "person.anonymised", PersonAnonymised)
    def on_startup_anonymised(self, event, uow):
        self._anonymised(event, uow)

    @event_handler("events", "person.anonymised", PersonAnonymised)
    def on_events_anonymised(self, event, uow):
        self._anonymised(event, uow)

    @event_handler("notify", "person.anonymised", PersonAnonymised)
    def on_notify_anonymised(self, event, uow):
        self._anonymised(event, uow)
