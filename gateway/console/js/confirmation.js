// The finance bureau's answer to a payment batch (区财政局回单), recorded by one of its officers:
// line by line in a small form, or by reading back the batch's CSV export in which the bureau
// filled `outcome`, `bank_reference` and `reason` (gateway/payments_export.py). The file is
// read in the browser and checked against the batch; what it would record is shown before
// anything is sent ("check your answers"), since a line answered cannot be answered again.

import { post } from "./api.js";
import { bodyEnum } from "./enumerations.js";
import { label, t } from "./i18n.js";
import { cardTable, checkedForm } from "./pageparts.js";
import { actionButton, form, h, say, section, statusArea, today } from "./ui.js";

// the bureau's answers as the API names them (a copy only when its document cannot be read)
const CONFIRMATION = "/api/v1/payments/{ledger}/batches/{batch_id}/confirmation";
let OUTCOMES = ["paid", "failed"];
let FAILURE_REASONS = ["account_invalid", "account_closed", "name_mismatch", "other"];
const cny = (value) => t("money.cny", { amount: value });

// a line's answer as the API takes it: a paid line carries no reason, a failed one its code
function answerOf(line_id, { outcome, bank_reference, reason }) {
  const answer = { line_id, outcome };
  if (bank_reference) answer.bank_reference = bank_reference;
  if (outcome === "failed" && reason) answer.reason = reason;
  return answer;
}

function lineForm(path, line, refresh) {
  return checkedForm({
    name: `confirm-${line.id}`,
    fields: [
      { name: "outcome", label: "money.outcome", type: "select", required: true, options: OUTCOMES.map((code) => [code, label("line_state", code)]) },
      { name: "paid_on", label: "money.paid_on", type: "date", value: today(), required: true },
      { name: "bank_reference", label: "money.bank_reference" },
      { name: "reason", label: "money.failure_reason", type: "select", options: [["", t("money.reason_if_failed")], ...FAILURE_REASONS.map((code) => [code, label("failure_reason", code)])] },
    ],
    submit: "money.confirm_line",
    summary: () => t("money.check_line", { line: line.id.slice(0, 8), amount: cny(line.amount_cny) }),
    send: ({ paid_on, ...outcome }) => post(`${path}/confirmation`, { paid_on, lines: [answerOf(line.id, outcome)] }),
    done: () => refresh(t("money.line_confirmed")),
  });
}

// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; a BOM may lead
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  const source = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && source[i + 1] === "\n") i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  const [header = [], ...body] = rows.filter((r) => r.some((value) => value.trim()));
  return body.map((values) => Object.fromEntries(header.map((name, index) => [name.trim(), (values[index] ?? "").trim()])));
}

// the file's answered rows for this batch's waiting lines, or a problem (a key) to show
function answersIn(rows, batch, pending) {
  if (!rows.length || !("line_id" in rows[0]) || !("outcome" in rows[0])) return { problem: "money.file_not_export" };
  if (rows.some((row) => row.batch_reference && row.batch_reference !== batch.reference)) {
    return { problem: "money.file_other_batch" };
  }
  const waiting = new Map(pending.map((line) => [line.id, line]));
  const answered = rows.filter((row) => row.outcome && waiting.has(row.line_id));
  const wrong = answered.find((row) => !OUTCOMES.includes(row.outcome) || (row.reason && !FAILURE_REASONS.includes(row.reason)));
  if (wrong) return { problem: "money.file_bad_outcome", line: wrong.line_id };
  if (!answered.length) return { problem: "money.file_nothing_answered" };
  return { answers: answered.map((row) => ({ line: waiting.get(row.line_id), answer: answerOf(row.line_id, row) })) };
}

// what the file would record, and the one button that sends it
function checkYourAnswers(path, paidOn, answers, refresh, cancel) {
  const status = statusArea();
  const total = (outcome) => answers.filter((a) => a.answer.outcome === outcome).length;
  return h(
    "div",
    { class: "card", "data-check": "bureau-file" },
    h("h3", {}, t("money.check_answers")),
    h("p", {}, t("money.check_summary", { paid: total("paid"), failed: total("failed"), date: paidOn })),
    cardTable(
      [
        ["money.line", (a) => h("code", {}, a.line.id.slice(0, 8))],
        ["money.amount", (a) => cny(a.line.amount_cny)],
        ["money.outcome", (a) => label("line_state", a.answer.outcome)],
        ["money.bank_reference", (a) => a.answer.bank_reference ?? ""],
        ["money.failure_reason", (a) => label("failure_reason", a.answer.reason)],
      ],
      answers,
    ),
    h(
      "div",
      { class: "actions" },
      actionButton(
        "money.record_answers",
        async () => {
          await post(`${path}/confirmation`, { paid_on: paidOn, lines: answers.map((a) => a.answer) });
          await refresh(t("money.answers_recorded", { count: answers.length }));
        },
        { status, kind: "primary", name: "record-answers" },
      ),
      h("button", { type: "button", class: "secondary", "data-action": "cancel-answers", onclick: cancel }, t("money.cancel")),
    ),
    status,
  );
}

function fileForm(path, batch, pending, refresh) {
  const check = h("div", {});
  const element = form({
    name: "bureau-file",
    fields: [
      { name: "paid_on", label: "money.paid_on", type: "date", value: today(), required: true },
      { name: "bureau_file", label: "money.bureau_file", type: "file", required: true },
    ],
    submit: "money.read_file",
    action: async ({ paid_on }, formElement) => {
      check.replaceChildren();
      const file = formElement.querySelector('input[type="file"]').files[0];
      const found = answersIn(parseCsv(await file.text()), batch, pending);
      return { paid_on, ...found };
    },
    done: (found, status) => {
      if (found.problem) {
        say(status, t(found.problem, { line: (found.line ?? "").slice(0, 8), reference: batch.reference }), "error");
        return;
      }
      check.replaceChildren(checkYourAnswers(path, found.paid_on, found.answers, refresh, () => check.replaceChildren()));
      check.querySelector("h3").setAttribute("tabindex", "-1");
      check.querySelector("h3").focus();
    },
  });
  element.querySelector('input[type="file"]').setAttribute("accept", ".csv,text/csv");
  return h("div", {}, h("p", { class: "hint" }, t("money.bureau_file_hint")), element, check);
}

// every line still waiting: a form each, and the bureau's file for all of them at once
export async function confirmationSection(path, batch, pending, refresh) {
  [OUTCOMES, FAILURE_REASONS] = await Promise.all([
    bodyEnum("post", CONFIRMATION, ["lines", "outcome"], OUTCOMES),
    bodyEnum("post", CONFIRMATION, ["lines", "reason"], FAILURE_REASONS),
  ]);
  return section(
    "money.confirmation",
    h("p", { class: "hint" }, t("money.confirmation_hint")),
    h("h3", {}, t("money.from_file")),
    fileForm(path, batch, pending, refresh),
    h("h3", {}, t("money.line_by_line")),
    ...pending.map((line) =>
      h(
        "article",
        { class: "card", "data-line": line.id },
        h("h4", {}, t("money.line_title", { line: line.id.slice(0, 8), amount: cny(line.amount_cny) })),
        lineForm(path, line, refresh),
      ),
    ),
  );
}
