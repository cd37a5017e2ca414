// The officer console's review queues: each unit decides its own (the API answers 403 to an
// officer of another unit, and the console shows that refusal). Every decision can carry a
// reason; a refusal needs one.

import { ApiError, get, post, session, units } from "./api.js";
import { label, pick, t } from "./i18n.js";
import { openButton, size } from "./evidence.js";
import { personLink } from "./people.js";
import { actionButton, dateTime, field, h, say, showProblem, statusArea } from "./ui.js";
import { state } from "./youth.js";

const OFFICER = ["officer"];

const reasonOf = (box) => box.querySelector("input").value.trim() || undefined;

function stepsReady(registration) {
  const unit = session.account?.unit;
  return registration.steps.filter((s) => s.ready && s.state === "pending" && s.unit === unit);
}

// each queue: what to load, how to describe an item, and the decisions on it
const QUEUES = [
  {
    name: "employers",
    title: "review.employers",
    load: () => get("/api/v1/employers", { state: "pending", limit: 50 }),
    describe: (e) => [e.name, e.credit_code, label("industry", e.industry), e.area, dateTime(e.registered_at)],
    decisions: (e) => [
      ["review.verify", (reason) => post(`/api/v1/employers/${e.id}/verify`, { note: reason })],
      ["review.reject", (reason) => post(`/api/v1/employers/${e.id}/reject`, { reason })],
    ],
  },
  {
    name: "posts",
    title: "review.posts",
    load: () => get("/api/v1/review/posts", { limit: 50 }),
    describe: (p) => [p.title, p.employer_name, label("kind", p.kind), p.area, dateTime(p.submitted_at)],
    decisions: (p) => [
      ["review.approve", () => post(`/api/v1/posts/${p.id}/approve`)],
      ["review.return", (reason) => post(`/api/v1/posts/${p.id}/return`, { reason })],
    ],
  },
  {
    name: "subsidies",
    title: "review.subsidies",
    load: () => get("/api/v1/employment-subsidies", { state: "claimed", limit: 50 }),
    describe: (c) => [label("subsidy_kind", c.kind), t("review.amount", { amount: c.amount_cny }), dateTime(c.claimed_at)],
    decisions: (c) => [
      ["review.grant", () => post(`/api/v1/employment-subsidies/${c.id}/decision`, { decision: "grant" })],
      ["review.reject", (reason) => post(`/api/v1/employment-subsidies/${c.id}/decision`, { decision: "reject", reason })],
    ],
  },
  {
    name: "housing",
    title: "review.housing",
    load: () => get("/api/v1/housing/applications", { state: "submitted", limit: 50 }),
    describe: (a) => [
      label("unit_kind", a.kind),
      a.eligible ? t("eligibility.eligible") : t("eligibility.not_eligible"),
      dateTime(a.submitted_at),
    ],
    decisions: (a) => [
      ["review.approve", (reason) => post(`/api/v1/housing/applications/${a.id}/decision`, { decision: "approved", reason })],
      ["review.reject", (reason) => post(`/api/v1/housing/applications/${a.id}/decision`, { decision: "rejected", reason })],
    ],
  },
  {
    name: "registrations",
    title: "review.registrations",
    load: () => get("/api/v1/startup/registrations", { state: "in_progress", awaiting_my_unit: true, limit: 50 }),
    describe: (r) => [
      r.company_name,
      t("startup.elapsed", { minutes: r.business_time?.elapsed_minutes ?? "", target: r.business_time?.target_minutes ?? "" }),
      stepsReady(r).map((s) => label("step", s.step)).join(", "),
    ],
    decisions: (r) => [
      ...stepsReady(r).map((s) => [
        "review.complete_step",
        (reason) =>
          post(
            `/api/v1/startup/registrations/${r.id}/steps/${s.step}/complete`,
            // the licence step issues the credit code; the others record the unit's reference
            s.step === "licence" ? { credit_code: reason } : { reference: reason },
          ),
      ]),
      ["review.reject", (reason) => post(`/api/v1/startup/registrations/${r.id}/reject`, { reason })],
    ],
  },
  {
    name: "loans",
    title: "review.loans",
    // the case the decision rests on: who lends, to whom, on what terms (the bank approved it)
    load: async () => {
      const [page, lenders] = await Promise.all([
        get("/api/v1/startup/loans", { state: "bank_approved", limit: 50 }),
        get("/api/v1/startup/lenders", { limit: 100 }),
      ]);
      const names = Object.fromEntries(lenders.items.map((lender) => [lender.id, lender.name]));
      return { ...page, items: page.items.map((loan) => ({ ...loan, lender_name: names[loan.lender_id] })) };
    },
    describe: (l) => [
      l.lender_name,
      label("borrower", l.borrower_kind),
      t("review.amount", { amount: l.amount_cny }),
      t("loans.term", { months: l.term_months }),
      label("repayment", l.repayment_method),
      l.purpose,
      t("bank.rates_value", { lpr: `${l.lpr_percent ?? ""}%`, contract: `${l.contract_rate_percent ?? ""}%`, borrower: `${l.borrower_rate_percent ?? ""}%` }),
    ],
    decisions: (l) => [
      ["review.approve", (reason) => post(`/api/v1/startup/loans/${l.id}/decision`, { decision: "approve", reason })],
      ["review.reject", (reason) => post(`/api/v1/startup/loans/${l.id}/decision`, { decision: "reject", reason })],
    ],
  },
  {
    // evidence given for facts this unit verifies: open the document, verify the value the
    // person declares against it (the verification names the document)
    name: "evidence",
    title: "review.evidence",
    load: () => get("/api/v1/review/evidence", { limit: 50 }),
    describe: (d) => [
      label("fact", d.fact),
      t("review.declared", { value: d.declared_value ?? "" }),
      `${d.content_type} · ${size(d.size)}`,
      dateTime(d.uploaded_at),
    ],
    tools: (d, status) => [openButton(d, status), personLink(d.owner_id)],
    decisions: (d) => [
      [
        "review.verify_fact",
        (reason) => post(`/api/v1/people/${d.owner_id}/facts/${d.fact}/verification`, { reason, evidence_id: d.id }),
      ],
    ],
  },
  {
    name: "stories",
    title: "review.stories",
    load: () => get("/api/v1/stories", { state: "submitted", limit: 50 }),
    describe: (s) => [s.title, s.byline ?? "", dateTime(s.submitted_at)],
    decisions: (s) => [
      ["review.approve", (note) => post(`/api/v1/stories/${s.id}/approve`, note ? { note } : {})],
      ["review.reject", (reason) => post(`/api/v1/stories/${s.id}/reject`, { reason })],
    ],
  },
];

let chosen = QUEUES[0].name;

async function showQueue(panel, queue, message) {
  const status = statusArea();
  panel.replaceChildren(h("h2", {}, t(queue.title)), status);
  if (message) say(status, message);
  let page;
  try {
    page = await queue.load();
  } catch (error) {
    showProblem(status, error);
    return;
  }
  if (!page.items.length) {
    panel.append(h("p", { class: "empty" }, t("review.empty")));
    return;
  }
  const list = h("ul", { class: "queue" });
  for (const item of page.items) {
    const reason = field({ name: "reason", label: "review.reason" });
    const buttons = queue.decisions(item).map(([key, decide], index) =>
      actionButton(
        key,
        async () => {
          await decide(reasonOf(reason));
          await showQueue(panel, queue, t("review.decided"));
        },
        { status, kind: index === 0 ? "primary" : "secondary", name: key.replace("review.", "") },
      ),
    );
    list.append(
      h(
        "li",
        { class: "card", "data-item": item.id },
        h("p", { class: "meta" }, queue.describe(item).filter(Boolean).join(" · ")),
        item.state ? state("state", item.state) : null,
        reason,
        h("div", { class: "actions" }, buttons, queue.tools ? queue.tools(item, status) : null),
      ),
    );
  }
  panel.append(list);
}

// which queues this officer's unit may work: each is asked once, and a 403 hides its tab (the
// units are policy parameters of the services, so the console does not hard-code them)
async function openQueues() {
  const answers = await Promise.all(
    QUEUES.map(async (queue) => {
      try {
        return [queue, (await queue.load()).items.length];
      } catch (error) {
        return error instanceof ApiError && error.status === 403 ? null : [queue, null];
      }
    }),
  );
  return answers.filter(Boolean);
}

async function review(main) {
  const panel = h("div", { class: "panel", id: "queue-panel", "aria-live": "polite" });
  const open = await openQueues();
  const unit = (await units())[session.account?.unit];
  main.append(h("p", { class: "hint" }, t("review.hint", { unit: unit ? pick(unit.name) : "" })));
  if (!open.length) {
    main.append(h("p", { class: "empty" }, t("review.no_queues")));
    return;
  }
  if (!open.some(([queue]) => queue.name === chosen)) chosen = open[0][0].name;
  const tabs = h(
    "div",
    { class: "tabs", role: "group", "aria-label": t("review.queues") },
    open.map(([queue, count]) =>
      h(
        "button",
        {
          type: "button",
          class: "tab",
          "data-queue": queue.name,
          "aria-pressed": String(queue.name === chosen),
          "aria-controls": "queue-panel",
          onclick: async (event) => {
            chosen = queue.name;
            for (const tab of tabs.children) tab.setAttribute("aria-pressed", String(tab === event.currentTarget));
            await showQueue(panel, queue);
          },
        },
        count === null ? t(queue.title) : t("review.tab", { title: t(queue.title), count }),
      ),
    ),
  );
  main.append(tabs, panel);
  await showQueue(panel, QUEUES.find((queue) => queue.name === chosen));
}

export const OFFICER_PAGES = [{ path: "/review", title: "nav.review", roles: OFFICER, menu: true, render: review }];

