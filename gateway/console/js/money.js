// Money after the decision (issue 24). For staff: each programme's budget for a year (with the
// guarantee fund's exposure for the loan unit), the payouts waiting for a batch, the batches
// made for the finance bureau (区财政局) with their export files and the bureau's answer
// (confirmation.js), and the reconciliation for a period. For payees: the bank account they
// are paid into. The services decide who may act (the programme's unit sets envelopes and
// makes batches, the bureau confirms); the console offers the forms to every officer and shows
// the API's refusal where it happened.

import { get, post, put, request, session, units } from "./api.js";
import { exposureSection } from "./bank.js";
import { confirmationSection } from "./confirmation.js";
import { label, pick, t } from "./i18n.js";
import { cardTable, facts, pageStatus, paged, tell } from "./pageparts.js";
import { actionButton, dateTime, form, h, section, today } from "./ui.js";
import { state } from "./youth.js";

const STAFF = ["officer", "admin"];
// the services that keep a ledger, and the programmes each pays (the API names a ledger in its
// paths and lists no ledgers of its own: services/common/finance/rules.py holds the same table)
const LEDGERS = {
  jobs: ["hiring_subsidy", "traineeship_subsidy"],
  startup: ["startup_grant", "loan_interest_subsidy"],
};

const isOfficer = () => session.account?.role === "officer";
const money = (value) => (value === null || value === undefined ? t("money.not_set") : t("money.cny", { amount: value }));

// -- budgets -------------------------------------------------------------------------------

function envelopeForm(item, year, refresh) {
  return form({
    name: `envelope-${item.programme}`,
    fields: [{ name: "envelope_cny", label: "money.envelope_new", value: item.envelope_cny ?? "", required: true }],
    submit: "money.set_envelope",
    action: (body) => put(`/api/v1/budgets/${item.programme}/${year}`, body),
    done: () => refresh(t("money.envelope_saved", { programme: pick(item.label) })),
  });
}

async function budgets(view, params) {
  const year = Number(params.get("year")) || Number(today().slice(0, 4));
  const status = pageStatus();
  const picker = form({
    name: "budget-year",
    fields: [{ name: "year", label: "money.year", type: "number", value: year, min: 2000, max: 2100, required: true }],
    submit: "money.show_year",
    action: async (body) => {
      location.hash = `#/budgets?year=${body.year}`;
    },
  });
  const list = h("div", { class: "budget-list" });
  view.append(h("p", { class: "hint" }, t("money.budgets_hint")), picker, status, list);

  async function show(message) {
    const [answer, known] = await Promise.all([get("/api/v1/budgets", { year }), units()]);
    list.replaceChildren(h("h2", {}, t("money.budgets_of", { year: answer.year })));
    if (message) tell(status, message);
    if (answer.degraded?.length) {
      list.append(h("p", { class: "notice warn" }, t("money.degraded", { services: answer.degraded.map((d) => d.service).join(", ") })));
    }
    for (const item of answer.items) {
      const unit = known[item.unit];
      list.append(
        h(
          "article",
          { class: "card", "data-programme": item.programme },
          h("h3", {}, pick(item.label)),
          facts([
            ["money.unit", unit ? pick(unit.name) : item.unit],
            ["money.envelope", money(item.envelope_cny)],
            ["money.committed", money(item.committed_cny)],
            ["money.paid", money(item.paid_cny)],
            ["money.left", h("strong", { "data-figure": "left" }, item.envelope_cny === null ? t("money.no_limit") : money(item.left_cny))],
            ["common.updated", dateTime(item.updated_at)],
          ]),
          isOfficer() ? envelopeForm(item, answer.year, show) : null,
        ),
      );
    }
    if (!answer.items.length) list.append(h("p", { class: "empty" }, t("common.none")));
  }
  await show();
  const fund = await exposureSection();
  if (fund) view.append(fund);
}

// -- payouts and batches -----------------------------------------------------------------------

const batchPath = (ledger, id) => `/api/v1/payments/${ledger}/batches/${encodeURIComponent(id)}`;
const batchLink = (ledger, batch) =>
  h("a", { href: `#/batch?ledger=${ledger}&id=${encodeURIComponent(batch.id)}`, "data-batch": batch.id }, batch.reference);

function ledgerTabs(chosen) {
  return h(
    "div",
    { class: "tabs", role: "group", "aria-label": t("money.ledgers") },
    Object.keys(LEDGERS).map((ledger) =>
      h(
        "a",
        { class: "tab", href: `#/payments?ledger=${ledger}`, "data-ledger": ledger, "aria-current": ledger === chosen ? "page" : null },
        t(`ledger.${ledger}`),
      ),
    ),
  );
}

function newBatchForm(ledger) {
  return form({
    name: "new-batch",
    fields: [
      {
        name: "programme",
        label: "money.programme",
        type: "select",
        required: true,
        options: LEDGERS[ledger].map((code) => [code, label("programme", code)]),
      },
    ],
    submit: "money.create_batch",
    action: (body) => post(`/api/v1/payments/${ledger}/batches`, body),
    done: (batch) => {
      location.hash = `#/batch?ledger=${ledger}&id=${encodeURIComponent(batch.id)}`;
    },
  });
}

async function payments(view, params) {
  const ledger = LEDGERS[params.get("ledger")] ? params.get("ledger") : Object.keys(LEDGERS)[0];
  const [queued, batches] = await Promise.all([
    get(`/api/v1/payments/${ledger}/payouts`, { state: "queued", limit: 50 }),
    get(`/api/v1/payments/${ledger}/batches`, { limit: 20 }),
  ]);
  view.append(
    h("p", { class: "hint" }, t("money.payments_hint")),
    ledgerTabs(ledger),
    section(
      "money.queued",
      paged(queued, (items) =>
        cardTable(
          [
            ["money.programme", (p) => label("programme", p.programme)],
            ["money.amount", (p) => money(p.amount_cny)],
            ["money.year", (p) => String(p.year)],
            ["money.queued_at", (p) => dateTime(p.queued_at)],
            ["money.attempts", (p) => String(p.attempts)],
          ],
          items,
          { empty: "money.no_queued" },
        ),
      ),
    ),
    isOfficer() ? section("money.new_batch", h("p", { class: "hint" }, t("money.new_batch_hint")), newBatchForm(ledger)) : null,
    section(
      "money.batches",
      paged(batches, (items) =>
        cardTable(
          [
            ["money.reference", (b) => batchLink(ledger, b)],
            ["money.programme", (b) => label("programme", b.programme)],
            ["common.state", (b) => state("batch_state", b.state)],
            ["money.lines", (b) => String(b.line_count)],
            ["money.total", (b) => money(b.total_cny)],
            ["money.created_at", (b) => dateTime(b.created_at)],
          ],
          items,
          { empty: "money.no_batches" },
        ),
      ),
    ),
    section("money.reconciliation", reconciliationForm()),
  );
}

// an export holds account numbers and needs the bearer token: fetched, then saved from memory
async function saveExport(ledger, batch, extension) {
  const answer = await request("GET", `${batchPath(ledger, batch.id)}/export.${extension}`, { raw: true });
  const named = /filename="([^"]+)"/.exec(answer.headers.get("Content-Disposition") ?? "");
  const url = URL.createObjectURL(await answer.blob());
  const link = h("a", { href: url, download: named ? named[1] : `${batch.reference}.${extension}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function batchPage(view, params) {
  const ledger = LEDGERS[params.get("ledger")] ? params.get("ledger") : "jobs";
  const id = params.get("id");
  const status = pageStatus();
  const body = h("div", {});
  view.append(h("p", {}, h("a", { href: `#/payments?ledger=${ledger}` }, t("money.all_batches"))), status, body);

  async function show(message) {
    const batch = await get(batchPath(ledger, id));
    view.querySelector("h1").textContent = t("money.batch_title", { reference: batch.reference });
    if (message) tell(status, message);
    const pending = batch.lines.filter((line) => line.state === "pending");
    body.replaceChildren(
      h(
        "section",
        { class: "card", "data-batch-state": batch.state },
        facts([
          ["money.ledger", t(`ledger.${batch.ledger ?? ledger}`)],
          ["money.programme", label("programme", batch.programme)],
          ["common.state", state("batch_state", batch.state)],
          ["money.lines", String(batch.line_count)],
          ["money.total", money(batch.total_cny)],
          ["money.created_at", dateTime(batch.created_at)],
          batch.exported_at ? ["money.exported_at", dateTime(batch.exported_at)] : null,
          batch.settled_at ? ["money.settled_at", dateTime(batch.settled_at)] : null,
          batch.held_back ? ["money.held_back", String(batch.held_back)] : null,
        ]),
        h("p", { class: "hint" }, t("money.export_hint")),
        h(
          "div",
          { class: "actions" },
          actionButton("money.export_csv", async () => {
            await saveExport(ledger, batch, "csv");
            await show(t("money.exported"));
          }, { status, name: "export-csv" }),
          actionButton("money.export_xlsx", async () => {
            await saveExport(ledger, batch, "xlsx");
            await show(t("money.exported"));
          }, { status, name: "export-xlsx" }),
        ),
      ),
      section(
        "money.batch_lines",
        cardTable(
          [
            ["money.line", (l) => h("code", {}, l.id.slice(0, 8))],
            ["money.amount", (l) => money(l.amount_cny)],
            ["common.state", (l) => state("line_state", l.state)],
            ["money.bank_reference", (l) => l.bank_reference ?? ""],
            ["money.failure_reason", (l) => label("failure_reason", l.failure_reason)],
            ["money.confirmed_on", (l) => l.confirmed_on ?? ""],
          ],
          batch.lines,
        ),
      ),
      isOfficer() && pending.length
        ? await confirmationSection(batchPath(ledger, batch.id), batch, pending, show)
        : null,
    );
  }
  await show();
}

// -- reconciliation --------------------------------------------------------------------------

function reconciliationForm() {
  const result = h("div", { "data-result": "reconciliation" });
  const start = `${today().slice(0, 8)}01`;
  // the period ends before `until`: up to and including today by default
  const tomorrow = new Date(Date.parse(`${today()}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
  const element = form({
    name: "reconciliation",
    fields: [
      { name: "since", label: "money.since", type: "date", value: start, required: true },
      { name: "until", label: "money.until", type: "date", value: tomorrow, required: true },
    ],
    submit: "money.reconcile",
    action: (query) => get("/api/v1/payments/reconciliation", query),
    done: (report) => result.replaceChildren(reconciliationTable(report)),
  });
  return h("div", {}, h("p", { class: "hint" }, t("money.reconciliation_hint")), element, result);
}

function reconciliationTable(report) {
  const pair = (count, amount) => t("money.count_amount", { count, amount });
  return h(
    "div",
    {},
    report.degraded?.length ? h("p", { class: "notice warn" }, t("money.degraded", { services: report.degraded.map((d) => d.service).join(", ") })) : null,
    cardTable(
      [
        ["money.programme", (p) => pick(p.label) || label("programme", p.programme)],
        ["money.batched", (p) => pair(p.batched_count, p.batched_cny)],
        ["money.paid", (p) => pair(p.paid_count, p.paid_cny)],
        ["money.failed", (p) => pair(p.failed_count, p.failed_cny)],
        ["money.awaiting", (p) => pair(p.awaiting_count, p.awaiting_cny)],
        ["money.queued", (p) => pair(p.queued_count, p.queued_cny)],
        ["money.balanced", (p) => h("span", { "data-balanced": String(p.ledger_balanced) }, t(p.ledger_balanced ? "money.balanced_yes" : "money.balanced_no"))],
      ],
      report.programmes,
      { caption: t("money.period", { since: report.since, until: report.until }) },
    ),
  );
}

// -- the payee's bank account ----------------------------------------------------------------

// Given once, used for every payment (subsidies, grants, a bank's interest subsidy); the API
// shows it masked and writes it in full only into a batch's export for the finance bureau.
async function bankAccount(view) {
  const status = pageStatus();
  const current = h("div", {});
  view.append(h("p", { class: "hint" }, t("money.account_hint")), status, current);

  async function show(message) {
    let account = null;
    try {
      account = await get("/api/v1/me/bank-account");
    } catch (error) {
      if (error.status !== 404) throw error; // 404: none given yet
    }
    if (message) tell(status, message);
    current.replaceChildren(
      account
        ? section(
            "money.account_current",
            facts([
              ["money.account_holder", account.holder],
              ["money.account_bank", account.bank_name],
              ["money.account_number", h("span", { "data-account": "masked" }, account.number_masked)],
              ["common.updated", dateTime(account.updated_at)],
            ]),
          )
        : h("p", { class: "notice warn", "data-account": "none" }, t("money.account_none")),
      section(
        account ? "money.account_change" : "money.account_give",
        form({
          name: "bank-account",
          fields: [
            { name: "holder", label: "money.account_holder", value: account?.holder, required: true, autocomplete: "name" },
            { name: "bank_name", label: "money.account_bank", value: account?.bank_name, required: true },
            { name: "number", label: "money.account_number_full", required: true, autocomplete: "off" },
          ],
          submit: "common.save",
          action: (body) => put("/api/v1/me/bank-account", body),
          done: () => show(t("money.account_saved")),
        }),
      ),
    );
  }
  await show();
}

export const MONEY_PAGES = [
  { path: "/bank-account", title: "nav.bank_account", roles: ["youth", "employer", "partner"], menu: true, render: bankAccount },
  { path: "/budgets", title: "nav.budgets", roles: STAFF, menu: true, render: budgets },
  { path: "/payments", title: "nav.payments", roles: STAFF, menu: true, render: payments },
  { path: "/batch", title: "money.batch", roles: STAFF, menu: false, render: batchPage },
];
