"""A partner's event subscriptions in the browser (issue 26): the event types it may choose are
those of the purposes granted to it; the signing secret is shown once, rotated after a second
question, and the subscription deleted after another; the page fits a 360 px phone."""

from __future__ import annotations

from tests.support.api import PASSWORD, unique

PAGE_STATUS = '[data-status="page"]'
OFF_SCREEN = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll("body *")]
  .filter((e) => !e.closest(".table-wrap") && e.getBoundingClientRect().right > width + 1)
  .map((e) => e.tagName + "." + e.className + " " + (e.textContent || "").slice(0, 40));
"""


def test_a_partner_subscribes_to_its_granted_events_and_rotates_and_deletes(console, console_api):
    api = console_api
    admin = api.admin()
    partner = api.staff("partner", display_name=unique("青年活动协办机构"))
    granted = admin.put(
        f"/api/v1/partners/{partner.id}/purposes/activity_coorganising",
        json={"reference": "青年活动协办协议"},
    )
    assert granted.status_code == 200, granted.text
    types = granted.json()["event_types"]

    console.sign_in(partner.account["username"], PASSWORD, "/inbox")
    console.go("/webhooks")
    console.find('[data-grant="activity_coorganising"]')
    # deliveries read from the broker's partner exchange (this sandbox resolves no public host)
    console.fill("new-webhook", {"url": "amqp:partners.events"})
    console.submit("new-webhook")
    console.wait_text(PAGE_STATUS, "订阅已创建")
    secret = console.find('[data-secret] [data-value="secret"]').text
    assert secret.startswith("whsec_")
    (hook,) = partner.get("/api/v1/webhooks").json()["items"]
    assert sorted(hook["event_types"]) == sorted(f"youthcity.{t}" for t in types)
    card = f'[data-webhook="{hook["id"]}"]'
    console.wait_text(card, "amqp:partners.events")
    console.screenshot("partner-webhooks-zh-CN")

    console.click(f'{card} [data-action="rotate"]')
    console.click(f'{card} [data-action="rotate-confirm"]')
    console.wait_text(PAGE_STATUS, "密钥已更换")
    rotated = console.find('[data-secret] [data-value="secret"]').text
    assert rotated.startswith("whsec_") and rotated != secret

    console.click(f'{card} [data-action="deliveries"]')
    console.find(f'[data-deliveries="{hook["id"]}"] .empty, [data-deliveries="{hook["id"]}"] table')

    driver = console.driver
    driver.set_window_size(360, 780)
    try:
        console.open("/webhooks")
        offenders = driver.execute_script(OFF_SCREEN)
        assert not offenders, "\n".join(offenders)
        console.screenshot("partner-webhooks-zh-CN-360")
    finally:
        driver.set_window_size(1280, 1000)

    console.click(f'{card} [data-action="delete"]')
    console.click(f'{card} [data-action="delete-cancel"]')
    assert len(partner.get("/api/v1/webhooks").json()["items"]) == 1
    console.click(f'{card} [data-action="delete"]')
    console.click(f'{card} [data-action="delete-confirm"]')
    console.wait_text(PAGE_STATUS, "订阅已删除")
    assert partner.get("/api/v1/webhooks").json()["items"] == []
    console.sign_out()
