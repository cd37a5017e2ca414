// Two-step sign-in for officers and administrators: enrolling an authenticator app (TOTP).
// The secret and its otpauth:// URI are shown once, as text to type or paste into the app; a code
// from the app confirms it, and the answer is a new session (every other one ends) with
// recovery codes, also shown once. Until staff have enrolled, where the district requires it,
// this is the only page they may open (app.js).

import { begin, get, post, request, session } from "./api.js";
import { label, t } from "./i18n.js";
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

// every officer and administrator but oneself, newest first, page after page
async function staffMembers() {
  const staff = [];
  for (const role of ["officer", "admin"]) {
    let page = await get("/api/v1/admin/accounts", { role, limit: 100 });
    staff.push(...page.items);
    while (page.next) {
      page = await get(page.next);
      staff.push(...page.items);
    }
  }
  return staff.filter((account) => account.id !== session.account?.id);
}

// an administrator resets another staff member's lost authenticator: they enrol again
async function resetSection() {
  const staff = await staffMembers();
  return section(
    "second_factor.reset",
    h("p", { class: "hint" }, t("second_factor.reset_admin_hint")),
    form({
      name: "reset-second-factor",
      fields: [
        {
          name: "account_id",
          label: "second_factor.staff_member",
          type: "select",
          required: true,
          options: staff.map((account) => [account.id, `${account.username} · ${label("role", account.role)}`]),
        },
      ],
      submit: "second_factor.reset",
      action: (data) => request("DELETE", `/api/v1/accounts/${encodeURIComponent(data.account_id)}/second-factor`),
      done: (_, status) => status.replaceChildren(h("p", { class: "notice ok", role: "status" }, t("second_factor.reset_done"))),
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
  } else {
    view.append(notEnrolled(state, view));
  }
  // an administrator who may act (not one who must enrol first) resets others' factors here
  if (session.account?.role === "admin" && !state.required) view.append(await resetSection());
}

function notEnrolled(state, view) {
  const status = statusArea();
  const start = actionButton(
    "second_factor.start",
    async () => {
      const started = await post("/api/v1/me/second-factor");
      view.replaceChildren(confirmation(started, view));
    },
    { status, kind: "primary", name: "start-second-factor" },
  );
  return section(
    "second_factor.title",
    h("p", { "data-state": "not-enrolled" }, t(state.required ? "second_factor.required_hint" : "second_factor.optional_hint")),
    start,
    status,
  );
}

export const SECOND_FACTOR_PAGES = [
  { path: "/second-factor", title: "second_factor.title", roles: ["officer", "admin"], menu: true, render: secondFactorPage },
];
