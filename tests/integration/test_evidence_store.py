"""Evidence files in their object store, for real: on the filesystem under `DATA_DIR` (the
embedded default) and on an S3-compatible server over HTTP (moto's, started here on a loopback
port), each through the store alone and through the gateway: an upload lands in the store under
a key made of ids, the verifying unit's officer reads it back, and erasure deletes it."""

from __future__ import annotations

import boto3
import pytest

from gateway.objectstore import FileStore, S3Store, StoreUnavailable, store_from
from gateway.settings import GatewaySettings
from tests.support.evidence import PDF, PNG, S3Server
from tests.support.infra import free_port
from tests.support.messaging import wait_for

BUCKET = "youthcity-evidence-test"
CREDENTIALS = {"OBJECT_STORE_ACCESS_KEY": "testing", "OBJECT_STORE_SECRET_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.stop()


def _s3_client(server: S3Server):
    return boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


def _keys(server: S3Server, bucket: str) -> list[str]:
    listed = _s3_client(server).list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listed.get("Contents", [])]


def test_the_file_store_keeps_deletes_and_refuses_keys_that_are_not_ids(tmp_path):
    store = FileStore(tmp_path / "evidence")
    store.put("evidence/person-1/doc-1", PDF, "application/pdf")
    assert store.get("evidence/person-1/doc-1") == PDF
    assert (tmp_path / "evidence" / "evidence" / "person-1" / "doc-1").read_bytes() == PDF
    assert not [p for p in (tmp_path / "evidence").rglob(".upload-*")]
    store.delete("evidence/person-1/doc-1")
    store.delete("evidence/person-1/doc-1")  # erasure may repeat: already gone is done
    with pytest.raises(StoreUnavailable):  # a row naming a file that is gone: not a 500
        store.get("evidence/person-1/doc-1")
    for key in ("../outside", "evidence/../../etc/passwd", "/etc/passwd", "a//b", "名字.pdf"):
        with pytest.raises(ValueError):
            store.put(key, PDF, "application/pdf")


def test_the_s3_store_creates_its_bucket_keeps_and_deletes_over_http(s3_server):
    store = S3Store(s3_server.endpoint, f"{BUCKET}-direct", "testing", "testing", "us-east-1")
    store.put("evidence/person-1/doc-1", PDF, "application/pdf")
    store.put("evidence/person-1/doc-2", PNG, "image/png")
    assert store.get("evidence/person-1/doc-1") == PDF
    head = _s3_client(s3_server).head_object(
        Bucket=f"{BUCKET}-direct", Key="evidence/person-1/doc-2"
    )
    assert head["ContentType"] == "image/png" and head["ContentLength"] == len(PNG)
    store.delete("evidence/person-1/doc-1")
    store.delete("evidence/person-1/doc-1")
    assert _keys(s3_server, f"{BUCKET}-direct") == ["evidence/person-1/doc-2"]
    with pytest.raises(StoreUnavailable):
        store.get("evidence/person-1/doc-1")


def test_the_settings_choose_the_store(s3_server, tmp_path):
    embedded = GatewaySettings.from_env("gateway", 9100, {"DATA_DIR": str(tmp_path)})
    assert isinstance(store_from(embedded), FileStore)
    assert store_from(embedded).root == tmp_path / "evidence"
    remote = GatewaySettings.from_env(
        "gateway",
        9100,
        {"OBJECT_STORE_ENDPOINT": s3_server.endpoint, "OBJECT_STORE_BUCKET": BUCKET, **CREDENTIALS},
    )
    chosen = store_from(remote)
    assert isinstance(chosen, S3Store) and chosen.bucket == BUCKET


def _journey(api) -> tuple[str, str]:
    """A graduate gives a degree certificate, hrss reads and verifies against it; the
    document's id and the graduate's."""
    graduate = api.youth(age=23, degree="bachelor", graduation_date="2026-06-30")
    hrss = api.staff("officer", unit="hrss")
    uploaded = graduate.post(
        "/api/v1/me/evidence/graduation_date",
        data=PDF,
        headers={"Content-Type": "application/pdf"},
    )
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    read = hrss.get(f"/api/v1/evidence/{document['id']}")
    assert read.status_code == 200 and read.content == PDF
    verified = hrss.post(
        f"/api/v1/people/{graduate.id}/facts/graduation_date/verification",
        json={"reason": "核对毕业证书原件扫描件", "evidence_id": document["id"]},
    )
    assert verified.status_code == 200, verified.text
    return document["id"], graduate


def _erase(api, person) -> None:
    asked = person.post("/api/v1/me/erasure")
    assert asked.status_code == 202, asked.text
    confirmed = api.admin().post(f"/api/v1/admin/erasures/{asked.json()['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text


def test_the_gateway_keeps_evidence_on_an_s3_endpoint_and_erasure_deletes_it(
    start_gateway, s3_server
):
    api = start_gateway(
        OBJECT_STORE_ENDPOINT=s3_server.endpoint, OBJECT_STORE_BUCKET=BUCKET, **CREDENTIALS
    )
    document_id, graduate = _journey(api)
    key = f"evidence/{graduate.id}/{document_id}"
    assert key in _keys(s3_server, BUCKET)
    stored = _s3_client(s3_server).get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == PDF and stored["ContentType"] == "application/pdf"

    _erase(api, graduate)
    wait_for(lambda: key not in _keys(s3_server, BUCKET), timeout=15, message="the file deleted")


def test_the_gateway_keeps_evidence_under_data_dir_by_default_and_erasure_deletes_it(
    start_gateway, tmp_path
):
    api = start_gateway(DATA_DIR=str(tmp_path))
    document_id, graduate = _journey(api)
    path = tmp_path / "evidence" / "evidence" / graduate.id / document_id
    assert path.read_bytes() == PDF

    _erase(api, graduate)
    wait_for(lambda: not path.exists(), timeout=15, message="the file deleted")


def test_an_object_store_that_does_not_answer_is_a_503_and_nothing_is_recorded(start_gateway):
    api = start_gateway(
        OBJECT_STORE_ENDPOINT=f"http://127.0.0.1:{free_port()}",
        OBJECT_STORE_BUCKET=BUCKET,
        **CREDENTIALS,
    )
    graduate = api.youth(age=23, degree="bachelor", graduation_date="2026-06-30")
    refused = graduate.post(
        "/api/v1/me/evidence/degree", data=PDF, headers={"Content-Type": "application/pdf"}
    )
    assert refused.status_code == 503, refused.text
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "evidence_store_unavailable"
    assert graduate.get("/api/v1/me/evidence").json()["items"] == []


def test_a_person_keeps_at_most_the_documents_the_setting_allows(start_gateway, tmp_path):
    api = start_gateway(DATA_DIR=str(tmp_path), EVIDENCE_MAX_DOCUMENTS="2")
    graduate = api.youth(age=23, degree="bachelor", graduation_date="2026-06-30")

    def give():
        return graduate.post(
            "/api/v1/me/evidence/degree", data=PNG, headers={"Content-Type": "image/png"}
        )

    first, second = give().json(), give().json()
    third = graduate.in_english().post(
        "/api/v1/me/evidence/degree", data=PNG, headers={"Content-Type": "image/png"}
    )
    assert third.status_code == 409 and third.json()["code"] == "evidence_limit_reached"
    assert "at most 2" in third.json()["title"]
    assert graduate.delete(f"/api/v1/me/evidence/{first['id']}").status_code == 204
    assert not (tmp_path / "evidence" / "evidence" / graduate.id / first["id"]).exists()
    assert give().status_code == 201
    kept = {d["id"] for d in graduate.get("/api/v1/me/evidence").json()["items"]}
    assert second["id"] in kept and first["id"] not in kept and len(kept) == 2
