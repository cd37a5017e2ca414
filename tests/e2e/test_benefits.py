"""The policy catalogue and the benefits finder (政策找人, 免申即享) over HTTP on the whole
platform: the public policy pages need no sign-in; a young person sees, for every programme,
whether they are eligible and why, with each fact verified or declared; an officer verifying
12 months of local social insurance makes the person eligible for affordable rental housing
and they are told, once; a hire opens the hiring-subsidy claim without anyone asking."""

import time

from tests.support.api import verify_facts
from tests.support.jobs import hire, published_post, recent_graduate
from tests.support.messaging import wait_for

PROBLEM = "application/problem+json"
PROGRAMMES = {
    "traineeship",
    "hiring_subsidy",
    "talent_apartment",
    "public_rental",
    "affordable_rental",
    "purchase_subsidy",
    "housing_fund",
    "youth_station",
    "startup_loan",
    "loan_interest_subsidy",
    "startup_grant",
    "incubator_space",
    "startup_training",
    "rural_leaders_training",
    "young_doers",
    "youth_activities",
}
FOUND = "youthcity.gateway.benefit.found"


def programmes_of(session) -> dict[str, dict]:
    answer = session.get("/api/v1/me/benefits")
    assert answer.status_code == 200, answer.text
    assert answer.json()["degraded"] == []
    return {p["key"]: p for p in answer.json()["programmes"]}


def found_messages(session, words: str) -> list[dict]:
    inbox = session.get("/api/v1/me/messages").json()["items"]
    return [m for m in inbox if m["event_type"] == FOUND and words in m["title"]]


def test_the_policy_pages_need_no_sign_in(api):
    listing = api.anonymous.get("/api/v1/policies")
    assert listing.status_code == 200, listing.text
    assert listing.json()["degraded"] == []
    items = listing.json()["items"]
    assert {p["key"] for p in items} == PROGRAMMES
    assert [p["key"] for p in items if p["automatic"]] == ["hiring_subsidy"]

    one = api.anonymous.get("/api/v1/policies/affordable_rental")
    assert one.status_code == 200, one.text
    programme = one.json()
    assert (programme["name"]["zh-CN"], programme["unit"]) == ("保障性租赁住房", "housing")
    assert "二.1" in programme["legal_source"]["en"]
    assert any("12 consecutive months" in c["en"] for c in programme["conditions"])
    assert programme["declarations"] == ["owns_property_in_district", "on_government_payroll"]

    unknown = api.anonymous.get("/api/v1/policies/no_such_programme")
    assert unknown.status_code == 404 and unknown.headers["Content-Type"] == PROBLEM


def test_a_person_sees_each_programme_with_its_reasons_and_facts(api):
    graduate = recent_graduate(api)
    mine = programmes_of(graduate)
    assert set(mine) == PROGRAMMES

    traineeship = mine["traineeship"]
    assert traineeship["verdict"] == "eligible"
    graduated = next(r for r in traineeship["rules"] if r["rule"] == "recent_graduate")
    assert graduated["state"] == "passed" and "毕业时间" in graduated["reason"]["zh-CN"]
    assert graduated["facts"] == [{"fact": "graduation_date", "state": "declared"}]
    # the answer is the service's own: asking the programme directly says the same
    assert graduate.get("/api/v1/traineeships/eligibility").json()["eligible"] is True

    # a profile holds 0 months of local social insurance until the person declares more
    rental = mine["affordable_rental"]
    assert rental["verdict"] == "not_eligible"
    insurance = next(r for r in rental["rules"] if r["rule"] == "social_insurance")
    assert (insurance["state"], insurance["missing"]) == ("failed", [])
    assert "12" in insurance["reason"]["en"] and "12" in insurance["reason"]["zh-CN"]
    declarations = [r for r in rental["rules"] if r["rule"] in ("no_property", "not_on_payroll")]
    assert [r["state"] for r in declarations] == ["declaration", "declaration"]
    assert mine["startup_loan"]["verdict"] == "eligible"
    assert mine["hiring_subsidy"]["verdict"] == "not_eligible"

    older = api.youth(age=30, degree="bachelor", employment_status="employed")
    theirs = programmes_of(older)
    assert theirs["traineeship"]["verdict"] == "not_eligible"
    station = theirs["youth_station"]
    assert station["verdict"] == "fact_missing"
    assert station["rules"][0]["missing"] == ["graduation_date"]
    assert station["rules"][0]["facts"][0] == {"fact": "graduation_date", "state": "missing"}

    assert api.anonymous.get("/api/v1/me/benefits").status_code == 401
    assert api.employer().get("/api/v1/me/benefits").status_code == 403


def test_verified_insurance_tells_the_person_they_are_newly_eligible_for_affordable_rental(api):
    graduate = recent_graduate(api)
    declared = graduate.patch(
        "/api/v1/accounts/me/profile", json={"local_social_insurance_months": 12}
    )
    assert declared.status_code == 200, declared.text
    rental = programmes_of(graduate)["affordable_rental"]
    assert rental["verdict"] == "eligible"
    insurance = next(r for r in rental["rules"] if r["rule"] == "social_insurance")
    assert insurance["facts"] == [{"fact": "local_social_insurance_months", "state": "declared"}]
    # a fact the person declares is no reason to go looking for them
    time.sleep(1)
    assert found_messages(graduate, "保障性租赁住房") == []

    hrss = api.staff("officer", unit="hrss")
    verify_facts(hrss, graduate.id, "local_social_insurance_months")
    [message] = wait_for(
        lambda: found_messages(graduate, "保障性租赁住房"),
        timeout=30,
        interval=0.3,
        message="the benefit.found message for affordable rental housing",
    )
    assert "保障性租赁住房" in message["body"]
    english = graduate.in_english().get(f"/api/v1/me/messages/{message['id']}").json()
    assert english["title"].endswith("eligible for: Affordable rental housing")
    rental = programmes_of(graduate)["affordable_rental"]
    insurance = next(r for r in rental["rules"] if r["rule"] == "social_insurance")
    assert insurance["facts"] == [{"fact": "local_social_insurance_months", "state": "verified"}]

    # verified again: the person was told once, and is not told again
    verify_facts(hrss, graduate.id, "local_social_insurance_months")
    wait_for(
        lambda: len(found_messages(graduate, "公租房")) == 1,
        timeout=30,
        interval=0.3,
        message="the public-rental message",
    )
    time.sleep(2)
    assert len(found_messages(graduate, "保障性租赁住房")) == 1


def test_a_hire_opens_the_hiring_subsidy_claim_without_anyone_asking(api):
    hrss = api.staff("officer", unit="hrss")
    employer, post = published_post(api, hrss, kind="job")
    graduate = recent_graduate(api)
    application = hire(employer, graduate, post["id"])

    def opened():
        claims = employer.get("/api/v1/employment-subsidies").json()["items"]
        return next((c for c in claims if c["application_id"] == application), None)

    claim = wait_for(opened, timeout=30, interval=0.3, message="the claim that opened itself")
    assert (claim["state"], claim["amount_cny"], claim["person_id"]) == (
        "claimed",
        "1500.00",
        graduate.id,
    )
    assert claim["employer_id"] == employer.id
    wait_for(
        lambda: found_messages(graduate, "一次性扩岗补助"),
        timeout=30,
        interval=0.3,
        message="the person told of the hiring subsidy",
    )
    # the employer claiming it now is given the claim that stands, not a second one
    again = employer.post("/api/v1/employment-subsidies", json={"application_id": application})
    assert again.status_code == 201, again.text
    assert again.json()["id"] == claim["id"]
    assert programmes_of(graduate)["hiring_subsidy"]["verdict"] == "not_eligible"
