// Monitoring (监测评估): the plan's indicators by task, with responsible units and targets,
// as bars of progress against the target, a table and a CSV made in the browser (or the API's
// data file); the plan's four lists (outcomes, policy measures, practical projects, tasks), and
// one item's page with its progress notes and every change to it.

import { fetchFile, get, patch, post, session, units } from "./api.js";
import { currentLocale, label, pick, t } from "./i18n.js";
import { facts, pageStatus, tell } from "./pageparts.js";
import { actionButton, dateTime, download, form, h, saveFile, say, section, statusArea, table, today } from "./ui.js";

const STAFF = ["officer", "admin"];
const SVG = "http://www.w3.org/2000/svg";
const KINDS = ["expected_outcome", "policy_measure", "practical_project", "task"];
const STATUSES = ["planned", "in_progress", "done", "delayed"];

function svg(tag, attrs) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  return element;
}

function targetText(target) {
  return target ? t("indicators.target_text", { comparison: target.comparison === ">=" ? "≥" : "≤", value: target.value }) : "";
}

// a share as a percentage, with a decimal while it is small (1 of 1,000 is 0.1 %, not 0 %)
function percent(share) {
  return share > 0 && share < 0.1 ? (share * 100).toFixed(1) : String(Math.round(share * 100));
}

// progress against the target: the share of a "≥" target reached, or for a "≤" target
// (a time limit) how much of the allowance is used; without a target, no bar
function bar(indicator) {
  const { value, target } = indicator;
  if (!target || value === null || value === undefined) return h("span", { class: "muted" }, t("indicators.no_bar"));
  const share = Math.max(0, Math.min(1, target.value ? value / target.value : 0));
  const good = indicator.met !== false;
  const chart = svg("svg", {
    viewBox: "0 0 100 10",
    class: "bar",
    role: "img",
    "aria-label": t("indicators.bar_label", { percent: percent(share) }),
  });
  chart.append(svg("rect", { x: 0, y: 0, width: 100, height: 10, class: "track" }));
  chart.append(svg("rect", { x: 0, y: 0, width: (share * 100).toFixed(1), height: 10, class: good ? "fill" : "fill over" }));
  return h("span", { class: "bar-wrap" }, chart, h("span", { class: "percent" }, `${percent(share)}%`));
}

function sparkline(series) {
  const numbers = series.map((v) => (typeof v === "number" ? v : 0));
  const top = Math.max(1, ...numbers);
  const chart = svg("svg", { viewBox: "0 0 120 24", class: "spark", "aria-hidden": "true" });
  numbers.forEach((v, i) => {
    const height = (v / top) * 22;
    chart.append(svg("rect", { x: i * 10 + 1, y: 23 - height, width: 8, height: Math.max(height, 0.5) }));
  });
  return chart;
}

function met(indicator) {
  if (indicator.met === null || indicator.met === undefined) return "";
  return indicator.met
    ? h("span", { class: "state state-met" }, t("indicators.met"))
    : h("span", { class: "state state-missed" }, t("indicators.not_met"));
}

function csvOf(answer, unitNames) {
  const quote = (value) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const headings = ["task", "units", "code", "indicator", "value", "target", "met"];
  const rows = [[...headings.map((name) => t(`indicators.${name}`)), ...answer.series_months]];
  for (const task of answer.tasks) {
    for (const indicator of task.indicators) {
      rows.push([
        `${task.code} ${pick(task.title)}`,
        task.units.map((u) => unitNames(u)).join(t("common.list_separator")),
        indicator.code,
        pick(indicator.label),
        indicator.value,
        targetText(indicator.target),
        indicator.met === null ? "" : indicator.met ? t("indicators.met") : t("indicators.not_met"),
        ...indicator.series,
      ]);
    }
  }
  return `\ufeff${rows.map((row) => row.map(quote).join(",")).join("\r\n")}\r\n`;
}

async function indicators(main) {
  const results = h("div", { "aria-live": "polite" });
  const unitName = (unit) => pick(unit.name);
  const show = async (query) => {
    const answer = await get("/api/v1/indicators", query);
    const status = statusArea();
    const parts = [];
    if (answer.degraded.length) {
      const names = answer.degraded.map((d) => label("service", d.service));
      parts.push(h("p", { class: "notice warn" }, t("dashboard.degraded", { parts: names.join(", ") })));
    }
    parts.push(
      h(
        "div",
        { class: "actions" },
        h("p", { class: "meta" }, t("indicators.period", { period: answer.period.name, version: answer.plan_version })),
        actionButton(
          "indicators.export_csv",
          async () => {
            const name = `indicators-${answer.period.name}-${currentLocale()}.csv`;
            download(name, csvOf(answer, unitName), "text/csv;charset=utf-8");
          },
          { name: "export-csv" },
        ),
        // the API's own file, with codes rather than labels, for systems that read it again
        // (a link cannot carry the bearer token, so the file comes as a Blob)
        actionButton(
          "indicators.download_data",
          async () => {
            const period = encodeURIComponent(answer.period.name);
            const file = await fetchFile(`/api/v1/indicators.csv?period=${period}`);
            saveFile(`indicators-${answer.period.name}-data.csv`, file);
          },
          { status, name: "download-data-csv" },
        ),
      ),
      status,
    );
    for (const task of answer.tasks) {
      parts.push(
        h(
          "section",
          { class: "card task", "data-task": task.code },
          h("h2", {}, `${task.code} ${pick(task.title)}`),
          h("p", { class: "meta" }, t("indicators.responsible", { units: task.units.map(unitName).join(t("common.list_separator")) })),
          table(
            [
              ["indicators.indicator", (i) => pick(i.label)],
              ["indicators.value", (i) => h("span", { class: "value", "data-code": i.code, "data-value": i.value ?? "" }, i.value ?? "—")],
              ["indicators.target", (i) => targetText(i.target)],
              ["indicators.progress", bar],
              ["indicators.met", met],
              ["indicators.by_month", (i) => sparkline(i.series)],
            ],
            task.indicators,
          ),
        ),
      );
    }
    results.replaceChildren(...parts);
  };
  main.append(
    form({
      name: "indicator-period",
      fields: [{ name: "period", label: "indicators.period_field", value: today().slice(0, 4) }],
      submit: "indicators.show",
      action: show,
    }),
    results,
  );
  await show({});
}

async function planLists(main) {
  const unitList = Object.values(await units());
  const status = statusArea();
  const lists = h("div");
  const show = async () => {
    const all = await get("/api/v1/plan/items", { limit: 100 });
    lists.replaceChildren(
      ...KINDS.map((kind) =>
        section(
          `plan.kind_${kind}`,
          table(
            [
              ["plan.title", itemLink],
              ["plan.task", (item) => item.task_code ?? ""],
              ["plan.unit", (item) => pick(unitList.find((u) => u.code === item.unit)?.name) || item.unit],
              ["plan.owner", (item) => item.owner],
              ["plan.due", (item) => item.due_date],
              ["plan.status", (item) => label("plan_status", item.status)],
              ["plan.progress", (item) => progressControl(item, status, show)],
            ],
            all.items.filter((item) => item.kind === kind),
          ),
        ),
      ),
    );
  };
  main.append(
    section(
      "plan.add",
      form({
        name: "plan-item",
        fields: [
          {
            name: "kind",
            label: "plan.kind",
            type: "select",
            options: KINDS.map((k) => [k, t(`plan.kind_${k}`)]),
          },
          { name: "title", label: "plan.title", required: true },
          { name: "task_code", label: "plan.task" },
          {
            name: "unit",
            label: "plan.unit",
            type: "select",
            options: unitList.map((u) => [u.code, pick(u.name)]),
            value: session.account?.unit, // an officer maintains the items of their own unit
          },
          { name: "owner", label: "plan.owner", required: true },
          { name: "due_date", label: "plan.due", type: "date", required: true, value: today() },
          {
            name: "status",
            label: "plan.status",
            type: "select",
            options: STATUSES.map((s) => [s, label("plan_status", s)]),
          },
          { name: "progress", label: "plan.progress", type: "number", min: 0, max: 100, value: 0 },
        ],
        submit: "plan.add_submit",
        action: (data) => post("/api/v1/plan/items", data),
        done: async (_, formStatus) => {
          await show();
          say(formStatus, t("common.saved"));
        },
      }),
    ),
    status,
    lists,
  );
  await show();
}

// an item's title, leading to its page
export function itemLink(item) {
  return h("a", { href: `#/plan/item?id=${encodeURIComponent(item.id)}`, "data-item": item.id }, item.title);
}

// an officer maintains the items of their own unit; an administrator, every item
export function mayMaintain(item) {
  return session.account?.role === "admin" || session.account?.unit === item.unit;
}

// a value of a field as a person reads it: a status by its label, a list joined
function fieldValue(name, value) {
  if (value === null || value === undefined || value === "") return "—";
  if (name === "status") return label("plan_status", value);
  if (name === "progress") return `${value}%`;
  return Array.isArray(value) ? value.join(t("common.list_separator")) : String(value);
}

// each version's changes, oldest first: "field: before → after" (the first version, what it
// was made with)
function historyList(changes) {
  if (!changes.length) return h("p", { class: "empty" }, t("common.none"));
  return h(
    "ol",
    { class: "history" },
    changes.map((change) =>
      h(
        "li",
        { "data-version": change.version },
        h("p", { class: "meta" }, t("plan.version_at", { version: change.version, at: dateTime(change.changed_at) })),
        h(
          "ul",
          {},
          Object.entries(change.changes).map(([name, [before, after]]) =>
            h(
              "li",
              { "data-field": name },
              `${label("plan_field", name)}: `,
              before === null || before === undefined ? "" : `${fieldValue(name, before)} → `,
              fieldValue(name, after),
            ),
          ),
        ),
      ),
    ),
  );
}

function notesList(notes) {
  if (!notes.length) return h("p", { class: "empty" }, t("plan.no_notes"));
  return h(
    "ol",
    { class: "notes" },
    notes.map((note) =>
      h(
        "li",
        { "data-note": note.id },
        h("p", { class: "meta" }, dateTime(note.written_at), note.progress === null ? "" : ` · ${t("plan.progress_to", { progress: note.progress })}`),
        h("p", {}, note.text),
      ),
    ),
  );
}

// one item of the four lists: what it is, who answers for it, its progress notes (its unit's
// officers write one, which may move the progress) and every change since it was added
async function planItem(main, params) {
  const id = params.get("id") ?? "";
  const path = `/api/v1/plan/items/${encodeURIComponent(id)}`;
  const unitList = await units();
  const status = pageStatus();
  const body = h("div", {});
  async function show(message) {
    const [item, history, notes] = await Promise.all([get(path), get(`${path}/history`), get(`${path}/notes`)]);
    const noteForm = mayMaintain(item)
      ? form({
          name: "plan-note",
          fields: [
            { name: "text", label: "plan.note_text", type: "textarea", required: true },
            { name: "progress", label: "plan.progress", type: "number", min: 0, max: 100, value: item.progress },
          ],
          submit: "plan.add_note",
          action: (data) => post(`${path}/notes`, data),
          done: () => show(t("common.saved")),
        })
      : null;
    body.replaceChildren(
      h(
        "section",
        { class: "card", "data-plan-item": item.id, "data-version": item.version },
        h("h2", {}, item.title),
        facts([
          ["plan.kind", t(`plan.kind_${item.kind}`)],
          item.task_code ? ["plan.task", item.task_code] : null,
          ["plan.unit", pick(unitList[item.unit]?.name) || item.unit],
          ["plan.owner", item.owner],
          item.leader ? ["plan_field.leader", item.leader] : null,
          item.section ? ["plan_field.section", item.section] : null,
          item.person ? ["plan_field.person", item.person] : null,
          ["plan.due", item.overdue ? `${item.due_date} ${t("meetings.overdue")}` : item.due_date],
          ["plan.status", label("plan_status", item.status)],
          ["plan.progress", h("progress", { max: 100, value: item.progress }, `${item.progress}%`)],
          item.description ? ["plan_field.description", item.description] : null,
          item.note ? ["plan_field.note", item.note] : null,
          item.meeting_id ? ["plan.meeting", h("a", { href: `#/meeting?id=${encodeURIComponent(item.meeting_id)}` }, t("plan.open_meeting"))] : null,
        ]),
      ),
      h("section", { class: "card", "data-section": "notes" }, h("h2", {}, t("plan.notes")), notesList(notes.items), noteForm),
      h("section", { class: "card", "data-section": "history" }, h("h2", {}, t("plan.history")), historyList(history.items)),
    );
    if (message) tell(status, message);
  }
  main.append(h("p", {}, h("a", { href: "#/plan" }, t("plan.back"))), status, body);
  await show();
}

function progressControl(item, status, refresh) {
  const id = `progress-${item.id}`;
  // named by aria-label, with its item: a screen reader in a table of many hears which item's
  // progress it is (a visually hidden <label> counts as hidden to axe-core 3.1)
  const name = `${t("plan.progress")}: ${item.title}`;
  const input = h("input", { id, type: "number", min: 0, max: 100, value: item.progress, class: "narrow", "aria-label": name });
  return h(
    "span",
    { class: "inline" },
    h("progress", { max: 100, value: item.progress }, `${item.progress}%`),
    input,
    actionButton("common.save", async () => {
      await patch(`/api/v1/plan/items/${item.id}`, { progress: Number(input.value) });
      await refresh();
      say(status, t("common.saved"));
    }, { status, name: "save-progress" }),
  );
}

export const INDICATOR_PAGES = [
  { path: "/indicators", title: "nav.indicators", roles: STAFF, menu: true, render: indicators },
  { path: "/plan", title: "nav.plan", roles: STAFF, menu: true, render: planLists },
  { path: "/plan/item", title: "plan.item", roles: STAFF, render: planItem },
];
