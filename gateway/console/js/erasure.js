// A person's request to erase their personal data (PIPL), on the "my data" page (issue 26):
// what erasure does and does not undo, asked once more before it is sent, and afterwards the
// request's state and when it is carried out unless an administrator confirms it earlier.

import { ApiError, get, post } from "./api.js";
import { label, t } from "./i18n.js";
import { facts } from "./pageparts.js";
import { actionButton, dateTime, h, say, statusArea } from "./ui.js";

async function current() {
  try {
    return await get("/api/v1/me/erasure");
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export async function erasureSection() {
  const box = h("section", { class: "card", "data-section": "erasure" });
  const status = statusArea();

  async function show(message) {
    const request = await current();
    const active = request && ["requested", "confirmed"].includes(request.status);
    const parts = [h("h2", {}, t("erasure.title")), h("p", {}, t("erasure.explain"))];
    if (request) {
      parts.push(
        facts([
          ["common.state", h("span", { "data-erasure-status": request.status }, label("erasure_status", request.status))],
          ["erasure.requested_at", dateTime(request.requested_at)],
          request.status === "requested" ? ["erasure.carried_out", dateTime(request.confirm_after)] : null,
          request.completed_at ? ["erasure.completed_at", dateTime(request.completed_at)] : null,
        ]),
      );
    }
    if (!active) {
      const ask = h("div", { class: "actions" });
      const start = h("button", { type: "button", class: "secondary", "data-action": "request-erasure" }, t("erasure.request"));
      start.addEventListener("click", () => {
        const yes = actionButton(
          "erasure.yes",
          async () => {
            await post("/api/v1/me/erasure");
            await show(t("erasure.requested"));
          },
          { status, kind: "primary", name: "request-erasure-confirm" },
        );
        const no = h("button", { type: "button", class: "secondary", "data-action": "request-erasure-cancel", onclick: () => ask.replaceChildren(start) }, t("admin.no"));
        ask.replaceChildren(h("p", { class: "notice warn", role: "alert" }, t("erasure.are_you_sure")), yes, no);
        yes.focus();
      });
      ask.append(start);
      parts.push(ask);
    }
    parts.push(status);
    box.replaceChildren(...parts);
    if (message) say(status, message);
  }
  await show();
  return box;
}
