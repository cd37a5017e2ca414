"""Templates as data: seeded from the files, versioned, edited and previewed by an administrator
through the API, in force for the next event; and the inbox's dashboard and indicators RPCs."""

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.db import create_engine_for
from services.notify.models import TemplateVersion
from services.notify.templates import ADMIN, FILE, new_version, seed_from_files
from tests.support.messaging import wait_for

TEMPLATE = "/api/v1/admin/templates/events/registration.confirmed"


def write(folder, entries):
    (folder / "events.json").write_text(json.dumps(entries, ensure_ascii=False))


def versions(session):
    rows = session.execute(sa.select(TemplateVersion).order_by(TemplateVersion.version))
    return [(row.version, row.origin, row.sends) for row in rows.scalars()]


def test_files_seed_new_versions_until_an_administrator_writes_one(databases, tmp_path):
    engine = create_engine_for(databases.migrated("services.notify"))
    entry = {
        "recipient": "person_id",
        "category": "activities",
        "mandatory": False,
        "title": {"zh-CN": "报名成功", "en": "Registered"},
        "body": {"zh-CN": "好", "en": "Good"},
    }
    try:
        with Session(engine) as session:
            write(tmp_path, {"registration.confirmed": entry})
            assert seed_from_files(session, tmp_path) == 1
            session.commit()
            assert seed_from_files(session, tmp_path) == 0  # unchanged: nothing new
            write(tmp_path, {"registration.confirmed": None})
            assert seed_from_files(session, tmp_path) == 1
            session.commit()
            assert versions(session) == [(1, FILE, True), (2, FILE, False)]
            session.add(new_version("events", "registration.confirmed", 3, None, ADMIN, "admin-1"))
            session.commit()
            write(tmp_path, {"registration.confirmed": entry})
            assert seed_from_files(session, tmp_path) == 0  # the administrator's version stays
    finally:
        engine.dispose()


def confirmed(person_id: str, title: str) -> dict:
    return {
        "registration_id": "reg-1",
        "activity_id": "act-1",
        "person_id": person_id,
        "state": "confirmed",
        "activity_title": title,
        "starts_at": "2026-12-20T06:00:00+00:00",
        "venue": "文化广场",
    }


def test_an_administrator_edits_and_previews_a_template_and_the_next_event_uses_it(notify_stack):
    stack = notify_stack(smtp=False, sms=False)
    admin, youth = stack.api.admin(), stack.api.youth()
    listed = admin.get("/api/v1/admin/templates", params={"source": "events"}).json()["items"]
    current = next(t for t in listed if t["event_type"] == "registration.confirmed")
    assert (current["version"], current["origin"], current["sends"]) == (1, "file", True)
    assert {t["source"] for t in listed} == {"events"}

    draft = {
        "recipient": "person_id",
        "category": "activities",
        "title": {"zh-CN": "已报名:{activity_title}", "en": "Signed up: {activity_title}"},
        "body": {"zh-CN": "{venue},{starts_at}", "en": "{venue}, {starts_at} {seat}"},
    }
    refused = admin.put(TEMPLATE, json=draft)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0] == {
        "field": "body.en",
        "code": "template.unknown_placeholder",
        "message": "模板使用了该事件没有的字段",
    }
    preview = admin.post(f"{TEMPLATE}/preview", json={"template": draft, "data": {"venue": "馆"}})
    assert preview.status_code == 422  # a draft is checked before it is rendered
    draft["body"]["en"] = "{venue}, {starts_at}"
    preview = admin.post(
        f"{TEMPLATE}/preview", json={"template": draft, "data": {"activity_title": "球赛"}}
    ).json()
    assert preview["title"] == {"zh-CN": "已报名:球赛", "en": "Signed up: 球赛"}
    assert preview["missing"] == ["starts_at", "venue"]
    example = admin.post(f"{TEMPLATE}/preview", json={}).json()  # the version in force
    assert example["title"]["zh-CN"] == "报名成功:<activity_title>"
    assert "2026-12-20 14:00" in example["body"]["zh-CN"]

    written = admin.put(TEMPLATE, json=draft)
    assert written.status_code == 200 and written.json()["version"] == 2
    history = admin.get(f"{TEMPLATE}/versions").json()["items"]
    assert [(v["version"], v["origin"]) for v in history] == [(2, "admin"), (1, "file")]
    assert history[0]["created_by"] == admin.id

    stack.publish("events", "registration.confirmed", confirmed(youth.id, "球赛"))
    wait_for(
        lambda: [
            m
            for m in youth.get("/api/v1/me/messages").json()["items"]
            if m["title"] == "已报名:球赛"
        ],
        message="the edited message",
    )
    assert admin.put(TEMPLATE, json={"sends": False}).json()["sends"] is False
    assert admin.post(f"{TEMPLATE}/preview", json={}).status_code == 409
    assert youth.put(TEMPLATE, json=draft).status_code == 403
    assert admin.put("/api/v1/admin/templates/events/nothing.here", json=draft).status_code == 404
    audit = admin.get("/api/v1/admin/audit", params={"service": "notify"}).json()["items"]
    assert [e["action"] for e in audit] == ["template.changed", "template.changed"]


def test_the_dashboard_shows_unread_messages_and_indicators_count_the_period(notify_stack):
    stack = notify_stack(sms=False)
    youth = stack.api.youth()
    since = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    for n in range(3):
        stack.publish("events", "registration.confirmed", confirmed(youth.id, f"活动{n}"))
    with stack.rpc(as_person=youth.id) as rpc:  # a dashboard is its owner's
        board = wait_for(
            lambda: (b := rpc.notify.dashboard())["unread"] == 4 and b,
            message="three messages and the welcome",
        )
        assert board["items"][0]["kind"] == "notify.message"
        assert board["items"][0]["state"] == "unread" and board["items"][0]["next_step"] is None
        assert {"zh-CN", "en"} == set(board["items"][0]["title"])
        assert board["items"][0]["link"] == f"/api/v1/me/messages/{board['items'][0]['id']}"
        first = youth.get("/api/v1/me/messages", params={"limit": 3})
        assert [m["id"] for m in first.json()["items"]] == [i["id"] for i in board["items"][:3]]
        assert first.json()["unread"] == 4 and 'rel="next"' in first.headers["Link"]
        rest = youth.get(first.json()["next"]).json()
        assert len(rest["items"]) == 1 and rest["next"] is None
        assert youth.post("/api/v1/me/messages/read").json()["marked"] == 4
        assert rpc.notify.dashboard() == {"items": [], "unread": 0}

        until = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
        counts = wait_for(
            lambda: (
                (c := rpc.notify.indicators(since=since, until=until))[
                    "notify.messages.email.delivered"
                ]
                == 4
                and c
            ),
            message="four emails delivered",
        )
        assert counts["notify.messages"] == 4
        assert counts["notify.messages.inapp.delivered"] == 4
        assert counts["notify.messages.sms.failed"] == 0
        assert counts["notify.webhooks.deliveries"] == 0
        later = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()
        assert rpc.notify.indicators(since=until, until=later)["notify.messages"] == 0
