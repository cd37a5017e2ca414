"""Evidence in the browser: a graduate uploads a degree certificate on the evidence page, sees
it waiting and opens it; an officer of 区人社局 finds it in the evidence queue, opens it and
verifies the graduation date against it. Each step is checked through the API, as the other
side would see it."""

from __future__ import annotations

from tests.support.api import PASSWORD
from tests.support.evidence import NOT_A_DOCUMENT, PDF
from tests.support.jobs import recent_graduate


def test_a_graduate_uploads_a_certificate_and_hrss_verifies_it_from_its_queue(
    console, console_api, tmp_path
):
    api = console_api
    graduate = recent_graduate(api)
    hrss = api.staff("officer", unit="hrss")
    certificate = tmp_path / "毕业证书.pdf"
    certificate.write_bytes(PDF)
    disguised = tmp_path / "degree.pdf"
    disguised.write_bytes(NOT_A_DOCUMENT)

    console.sign_in(graduate.account["username"], PASSWORD, "/dashboard")
    console.go("/evidence")
    console.fill_control("#evidence-fact", "graduation_date")
    console.find("#evidence-file").send_keys(str(disguised))
    console.submit("evidence")
    console.wait_text('form[data-form="evidence"]', "PDF、JPEG 或 PNG")
    console.find("#evidence-file").send_keys(str(certificate))
    console.submit("evidence")
    console.wait_text('form[data-form="evidence"]', "已上传")
    [document] = graduate.get("/api/v1/me/evidence").json()["items"]
    assert (document["fact"], document["size"]) == ("graduation_date", len(PDF))
    row = f'[data-document="{document["id"]}"]'
    console.find(row)
    console.wait_text("#my-evidence", "待核验")
    saved = console.download(f'{row} [data-action="open"]', "evidence-*.pdf")
    assert saved.read_bytes() == PDF
    console.screenshot("evidence")
    console.sign_out()

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.click('[data-queue="evidence"]')
    item = f'li[data-item="{document["id"]}"]'
    console.find(item)
    console.wait_text(item, "毕业时间")
    opened = console.download(f'{item} [data-action="open"]', "evidence-*.pdf")
    assert opened.read_bytes() == PDF
    console.screenshot("evidence-queue")
    console.find(f'{item} [name="reason"]').send_keys("核对毕业证书扫描件")
    console.click(f'{item} [data-action="verify_fact"]')
    console.wait_text("#queue-panel", "已处理")
    console.sign_out()

    profile = graduate.get("/api/v1/accounts/me").json()["profile"]
    assert profile["facts"]["graduation_date"] == "verified"
    reads = graduate.get("/api/v1/me/data").json()["parts"]["gateway"]["evidence_read"]
    assert [(r["officer_id"], r["document_id"]) for r in reads] == [(hrss.id, document["id"])]
