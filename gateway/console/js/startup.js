// Startup support after the registration (plan 一.4): the young person's startup at a glance
// with the one-off startup grant (一次性创业补贴) claimed from it, the innovation park's desks and
// offices (双创智慧港) applied for, allocated and given back, the grant unit's decisions on the
// case's facts, a loan's cost worked out before applying, and the startup indicators. The
// startup service decides who may act: an officer of another unit meets its 403 and sees why.

import { ApiError, get, post, session } from "./api.js";
import { options } from "./auth.js";
import { label, pick, t } from "./i18n.js";
import { checkedForm, confirmed, cny, facts, pageStatus, paged, tell } from "./pageparts.js";
import { signInLink } from "./portal.js";
import { dateTime, form, h, section, table, today } from "./ui.js";
import { REPAYMENT, schedule } from "./youthmore.js";
import { state } from "./youth.js";

const BASE = "/api/v1/startup";
const GRANTS = `${BASE}/grants`;
const TENANCIES = `${BASE}/incubator-applications`;
const SPACE_KINDS = ["desk", "office"];
const GRANT_STATES = ["applied", "approved", "rejected"];
const grantPath = (id) => `${GRANTS}/${encodeURIComponent(id)}`;
const tenancyPath = (id) => `${TENANCIES}/${encodeURIComponent(id)}`;

// where the console shows each kind of record the startup dashboard lists
// (a kind is "startup.<record>")
const RECORD_PAGES = {
  registration: "/business-registration",
  loan: "/startup-loan",
  grant: "/startup-grant",
  incubator_application: "/incubator-application",
  enrolment: "/course-enrolment",
  partner_application: "/partner-application",
  doer_application: "/doer-application",
};
// the label group of each kind's states, where it is not the common one
const STATE_GROUPS = { enrolment: "enrolment_state", partner_application: "partner_state", doer_application: "doer_state" };
const recordOf = (item) => item.kind.split(".")[1];

const role = () => session.account?.role ?? "anonymous";

function recordLink(item) {
  const page = RECORD_PAGES[recordOf(item)];
  const title = pick(item.title);
  return page ? h("a", { href: `#${page}?id=${encodeURIComponent(item.id)}`, "data-record": item.id }, title) : title;
}

// a list only the responsible unit reads: another unit's 403 becomes a hint, not an error
async function unitList(path, query, hintKey) {
  try {
    return await get(path, query);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return { refused: h("p", { class: "hint", "data-refused": "unit" }, t(hintKey)) };
    throw error;
  }
}

// -- my startup: every record, and the grant claimed from a completed registration ------------

// the grant's amount and conditions as the startup service states them in the policy catalogue
async function grantRules() {
  const programme = await get("/api/v1/policies/startup_grant");
  return h(
    "div",
    { "data-rules": "startup_grant" },
    h("p", {}, t("grant.amount_value", { amount: pick(programme.amount) })),
    h("ul", {}, programme.conditions.map((condition) => h("li", {}, pick(condition)))),
  );
}

function grantForm(registrations, refresh) {
  return checkedForm({
    name: "startup-grant",
    fields: [
      {
        name: "registration_id",
        label: "grant.business",
        type: "select",
        required: true,
        options: registrations.map((r) => [r.id, [r.company_name, r.credit_code].filter(Boolean).join(" · ")]),
      },
    ],
    submit: "grant.claim",
    summary: () => t("grant.check_claim"),
    send: (body) => post(GRANTS, body),
    done: (grant) => refresh(t("grant.claimed", { amount: cny(grant.amount_cny) })),
  });
}

async function myStartup(view) {
  const status = pageStatus();
  const body = h("div", {});
  view.append(h("p", { class: "hint" }, t("mystartup.hint")), status, body);

  async function show(message) {
    const [mine, completed, rules] = await Promise.all([get("/api/v1/me/startup"), get(`${BASE}/registrations`, { state: "completed", limit: 50 }), grantRules()]);
    const claimed = mine.items.some((item) => recordOf(item) === "grant");
    body.replaceChildren(
      section(
        "mystartup.records",
        table(
          [
            ["common.item", recordLink],
            ["common.state", (item) => state(STATE_GROUPS[recordOf(item)] ?? "state", item.state)],
            ["dashboard.next_step", (item) => pick(item.next_step)],
            ["common.updated", (item) => dateTime(item.updated_at)],
          ],
          mine.items,
        ),
      ),
      section(
        "grant.title",
        rules,
        claimed
          ? h("p", { class: "meta" }, t("grant.once"))
          : completed.items.length
            ? grantForm(completed.items, show)
            : h("p", { class: "empty" }, t("grant.no_business")),
      ),
      section(
        "mystartup.more",
        h(
          "ul",
          {},
          h("li", {}, h("a", { href: "#/incubator" }, t("mystartup.to_incubator"))),
          h("li", {}, h("a", { href: "#/loan-quote" }, t("mystartup.to_quote"))),
          h("li", {}, h("a", { href: "#/courses" }, t("mystartup.to_courses"))),
        ),
      ),
    );
    if (message) tell(status, message);
  }
  await show();
}

// -- the grant unit: the queue, and one claim decided on its facts ----------------------------

function grantCard(grant) {
  return h(
    "article",
    { class: "card", "data-grant": grant.id },
    h("h2", {}, h("a", { href: `#/startup-grant?id=${encodeURIComponent(grant.id)}`, "data-action": "open" }, t("grant.claim_of", { amount: cny(grant.amount_cny) }))),
    state("state", grant.state),
    facts([
      ["grant.registered_on", grant.registered_on],
      ["grant.applied_at", dateTime(grant.applied_at)],
    ]),
  );
}

async function grantQueue(view, params) {
  const chosen = GRANT_STATES.includes(params.get("state")) ? params.get("state") : "applied";
  const filter = form({
    name: "grant-filter",
    fields: [{ name: "state", label: "common.state", type: "select", value: chosen, options: options("state", GRANT_STATES) }],
    submit: "common.search",
    action: async (body) => {
      location.hash = `#/startup-grants?state=${body.state}`;
    },
  });
  const answer = await unitList(GRANTS, { state: chosen, limit: 20 }, "grant.only_grant_unit");
  view.append(h("p", { class: "hint" }, t("grant.queue_hint")), filter);
  view.append(answer.refused ?? paged(answer, (items) => (items.length ? h("div", {}, items.map(grantCard)) : h("p", { class: "empty" }, t("review.empty")))));
}

// the business the grant is claimed for: who founded it, when it was registered, whether its
// founder was a recent graduate then (the grant's rules)
async function businessFacts(registrationId) {
  try {
    const r = await get(`${BASE}/registrations/${encodeURIComponent(registrationId)}`);
    return facts([
      ["startup.company_name", r.company_name],
      ["startup.company_type", label("company_type", r.company_type)],
      ["grant.credit_code", r.credit_code],
      ["grant.founders", r.founders.map((f) => f.name).join(t("common.list_separator"))],
      ["startup.completed_at", dateTime(r.completed_at)],
      ["grant.graduate", t(r.graduate ? "grant.graduate_yes" : "grant.graduate_no")],
    ]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return h("p", { class: "hint" }, t("grant.business_unseen"));
    throw error;
  }
}

function decisionForm(grant, refresh) {
  return checkedForm({
    name: "grant-decision",
    fields: [
      { name: "decision", label: "grant.decision", type: "select", required: true, options: [["approve", t("grant.approve")], ["reject", t("grant.reject")]] },
      { name: "reason", label: "grant.reason", type: "textarea" },
    ],
    submit: "grant.decide",
    summary: (body) => t(body.decision === "reject" ? "grant.check_reject" : "grant.check_approve", { amount: cny(grant.amount_cny) }),
    send: (body) => post(`${grantPath(grant.id)}/decision`, body),
    done: (decided) => refresh(t("grant.decided", { state: label("state", decided.state) })),
  });
}

async function grantCase(view, params) {
  const id = params.get("id");
  const status = pageStatus();
  const body = h("div", {});
  const back = role() === "youth" ? ["#/my-startup", "nav.my_startup"] : ["#/startup-grants", "nav.startup_grants"];
  view.append(h("p", {}, h("a", { href: back[0] }, t(back[1]))), status, body);

  async function show(message) {
    const grant = await get(grantPath(id));
    const parts = [
      h(
        "section",
        { class: "card", "data-grant": grant.id, "data-state": grant.state },
        h("h2", {}, t("grant.claim_of", { amount: cny(grant.amount_cny) })),
        state("state", grant.state),
        facts([
          ["grant.amount", cny(grant.amount_cny)],
          ["grant.registered_on", grant.registered_on],
          ["grant.applied_at", dateTime(grant.applied_at)],
          grant.decided_at ? ["grant.decided_at", dateTime(grant.decided_at)] : null,
        ]),
      ),
    ];
    if (role() !== "youth") {
      parts.push(section("grant.business_facts", await businessFacts(grant.registration_id)), section("grant.rules_title", await grantRules()));
      if (role() === "officer" && grant.state === "applied") parts.push(section("grant.decision", decisionForm(grant, show)));
    }
    body.replaceChildren(...parts);
    if (message) tell(status, message);
  }
  await show();
}

// -- the innovation park: spaces, applications, tenancies -------------------------------------

function spaceTable(items) {
  return table(
    [
      ["incubator.code", (s) => s.code],
      ["incubator.kind", (s) => label("space_kind", s.kind)],
      ["incubator.building", (s) => s.building],
      ["incubator.area", (s) => t("incubator.area_value", { area: s.area_m2 })],
      ["incubator.rent", (s) => cny(s.monthly_rent_cny)],
      ["common.state", (s) => state("state", s.state)],
    ],
    items,
  );
}

function spaceForm(refresh) {
  return form({
    name: "incubator-space",
    fields: [
      { name: "code", label: "incubator.code", required: true },
      { name: "kind", label: "incubator.kind", type: "select", options: options("space_kind", SPACE_KINDS) },
      { name: "building", label: "incubator.building", required: true },
      { name: "area_m2", label: "incubator.area_m2", required: true },
      { name: "monthly_rent_cny", label: "incubator.rent_cny", value: "0" },
    ],
    submit: "incubator.add_space",
    action: (body) => post(`${BASE}/spaces`, body),
    done: (space) => refresh(t("incubator.space_added", { code: space.code })),
  });
}

function applicationForm(refresh) {
  return form({
    name: "incubator-application",
    fields: [
      { name: "space_kind", label: "incubator.kind", type: "select", options: options("space_kind", SPACE_KINDS) },
      { name: "project", label: "incubator.project", type: "textarea", required: true },
      { name: "team_size", label: "incubator.team_size", type: "number", min: 1, max: 200, value: 1, required: true },
    ],
    submit: "incubator.apply",
    action: (body) => post(TENANCIES, body),
    done: () => refresh(t("incubator.applied")),
  });
}

function applicationTable(items) {
  return table(
    [
      ["incubator.project", (a) => h("a", { href: `#/incubator-application?id=${encodeURIComponent(a.id)}`, "data-application": a.id }, a.project)],
      ["incubator.kind", (a) => label("space_kind", a.space_kind)],
      ["incubator.team_size", (a) => String(a.team_size)],
      ["common.state", (a) => state("state", a.state)],
      ["incubator.applied_at", (a) => dateTime(a.applied_at)],
    ],
    items,
  );
}

async function incubator(view) {
  const status = pageStatus();
  const spaces = h("div", {});
  const mine = h("div", {});
  const staff = ["officer", "admin"].includes(role());
  view.append(h("p", { class: "hint" }, t("incubator.hint")), status);

  async function show(message) {
    spaces.replaceChildren(paged(await get(`${BASE}/spaces`, { limit: 50 }), spaceTable));
    if (role() === "youth") mine.replaceChildren(applicationTable((await get(TENANCIES, { limit: 50 })).items));
    if (staff) {
      const [waiting, tenancies] = await Promise.all([
        unitList(TENANCIES, { state: "applied", limit: 50 }, "incubator.only_park_unit"),
        unitList(TENANCIES, { state: "allocated", limit: 50 }, "incubator.only_park_unit"),
      ]);
      mine.replaceChildren(
        h("h3", {}, t("incubator.queue")),
        waiting.refused ?? applicationTable(waiting.items),
        h("h3", {}, t("incubator.tenancies")),
        tenancies.refused ?? applicationTable(tenancies.items),
      );
    }
    if (message) tell(status, message);
  }
  view.append(section("incubator.spaces", spaces));
  if (staff) view.append(section("incubator.add_space", spaceForm(show)), section("incubator.applications", mine));
  if (role() === "youth") view.append(section("incubator.apply", applicationForm(show)), section("incubator.mine", mine));
  if (role() === "anonymous") view.append(h("p", { class: "actions" }, signInLink("/incubator", "incubator.sign_in_to_apply")));
  await show();
}

function allocationForm(application, free, refresh) {
  if (!free.length) return h("p", { class: "empty" }, t("incubator.none_free", { kind: label("space_kind", application.space_kind) }));
  return checkedForm({
    name: "incubator-allocation",
    fields: [
      { name: "space_id", label: "incubator.space", type: "select", required: true, options: free.map((s) => [s.id, `${s.code} · ${s.building} · ${cny(s.monthly_rent_cny)}`]) },
      { name: "starts_on", label: "incubator.starts_on", type: "date", value: today(), required: true },
      { name: "ends_on", label: "incubator.ends_on", type: "date", required: true },
    ],
    submit: "incubator.allocate",
    summary: () => t("incubator.check_allocate", { project: application.project }),
    send: (body) => post(`${tenancyPath(application.id)}/allocation`, body),
    done: () => refresh(t("incubator.allocated")),
  });
}

function refusalForm(application, refresh) {
  return form({
    name: "incubator-refusal",
    fields: [{ name: "reason", label: "incubator.refusal_reason", type: "textarea", required: true }],
    submit: "incubator.reject",
    action: (body) => post(`${tenancyPath(application.id)}/reject`, body),
    done: () => refresh(t("incubator.rejected")),
  });
}

function endingForm(application, refresh) {
  return checkedForm({
    name: "incubator-ending",
    fields: [
      { name: "ended_on", label: "incubator.ended_on", type: "date", value: today(), required: true },
      { name: "reason", label: "common.reason", type: "textarea" },
    ],
    submit: "incubator.end",
    summary: () => t("incubator.check_end"),
    send: (body) => post(`${tenancyPath(application.id)}/end-tenancy`, body),
    done: () => refresh(t("incubator.ended")),
  });
}

async function officerActions(application, refresh) {
  if (application.state === "applied") {
    const free = (await get(`${BASE}/spaces`, { kind: application.space_kind, state: "available", limit: 100 })).items;
    return [section("incubator.allocate", allocationForm(application, free, refresh)), section("incubator.reject", refusalForm(application, refresh))];
  }
  if (application.state === "allocated") return [section("incubator.end", endingForm(application, refresh))];
  return [];
}

async function tenancy(view, params) {
  const id = params.get("id");
  const status = pageStatus();
  const body = h("div", {});
  view.append(h("p", {}, h("a", { href: "#/incubator" }, t("nav.incubator"))), status, body);

  async function show(message) {
    const application = await get(tenancyPath(id));
    const parts = [
      h(
        "section",
        { class: "card", "data-application": application.id, "data-state": application.state },
        h("h2", {}, application.project),
        state("state", application.state),
        facts([
          ["incubator.kind", label("space_kind", application.space_kind)],
          ["incubator.team_size", String(application.team_size)],
          ["incubator.applied_at", dateTime(application.applied_at)],
          application.starts_on ? ["incubator.tenancy", t("incubator.tenancy_value", { from: application.starts_on, to: application.ends_on })] : null,
          application.ended_on ? ["incubator.ended_on", application.ended_on] : null,
        ]),
      ),
    ];
    if (role() === "youth" && application.state === "applied") {
      parts.push(
        h(
          "p",
          { class: "actions" },
          confirmed(
            "incubator.withdraw",
            "incubator.withdraw_prompt",
            async () => {
              await post(`${tenancyPath(application.id)}/withdraw`);
              await show(t("incubator.withdrawn"));
            },
            { status, name: "withdraw" },
          ),
        ),
      );
    }
    if (role() === "officer") parts.push(...(await officerActions(application, show)));
    body.replaceChildren(...parts);
    if (message) tell(status, message);
  }
  await show();
}

// -- what a loan would cost, before applying --------------------------------------------------

async function loanQuote(view) {
  const result = h("div", { "aria-live": "polite" });
  view.append(
    h("p", { class: "hint" }, t("quote.hint")),
    form({
      name: "loan-quote",
      fields: [
        { name: "amount_cny", label: "loans.amount", required: true, value: "100000" },
        { name: "term_months", label: "loans.term_months", type: "number", min: 1, max: 120, value: 24, required: true },
        { name: "borrower_kind", label: "loans.borrower_kind", type: "select", options: options("borrower", ["individual", "small_business"]) },
        { name: "repayment_method", label: "loans.repayment", type: "select", options: options("repayment", REPAYMENT) },
        { name: "contract_rate_percent", label: "quote.rate" },
        { name: "starts_on", label: "quote.starts_on", type: "date", value: today() },
      ],
      submit: "quote.work_out",
      action: (body) => post(`${BASE}/loan-quotes`, body),
      done: (answer) => {
        result.replaceChildren(
          section(
            "quote.result",
            facts([
              ["quote.borrower_pays", cny(answer.totals.borrower_payments)],
              ["quote.subsidy", cny(answer.totals.subsidy)],
              ["quote.interest", cny(answer.totals.interest)],
            ]),
            schedule(answer),
          ),
        );
      },
    }),
    result,
    role() === "youth" ? h("p", {}, h("a", { href: "#/loans" }, t("quote.to_apply"))) : null,
  );
}

// -- the startup indicators for a period ------------------------------------------------------

// amounts in yuan, shares in percent to a tenth, business minutes; a figure with no data says so
function indicatorValue(code, value) {
  if (value === null || value === undefined) return t("startup_indicator.no_data");
  if (code.endsWith("_cny")) return cny(value);
  if (code.endsWith("_percent")) return t("startup_indicator.percent_value", { value: Math.round(Number(value) * 10) / 10 });
  if (code.includes("minutes")) return t("startup_indicator.minutes_value", { value });
  return String(value);
}

async function startupIndicators(view, params) {
  const year = today().slice(0, 4);
  const since = params.get("since") || `${year}-01-01`;
  const until = params.get("until") || `${Number(year) + 1}-01-01`;
  const answer = await get(`${BASE}/indicators`, { since, until });
  view.append(
    h("p", { class: "hint" }, t("startup_indicator.hint")),
    form({
      name: "startup-indicators",
      fields: [
        { name: "since", label: "startup_indicator.since", type: "date", value: since, required: true },
        { name: "until", label: "startup_indicator.until", type: "date", value: until, required: true },
      ],
      submit: "startup_indicator.show",
      action: async (body) => {
        location.hash = `#/startup-indicators?since=${body.since}&until=${body.until}`;
      },
    }),
    section(
      "startup_indicator.figures",
      table(
        [
          // the codes come as "startup.<code>", the form the plan's indicators name them in
          ["startup_indicator.indicator", ([code]) => label("startup_indicator", code.replace(/^startup\./, ""))],
          ["startup_indicator.value", ([code, value]) => h("span", { "data-indicator": code }, indicatorValue(code, value))],
        ],
        Object.entries(answer.indicators),
      ),
    ),
  );
}

const STAFF = ["officer", "admin"];

export const STARTUP_PAGES = [
  { path: "/my-startup", title: "nav.my_startup", roles: ["youth"], menu: true, render: myStartup },
  { path: "/startup-grants", title: "nav.startup_grants", roles: STAFF, menu: true, render: grantQueue },
  { path: "/startup-grant", title: "grant.page", roles: ["youth", ...STAFF], menu: false, render: grantCase },
  { path: "/incubator", title: "nav.incubator", roles: ["anonymous", "youth", ...STAFF], menu: true, render: incubator },
  { path: "/incubator-application", title: "incubator.page", roles: ["youth", ...STAFF], menu: false, render: tenancy },
  { path: "/loan-quote", title: "nav.loan_quote", roles: ["anonymous", "youth"], menu: true, render: loanQuote },
  { path: "/startup-indicators", title: "nav.startup_indicators", roles: STAFF, menu: true, render: startupIndicators },
];
