"""The first journey through every real part: an officer of the Youth League publishes an
activity, a young person registers through the gateway, the registration event reaches notify
through its inbox, and the young person reads the message in their inbox through the gateway."""

from tests.support.dates import district_time, later, shown
from tests.support.messaging import wait_for


def test_a_registration_reaches_the_young_persons_inbox(api):
    starts = district_time(days=14, hour=14)
    officer = api.staff("officer", unit="youth_league")
    draft = officer.post(
        "/api/v1/activities",
        json={
            "title": "青年音乐节",
            "category": "music_festival",
            "venue": "文化广场",
            "starts_at": starts.isoformat(),
            "ends_at": later(starts, hours=4).isoformat(),
            "capacity": 50,
            "min_age": 14,
            "max_age": 35,
        },
    )
    assert draft.status_code == 201, draft.text
    activity = draft.json()
    assert (activity["state"], activity["organiser_unit"]) == ("draft", "youth_league")
    published = officer.post(f"/api/v1/activities/{activity['id']}/publish")
    assert published.status_code == 200 and published.json()["state"] == "published"

    youth = api.youth(age=22)
    registered = youth.post(f"/api/v1/activities/{activity['id']}/registrations")
    assert registered.status_code == 201, registered.text
    assert registered.json()["state"] == "confirmed"
    assert registered.headers["Location"].endswith(registered.json()["id"])

    def registration_message():
        inbox = youth.get("/api/v1/me/messages").json()
        return next(
            (
                m
                for m in inbox["items"]
                if m["event_type"] == "youthcity.events.registration.confirmed"
            ),
            None,
        )

    message = wait_for(
        registration_message, timeout=15, interval=0.2, message="the registration message"
    )
    assert message["title"] == "报名成功:青年音乐节"
    assert shown(starts) in message["body"] and "文化广场" in message["body"]
    english = youth.in_english().get("/api/v1/me/messages").json()
    assert any(m["title"] == "You're registered: 青年音乐节" for m in english["items"])
    assert english["unread"] >= 1

    read = youth.post(f"/api/v1/me/messages/{message['id']}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    unread = youth.get("/api/v1/me/messages", params={"unread_only": "true"}).json()["items"]
    assert message["id"] not in [m["id"] for m in unread]
    mine = youth.get("/api/v1/me/registrations").json()["items"]
    assert [r["activity_id"] for r in mine] == [activity["id"]]
