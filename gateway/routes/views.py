"""Aggregated views: my dashboard, the plan's indicators and its four lists."""

from __future__ import annotations

import functools
import json
import time
import uuid

import sqlalchemy as sa
from marshmallow import Schema, fields, validate
from nameko.timer import timer
from werkzeug.wrappers import Response

from services.common.clock import clock, utcnow
from services.common.errors import NotFound
from services.common.i18n import pick
from services.common.metrics import INDICATOR_TARGET, INDICATOR_VALUE
from services.common.pagination import ASC, MAX_LIMIT, keyset_page
from services.common.registry import DOMAIN_SERVICES

from .. import indicators as plan_indicators
from .. import plan_items
from ..accounts import ADMIN, OFFICER, YOUTH
from ..api import Call, Created, PageResult, route
from ..fanout import call_all
from ..models import PlanItem, PlanItemChange
from ..units import UNITS

STAFF = (OFFICER, ADMIN)


class DashboardItem(Schema):
    kind = fields.String(required=True)
    id = fields.String(required=True)
    title = fields.String()
    state = fields.String()
    next_step = fields.String(allow_none=True)
    updated_at = fields.String(allow_none=True)
    link = fields.String(allow_none=True)
    # an activity's or a job fair's start; a registration's place in line and check-in code
    starts_at = fields.String(allow_none=True)
    waitlist_position = fields.Integer(allow_none=True)
    check_in_code = fields.String(allow_none=True)


class DegradedPart(Schema):
    service = fields.String(required=True)
    reason = fields.String(
        required=True, validate=validate.OneOf(("unavailable", "timeout", "error"))
    )


class Dashboard(Schema):
    sections = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(DashboardItem)))
    unread_messages = fields.Integer(allow_none=True)
    degraded = fields.List(fields.Nested(DegradedPart))


class IndicatorQuery(Schema):
    period = fields.String(
        metadata={"description": "2026, 2026-Q4 or 2026-11 (default: this year)"}
    )


class IndicatorView(Schema):
    code = fields.String()
    label = fields.Dict()
    unit = fields.String(allow_none=True)
    value = fields.Float(allow_none=True)
    target = fields.Dict(allow_none=True)
    met = fields.Boolean(allow_none=True)
    series = fields.List(fields.Float(allow_none=True))


class TaskView(Schema):
    code = fields.String()
    title = fields.Dict()
    units = fields.List(fields.Dict())
    indicators = fields.List(fields.Nested(IndicatorView))


class IndicatorsAnswer(Schema):
    plan_version = fields.String()
    period = fields.Dict()
    series_months = fields.List(fields.String())
    tasks = fields.List(fields.Nested(TaskView))
    degraded = fields.List(fields.Nested(DegradedPart))


class PlanItemInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(plan_items.KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    task_code = fields.String(validate=validate.Length(max=8), metadata={"example": "一.2"})
    unit = fields.String(required=True, validate=validate.OneOf(list(UNITS)))
    owner = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "分管领导、责任科室或责任人"},
    )
    due_date = fields.Date(required=True)
    progress = fields.Integer(validate=validate.Range(min=0, max=100), load_default=0)
    status = fields.String(validate=validate.OneOf(plan_items.STATUSES), load_default="planned")
    note = fields.String(validate=validate.Length(max=2000))


class PlanItemUpdate(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000))
    task_code = fields.String(validate=validate.Length(max=8))
    owner = fields.String(validate=validate.Length(min=1, max=100))
    due_date = fields.Date()
    progress = fields.Integer(validate=validate.Range(min=0, max=100))
    status = fields.String(validate=validate.OneOf(plan_items.STATUSES))
    note = fields.String(validate=validate.Length(max=2000))


class PlanItemView(PlanItemInput):
    # optional on input, so an item may hold none
    task_code = fields.String(allow_none=True, metadata={"example": "一.2"})
    note = fields.String(allow_none=True)
    id = fields.String()
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    updated_by = fields.String(allow_none=True)


class PlanItemFilter(Schema):
    kind = fields.String(validate=validate.OneOf(plan_items.KINDS))
    unit = fields.String(validate=validate.OneOf(list(UNITS)))
    task_code = fields.String(validate=validate.Length(max=8))
    limit = fields.Integer(validate=validate.Range(min=1, max=MAX_LIMIT), load_default=50)
    after = fields.String()


class PlanItemPage(Schema):
    items = fields.List(fields.Nested(PlanItemView), required=True)
    next = fields.String(allow_none=True)


class PlanItemChangeView(Schema):
    version = fields.Integer()
    changed_at = fields.DateTime()
    changed_by = fields.String(allow_none=True)
    changes = fields.Dict()


class PlanItemHistory(Schema):
    items = fields.List(fields.Nested(PlanItemChangeView))


PLAN_ITEM = PlanItemView()


@functools.lru_cache(maxsize=1)
def _plan() -> dict:
    return plan_indicators.load_plan()


class ViewRoutes:
    """My dashboard, the plan's indicators and its four lists."""

    _indicator_cache: dict = {}
    _gauges_exported_at: float = float("-inf")

    def _view_timeout(self) -> float:
        return self.api.settings.view_timeout

    @route(
        "GET",
        "/api/v1/me/dashboard",
        summary="My dashboard: applications, bookings, registrations, loans, messages",
        tags=["views"],
        roles=(YOUTH,),
        response=Dashboard,
        description="The services are asked at once; a slow or failing one leaves its section "
        "empty and named in `degraded`, and the answer still comes within the timeout.",
    )
    def my_dashboard(self, call: Call):
        person = call.account_id
        timeout = self._view_timeout()
        services = self.services.with_timeout(timeout)
        calls = {
            name: functools.partial(getattr(services, name).dashboard, person_id=person)
            for name in DOMAIN_SERVICES
        }
        results, degraded = call_all(calls, timeout)
        locale = call.locale
        sections = {name: [] for name in DOMAIN_SERVICES if name != "notify"}
        unread = None
        for name, answer in results.items():
            items = [self._localised(item, locale) for item in (answer or {}).get("items", [])]
            if name == "notify":
                unread = answer.get("unread", len(items))
                sections["messages"] = items
            else:
                sections[name] = items
        return {
            "sections": sections,
            "unread_messages": unread,
            "degraded": [d.as_dict() for d in degraded],
        }

    @staticmethod
    def _localised(item: dict, locale: str) -> dict:
        view = dict(item)
        for key in ("title", "next_step"):
            if isinstance(view.get(key), dict):
                view[key] = pick(view[key], locale)
        return view

    def _indicators(self, period: plan_indicators.Period) -> dict:
        """The indicators of `period` with their monthly series, asked of every service at once
        (kept INDICATORS_MAX_AGE seconds: officers refresh, the numbers move slowly)."""
        key = period.name
        cached = self._indicator_cache.get(key)
        max_age = self.api.settings.indicators_max_age
        if cached and time.monotonic() - cached[0] < max_age:
            return cached[1]
        plan = _plan()
        timeout = self._view_timeout()
        services = self.services.with_timeout(timeout)
        calls = {}
        for name in plan_indicators.services_of(plan):
            proxy = getattr(services, name)
            calls[f"{name}|total"] = functools.partial(
                proxy.indicators, since=str(period.since), until=str(period.until)
            )
            for index, month in enumerate(period.months()):
                calls[f"{name}|{index}"] = functools.partial(
                    proxy.indicators, since=str(month.since), until=str(month.until)
                )
        headline = [(period.name, period)] + [(str(i), m) for i, m in enumerate(period.months())]
        for label, span in headline:
            calls[f"jobs-people|{label}"] = functools.partial(
                services.jobs.graduates_hired_in_district,
                since=str(span.since),
                until=str(span.until),
            )
            calls[f"startup-people|{label}"] = functools.partial(
                services.startup.graduates_registered_businesses,
                since=str(span.since),
                until=str(span.until),
            )
        results, degraded = call_all(calls, timeout)
        values, series = {}, {}
        for key_name, answer in results.items():
            source, _, slot = key_name.partition("|")
            if source.endswith("-people"):
                continue
            for code, value in (answer or {}).items():
                if slot == "total":
                    values[code] = value
                else:
                    series.setdefault(code, [None] * 12)[int(slot)] = value

        def staying(slot: str):
            hired, started = (
                results.get(f"jobs-people|{slot}"),
                results.get(f"startup-people|{slot}"),
            )
            if hired is None or started is None:
                return None
            return len(set(hired) | set(started))

        values[plan_indicators.HEADLINE] = staying(period.name)
        series[plan_indicators.HEADLINE] = [staying(str(i)) for i in range(12)]
        parts = sorted({d.part.split("|")[0].replace("-people", "") for d in degraded})
        reasons = {d.part.split("|")[0].replace("-people", ""): d.reason for d in degraded}
        answer = plan_indicators.assemble(
            plan,
            period,
            values,
            series,
            [{"service": part, "reason": reasons[part]} for part in parts],
        )
        if not degraded:
            self._indicator_cache[key] = (time.monotonic(), answer)
        return answer

    @route(
        "GET",
        "/api/v1/indicators",
        summary="The plan's indicators (监测评估) by task: units, targets, monthly series",
        tags=["views"],
        roles=STAFF,
        query=IndicatorQuery,
        response=IndicatorsAnswer,
        errors=(422,),
    )
    def plan_indicators(self, call: Call):
        return self._indicators(
            plan_indicators.parse_period(call.query.get("period"), clock.today())
        )

    @route(
        "GET",
        "/api/v1/indicators.csv",
        summary="The plan's indicators as CSV (one row per indicator, a column per month)",
        tags=["views"],
        roles=STAFF,
        query=IndicatorQuery,
        errors=(422,),
        response_content_type="text/csv",
    )
    def plan_indicators_csv(self, call: Call):
        period = plan_indicators.parse_period(call.query.get("period"), clock.today())
        text = plan_indicators.as_csv(self._indicators(period), call.locale)
        response = Response("\ufeff" + text, content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="indicators-{period.name}.csv"'
        )
        return response

    @timer(interval=60)
    def export_indicator_gauges(self):
        """Keep this year's indicators on /metrics for Grafana, refreshed every
        INDICATOR_REFRESH_SECONDS (skipped while a previous export is fresh)."""
        interval = self.api.settings.indicator_refresh_seconds
        if time.monotonic() - ViewRoutes._gauges_exported_at < interval:
            return
        answer = self._indicators(plan_indicators.parse_period(None, clock.today()))
        for task in answer["tasks"]:
            for indicator in task["indicators"]:
                if indicator["value"] is not None:
                    INDICATOR_VALUE.labels(task["code"], indicator["code"]).set(indicator["value"])
                if indicator["target"]:
                    INDICATOR_TARGET.labels(task["code"], indicator["code"]).set(
                        indicator["target"]["value"]
                    )
        ViewRoutes._gauges_exported_at = time.monotonic()

    # -- the four lists -----------------------------------------------------------------

    @route(
        "GET",
        "/api/v1/plan/items",
        summary="The four lists: outcomes, policy measures, practical projects, tasks",
        tags=["plan"],
        roles=STAFF,
        query=PlanItemFilter,
        response=PlanItemPage,
        paginated=True,
    )
    def list_plan_items(self, call: Call):
        query = sa.select(PlanItem)
        for name in ("kind", "unit", "task_code"):
            if call.query.get(name):
                query = query.where(getattr(PlanItem, name) == call.query[name])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(PlanItem.due_date, ASC), (PlanItem.id, ASC)],
                call.query.get("after"),
                call.query["limit"],
            )
            return PageResult(PLAN_ITEM.dump(page.items, many=True), page.next_cursor)

    @route(
        "POST",
        "/api/v1/plan/items",
        summary="Add an item to one of the four lists (an officer of its unit)",
        tags=["plan"],
        roles=STAFF,
        body=PlanItemInput,
        response=PlanItemView,
        status=201,
        errors=(403,),
    )
    def add_plan_item(self, call: Call):
        identity = call.identity
        plan_items.check_may_maintain(identity.role, identity.unit, call.body["unit"])
        now = utcnow()
        with self.db.unit_of_work() as uow:
            item = PlanItem(
                id=str(uuid.uuid4()),
                created_at=now,
                updated_at=now,
                updated_by=identity.account_id,
                version=1,
                **call.body,
            )
            uow.session.add(item)
            uow.session.add(
                self._change(item, identity.account_id, plan_items.changes_between({}, call.body))
            )
            uow.audit(
                "plan_item.added",
                ("plan_item", item.id),
                details={"kind": item.kind, "unit": item.unit},
            )
            uow.commit()
            return Created(PLAN_ITEM.dump(item), f"/api/v1/plan/items/{item.id}")

    @route(
        "GET",
        "/api/v1/plan/items/<item_id>",
        summary="One item of the four lists",
        tags=["plan"],
        roles=STAFF,
        response=PlanItemView,
        errors=(404,),
    )
    def get_plan_item(self, call: Call, item_id: str):
        with self.db.reading() as session:
            item = session.get(PlanItem, item_id)
            if item is None:
                raise NotFound("plan_item")
            return PLAN_ITEM.dump(item)

    @route(
        "PATCH",
        "/api/v1/plan/items/<item_id>",
        summary="Update an item's progress, owner, due date… (every change kept in its history)",
        tags=["plan"],
        roles=STAFF,
        body=PlanItemUpdate,
        response=PlanItemView,
        errors=(403, 404),
    )
    def update_plan_item(self, call: Call, item_id: str):
        identity = call.identity
        with self.db.unit_of_work() as uow:
            item = uow.session.execute(
                sa.select(PlanItem).where(PlanItem.id == item_id).with_for_update()
            ).scalar()
            if item is None:
                raise NotFound("plan_item")
            plan_items.check_may_maintain(identity.role, identity.unit, item.unit)
            before = {name: getattr(item, name) for name in plan_items.TRACKED_FIELDS}
            changes = plan_items.changes_between(before, call.body)
            if changes:
                for name, value in call.body.items():
                    setattr(item, name, value)
                item.version += 1
                item.updated_at, item.updated_by = utcnow(), identity.account_id
                uow.session.add(self._change(item, identity.account_id, changes))
                uow.commit()
            return PLAN_ITEM.dump(item)

    @route(
        "GET",
        "/api/v1/plan/items/<item_id>/history",
        summary="Every change of an item, oldest first",
        tags=["plan"],
        roles=STAFF,
        response=PlanItemHistory,
        errors=(404,),
    )
    def plan_item_history(self, call: Call, item_id: str):
        with self.db.reading() as session:
            if session.get(PlanItem, item_id) is None:
                raise NotFound("plan_item")
            changes = session.execute(
                sa.select(PlanItemChange)
                .where(PlanItemChange.item_id == item_id)
                .order_by(PlanItemChange.version)
            ).scalars()
            return {
                "items": [
                    {
                        "version": c.version,
                        "changed_at": c.changed_at,
                        "changed_by": c.changed_by,
                        "changes": json.loads(c.changes),
                    }
                    for c in changes
                ]
            }

    @staticmethod
    def _change(item: PlanItem, actor: str, changes: dict) -> PlanItemChange:
        return PlanItemChange(
            id=str(uuid.uuid4()),
            item_id=item.id,
            version=item.version,
            changed_at=utcnow(),
            changed_by=actor,
            changes=json.dumps(changes, ensure_ascii=False),
        )
