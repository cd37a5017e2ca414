"""Farm-product showcases and live-commerce contests (青年助农平台, plan 三.3; see
services/events/README.md): activities of the showcase categories take entrants, young people
and companies, and their organisers report each entrant's sales.
"""

from __future__ import annotations

from services.events.contract import (
    PageQuery,
    SalesReportInput,
    ShowcaseEntryInput,
    ShowcaseEntryPage,
    ShowcaseEntryView,
)

from ..accounts import ADMIN, EMPLOYER, OFFICER, YOUTH
from ..composition import Routes
from ..forward import BODY, QUERY

routes = Routes(tags=["events"])

ENTRANTS = "/api/v1/activities/<activity_id>/entrants"

routes.forward(
    "enter_showcase",
    "POST",
    ENTRANTS,
    summary="Enter a farm-product showcase or a live-commerce contest (a person or a company)",
    roles=(YOUTH, EMPLOYER),
    body=ShowcaseEntryInput,
    response=ShowcaseEntryView,
    status=201,
    errors=(404, 409),
    rpc="events.enter_showcase",
    arguments={"entry": BODY},
)

routes.forward(
    "list_showcase_entrants",
    "GET",
    ENTRANTS,
    summary="A showcase's entrants and their sales (organisers), or my own entry",
    roles=(YOUTH, EMPLOYER, OFFICER, ADMIN),
    query=PageQuery,
    response=ShowcaseEntryPage,
    paginated=True,
    errors=(404,),
    rpc="events.showcase_entrants",
    arguments={"query": QUERY},
)

routes.forward(
    "report_showcase_sales",
    "POST",
    ENTRANTS + "/<entry_id>/sales",
    summary="Report an entrant's sales at the showcase or contest (its organisers)",
    roles=(OFFICER, ADMIN),
    body=SalesReportInput,
    response=ShowcaseEntryView,
    errors=(403, 404, 409),
    rpc="events.report_showcase_sales",
    arguments={"report": BODY},
)
