// Two-step sign-in for officers and administrators: enrolling an authenticator app (TOTP).
// The secret and its otpauth:// URI are shown once, as text to type or paste into the app; a code
// from the app confirms it, and the answer is a new session (every other one ends) with
// recovery codes, also shown once. Until staff have enrolled, where the district requires it,
// this is the only page they may open (app.js).

import { begin, get, post } from "./api.js";
import { t } from "./i18n.js";
import { actionButton, dateTime, form, h, section, statusArea } from "./ui.js";

function recoveryCodes(codes) {
  return section(
    "second_factor.recovery_codes",
    h("p", { class: "hint" }, t("second_factor.recovery_codes_hint")),
    h("ul", { class: "recovery-codes", "data-recovery-codes": "" }, codes.map((code) => h("li", {}, h("code", {}, code)))),
    h("p", {}, h("a", { href: "#/", "data-action": "continue" }, t("second_factor.continue"))),
  );
}

function confirmation(started, view) {
  return section(
    "second_factor.add_to_app",
    h("p", { class: "hint" }, t("second_factor.add_to_app_hint")),
    h("p", {}, t("second_factor.secret"), " ", h("code", { "data-secret": "" }, started.secret)),
    h("p", {}, t("second_factor.uri"), " ", h("code", { "data-otpauth-uri": "" }, started.otpauth_uri)),
    form({
      name: "confirm-second-factor",
      fields: [{ name: "code", label: "auth.second_factor_code", required: true, autocomplete: "one-time-code" }],
      submit: "second_factor.confirm",
      action: async (data) => {
        const enrolled = await post("/api/v1/me/second-factor/confirm", data);
        await begin(enrolled); // the new session: every other one has ended
        return enrolled;
      },
      done: (enrolled) => view.replaceChildren(h("p", { class: "notice ok", role: "status" }, t("second_factor.enrolled_now")), recoveryCodes(enrolled.recovery_codes)),
    }),
  );
}

async function secondFactorPage(main) {
  const state = await get("/api/v1/me/second-factor");
  const view = h("div", { class: "second-factor" });
  main.append(view);
  if (state.enrolled) {
    view.append(
      section(
        "second_factor.title",
        h("p", { "data-state": "enrolled" }, t("second_factor.enrolled_since", { date: dateTime(state.enrolled_at) })),
        h("p", {}, t("second_factor.codes_left", { count: state.recovery_codes_left })),
        h("p", { class: "hint" }, t("second_factor.reset_hint")),
      ),
    );
    return;
  }
  const status = statusArea();
  const start = actionButton(
    "second_factor.start",
    async () => {
      const started = await post("/api/v1/me/second-factor");
      view.replaceChildren(confirmation(started, view));
    },
    { status, kind: "primary", name: "start-second-factor" },
  );
  view.append(
    section(
      "second_factor.title",
      h("p", { "data-state": "not-enrolled" }, t(state.required ? "second_factor.required_hint" : "second_factor.optional_hint")),
      start,
      status,
    ),
  );
}

export const SECOND_FACTOR_PAGES = [
  { path: "/second-factor", title: "second_factor.title", roles: ["officer", "admin"], menu: true, render: secondFactorPage },
];
