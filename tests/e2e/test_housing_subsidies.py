"""Housing subsidies by the rules, over HTTP on the whole platform: the amount a person may ask
follows the policy's schedule for their household, and a purchase subsidy is once per person."""

PROBLEM = "application/problem+json"
URL = "/api/v1/housing/subsidy-applications"


def purchase(amount: str, **fields) -> dict:
    return {
        "kind": "purchase_subsidy",
        "amount_requested_cny": amount,
        "property_address": "XX区幸福路8号",
        "on_government_payroll": False,
        **fields,
    }


def test_a_purchase_subsidy_follows_the_household_schedule_and_is_once_per_person(api):
    youth = api.youth(age=28, degree="bachelor", local_social_insurance_months=24)
    housing = api.staff("officer", unit="housing")

    above = youth.in_english().post(URL, json=purchase("60000"))
    assert above.status_code == 422 and above.headers["Content-Type"] == PROBLEM
    [error] = above.json()["errors"]
    assert (error["field"], error["code"]) == ("amount_requested_cny", "amount_above_schedule")
    assert "50000" in error["message"] and "household of 1" in error["message"]
    assert youth.get("/api/v1/me/housing/subsidy-applications").json()["items"] == []

    family = youth.post(URL, json=purchase("60000", household_size=2))
    assert family.status_code == 201, family.text
    assert (family.json()["state"], family.json()["household_size"]) == ("submitted", 2)

    twice = youth.post(URL, json=purchase("10000"))
    assert (twice.status_code, twice.json()["code"]) == (409, "subsidy_once_per_person")
    assert "每人只能享受一次" in twice.json()["title"]

    refused = housing.post(
        f"{URL}/{family.json()['id']}/decision",
        json={"decision": "refused", "reason": "购房合同未网签备案"},
    )
    assert refused.status_code == 200, refused.text
    assert youth.post(URL, json=purchase("10000")).status_code == 201
