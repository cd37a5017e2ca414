"""Registration without an oracle, and identity appeals, over HTTP on the whole platform (issue
21): an ID number bound elsewhere is refused exactly as a phone code that proves nothing; the
rightful owner of an ID number someone else bound registers with an appeal, an officer of a
personal-data unit decides with a reason; approval moves the number (the other account loses it
and its verified facts and is told through notify), rejection changes nothing but tells the
claimant; every decision is in the audit trail, and an officer of another unit cannot decide."""

from __future__ import annotations

import random

from tests.support.api import PASSWORD, born_aged, citizen_id, unique, verify_facts
from tests.support.messaging import wait_for

STATEMENT = "该身份证号码是我本人的,我从未注册过账号,可携带身份证到区人社局窗口核验"


def register_claiming(api, number: str, appeal: bool = True, locale="zh-CN", phone=None, code=None):
    body = {
        "username": unique("claimant"),
        "password": PASSWORD,
        "role": "youth",
        "phone": phone or "13700137000",
        "profile": {"name": "李真", "citizen_id": number, "degree": "bachelor"},
    }
    if appeal:
        body["identity_appeal"] = {"statement": STATEMENT}
    if code:
        body["phone_code"] = code
    headers = {"Accept-Language": locale}
    return api.anonymous.post("/api/v1/accounts", json=body, headers=headers), body


def claimant(api, number: str):
    answer, body = register_claiming(api, number)
    assert answer.status_code == 201, answer.text
    assert answer.json()["profile"]["citizen_id"] is None  # claimed, not bound
    session = api.sign_in(body["username"], PASSWORD)
    (appeal,) = session.get("/api/v1/me/identity-appeals").json()["items"]
    assert (appeal["status"], appeal["citizen_id"]) == ("pending", number)
    return session, appeal


def titles(session) -> list[str]:
    return [m["title"] for m in session.get("/api/v1/me/messages").json()["items"]]


def told(session, title: str) -> None:
    wait_for(lambda: title in titles(session), timeout=30, interval=0.3, message=title)


def audit(api, subject_id: str) -> list[dict]:
    answer = api.admin().get(
        "/api/v1/admin/audit", params={"service": "gateway", "subject_id": subject_id}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_an_approved_appeal_moves_the_id_number_and_is_audited(api):
    hrss = api.staff("officer", unit="hrss")
    squatter = api.youth(age=24, graduation_date="2024-06-30", degree="bachelor")
    verify_facts(hrss, squatter.id, "graduation_date")
    number = squatter.account["profile"]["citizen_id"]
    refused, _ = register_claiming(api, number, appeal=False)
    assert (refused.status_code, refused.json()["code"]) == (409, "identity_unavailable")

    owner, appeal = claimant(api, number)
    queue = hrss.get("/api/v1/identity-appeals", params={"status": "pending", "limit": 100})
    assert queue.status_code == 200, queue.text
    seen = next(a for a in queue.json()["items"] if a["id"] == appeal["id"])
    assert seen["held_by"] == squatter.id and seen["claimant_id"] == owner.id
    assert seen["citizen_id"] != number and seen["citizen_id"].startswith(number[:3])
    assert seen["statement"] == STATEMENT

    reason = "本人持身份证到窗口核验,人证一致;原账号注册人无法提供身份证件"
    decided = hrss.post(
        f"/api/v1/identity-appeals/{appeal['id']}/decision",
        json={"decision": "approve", "reason": reason},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    assert decided.json()["released_from"] == squatter.id

    mine = owner.get("/api/v1/accounts/me").json()["profile"]
    assert mine["citizen_id"] == number
    assert mine["birth_date"] == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    theirs = squatter.get("/api/v1/accounts/me").json()["profile"]
    assert theirs["citizen_id"] is None and theirs["birth_date"] is None
    assert theirs["facts"]["graduation_date"] == "declared"  # verified as the number's person

    told(squatter, "您账号上的身份证号码已被解除绑定")
    told(owner, "身份申诉已通过")
    actions = {(e["action"], e["actor_id"], e["reason"]) for e in audit(api, appeal["id"])}
    assert ("identity_appeal.approved", hrss.id, reason) in actions
    assert any(action == "identity_appeal.filed" for action, _, _ in actions)
    released = [e for e in audit(api, squatter.id) if e["action"] == "identity.released"]
    assert released and released[0]["details"] == {"appeal_id": appeal["id"]}

    again = hrss.post(
        f"/api/v1/identity-appeals/{appeal['id']}/decision",
        json={"decision": "reject", "reason": reason},
    )
    assert (again.status_code, again.json()["code"]) == (409, "illegal_transition")


def test_a_rejected_appeal_changes_nothing_and_tells_the_claimant(api):
    housing = api.staff("officer", unit="housing")
    holder = api.youth(age=25)
    number = holder.account["profile"]["citizen_id"]
    owner, appeal = claimant(api, number)
    reason = "申诉人未能提供身份证件原件"
    decided = housing.in_english().post(
        f"/api/v1/identity-appeals/{appeal['id']}/decision",
        json={"decision": "reject", "reason": reason},
    )
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["released_from"]) == ("rejected", None)

    assert holder.get("/api/v1/accounts/me").json()["profile"]["citizen_id"] == number
    assert owner.get("/api/v1/accounts/me").json()["profile"]["citizen_id"] is None
    (mine,) = owner.get("/api/v1/me/identity-appeals").json()["items"]
    assert (mine["status"], mine["reason"]) == ("rejected", reason)
    told(owner, "身份申诉未通过")
    # the appeal is among what the gateway holds about the claimant (PIPL art. 45)
    exported = owner.get("/api/v1/me/data").json()["parts"]["gateway"]["identity_appeals"]
    assert [(a["id"], a["citizen_id"], a["reason"]) for a in exported] == [
        (appeal["id"], number, reason)
    ]
    entries = audit(api, appeal["id"])
    assert [e["reason"] for e in entries if e["action"] == "identity_appeal.rejected"] == [reason]
    assert not [e for e in audit(api, holder.id) if e["action"] == "identity.released"]


def test_an_officer_of_a_unit_without_personal_data_cannot_review_appeals(api):
    league = api.staff("officer", unit="youth_league").in_english()
    _, appeal = claimant(api, api.youth(age=22).account["profile"]["citizen_id"])
    listed = league.get("/api/v1/identity-appeals")
    assert (listed.status_code, listed.json()["code"]) == (403, "not_a_personal_data_unit")
    decided = league.post(
        f"/api/v1/identity-appeals/{appeal['id']}/decision",
        json={"decision": "approve", "reason": "我看过了证件"},
    )
    assert (decided.status_code, decided.json()["code"]) == (403, "not_a_personal_data_unit")
    youth = api.youth(age=22)
    assert youth.get("/api/v1/identity-appeals").status_code == 403
    still = api.staff("officer", unit="hrss").get(
        "/api/v1/identity-appeals", params={"status": "pending", "limit": 100}
    )
    assert appeal["id"] in [a["id"] for a in still.json()["items"]]


def test_an_appeal_for_a_number_bound_to_nobody_is_answered_like_any_other(api):
    free = citizen_id(born_aged(26))
    answer, _ = register_claiming(api, free)
    assert answer.status_code == 201 and answer.json()["profile"]["citizen_id"] is None


def test_a_bound_id_number_is_refused_exactly_as_a_phone_code_that_proves_nothing(api):
    # the shared platform does not require the proof, but a code given is checked all the same
    number = api.youth(age=23).account["profile"]["citizen_id"]
    phone = f"135{random.randrange(10**8):08d}"
    asked = api.anonymous.post("/api/v1/accounts/phone-codes", json={"phone": phone})
    assert asked.status_code == 202 and asked.json() == {"status": "accepted"}
    for locale in ("zh-CN", "en"):
        bound, _ = register_claiming(api, number, appeal=False, locale=locale)
        unproven, _ = register_claiming(
            api, citizen_id(born_aged(23)), appeal=False, locale=locale, phone=phone, code="000000"
        )
        answers = [
            (r.status_code, r.headers["Content-Language"], {**r.json(), "request_id": None})
            for r in (bound, unproven)
        ]
        assert answers[0] == answers[1]
        assert answers[0][2]["code"] == "identity_unavailable"
