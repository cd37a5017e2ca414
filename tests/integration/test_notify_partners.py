"""Partners and their webhooks through the gateway's API, on the real broker and database: an
administrator grants purposes (recorded and audited), a subscription beyond the grant or to a
URL that is not public is refused as problem+json with the field and reason in zh-CN and en,
what a partner receives carries no officer's id, and the person's export names the partner.

Only loopback is ever dialled: the refused URLs are refused before any connection."""

from services.common.i18n import LOCALES
from tests.support.messaging import wait_for

LOAN = {
    "loan_id": "loan-1",
    "lender_id": "lender-1",
    "state": "approved",
    "amount_cny": "200000.00",
    "term_months": 24,
    "borrower_kind": "individual",
    "contract_rate_percent": "3.45",
    "borrower_rate_percent": "0.00",
}


def refused(call, field: str, code: str) -> dict[str, str]:
    """`call(headers)` answers 422 problem+json naming the field and the reason, in each
    language asked for; the messages by language."""
    messages = {}
    for locale in LOCALES:
        answer = call({"Accept-Language": locale})
        assert answer.status_code == 422, answer.text
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.headers["Content-Language"] == locale
        problem = answer.json()
        assert problem["field"] == field
        (error,) = [e for e in problem["errors"] if e["field"] == field]
        assert error["code"] == code
        messages[locale] = error["message"]
    assert messages["zh-CN"] != messages["en"]
    return messages


def test_a_subscription_to_an_address_that_is_not_public_is_refused_by_default(notify_stack):
    stack = notify_stack(smtp=False, sms=False, settings={"WEBHOOK_ALLOW_LOOPBACK": "false"})
    partner = stack.api.staff("partner")
    stack.grant(partner, "loan_servicing")

    def subscribe(url: str):
        body = {"url": url, "event_types": ["youthcity.startup.loan.*"]}
        return lambda headers: partner.post("/api/v1/webhooks", json=body, headers=headers)

    for url in (
        "https://127.0.0.1/hooks",
        "https://localhost:8443/hooks",  # a name resolving to 127.0.0.1
        "https://[::1]/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://100.100.100.200/latest/meta-data",
        "https://10.0.0.8/hooks",
        "https://2130706433/hooks",
    ):
        messages = refused(subscribe(url), "url", "webhook_url_not_public")
        assert "公网" in messages["zh-CN"] and "public" in messages["en"]
    refused(subscribe("http://bank.example.com/hooks"), "url", "webhook_url_scheme")
    assert partner.get("/api/v1/webhooks").json()["items"] == []


def test_purposes_are_granted_by_an_administrator_and_bound_what_a_partner_subscribes_to(
    notify_stack, webhook_receiver
):
    stack = notify_stack(smtp=False, sms=False)
    webhook_receiver.start()
    admin, partner = stack.api.admin(), stack.api.staff("partner", display_name="XX农村商业银行")
    youth = stack.api.youth()
    grants = f"/api/v1/partners/{partner.id}/purposes"

    body = {"url": webhook_receiver.url, "event_types": ["youthcity.startup.loan.*"]}
    refused(
        lambda h: partner.post("/api/v1/webhooks", json=body, headers=h),
        "event_types",
        "webhook_pattern_not_granted",
    )
    not_partner = f"/api/v1/partners/{youth.id}/purposes/loan_servicing"
    reference = {"reference": "x"}
    refused(
        lambda h: admin.put(not_partner, json=reference, headers=h),
        "partner_id",
        "purpose_grantee_not_partner",
    )
    assert partner.put(f"{grants}/loan_servicing", json=reference).status_code == 403
    refused(
        lambda h: admin.put(f"{grants}/everything", json=reference, headers=h),
        "purpose",
        "purpose_unknown",
    )

    granted = admin.put(
        f"{grants}/loan_servicing", json={"reference": "创业担保贷款经办协议 2026-3"}
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["partner_name"] == "XX农村商业银行" and granted.json()["active"]
    (mine,) = partner.get(grants).json()["items"]
    assert mine["purpose"] == "loan_servicing" and mine["granted_by"] == admin.id
    assert "第十三条" in mine["legal_basis"]["zh-CN"]
    assert stack.api.staff("partner").get(grants).status_code == 404
    vocabulary = {p["name"] for p in partner.get("/api/v1/purposes").json()["items"]}
    assert {"loan_servicing", "employment_services"} <= vocabulary

    everything = {**body, "event_types": ["#"]}
    messages = refused(
        lambda h: partner.post("/api/v1/webhooks", json=everything, headers=h),
        "event_types",
        "webhook_pattern_not_granted",
    )
    assert "#" in messages["en"] and "#" in messages["zh-CN"]
    subscription = partner.post("/api/v1/webhooks", json=body)
    assert subscription.status_code == 201, subscription.text

    stack.publish("jobs", "application.hired", {"application_id": "a", "person_id": youth.id})
    stack.publish(
        "startup",
        "loan.decided",
        {**LOAN, "person_id": youth.id},
        subject="loan-1",
        actor_id=admin.id,
    )
    (delivered,) = wait_for(lambda: webhook_receiver.received, message="the loan decision")
    event = delivered.event
    assert event["type"] == "youthcity.startup.loan.decided" and "actorid" not in event
    assert admin.id.encode() not in delivered.body

    with stack.rpc(as_person=youth.id) as cluster:
        (shared,) = cluster.notify.export_person()["shared_with_partners"]
    assert (shared["partner_id"], shared["partner_name"]) == (partner.id, "XX农村商业银行")
    assert shared["purpose"] == "loan_servicing" and shared["state"] == "delivered"

    assert admin.delete(f"{grants}/loan_servicing").status_code == 204
    assert admin.delete(f"{grants}/loan_servicing").status_code == 404
    trail = admin.get("/api/v1/admin/audit", params={"service": "notify", "subject_id": partner.id})
    actions = [(e["action"], e["actor_id"]) for e in trail.json()["items"]]
    assert actions == [
        ("partner.purpose_revoked", admin.id),
        ("partner.purpose_granted", admin.id),
    ]
    assert len(webhook_receiver.received) == 1
