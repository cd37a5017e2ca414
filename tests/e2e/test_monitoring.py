"""Monitoring and evaluation (issue 25) through the gateway, in a year of this module's own
(2036: no other test moves there), so every person and figure counted is one this module made:
an annual target is not judged on a month; people in three areas give a breakdown by area with
its small cell suppressed."""

from __future__ import annotations

import uuid

from tests.support.indicators import complete_indicators
from tests.support.messaging import wait_for

#: a moment of this module's own year
OWN_MOMENT = "2036-06-17T10:00:00+08:00"


def indicator(answer: dict, code: str) -> dict:
    return next(i for task in answer["tasks"] for i in task["indicators"] if i["code"] == code)


def complete(officer, period: str) -> dict:
    return complete_indicators(officer, period)


def test_a_monthly_figure_is_not_judged_against_the_annual_target(api, platform_clock):
    platform_clock(OWN_MOMENT)
    officer = api.staff("officer", unit="hrss")
    may = indicator(complete(officer, "2036-05"), "headline.graduates_staying")
    assert may["target"]["per"] == "year" and may["value"] == 0
    assert may["met"] is None  # was False: May judged against 1,000 a year
    assert may["expected"] == round(1000 * 31 / 366, 1)  # its share of a leap year
    assert may["trajectory"] == "behind"
    year = indicator(complete(officer, "2036"), "headline.graduates_staying")
    assert (year["met"], year["trajectory"]) == (False, "behind")
    assert year["expected"] == round(1000 * 169 / 366, 1)  # 1 January to 17 June
    july = indicator(complete(officer, "2036-07"), "headline.graduates_staying")
    assert (july["met"], july["trajectory"], july["expected"]) == (None, None, None)


def test_people_in_three_areas_are_counted_by_area_with_the_small_cell_suppressed(
    api, platform_clock
):
    platform_clock(OWN_MOMENT)
    for _ in range(5):
        api.youth(age=20, residence="township_1", degree="bachelor")
    for _ in range(5):
        api.youth(age=27, residence="二号街道幸福社区", degree="master")
    api.youth(age=31, residence="subdistrict_3")
    api.youth(age=22, residence=f"自由文本 {uuid.uuid4().hex[:6]}")  # free text still accepted

    officer = api.staff("officer", unit="youth_league")
    answer = officer.get("/api/v1/indicators", params={"period": "2036-06"}).json()
    assert len(answer["areas"]) == 6
    registered = answer["breakdowns"]["youth.registered"]
    assert registered["total"] == 12
    by_area = {cell["key"]: cell for cell in registered["dimensions"]["area"]}
    assert by_area["township_1"]["count"] == 5 and by_area["subdistrict_2"]["count"] == 5
    assert by_area["subdistrict_3"] == {"key": "subdistrict_3", "count": None, "suppressed": True}
    assert by_area["other"]["suppressed"] and by_area["subdistrict_4"]["count"] == 0
    bands = {cell["key"]: cell["count"] for cell in registered["dimensions"]["age_band"]}
    # one small cell (30-35: 1) hides the next smallest too (25-29: 5), or 12 - 6 - 5 gives it
    assert bands["18-24"] == 6 and bands["30-35"] is None and bands["25-29"] is None
    education = {cell["key"]: cell["count"] for cell in registered["dimensions"]["education"]}
    # two without a degree: hidden, and of the two cells of 5 the first by name goes with it
    assert education["unknown"] is None and education["bachelor"] is None
    assert education["master"] == 5
    sexes = registered["dimensions"]["sex"]
    assert sum(cell["count"] or 0 for cell in sexes) <= 12
    text = str(answer)
    assert "citizen_id" not in text and "幸福社区" not in text  # counts only


def plan_item(officer, unit: str, due: str, **fields) -> dict:
    body = {
        "kind": "task",
        "title": f"青年夜校 {uuid.uuid4().hex[:6]}",
        "unit": unit,
        "owner": "文化科",
        "due_date": due,
        **fields,
    }
    created = officer.post("/api/v1/plan/items", json=body)
    assert created.status_code == 201, created.text
    return created.json()


def test_an_overdue_list_item_is_flagged_and_its_units_officer_gets_a_message(api, platform_clock):
    platform_clock(OWN_MOMENT)
    officer = api.staff("officer", unit="culture_tourism")
    colleague = api.staff("officer", unit="culture_tourism")
    other = api.staff("officer", unit="commerce")
    earlier_elsewhere = plan_item(other, "commerce", "2036-06-01")
    item = plan_item(
        officer,
        "culture_tourism",
        "2036-06-20",
        leader="王副区长",
        section="文化艺术科",
        person="李科长",
        indicator_codes=["events.activities_held.festival"],
    )
    assert (item["leader"], item["section"], item["person"]) == ("王副区长", "文化艺术科", "李科长")
    assert item["indicator_codes"] == ["events.activities_held.festival"]
    assert item["overdue"] is False and item["overdue_since"] is None
    unknown = officer.in_english().post(
        "/api/v1/plan/items",
        json={
            **{k: item[k] for k in ("kind", "title", "unit", "owner", "due_date")},
            "indicator_codes": ["no.such.indicator"],
        },
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"].startswith("indicator_codes")

    note = officer.post(
        f"/api/v1/plan/items/{item['id']}/notes", json={"text": "场地已落实", "progress": 30}
    )
    assert note.status_code == 201, note.text
    assert (
        other.post(f"/api/v1/plan/items/{item['id']}/notes", json={"text": "不是我的"}).status_code
        == 403
    )
    notes = officer.get(f"/api/v1/plan/items/{item['id']}/notes").json()["items"]
    assert [(n["text"], n["progress"]) for n in notes] == [("场地已落实", 30)]
    assert officer.get(f"/api/v1/plan/items/{item['id']}").json()["progress"] == 30

    # the unit sees its own items first, though another unit's is due earlier
    listed = officer.get("/api/v1/plan/items", params={"limit": 100}).json()["items"]
    mine = [i["unit"] == "culture_tourism" for i in listed]
    assert item["id"] in [i["id"] for i in listed] and mine == sorted(mine, reverse=True)
    theirs = other.get("/api/v1/plan/items", params={"limit": 100}).json()["items"]
    assert theirs[0]["unit"] == "commerce" and earlier_elsewhere["id"] in [i["id"] for i in theirs]

    platform_clock("2036-06-22T09:00:00+08:00")  # two days past its due date
    flagged = wait_for(
        lambda: (
            (view := officer.get(f"/api/v1/plan/items/{item['id']}").json())["overdue_since"]
            and view
        ),
        timeout=40,
        interval=1,
        message="the timer flagging the overdue item",
    )
    assert flagged["overdue"] is True and flagged["overdue_since"] == "2036-06-22"

    def reminded(session):
        return wait_for(
            lambda: [
                m
                for m in session.get("/api/v1/me/messages").json()["items"]
                if item["title"] in (m.get("title") or "")
            ],
            timeout=30,
            interval=1,
            message="the overdue reminder in the officer's inbox",
        )

    assert len(reminded(officer)) == 1 and len(reminded(colleague)) == 1
    assert not [
        m
        for m in other.get("/api/v1/me/messages").json()["items"]
        if item["title"] in (m.get("title") or "")
    ]
    done = officer.patch(f"/api/v1/plan/items/{item['id']}", json={"status": "done"}).json()
    assert done["overdue"] is False and done["overdue_since"] is None
