"""Identity appeals (`/api/v1/identity-appeals`, `/api/v1/me/identity-appeals`): the rightful
owner of an ID number bound to another account claims it, an officer of a personal-data unit
decides (the rules are gateway/appeals.py; filing is part of registration,
gateway/routes/accounts.py)."""

from __future__ import annotations

from services.common.db import Database

from .. import appeals
from ..accounts import OFFICER, YOUTH, Viewer, check_may_reveal
from ..api import Call, PageResult
from ..composition import Routes
from ..read_model import ReadModel
from ..schemas import (
    AppealDecision,
    AppealFilter,
    IdentityAppealList,
    IdentityAppealPage,
    IdentityAppealView,
)
from ..settings import GatewaySettings

routes = Routes(tags=["accounts"])


@routes.route(
    "GET",
    "/api/v1/identity-appeals",
    summary="Identity appeals to review (身份申诉), oldest first",
    roles=(OFFICER,),
    query=AppealFilter,
    response=IdentityAppealPage,
    paginated=True,
    errors=(401, 403, 422),
    description="Only officers of the units whose work needs ID numbers "
    "(PERSONAL_DATA_UNITS). Each appeal shows the claimed number masked and, while pending, "
    "which account holds it now (`held_by`, none when it is bound to nobody).",
)
def list_identity_appeals(call: Call, *, db: Database, settings: GatewaySettings):
    viewer = Viewer.of(call.identity)
    check_may_reveal(viewer, settings.personal_data_units)
    with db.reading() as session:
        page = appeals.appeals_page(
            session, call.query.get("status"), call.query.get("after"), call.query["limit"]
        )
        return PageResult(
            [appeals.appeal_view(session, appeal, viewer) for appeal in page.items],
            page.next_cursor,
        )


@routes.route(
    "POST",
    "/api/v1/identity-appeals/<appeal_id>/decision",
    summary="Approve or reject an identity appeal, with a reason (recorded)",
    roles=(OFFICER,),
    body=AppealDecision,
    response=IdentityAppealView,
    errors=(401, 403, 404, 409, 422),
    description="Only officers of PERSONAL_DATA_UNITS, once the person's documents were "
    "checked. Approval binds the number to the claimant and takes it from the account holding "
    "it: that profile loses the number, its birth date and every verified fact, and its holder "
    "is told through notify. The claimant is told either way. Both are in the audit trail; a "
    "decided appeal is 409 `illegal_transition`.",
)
def decide_identity_appeal(
    call: Call, appeal_id: str, *, db: Database, read_model: ReadModel, settings: GatewaySettings
):
    viewer = Viewer.of(call.identity)
    with db.unit_of_work() as uow:
        appeal = appeals.decide(
            uow,
            viewer,
            settings.personal_data_units,
            appeal_id,
            call.body["decision"],
            call.body["reason"],
        )
        uow.commit()
        view = appeals.appeal_view(uow.session, appeal, viewer)
    # this replica at once (the profiles changed); the others when the events reach them
    for account_id in (appeal.claimant_id, appeal.released_from):
        if account_id:
            read_model.accounts.forget(account_id)
    return view


@routes.route(
    "GET",
    "/api/v1/me/identity-appeals",
    summary="My identity appeals and their decisions",
    roles=(YOUTH,),
    response=IdentityAppealList,
    errors=(401, 403),
)
def my_identity_appeals(call: Call, *, db: Database):
    viewer = Viewer.of(call.identity)
    with db.reading() as session:
        return {
            "items": [
                appeals.appeal_view(session, appeal, viewer)
                for appeal in appeals.appeals_of(session, call.account_id)
            ]
        }
