"""Employers attach documents through the evidence mechanism, over HTTP on the whole platform
(issue 23): an employer attaches its business licence and the labour contract of a hire it
claims the hiring subsidy for; the files are checked as a young person's are; the employer and
officers of 区人社局 (who verify employers and decide the claims) read them, nobody else; an
officer's read of the contract is recorded with the hired person as subject and shown in that
person's data export."""

from __future__ import annotations

from tests.support.evidence import NOT_A_DOCUMENT, PDF, PNG
from tests.support.jobs import hire, published_post, recent_graduate

PROBLEM = "application/problem+json"


def attach(employer, kind: str, data: bytes, application_id: str | None = None):
    params = {"application_id": application_id} if application_id else None
    return employer.post(
        f"/api/v1/employer/evidence/{kind}",
        data=data,
        params=params,
        headers={"Content-Type": "application/pdf"},
    )


def reads(api, subject_id: str) -> list[dict]:
    entries = api.admin().get(
        "/api/v1/admin/audit", params={"service": "gateway", "subject_id": subject_id}
    )
    return [e for e in entries.json()["items"] if e["action"] == "evidence.read"]


def test_an_employer_attaches_its_licence_and_a_hires_contract_for_hrss_alone(api):
    hrss, housing = api.staff("officer", unit="hrss"), api.staff("officer", unit="housing")
    employer, post = published_post(api, hrss, kind="job")
    other_employer, _ = published_post(api, hrss, kind="job")
    graduate = recent_graduate(api)
    application = hire(employer, graduate, post["id"])

    licence = attach(employer, "business_licence", PNG)
    assert licence.status_code == 201, licence.text
    assert (licence.json()["fact"], licence.json()["content_type"]) == (
        "business_licence",
        "image/png",
    )
    contract = attach(employer, "labour_contract", PDF, application)
    assert contract.status_code == 201, contract.text
    contract = contract.json()
    assert (contract["person_id"], contract["reference"]) == (graduate.id, application)

    # checked as any evidence: the bytes decide, a contract names a hire of the employer's own
    junk = attach(employer, "business_licence", NOT_A_DOCUMENT)
    assert junk.status_code == 422 and junk.json()["errors"][0]["field"] == "document"
    unnamed = attach(employer, "labour_contract", PDF)
    assert unnamed.status_code == 422 and unnamed.json()["field"] == "application_id"
    not_theirs = attach(other_employer, "labour_contract", PDF, application)
    assert not_theirs.status_code == 404, not_theirs.text
    assert attach(employer, "tax_return", PDF).status_code == 404
    assert graduate.post(
        "/api/v1/employer/evidence/business_licence",
        data=PDF,
        headers={"Content-Type": "application/pdf"},
    ).status_code in (403, 404)

    mine = employer.get("/api/v1/employer/evidence").json()["items"]
    assert {d["id"] for d in mine} == {licence.json()["id"], contract["id"]}
    listed = hrss.get(f"/api/v1/employers/{employer.id}/evidence").json()["items"]
    assert {d["id"] for d in listed} == {licence.json()["id"], contract["id"]}
    assert housing.get(f"/api/v1/employers/{employer.id}/evidence").json()["items"] == []

    url = f"/api/v1/evidence/{contract['id']}"
    for outsider in (housing, other_employer, graduate):
        refused = outsider.get(url)
        assert refused.status_code == 404 and refused.headers["Content-Type"] == PROBLEM
    own = employer.get(url)
    assert own.status_code == 200 and own.content == PDF
    assert reads(api, graduate.id) == []  # the employer's own read is not recorded
    read = hrss.get(url)
    assert read.status_code == 200 and read.content == PDF
    [entry] = reads(api, graduate.id)
    assert (entry["actor_id"], entry["actor_unit"]) == (hrss.id, "hrss")
    assert entry["details"] == {
        "document_id": contract["id"],
        "fact": "labour_contract",
        "owner_id": employer.id,
    }
    [told] = graduate.get("/api/v1/me/data").json()["parts"]["gateway"]["evidence_read"]
    assert (told["officer_id"], told["document_id"]) == (hrss.id, contract["id"])

    assert hrss.get(f"/api/v1/evidence/{licence.json()['id']}").content == PNG
    [licence_read] = reads(api, employer.id)
    assert licence_read["details"]["fact"] == "business_licence"
