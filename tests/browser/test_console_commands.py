"""The console sends every command with an Idempotency-Key and asks again, with the same key,
when the answer is lost: the gateway answers what was done, and the command is done once."""

from __future__ import annotations

from tests.support.api import PASSWORD
from tests.support.events import activity_body

#: the console's own API module, with `fetch` made to lose the first answer after the gateway
#: has carried the command out (the request went, the connection dropped)
LOSE_THE_FIRST_ANSWER = """
const [path, done] = [arguments[0], arguments[arguments.length - 1]];
const real = window.fetch;
const keys = [];
window.fetch = async (url, init) => {
  keys.push(init.headers["Idempotency-Key"] ?? null);
  const answer = await real(url, init);
  if (keys.length === 1) throw new TypeError("the connection dropped");
  return answer;
};
import("/console/js/api.js")
  .then((api) => api.post(path))
  .then((result) => done({ keys, result }), (error) => done({ keys, error: String(error) }))
  .finally(() => { window.fetch = real; });
"""


def test_a_command_whose_answer_was_lost_is_asked_again_with_its_key_and_done_once(
    console, console_api
):
    officer, youth = console_api.staff("officer", unit="youth_league"), console_api.youth()
    activity = officer.post("/api/v1/activities", json=activity_body()).json()
    officer.post(f"/api/v1/activities/{activity['id']}/publish")
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")

    outcome = console.driver.execute_async_script(
        LOSE_THE_FIRST_ANSWER, f"/api/v1/activities/{activity['id']}/registrations"
    )

    assert "error" not in outcome, outcome
    first, again = outcome["keys"]
    assert first and first == again
    assert outcome["result"]["activity_id"] == activity["id"]
    mine = youth.get("/api/v1/me/registrations", params={"limit": 100}).json()["items"]
    assert [r["id"] for r in mine if r["activity_id"] == activity["id"]] == [
        outcome["result"]["id"]
    ]
