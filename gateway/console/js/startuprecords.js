// One startup record a page each, reached from the lists that name it: a young person's
// business registration, loan, course place and rural applications, with what they may still
// do (withdraw, give the place up: asked twice, as it cannot be undone); a training course, a
// partnership project and a call for village support teams for anyone, which the unit that
// published a project or call closes.

import { get, post, session } from "./api.js";
import { label, t } from "./i18n.js";
import { cny, confirmed, facts, pageStatus, tell } from "./pageparts.js";
import { signInLink } from "./portal.js";
import { actionButton, dateTime, h, section, table } from "./ui.js";
import { schedule } from "./youthmore.js";
import { state } from "./youth.js";

const BASE = "/api/v1/startup";
const ANYONE = ["anonymous", "youth", "employer", "officer", "admin", "partner"];
const STAFF = ["officer", "admin"];
const recordPath = (kind, id) => `${BASE}/${kind}/${encodeURIComponent(id)}`;

const role = () => session.account?.role ?? "anonymous";
const back = (page, key) => h("p", {}, h("a", { href: `#${page}` }, t(key)));

// back from a rural record: to the unit's page for staff, the applicants' page, or home
function ruralBack(staffPage, staffKey) {
  return () => {
    if (STAFF.includes(role())) return [staffPage, staffKey];
    return ["youth", "employer"].includes(role()) ? ["/rural", "nav.rural"] : ["/", "nav.start"];
  };
}

// A record's page: its card drawn from the API, then what can be done with it; after each
// action the record is read again and the notice says what happened.
function recordPage({ kind, backTo, describe, actions }) {
  return async (view, params) => {
    const path = `${BASE}/${kind}/${encodeURIComponent(params.get("id"))}`;
    const status = pageStatus();
    const body = h("div", {});
    view.append(back(...backTo()), status, body);
    async function show(message) {
      const record = await get(path);
      const act = async (verb, doneKey) => {
        await post(`${path}/${verb}`);
        await show(t(doneKey));
      };
      body.replaceChildren(...(await describe(record)), ...(await actions(record, act, status)));
      if (message) tell(status, message);
    }
    await show();
  };
}

// a young person's own withdrawal (or cancellation), asked twice
function ownAction(record, when, verb, keys, act, status) {
  if (!when || !["youth", "employer"].includes(role())) return [];
  const [button, prompt, done] = keys;
  return [h("p", { class: "actions" }, confirmed(button, prompt, () => act(verb, done), { status, name: verb }))];
}

function card(record, title, stateNode, rows) {
  return h("section", { class: "card", "data-record": record.id, "data-state": record.state }, h("h2", {}, title), stateNode, facts(rows));
}

// -- a business registration ----------------------------------------------------------------

const registration = recordPage({
  kind: "registrations",
  backTo: () => ["/startup", "nav.startup"],
  describe: (r) => [
    card(r, r.company_name, state("state", r.state), [
      ["startup.company_type", label("company_type", r.company_type)],
      ["records.submitted_at", dateTime(r.submitted_at)],
      r.business_time ? ["records.business_time", t("startup.elapsed", { minutes: r.business_time.elapsed_minutes, target: r.business_time.target_minutes })] : null,
      r.completed_at ? ["startup.completed_at", dateTime(r.completed_at)] : null,
      r.credit_code ? ["grant.credit_code", r.credit_code] : null,
      r.rejected_step ? ["records.rejected_step", label("step", r.rejected_step)] : null,
    ]),
    section(
      "records.steps",
      table(
        [
          ["startup.step", (s) => label("step", s.step)],
          ["common.state", (s) => state("state", s.state)],
          ["startup.completed_at", (s) => dateTime(s.completed_at)],
        ],
        r.steps,
      ),
    ),
  ],
  actions: (r, act, status) => ownAction(r, r.state === "in_progress", "withdraw", ["records.withdraw", "records.withdraw_registration_prompt", "records.withdrawn"], act, status),
});

// -- a loan application -----------------------------------------------------------------------

const WITHDRAWABLE_LOANS = ["applied", "bank_approved"];

const loan = recordPage({
  kind: "loans",
  backTo: () => ["/loans", "nav.loans"],
  describe: async (l) => [
    card(l, t("bank.loan_title", { amount: cny(l.amount_cny), months: l.term_months }), state("state", l.state), [
      ["loans.borrower_kind", label("borrower", l.borrower_kind)],
      ["loans.repayment", label("repayment", l.repayment_method)],
      ["loans.purpose", l.purpose],
      ["bank.applied_at", dateTime(l.applied_at)],
      l.decided_at ? ["bank.decided_at", dateTime(l.decided_at)] : null,
      l.disbursed_on ? ["bank.disbursed_on", l.disbursed_on] : null,
    ]),
    section("loans.show_schedule", schedule(await get(`${recordPath("loans", l.id)}/schedule`))),
  ],
  actions: (l, act, status) => ownAction(l, WITHDRAWABLE_LOANS.includes(l.state), "withdraw", ["records.withdraw", "records.withdraw_loan_prompt", "records.withdrawn"], act, status),
});

// -- a training course, and a place on one ----------------------------------------------------

function courseFacts(course) {
  return [
    ["courses.mode", label("course_mode", course.mode)],
    course.venue ? ["courses.venue", course.venue] : null,
    ["courses.dates", t("courses.dates_value", { from: course.starts_on, to: course.ends_on })],
    ["courses.hours", t("courses.hours_value", { hours: course.hours })],
    ["courses.places", t("portal.places_left", { left: course.places_left ?? 0, capacity: course.capacity })],
  ];
}

async function course(view, params) {
  const status = pageStatus();
  const body = h("div", {});
  const path = recordPath("courses", params.get("id"));
  view.append(back("/courses", "nav.courses"), status, body);
  async function show(message) {
    const found = await get(path);
    const mine = role() === "youth" ? (await get(`${BASE}/enrolments`, { course_id: found.id, limit: 10 })).items.find((e) => e.state !== "cancelled") : null;
    let action = null;
    if (role() === "anonymous") action = signInLink(`/course?id=${found.id}`, "courses.sign_in_to_enrol");
    else if (mine) action = h("a", { href: `#/course-enrolment?id=${encodeURIComponent(mine.id)}`, "data-enrolment": mine.id }, t("courses.enrolled_state", { state: label("enrolment_state", mine.state) }));
    else if (role() === "youth" && found.places_left > 0) {
      action = actionButton(
        "courses.enrol",
        async () => {
          await post(`${path}/enrolments`);
          await show(t("courses.enrolled"));
        },
        { status, kind: "primary", name: "enrol" },
      );
    }
    body.replaceChildren(
      card(found, found.title, null, courseFacts(found)),
      found.description ? h("p", { class: "prose" }, found.description) : "",
      action ? h("p", { class: "actions" }, action) : "",
    );
    if (message) tell(status, message);
  }
  await show();
}

const enrolment = recordPage({
  kind: "enrolments",
  backTo: () => ["/my-startup", "nav.my_startup"],
  describe: async (e) => {
    const found = await get(recordPath("courses", e.course_id));
    return [
      card(e, h("a", { href: `#/course?id=${encodeURIComponent(found.id)}` }, found.title), state("enrolment_state", e.state), [
        ["records.enrolled_at", dateTime(e.enrolled_at)],
        e.completed_at ? ["records.completed_at", dateTime(e.completed_at)] : null,
        e.cancelled_at ? ["records.cancelled_at", dateTime(e.cancelled_at)] : null,
        ...courseFacts(found),
      ]),
    ];
  },
  actions: (e, act, status) => ownAction(e, e.state === "enrolled", "cancel", ["records.give_up_place", "records.give_up_place_prompt", "records.place_given_up"], act, status),
});

// -- rural revitalisation: a project, a call, and an application to each -----------------------

// the unit that published a project or call closes it while it is open, asked twice
function closing(record, act, status) {
  if (record.state !== "open" || role() !== "officer" || session.account?.unit !== record.organiser_unit) return [];
  return [h("p", { class: "actions" }, confirmed("records.close", "records.close_prompt", () => act("close", "records.closed"), { status, name: "close" }))];
}

const ruralProject = recordPage({
  kind: "rural-projects",
  backTo: ruralBack("/rural-projects", "nav.rural_projects"),
  describe: (p) => [
    card(p, p.title, state("call_state", p.state), [
      ["rural.village", p.village],
      ["rural.sector", p.sector],
      ["rural.seeks", p.seeks.map((f) => label("contribution", f)).join(t("common.list_separator"))],
      p.needs ? ["rural.needs", p.needs] : null,
      p.closes_on ? ["rural.closes_on", p.closes_on] : null,
      ["rural.accepted", String(p.accepted_count)],
      ["records.published_at", dateTime(p.published_at)],
    ]),
    p.description ? h("p", { class: "prose" }, p.description) : "",
  ],
  actions: closing,
});

const doerCall = recordPage({
  kind: "doer-calls",
  backTo: ruralBack("/doer-calls", "nav.doer_calls"),
  describe: (c) => [
    card(c, c.title, state("call_state", c.state), [
      ["rural.villages", c.villages.join(t("common.list_separator"))],
      ["rural.places", `${c.selected_count}/${c.places}`],
      c.closes_on ? ["rural.closes_on", c.closes_on] : null,
      ["records.published_at", dateTime(c.published_at)],
    ]),
    c.description ? h("p", { class: "prose" }, c.description) : "",
  ],
  actions: closing,
});

const partnerApplication = recordPage({
  kind: "partner-applications",
  backTo: ruralBack("/rural-projects", "nav.rural_projects"),
  describe: async (a) => {
    const project = await get(recordPath("rural-projects", a.project_id));
    return [
      card(a, h("a", { href: `#/rural-project?id=${encodeURIComponent(project.id)}` }, project.title), state("partner_state", a.state), [
        ["rural.contribution_form", label("contribution", a.contribution_form)],
        ["rural.contribution", a.contribution],
        a.capital_cny ? ["rural.capital", cny(a.capital_cny)] : null,
        ["records.applied_at", dateTime(a.applied_at)],
        a.decided_at ? ["records.decided_at", dateTime(a.decided_at)] : null,
        a.decision_reason ? ["common.reason", a.decision_reason] : null,
      ]),
      a.follow_ups?.length
        ? section(
            "records.follow_ups",
            table(
              [
                ["rural.recorded_on", (f) => f.recorded_on],
                ["rural.progress", (f) => label("progress", f.progress)],
                ["rural.invested", (f) => cny(f.invested_cny)],
                ["rural.jobs_created", (f) => (f.jobs_created ?? "") + ""],
                ["rural.note", (f) => f.note],
              ],
              a.follow_ups,
            ),
          )
        : "",
    ];
  },
  actions: (a, act, status) => ownAction(a, a.state === "applied", "withdraw", ["records.withdraw", "records.withdraw_application_prompt", "records.withdrawn"], act, status),
});

const doerApplication = recordPage({
  kind: "doer-applications",
  backTo: ruralBack("/doer-calls", "nav.doer_calls"),
  describe: async (a) => {
    const call = await get(recordPath("doer-calls", a.call_id));
    return [
      card(a, h("a", { href: `#/doer-call?id=${encodeURIComponent(call.id)}` }, call.title), state("doer_state", a.state), [
        ["rural.statement", a.statement],
        ["records.applied_at", dateTime(a.applied_at)],
        a.decided_at ? ["records.decided_at", dateTime(a.decided_at)] : null,
        a.decision_reason ? ["common.reason", a.decision_reason] : null,
        a.village ? ["rural.village", a.village] : null,
        a.posted_from ? ["records.posting", t("courses.dates_value", { from: a.posted_from, to: a.posted_until })] : null,
      ]),
    ];
  },
  actions: (a, act, status) => ownAction(a, a.state === "applied", "withdraw", ["records.withdraw", "records.withdraw_application_prompt", "records.withdrawn"], act, status),
});

export const STARTUP_RECORD_PAGES = [
  { path: "/business-registration", title: "records.registration", roles: ["youth"], render: registration },
  { path: "/startup-loan", title: "records.loan", roles: ["youth"], render: loan },
  { path: "/course", title: "records.course", roles: ANYONE, render: course },
  { path: "/course-enrolment", title: "records.enrolment", roles: ["youth"], render: enrolment },
  { path: "/rural-project", title: "records.rural_project", roles: ANYONE, render: ruralProject },
  { path: "/doer-call", title: "records.doer_call", roles: ANYONE, render: doerCall },
  { path: "/partner-application", title: "records.partner_application", roles: ["youth", "employer", ...STAFF], render: partnerApplication },
  { path: "/doer-application", title: "records.doer_application", roles: ["youth", ...STAFF], render: doerApplication },
];
