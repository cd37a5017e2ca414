"""Evidence and verified facts over HTTP on the whole platform: a graduate gives a degree
certificate, an officer of 区人社局 reads it (recorded, shown in the graduate's data export) and
verifies the graduation date against it, no one else can read it; documents are judged by
their bytes and their size; a change of the verified date sends it back to review; a
social-insurance partner pushes the months of local social insurance it was granted, and
nothing else, and the person is told they are newly eligible for affordable rental housing."""

from __future__ import annotations

import hashlib
import json

from services.common.clock import clock
from tests.support.api import unique
from tests.support.evidence import JPEG, NOT_A_DOCUMENT, PDF, PNG
from tests.support.jobs import events_until, recent_graduate
from tests.support.messaging import Subscriber, wait_for

PROBLEM = "application/problem+json"
FOUND = "youthcity.gateway.benefit.found"


def _upload(person, fact: str, data: bytes, content_type: str = "application/pdf"):
    return person.post(
        f"/api/v1/me/evidence/{fact}", data=data, headers={"Content-Type": content_type}
    )


def _queue(officer) -> dict[str, str | None]:
    """The officer's evidence queue: each document's id and the value declared for its fact."""
    page = officer.get("/api/v1/review/evidence?limit=100").json()["items"]
    return {d["id"]: d["declared_value"] for d in page}


def _found(person, words: str) -> list[dict]:
    """The person's messages that tell them of a programme they became eligible for."""
    inbox = person.get("/api/v1/me/messages").json()["items"]
    return [m for m in inbox if m["event_type"] == FOUND and words in m["title"]]


def _audit(api, person_id: str, action: str) -> list[dict]:
    entries = api.admin().get(
        "/api/v1/admin/audit", params={"service": "gateway", "subject_id": person_id}
    )
    return [e for e in entries.json()["items"] if e["action"] == action]


def test_a_graduate_gives_a_degree_certificate_and_hrss_verifies_the_date_against_it(api):
    graduate = recent_graduate(api)
    hrss, housing = api.staff("officer", unit="hrss"), api.staff("officer", unit="housing")
    someone_else = recent_graduate(api)

    uploaded = _upload(graduate, "graduation_date", PDF)
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert uploaded.headers["Location"] == f"/api/v1/evidence/{document['id']}"
    assert (document["fact"], document["content_type"], document["size"]) == (
        "graduation_date",
        "application/pdf",
        len(PDF),
    )
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    mine = graduate.get("/api/v1/me/evidence").json()["items"]
    assert [d["id"] for d in mine] == [document["id"]]
    declared = graduate.get("/api/v1/accounts/me").json()["profile"]["graduation_date"]
    assert _queue(hrss)[document["id"]] == declared  # what the officer checks the document for
    not_theirs = housing.get("/api/v1/review/evidence")
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "not_responsible_unit")
    listed = hrss.get(f"/api/v1/people/{graduate.id}/evidence").json()["items"]
    assert [d["id"] for d in listed] == [document["id"]]
    assert housing.get(f"/api/v1/people/{graduate.id}/evidence").json()["items"] == []

    url = f"/api/v1/evidence/{document['id']}"
    for outsider in (housing, someone_else):
        refused = outsider.get(url)
        assert refused.status_code == 404 and refused.headers["Content-Type"] == PROBLEM
    assert api.anonymous.get(url).status_code == 401
    own = graduate.get(url)
    assert own.status_code == 200 and own.content == PDF
    read = hrss.get(url)
    assert read.status_code == 200 and read.content == PDF
    assert read.headers["Content-Type"] == "application/pdf"
    assert read.headers["Content-Disposition"].startswith("attachment;")
    [entry] = _audit(api, graduate.id, "evidence.read")  # the owner's own read is not recorded
    assert (entry["actor_id"], entry["actor_unit"]) == (hrss.id, "hrss")
    assert entry["details"] == {"document_id": document["id"], "fact": "graduation_date"}

    verification = f"/api/v1/people/{graduate.id}/facts/graduation_date/verification"
    reason = "核对毕业证书扫描件与学信网备案表一致"
    others = _upload(someone_else, "graduation_date", PDF).json()
    wrong = hrss.post(verification, json={"reason": reason, "evidence_id": others["id"]})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["code"] == "evidence_not_of_fact"
    verified = hrss.post(verification, json={"reason": reason, "evidence_id": document["id"]})
    assert verified.status_code == 200, verified.text
    assert verified.json()["profile"]["facts"]["graduation_date"] == "verified"
    [entry] = _audit(api, graduate.id, "profile_fact.verified")
    assert entry["details"]["evidence_id"] == document["id"] and entry["reason"] == reason
    assert document["id"] not in _queue(hrss)
    kept = graduate.delete(f"/api/v1/me/evidence/{document['id']}")
    assert kept.status_code == 409 and kept.json()["code"] == "evidence_in_use"

    export = graduate.get("/api/v1/me/data").json()["parts"]["gateway"]
    assert [d["id"] for d in export["evidence"]] == [document["id"]]
    [record] = export["fact_verifications"]
    assert (record["fact"], record["source"], record["evidence_id"]) == (
        "graduation_date",
        "officer",
        document["id"],
    )
    [told] = export["evidence_read"]
    assert (told["officer_id"], told["unit"], told["document_id"]) == (
        hrss.id,
        "hrss",
        document["id"],
    )

    # the verified date changed by the person goes back to review, with its evidence
    changed = graduate.patch(
        "/api/v1/accounts/me/profile", json={"graduation_date": clock.today().isoformat()}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["profile"]["facts"]["graduation_date"] == "declared"
    assert document["id"] in _queue(hrss)


def test_a_document_is_judged_by_its_bytes_and_its_size(api):
    graduate = recent_graduate(api)
    for session, words in ((graduate, "PDF"), (graduate.in_english(), "judged by its content")):
        refused = _upload(session, "degree", NOT_A_DOCUMENT, "application/pdf")
        assert refused.status_code == 422 and refused.headers["Content-Type"] == PROBLEM
        [error] = refused.json()["errors"]
        assert (error["field"], error["code"]) == ("document", "evidence_type_not_allowed")
        assert words in error["message"]
    # a PNG sent as a PDF is a PNG: the header is not believed
    photo = _upload(graduate, "degree", PNG, "application/pdf")
    assert photo.status_code == 201 and photo.json()["content_type"] == "image/png"
    assert _upload(graduate, "degree", JPEG, "image/jpeg").json()["content_type"] == "image/jpeg"

    too_large = _upload(graduate, "degree", PDF + b"\0" * 262144)
    assert too_large.status_code == 413 and too_large.headers["Content-Type"] == PROBLEM
    assert too_large.json()["code"] == "body_too_large"
    unknown = _upload(graduate, "favourite_colour", PDF)
    assert unknown.status_code == 404
    assert {d["content_type"] for d in graduate.get("/api/v1/me/evidence").json()["items"]} == {
        "image/png",
        "image/jpeg",
    }
    taken_back = graduate.delete(f"/api/v1/me/evidence/{photo.json()['id']}")
    assert taken_back.status_code == 204
    assert graduate.get(f"/api/v1/evidence/{photo.json()['id']}").status_code == 404


def test_a_partner_pushes_granted_insurance_months_and_the_person_is_told_of_a_benefit(
    api, platform_amqp_uri
):
    tap = Subscriber(platform_amqp_uri, "gateway.events", unique("facts-tap"))
    partner = api.staff("partner", display_name="区社会保险事业管理中心")
    admin = api.admin()
    person = recent_graduate(api, local_social_insurance_months=3)
    citizen_id = person.get("/api/v1/accounts/me").json()["profile"]["citizen_id"]
    months = "local_social_insurance_months"
    push = {
        "citizen_id": citizen_id,
        "fact": months,
        "value": 12,
        "as_of": clock.today().isoformat(),
        "reference": "SI-2026-000123",
    }

    not_yet = partner.post("/api/v1/partners/facts", json=push)
    assert not_yet.status_code == 403 and not_yet.json()["code"] == "fact_not_granted"
    granted = admin.put(
        f"/api/v1/partners/{partner.id}/facts/{months}", json={"reference": "社保数据共享协议"}
    )
    assert granted.status_code == 200, granted.text
    assert (granted.json()["fact"], granted.json()["granted_by"]) == (months, admin.id)
    assert [
        g["fact"] for g in partner.get(f"/api/v1/partners/{partner.id}/facts").json()["items"]
    ] == [months]
    assert _audit(api, partner.id, "partner.fact_granted")

    pushed = partner.post("/api/v1/partners/facts", json=push)
    assert pushed.status_code == 200, pushed.text
    assert pushed.json() | {"as_of": None} == {
        "person_id": person.id,
        "fact": months,
        "value": "12",
        "state": "verified",
        "source": f"partner:{partner.account['username']}",
        "as_of": None,
        "changed": True,
    }
    profile = person.get("/api/v1/accounts/me").json()["profile"]
    assert profile[months] == 12 and profile["facts"][months] == "verified"
    export = person.get("/api/v1/me/data").json()["parts"]["gateway"]
    [reported] = export["fact_verifications"]
    assert (reported["source"], reported["reference"]) == (
        pushed.json()["source"],
        "SI-2026-000123",
    )
    [entry] = _audit(api, person.id, "profile_fact.pushed")
    assert (entry["actor_id"], entry["details"]["reference"]) == (partner.id, "SI-2026-000123")

    [event] = [
        e
        for e in events_until(tap, {("youthcity.gateway.profile.facts_changed", person.id)})
        if e["type"] == "youthcity.gateway.profile.facts_changed"
    ]
    assert event["data"] | {"changed_at": None} == {
        "person_id": person.id,
        "facts": [months],
        "source": "partner",
        "changed_at": None,
    }
    assert citizen_id not in json.dumps(event)
    # the benefits finder follows the pushed fact: the person is told they are newly eligible
    [told] = wait_for(
        lambda: _found(person, "保障性租赁住房"),
        timeout=30,
        interval=0.3,
        message="the benefit.found message for affordable rental housing",
    )
    assert "保障性租赁住房" in told["body"]

    degree = {**push, "fact": "degree", "value": "master"}
    refused = partner.in_english().post("/api/v1/partners/facts", json=degree)
    assert refused.status_code == 403 and refused.headers["Content-Type"] == PROBLEM
    assert refused.json()["code"] == "fact_not_granted" and "degree" in refused.json()["title"]
    assert person.get("/api/v1/accounts/me").json()["profile"]["degree"] == "bachelor"
    both = partner.post("/api/v1/partners/facts", json={**push, "person_id": person.id})
    assert both.status_code == 422
    older = {**push, "person_id": person.id, "as_of": "2020-01-31"}
    del older["citizen_id"]
    stale = partner.post("/api/v1/partners/facts", json=older)
    assert stale.status_code == 409 and stale.json()["code"] == "fact_push_stale"

    assert admin.delete(f"/api/v1/partners/{partner.id}/facts/{months}").status_code == 200
    revoked = partner.post("/api/v1/partners/facts", json=push)
    assert revoked.status_code == 403 and revoked.json()["code"] == "fact_not_granted"
