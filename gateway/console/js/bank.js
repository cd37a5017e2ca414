// The lending bank's pages (经办银行, a partner account) for startup guaranteed loans: its
// loans, and for one loan what the bank does in turn: review it (approve with the contract rate,
// or decline with a reason), pay it out, then report repayments and arrears and claim each past
// quarter's interest subsidy against the schedule. The loan unit's officers see the guarantee
// fund's exposure on the budgets page. The startup service answers another bank's loan as 404.

import { ApiError, get, post } from "./api.js";
import { queryEnum } from "./enumerations.js";
import { label, t } from "./i18n.js";
import { cardTable, checkedForm, cny, facts, pageStatus, paged, tell } from "./pageparts.js";
import { dateTime, form, h, section, today } from "./ui.js";
import { state } from "./youth.js";

const BANK = ["partner"];
const LOANS = "/api/v1/startup/loans";
// a loan's states, from the API's document (this copy only when it cannot be read)
const STATES = ["applied", "bank_approved", "bank_declined", "approved", "rejected", "disbursed", "withdrawn"];

const rate = (value) => (value === null || value === undefined ? "" : `${value}%`);
const loanPath = (id) => `${LOANS}/${encodeURIComponent(id)}`;

// -- the bank's loans ------------------------------------------------------------------------

function loanCard(loan) {
  return h(
    "article",
    { class: "card", "data-loan": loan.id },
    h("h2", {}, h("a", { href: `#/bank-loan?id=${encodeURIComponent(loan.id)}`, "data-action": "open" }, t("bank.loan_title", { amount: cny(loan.amount_cny), months: loan.term_months }))),
    state("state", loan.state),
    facts([
      ["loans.borrower_kind", label("borrower", loan.borrower_kind)],
      loan.credit_code ? ["bank.credit_code", loan.credit_code] : null,
      ["loans.repayment", label("repayment", loan.repayment_method)],
      ["loans.purpose", loan.purpose],
      ["bank.applied_at", dateTime(loan.applied_at)],
    ]),
  );
}

async function bankLoans(view, params) {
  const states = await queryEnum(LOANS, "state", STATES);
  const chosen = states.includes(params.get("state")) ? params.get("state") : "";
  const filter = form({
    name: "loan-filter",
    fields: [
      {
        name: "state",
        label: "common.state",
        type: "select",
        value: chosen,
        options: [["", t("common.any")], ...states.map((code) => [code, label("state", code)])],
      },
    ],
    submit: "common.search",
    action: async (body) => {
      location.hash = body.state ? `#/bank-loans?state=${body.state}` : "#/bank-loans?state=";
    },
  });
  const answer = await get(LOANS, { state: chosen, limit: 20 });
  view.append(
    h("p", { class: "hint" }, t("bank.loans_hint")),
    filter,
    paged(answer, (items) => (items.length ? h("div", { class: "loan-list" }, items.map(loanCard)) : h("p", { class: "empty" }, t("bank.no_loans")))),
  );
}

// -- one loan --------------------------------------------------------------------------------

function reviewForm(loan, refresh) {
  return checkedForm({
    name: "loan-review",
    fields: [
      { name: "decision", label: "bank.decision", type: "select", required: true, options: [["approve", t("bank.approve")], ["decline", t("bank.decline")]] },
      { name: "contract_rate_percent", label: "bank.contract_rate" },
      { name: "amount_cny", label: "bank.amount_if_less", value: loan.amount_cny },
      { name: "term_months", label: "bank.term_if_shorter", type: "number", min: 1, max: 120, value: loan.term_months },
      { name: "reason", label: "bank.reason_to_decline", type: "textarea" },
    ],
    submit: "bank.send_review",
    summary: (body) => t(body.decision === "decline" ? "bank.check_decline" : "bank.check_approve"),
    send: (body) => {
      const review = { ...body };
      if (review.decision === "decline") {
        delete review.contract_rate_percent;
        delete review.amount_cny;
        delete review.term_months;
      }
      return post(`${loanPath(loan.id)}/review`, review);
    },
    done: (answer) => refresh(t(answer.state === "bank_declined" ? "bank.declined" : "bank.approved")),
  });
}

function disbursementForm(loan, refresh) {
  return checkedForm({
    name: "loan-disbursement",
    fields: [{ name: "disbursed_on", label: "bank.disbursed_on", type: "date", value: today(), required: true }],
    submit: "bank.disburse",
    summary: () => t("bank.check_disburse", { amount: cny(loan.amount_cny), months: loan.term_months }),
    send: (body) => post(`${loanPath(loan.id)}/disbursement`, body),
    done: () => refresh(t("bank.disbursed")),
  });
}

function scheduleTable(instalments, serviced) {
  return cardTable(
    [
      ["loans.number", (i) => String(i.number)],
      ["loans.due_on", (i) => i.due_on],
      ["loans.principal", (i) => i.principal],
      ["loans.interest", (i) => i.interest],
      ["loans.subsidy", (i) => (i.subsidy_stopped ? t("bank.subsidy_stopped_short") : i.subsidy)],
      ["bank.borrower_payment", (i) => i.borrower_payment],
      ...(serviced
        ? [
            ["bank.instalment_status", (i) => state("instalment_status", i.status)],
            ["bank.paid_on", (i) => i.paid_on ?? ""],
          ]
        : []),
    ],
    instalments,
  );
}

// one instalment repaid in full: the amount is what the schedule says the borrower pays
function repaymentForm(loan, servicing, refresh) {
  const unpaid = servicing.instalments.filter((i) => i.status !== "repaid");
  if (!unpaid.length) return h("p", { class: "empty" }, t("bank.all_repaid"));
  const element = form({
    name: "loan-repayment",
    fields: [
      {
        name: "instalment",
        label: "bank.instalment",
        type: "select",
        required: true,
        options: unpaid.map((i) => [i.number, t("bank.instalment_option", { number: i.number, due: i.due_on, payment: i.borrower_payment })]),
      },
      { name: "paid_on", label: "bank.paid_on", type: "date", value: today(), required: true },
      { name: "amount_cny", label: "bank.amount_paid", value: unpaid[0].borrower_payment, required: true },
    ],
    submit: "bank.report_repayment",
    action: (body) => post(`${loanPath(loan.id)}/repayments`, { ...body, instalment: Number(body.instalment) }),
    done: (answer) => refresh(t("bank.repayment_recorded", { number: answer.instalment })),
  });
  const choice = element.querySelector('[name="instalment"]');
  choice.addEventListener("change", () => {
    const picked = unpaid.find((i) => String(i.number) === choice.value);
    element.querySelector('[name="amount_cny"]').value = picked?.borrower_payment ?? "";
  });
  return element;
}

function arrearsForm(loan, servicing, refresh) {
  return form({
    name: "loan-arrears",
    fields: [{ name: "overdue_since", label: "bank.overdue_since", type: "date", value: servicing.overdue_since ?? "" }],
    submit: "bank.report_arrears",
    // an empty day says the borrower has caught up
    action: (body) => post(`${loanPath(loan.id)}/arrears`, { overdue_since: body.overdue_since ?? null }),
    done: (answer) => refresh(t(answer.overdue_since ? "bank.arrears_recorded" : "bank.caught_up_recorded")),
  });
}

// a section the tests and readers can name
function sectionOf(name, titleKey, ...children) {
  const element = section(titleKey, ...children);
  element.dataset.section = name;
  return element;
}

// the last quarter that has ended, "2035-Q2": the one a bank usually claims
function lastQuarter() {
  const [year, month] = today().split("-").map(Number);
  const quarter = Math.floor((month - 1) / 3);
  return quarter === 0 ? `${year - 1}-Q4` : `${year}-Q${quarter}`;
}

function claimForm(loan, refresh) {
  return form({
    name: "subsidy-claim",
    fields: [{ name: "quarter", label: "bank.quarter", value: lastQuarter(), required: true }],
    submit: "bank.claim_subsidy",
    action: (body) => post(`${loanPath(loan.id)}/subsidy-claims`, body),
    done: (claim) => refresh(t("bank.claimed", { quarter: claim.quarter, amount: cny(claim.amount_cny) })),
  });
}

function servicingSection(loan, servicing, refresh) {
  const stopped = servicing.subsidy_stopped_from;
  return [
    section(
      "bank.servicing",
      servicing.overdue_since
        ? h("p", { class: "notice warn", "data-arrears": "true" }, t("bank.overdue", { since: servicing.overdue_since, days: servicing.days_overdue, threshold: servicing.arrears_threshold_days }))
        : null,
      stopped ? h("p", { class: "notice warn", "data-subsidy": "stopped" }, t("bank.subsidy_stopped", { from: stopped })) : null,
      facts([
        ["bank.disbursed_on", servicing.disbursed_on],
        ["bank.amount", cny(servicing.amount_cny)],
        ["bank.principal_repaid", cny(servicing.principal_repaid_cny)],
        ["bank.outstanding", h("strong", { "data-figure": "outstanding" }, cny(servicing.outstanding_principal_cny))],
        ["bank.threshold", t("bank.days", { days: servicing.arrears_threshold_days })],
      ]),
    ),
    section("bank.repayment", repaymentForm(loan, servicing, refresh)),
    section("bank.arrears", h("p", { class: "hint" }, t("bank.arrears_hint", { threshold: servicing.arrears_threshold_days })), arrearsForm(loan, servicing, refresh)),
    sectionOf(
      "claims",
      "bank.claims",
      h("p", { class: "hint" }, t("bank.claims_hint")),
      cardTable(
        [
          ["bank.quarter", (c) => c.quarter],
          ["bank.amount", (c) => cny(c.amount_cny)],
          ["common.state", (c) => state("payout_state", c.payout_state)],
        ],
        servicing.claims,
        { empty: "bank.no_claims" },
      ),
      claimForm(loan, refresh),
    ),
    // the whole schedule last: the forms above are what the bank comes for
    section("bank.schedule_against_paid", h("div", { "data-table": "schedule" }, scheduleTable(servicing.instalments, true))),
  ];
}

async function bankLoan(view, params) {
  const id = params.get("id");
  const status = pageStatus();
  const body = h("div", {});
  view.append(h("p", {}, h("a", { href: "#/bank-loans" }, t("bank.all_loans"))), status, body);

  // after every action the page is drawn again from the API: the state decides what comes next
  async function show(message) {
    const loan = await get(loanPath(id));
    if (message) tell(status, message);
    const parts = [
      h(
        "section",
        { class: "card", "data-loan": loan.id, "data-state": loan.state },
        h("h2", {}, t("bank.loan_title", { amount: cny(loan.amount_cny), months: loan.term_months })),
        state("state", loan.state),
        facts([
          ["loans.borrower_kind", label("borrower", loan.borrower_kind)],
          loan.credit_code ? ["bank.credit_code", loan.credit_code] : null,
          ["loans.repayment", label("repayment", loan.repayment_method)],
          ["loans.purpose", loan.purpose],
          ["bank.applied_at", dateTime(loan.applied_at)],
          loan.contract_rate_percent ? ["bank.rates", t("bank.rates_value", { lpr: rate(loan.lpr_percent), contract: rate(loan.contract_rate_percent), borrower: rate(loan.borrower_rate_percent) })] : null,
          loan.reviewed_at ? ["bank.reviewed_at", dateTime(loan.reviewed_at)] : null,
          loan.decided_at ? ["bank.decided_at", dateTime(loan.decided_at)] : null,
          loan.disbursed_on ? ["bank.disbursed_on", loan.disbursed_on] : null,
        ]),
        h("p", { class: "hint", "data-next": loan.state }, t(`bank.next_${loan.state}`)),
      ),
    ];
    if (loan.state === "applied") parts.push(section("bank.review", reviewForm(loan, show)));
    if (loan.state === "approved") parts.push(section("bank.disbursement", disbursementForm(loan, show)));
    if (loan.state === "disbursed") {
      parts.push(...servicingSection(loan, await get(`${loanPath(id)}/servicing`), show));
    } else if (["applied", "bank_approved", "approved"].includes(loan.state)) {
      const schedule = await get(`${loanPath(id)}/schedule`);
      parts.push(section("bank.schedule", h("p", { class: "notice warn" }, t("loans.estimate")), h("div", { "data-table": "schedule" }, scheduleTable(schedule.instalments, false))));
    }
    body.replaceChildren(...parts);
  }
  await show();
}

// -- the guarantee fund's exposure ------------------------------------------------------------

// for the loan unit's officers and admins, shown on the budgets page; the startup service
// decides who the loan unit is (a policy parameter), so another unit's 403 leaves it out
export async function exposureSection() {
  let answer;
  try {
    answer = await get("/api/v1/startup/guarantee-exposure");
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null;
    throw error;
  }
  const rows = [...answer.lenders, { ...answer.total, lender_name: t("bank.total"), total: true }];
  return h(
    "section",
    { class: "card", "data-section": "exposure" },
    h("h2", {}, t("bank.exposure")),
    h("p", { class: "hint" }, t("bank.exposure_hint", { date: answer.as_of })),
    cardTable(
      [
        ["bank.lender", (l) => (l.total ? h("strong", {}, l.lender_name) : l.lender_name)],
        ["bank.loans", (l) => String(l.loans)],
        ["bank.outstanding", (l) => cny(l.outstanding_principal_cny)],
        ["bank.loans_in_arrears", (l) => String(l.loans_in_arrears)],
        ["bank.outstanding_in_arrears", (l) => cny(l.outstanding_in_arrears_cny)],
      ],
      rows,
    ),
  );
}

export const BANK_PAGES = [
  { path: "/bank-loans", title: "nav.bank_loans", roles: BANK, menu: true, render: bankLoans },
  { path: "/bank-loan", title: "bank.loan", roles: BANK, menu: false, render: bankLoan },
];
