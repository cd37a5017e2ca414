"""Facts that follow events beyond the hire, over HTTP on the whole platform (issue 23): the
end of a traineeship makes a retained trainee employed by the host and one who left a job
seeker again; a completed business registration makes the founder self-employed; an approved
identity appeal is a change of facts the benefits finder follows (the claimant, whose age it
gives, is told of a programme that age opens)."""

from __future__ import annotations

from services.common.clock import clock
from tests.support.api import born_aged, citizen_id
from tests.support.housing import station_room
from tests.support.jobs import hire, published_post, recent_graduate
from tests.support.messaging import wait_for
from tests.support.startup import Staff, business, complete_steps, unit_officers

from .test_identity_appeals import claimant

FOUND = "youthcity.gateway.benefit.found"


def profile_once(session, check, what: str) -> dict:
    """The person's profile once `check(profile)` holds (the gateway applies events later)."""

    def holds():
        profile = session.get("/api/v1/accounts/me").json()["profile"]
        return profile if check(profile) else None

    return wait_for(holds, timeout=30, interval=0.2, message=what)


def trainee(api, employer, post) -> tuple:
    """A recent graduate hired onto the traineeship post: the graduate and the traineeship."""
    graduate = recent_graduate(api)
    application = hire(employer, graduate, post["id"])
    traineeship = employer.get(f"/api/v1/job-applications/{application}").json()["traineeship_id"]
    assert traineeship, "a hire on a traineeship post starts a traineeship"
    return graduate, traineeship


def test_the_end_of_a_traineeship_sets_the_employment_status_the_host_reports(api):
    hrss = api.staff("officer", unit="hrss")
    employer, post = published_post(api, hrss, kind="traineeship")
    left, left_id = trainee(api, employer, post)
    kept, kept_id = trainee(api, employer, post)
    today = clock.today().isoformat()

    ending = {"outcome": "left", "ended_on": today}
    ended = employer.post(f"/api/v1/traineeships/{left_id}/end", json=ending)
    assert ended.status_code == 200, ended.text
    seeker = profile_once(
        left,
        lambda p: p["facts"]["employment_status"] == "verified",
        "the trainee who left is a verified job seeker",
    )
    assert (seeker["employment_status"], seeker["employer_id"]) == ("unemployed", None)

    ending = {"outcome": "retained", "ended_on": today}
    retained = employer.post(f"/api/v1/traineeships/{kept_id}/end", json=ending)
    assert retained.status_code == 200, retained.text
    employed = profile_once(
        kept, lambda p: p["employment_status"] == "employed", "the retained trainee employed"
    )
    assert (employed["employer_id"], employed["employed_since"]) == (employer.id, today)
    assert employed["facts"]["employment_status"] == "verified"
    assert kept.get("/api/v1/traineeships/eligibility").json()["eligible"] is False


def test_a_completed_business_registration_makes_the_founder_self_employed(api):
    officers = unit_officers(Staff(api))
    room = station_room(api.staff("officer", unit="housing"), beds=2)
    today = clock.today()
    founder = api.youth(age=24, employment_status="unemployed", graduation_date=today.isoformat())
    assert founder.get("/api/v1/traineeships/eligibility").json()["eligible"] is True
    registration = founder.post("/api/v1/startup/registrations", json=business())
    assert registration.status_code == 201, registration.text
    complete_steps(officers, registration.json()["id"])

    profile = profile_once(
        founder, lambda p: p["employment_status"] == "self_employed", "the founder self-employed"
    )
    assert profile["employer_id"] is None
    assert profile["employed_since"] == clock.today().isoformat()
    assert profile["facts"]["employment_status"] == "verified"
    # a founder is not a job seeker: the traineeship is for those not employed, and so are
    # the youth station's free nights
    assert founder.get("/api/v1/traineeships/eligibility").json()["eligible"] is False
    nights = {"unit_id": room["id"], "first_night": today.isoformat(), "nights": 1}
    refused = founder.in_english().post("/api/v1/housing/station-bookings", json=nights)
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "employment_status" and "self-employed" in error["message"]


def test_an_approved_appeal_is_a_change_of_facts_the_benefits_finder_follows(api):
    hrss = api.staff("officer", unit="hrss")
    # someone else bound the number of a 23-year-old: its owner registers with an appeal
    number = citizen_id(born_aged(23))
    squatter = api.youth(citizen_id=number)
    owner, appeal = claimant(api, number)
    patched = owner.patch("/api/v1/accounts/me/profile", json={"employment_status": "unemployed"})
    assert patched.status_code == 200, patched.text
    # without an age, the unemployed-youth route of the traineeship cannot be decided
    answer = owner.get("/api/v1/me/benefits").json()
    [traineeship] = [p for p in answer["programmes"] if p["key"] == "traineeship"]
    assert traineeship["verdict"] != "eligible"

    decided = hrss.post(
        f"/api/v1/identity-appeals/{appeal['id']}/decision",
        json={"decision": "approve", "reason": "本人持身份证到窗口核验,人证一致"},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["released_from"] == squatter.id

    def found():
        inbox = owner.get("/api/v1/me/messages").json()["items"]
        return [m for m in inbox if m["event_type"] == FOUND and "就业见习" in m["title"]]

    wait_for(found, timeout=30, interval=0.3, message="the traineeship found through the age")
