// Evaluation (监测评估): the rates with their numerators and the baselines behind them, the
// quarterly report to download (XLSX, PDF), and the baseline import (CSV) for the Youth League's
// officers; and the open-data page anyone may read, signed in or not.

import { get, put, request } from "./api.js";
import { label, pick, t } from "./i18n.js";
import { actionButton, form, h, saveFile, say, section, statusArea, table, today } from "./ui.js";

const STAFF = ["officer", "admin"];
const ANYONE = ["anonymous", "youth", "employer", "officer", "admin", "partner"];

function thisQuarter() {
  const [year, month] = today().split("-").map(Number);
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

const shown = (value) => (value === null || value === undefined ? "—" : value);

function ratesTable(rates) {
  return table(
    [
      ["evaluation.rate", (r) => pick(r.label)],
      ["evaluation.numerator", (r) => shown(r.numerator.value)],
      ["evaluation.denominator", (r) => shown(r.denominator.value)],
      ["evaluation.percent", (r) => h("span", { "data-code": r.code }, r.percent === null ? "—" : `${r.percent}%`)],
    ],
    rates,
  );
}

// who the counts are, by area, sex, age band and education; a cell of fewer than the threshold
// is hidden by the gateway (and, when one alone would be, the next smallest too)
const DIMENSIONS = ["area", "sex", "age_band", "education"];

function cellName(dimension, key, areas) {
  if (key === "unknown") return t("breakdown.unknown");
  if (dimension === "area") return pick(areas.find((a) => a.code === key)?.name) || t("breakdown.other_area");
  if (dimension === "sex") return t(`breakdown.sex_${key}`);
  if (dimension === "education") return label("degree", key);
  return key;
}

function breakdownSection(indicators) {
  const codes = Object.keys(indicators.breakdowns ?? {});
  const labelOf = (code) =>
    indicators.tasks.flatMap((task) => task.indicators).find((i) => i.code === code)?.label;
  return section(
    "evaluation.breakdowns",
    h("p", { class: "meta" }, t("evaluation.breakdowns_hint")),
    ...codes.map((code) => {
      const answer = indicators.breakdowns[code];
      const title = pick(labelOf(code)) || t(`evaluation.breakdown_${code.replaceAll(".", "_")}`);
      return h(
        "div",
        { class: "card", "data-breakdown": code },
        h("h3", {}, `${title}: ${answer.total ?? t("evaluation.suppressed")}`),
        ...DIMENSIONS.map((dimension) =>
          table(
            [
              [`breakdown.${dimension}`, (cell) => cellName(dimension, cell.key, indicators.areas ?? [])],
              [
                "evaluation.people",
                (cell) =>
                  h(
                    "span",
                    { "data-cell": `${dimension}:${cell.key}` },
                    cell.suppressed ? t("evaluation.suppressed") : String(cell.count),
                  ),
              ],
            ],
            answer.dimensions[dimension] ?? [],
          ),
        ),
      );
    }),
  );
}

async function saveReport(extension, period, status) {
  const answer = await request("GET", `/api/v1/reports/quarterly.${extension}`, { query: { period }, raw: true });
  // the blob keeps the type the API answered with
  saveFile(`evaluation-${period}.${extension}`, await answer.blob());
  say(status, t("evaluation.downloaded"));
}

function reportSection() {
  const status = statusArea();
  const period = h("input", { id: "report-period", name: "period", value: thisQuarter(), pattern: "\\d{4}-Q[1-4]" });
  return section(
    "evaluation.report",
    h("p", { class: "meta" }, t("evaluation.report_hint")),
    h("label", { for: "report-period" }, t("evaluation.quarter")),
    period,
    h(
      "div",
      { class: "actions" },
      actionButton("evaluation.download_xlsx", () => saveReport("xlsx", period.value, status), { status, name: "report-xlsx" }),
      actionButton("evaluation.download_pdf", () => saveReport("pdf", period.value, status), { status, name: "report-pdf" }),
    ),
    status,
  );
}

function baselineSection(year, refresh) {
  const file = h("input", { id: "baseline-file", type: "file", accept: ".csv,text/csv" });
  return section(
    "evaluation.baselines",
    h("p", { class: "meta" }, t("evaluation.baselines_hint")),
    h("label", { for: "baseline-file" }, t("evaluation.baseline_file")),
    file,
    form({
      name: "baselines",
      fields: [{ name: "year", label: "evaluation.year", value: year, required: true }],
      submit: "evaluation.import",
      action: async (data) => {
        const text = file.files[0] ? await file.files[0].text() : "";
        return put(`/api/v1/plan/baselines/${data.year}`, { csv: text });
      },
      done: async (answer, status) => {
        await refresh(answer.year);
        say(status, t("evaluation.imported", { count: answer.imported }));
      },
    }),
  );
}

async function evaluationPage(main) {
  const year = today().slice(0, 4);
  const figures = h("div", { "aria-live": "polite" });
  const showBaselines = async (shownYear) => {
    const answer = await get(`/api/v1/plan/baselines/${shownYear}`);
    figures.replaceChildren(
      table(
        [
          ["evaluation.measure", ([measure]) => pick(answer.measures[measure]) || measure],
          ["evaluation.total", ([, total]) => h("span", { "data-measure": "total" }, total)],
        ],
        Object.entries(answer.totals),
        { caption: t("evaluation.baselines_of", { year: shownYear }) },
      ),
    );
  };
  const indicators = await get("/api/v1/indicators", { period: year });
  main.append(
    section("evaluation.rates", ratesTable(indicators.rates ?? [])),
    breakdownSection(indicators),
    reportSection(),
    baselineSection(year, showBaselines),
    figures,
  );
  await showBaselines(year);
}

async function openDataPage(main) {
  const answer = await get("/api/v1/open-data");
  main.append(
    h("p", { class: "meta" }, t("evaluation.open_data_hint", { period: answer.period.name, version: answer.plan_version })),
    table(
      [
        ["indicators.indicator", (i) => pick(i.label)],
        ["indicators.value", (i) => h("span", { class: "value", "data-code": i.code }, shown(i.value))],
        ["indicators.target", (i) => (i.target ? `${i.target.comparison === ">=" ? "≥" : "≤"} ${i.target.value}` : "")],
        ["evaluation.trajectory", (i) => (i.trajectory ? t(`evaluation.trajectory_${i.trajectory}`) : "")],
      ],
      answer.indicators,
    ),
    section("evaluation.rates", ratesTable(answer.rates)),
  );
}

export const EVALUATION_PAGES = [
  { path: "/evaluation", title: "nav.evaluation", roles: STAFF, menu: true, render: evaluationPage },
  { path: "/open-data", title: "nav.open_data", roles: ANYONE, menu: true, render: openDataPage },
];
