// Joint meetings (联席会议) and surveys (获得感、幸福感、安全感): the convening unit records
// meetings and their action items, and corrects a meeting's record on its own page; each unit
// moves its own action items to done with a note;
// young people answer the open survey once, anonymously; officers read the results, which
// show nothing for cells of fewer than SMALL_CELL_K answers.

import { get, patch, post, session, units } from "./api.js";
import { label, pick, t } from "./i18n.js";
import { itemLink, mayMaintain } from "./indicators.js";
import { facts, pageStatus, tell } from "./pageparts.js";
import { actionButton, dateTime, form, h, say, section, statusArea, table, today } from "./ui.js";

const STAFF = ["officer", "admin"];
const CONVENING_UNIT = "youth_league";
const ACTION_STATUSES = ["planned", "in_progress", "done", "delayed"];
const ASPECTS = ["gain", "happiness", "security"];
const SCORES = ["1", "2", "3", "4", "5"];

function convenes() {
  return session.account?.role === "admin" || session.account?.unit === CONVENING_UNIT;
}

function lines(text) {
  return (text ?? "").split("\n").map((line) => line.trim()).filter(Boolean);
}

function trackControl(item, status, refresh) {
  if (!mayMaintain(item)) return label("plan_status", item.status);
  const select = h(
    "select",
    { id: `status-${item.id}`, "aria-label": t("plan.status") },
    ...ACTION_STATUSES.map((s) => h("option", { value: s, selected: s === item.status }, label("plan_status", s))),
  );
  const note = h("input", { id: `note-${item.id}`, "aria-label": t("meetings.note"), placeholder: t("meetings.note") });
  return h(
    "span",
    { class: "inline" },
    select,
    note,
    actionButton(
      "common.save",
      async () => {
        if (note.value.trim()) await post(`/api/v1/plan/items/${item.id}/notes`, { text: note.value.trim() });
        if (select.value !== item.status) await patch(`/api/v1/plan/items/${item.id}`, { status: select.value });
        await refresh();
        say(status, t("common.saved"));
      },
      { status, name: `save-action-${item.id}` },
    ),
  );
}

// the action items of a meeting, each leading to its page, each unit's tracked in place
function actionTable(meeting, unitName, status, refresh) {
  return table(
    [
      ["meetings.action", itemLink],
      ["plan.unit", (item) => unitName(item.unit)],
      ["plan.due", (item) => (item.overdue ? h("span", { class: "state state-missed" }, `${item.due_date} ${t("meetings.overdue")}`) : item.due_date)],
      ["plan.status", (item) => trackControl(item, status, refresh)],
    ],
    meeting.action_items,
  );
}

function meetingCard(meeting, unitName, status, refresh) {
  const progress = meeting.progress;
  const parts = [
    h("h2", {}, h("a", { href: `#/meeting?id=${encodeURIComponent(meeting.id)}`, "data-action": "open-meeting" }, `${meeting.held_on} ${meeting.title}`)),
    h("p", { class: "meta" }, t("meetings.units_attending", { units: meeting.units.map(unitName).join(t("common.list_separator")) })),
    h("p", { class: "meta", "data-progress": `${progress.done}/${progress.total}` }, t("meetings.progress", progress)),
  ];
  if (meeting.minutes) parts.push(h("p", { class: "minutes" }, meeting.minutes));
  if (meeting.decisions.length) parts.push(h("ol", { class: "decisions" }, meeting.decisions.map((d) => h("li", {}, d))));
  parts.push(actionTable(meeting, unitName, status, refresh));
  if (convenes()) {
    parts.push(
      form({
        name: `action-${meeting.id}`,
        fields: actionFields(),
        submit: "meetings.add_action",
        action: (data) => post(`/api/v1/plan/meetings/${meeting.id}/action-items`, data),
        done: refresh,
      }),
    );
  }
  return h("section", { class: "card meeting", "data-meeting": meeting.id }, ...parts);
}

let unitOptions = [];

function actionFields(prefix = "") {
  return [
    { name: `${prefix}title`, label: "meetings.action", required: !prefix },
    { name: `${prefix}unit`, label: "plan.unit", type: "select", options: unitOptions },
    { name: `${prefix}due_date`, label: "plan.due", type: "date", value: today() },
  ];
}

// the attending units, as one checkbox each (the convening unit always attends)
function attendingFieldset(unitList, attending) {
  return h(
    "fieldset",
    { class: "field units" },
    h("legend", {}, t("meetings.units")),
    ...unitList
      .filter((u) => u.code !== CONVENING_UNIT)
      .map((u) =>
        h(
          "div",
          { class: "field check" },
          h("input", { type: "checkbox", id: `attending-${u.code}`, name: `attending_${u.code}`, "data-type": "checkbox", checked: attending.includes(u.code) }),
          h("label", { for: `attending-${u.code}` }, pick(u.name)),
        ),
      ),
  );
}

// a meeting's record as the API takes it, from a form with the attending units' checkboxes
function recordOf(data) {
  const attending = Object.entries(data)
    .filter(([name, on]) => name.startsWith("attending_") && on)
    .map(([name]) => name.slice("attending_".length));
  return {
    held_on: data.held_on,
    title: data.title,
    units: attending.length ? attending : [CONVENING_UNIT],
    minutes: data.minutes ?? "",
    decisions: lines(data.decisions),
  };
}

async function meetings(main) {
  const unitList = Object.values(await units());
  unitOptions = unitList.map((u) => [u.code, pick(u.name)]);
  const unitName = (code) => pick(unitList.find((u) => u.code === code)?.name) || code;
  const status = statusArea();
  const list = h("div", { "aria-live": "polite" });
  const show = async () => {
    const page = await get("/api/v1/plan/meetings", { limit: 20 });
    list.replaceChildren(
      ...(page.items.length ? page.items.map((m) => meetingCard(m, unitName, status, show)) : [h("p", { class: "empty" }, t("common.none"))]),
    );
  };
  if (convenes()) {
    const record = form({
      name: "meeting",
      fields: [
        { name: "held_on", label: "meetings.held_on", type: "date", required: true, value: today() },
        { name: "title", label: "meetings.title", required: true },
        { name: "minutes", label: "meetings.minutes", type: "textarea" },
        { name: "decisions", label: "meetings.decisions", type: "textarea" },
        ...actionFields("first_"),
      ],
      submit: "meetings.record_submit",
      action: (data) => {
        const first = { title: data.first_title, unit: data.first_unit, due_date: data.first_due_date };
        return post("/api/v1/plan/meetings", { ...recordOf(data), action_items: first.title ? [first] : [] });
      },
      done: async (_, formStatus) => {
        await show();
        say(formStatus, t("common.saved"));
      },
    });
    record.children[1].after(attendingFieldset(unitList, []));
    main.append(section("meetings.record", record));
  }
  main.append(status, list);
  await show();
}

// one meeting: its record, its action items (each leading to its page), and for the convening
// unit a correction of the record (the fields changed are in the audit trail)
async function meeting(main, params) {
  const path = `/api/v1/plan/meetings/${encodeURIComponent(params.get("id") ?? "")}`;
  const unitList = Object.values(await units());
  unitOptions = unitList.map((u) => [u.code, pick(u.name)]);
  const unitName = (code) => pick(unitList.find((u) => u.code === code)?.name) || code;
  const status = pageStatus();
  const body = h("div", {});
  async function show(message) {
    const found = await get(path);
    const parts = [
      h(
        "section",
        { class: "card meeting", "data-meeting": found.id, "data-version": found.version },
        h("h2", {}, `${found.held_on} ${found.title}`),
        facts([
          ["meetings.units", found.units.map(unitName).join(t("common.list_separator"))],
          ["meetings.minutes", found.minutes],
          found.decisions.length ? ["meetings.decisions_made", h("ol", { class: "decisions" }, found.decisions.map((d) => h("li", {}, d)))] : null,
          ["meetings.action_progress", t("meetings.progress", found.progress)],
          found.updated_at && found.version > 1 ? ["meetings.corrected_at", dateTime(found.updated_at)] : null,
        ]),
        actionTable(found, unitName, status, show),
      ),
    ];
    if (convenes()) parts.push(correction(path, found, unitList, show));
    body.replaceChildren(...parts);
    if (message) tell(status, message);
  }
  main.append(h("p", {}, h("a", { href: "#/meetings" }, t("meetings.back"))), status, body);
  await show();
}

function correction(path, found, unitList, show) {
  const record = form({
    name: "meeting-correction",
    fields: [
      { name: "held_on", label: "meetings.held_on", type: "date", required: true, value: found.held_on },
      { name: "title", label: "meetings.title", required: true, value: found.title },
      { name: "minutes", label: "meetings.minutes", type: "textarea", value: found.minutes },
      { name: "decisions", label: "meetings.decisions", type: "textarea", value: found.decisions.join("\n") },
    ],
    submit: "meetings.correct_submit",
    action: (data) => patch(path, recordOf(data)),
    done: () => show(t("meetings.corrected")),
  });
  record.children[1].after(attendingFieldset(unitList, found.units));
  const element = section("meetings.correct", record);
  element.dataset.section = "correction";
  return element;
}

function scoreField(name, labelKey, optional) {
  const options = SCORES.map((s) => [s, t(`surveys.score_${s}`)]);
  return { name, label: labelKey, type: "select", options: optional ? [["", t("surveys.not_used")], ...options] : options, value: optional ? "" : "3" };
}

async function mySurveys(main) {
  const list = h("div", { "aria-live": "polite" });
  const show = async () => {
    const open = (await get("/api/v1/me/surveys")).items;
    list.replaceChildren(
      ...(open.length
        ? open.map((survey) =>
            section(
              "surveys.open",
              h("h3", {}, survey.title),
              h("p", { class: "meta" }, t("surveys.anonymous")),
              survey.answered
                ? h("p", { class: "notice ok", "data-answered": survey.id }, t("surveys.answered"))
                : form({
                    name: `survey-${survey.id}`,
                    fields: [
                      ...ASPECTS.map((a) => scoreField(a, `surveys.aspect_${a}`, false)),
                      ...survey.programmes.map((_, i) => scoreField(`programme_${i}`, "surveys.satisfaction", true)),
                    ],
                    submit: "surveys.submit",
                    action: (data) => {
                      const body = Object.fromEntries(ASPECTS.map((a) => [a, Number(data[a])]));
                      body.satisfaction = Object.fromEntries(
                        survey.programmes.map((p, i) => [p.code, Number(data[`programme_${i}`])]).filter(([, v]) => v),
                      );
                      return post(`/api/v1/me/surveys/${survey.id}/answers`, body);
                    },
                    done: show,
                  }),
            ),
          )
        : [h("p", { class: "empty" }, t("surveys.none_open"))]),
    );
    // each programme's question names the programme
    for (const survey of open) {
      survey.programmes.forEach((p, i) => {
        const control = list.querySelector(`form[data-form="survey-${survey.id}"] [name="programme_${i}"]`);
        const text = control && list.querySelector(`label[for="${control.id}"]`);
        if (text) text.textContent = t("surveys.satisfaction_with", { programme: `${p.code} ${pick(p.title)}` });
      });
    }
  };
  main.append(list);
  await show();
}

function mean(value) {
  return value === null || value === undefined ? "—" : value.toFixed(2);
}

function shownCount(cell) {
  return cell.suppressed && cell.answers === null ? t("surveys.suppressed") : String(cell.answers);
}

async function surveyResults(main) {
  const results = h("div", { "aria-live": "polite" });
  const show = async (query) => {
    const answer = await get("/api/v1/plan/surveys/results", query);
    const parts = [
      h("p", { class: "meta" }, t("surveys.results_of", { period: answer.period.name, k: answer.threshold })),
      h("p", { class: "meta", "data-answers": answer.answers ?? "" }, t("surveys.answers", { count: shownCount(answer) })),
      table(
        [
          ["surveys.aspect", (a) => t(`surveys.aspect_${a}`)],
          ["surveys.mean", (a) => h("span", { "data-aspect": a }, mean(answer.aspects[a]))],
        ],
        ASPECTS,
      ),
      table(
        [
          ["surveys.area", (c) => (c.key === "other" ? t("surveys.other_area") : pick(answer.areas.find((a) => a.code === c.key)?.name) || c.key)],
          ["surveys.count", shownCount],
          ...ASPECTS.map((a) => [`surveys.aspect_${a}`, (c) => mean(c.aspects[a])]),
        ],
        answer.by_area,
      ),
      table(
        [
          ["surveys.age_band", (c) => label("age_band", c.key)],
          ["surveys.count", shownCount],
          ...ASPECTS.map((a) => [`surveys.aspect_${a}`, (c) => mean(c.aspects[a])]),
        ],
        answer.by_age_band,
      ),
      table(
        [
          ["surveys.programme", (p) => p.code],
          ["surveys.count", shownCount],
          ["surveys.mean", (p) => mean(p.satisfaction)],
        ],
        answer.programmes,
      ),
    ];
    results.replaceChildren(...parts);
  };
  if (convenes()) {
    main.append(
      section(
        "surveys.set",
        form({
          name: "survey",
          fields: [
            { name: "period", label: "indicators.period_field", required: true },
            { name: "title", label: "meetings.title", required: true },
          ],
          submit: "surveys.set_submit",
          action: (data) => post("/api/v1/plan/surveys", data),
          done: async (_, formStatus) => {
            await showSurveys();
            say(formStatus, t("common.saved"));
          },
        }),
      ),
    );
  }
  const periodForm = form({
    name: "survey-period",
    fields: [{ name: "period", label: "indicators.period_field", value: today().slice(0, 4) }],
    submit: "indicators.show",
    action: show,
  });
  // the surveys set, each period's results one click away
  const surveys = h("div", { "data-list": "surveys" });
  const showSurveys = async () => {
    const answer = await get("/api/v1/plan/surveys");
    surveys.replaceChildren(
      table(
        [
          ["surveys.period", (s) => s.period],
          ["meetings.title", (s) => s.title],
          ["surveys.open_days", (s) => t("surveys.open_from_to", { from: s.opens_on, to: s.closes_on })],
          ["surveys.programmes", (s) => s.programmes.map((p) => p.code).join(t("common.list_separator"))],
          [
            "common.actions",
            // the period's results through the period form, which shows what it refuses
            (s) =>
              h(
                "button",
                {
                  type: "button",
                  class: "secondary",
                  "data-action": `survey-results-${s.period}`,
                  onclick: () => {
                    periodForm.elements.period.value = s.period;
                    periodForm.requestSubmit();
                  },
                },
                t("surveys.show_results"),
              ),
          ],
        ],
        answer.items,
        { empty: "surveys.none_set" },
      ),
    );
  };
  main.append(section("surveys.list", surveys), periodForm, results);
  await Promise.all([showSurveys(), show({})]);
}

export const MEETING_PAGES = [
  { path: "/meetings", title: "nav.meetings", roles: STAFF, menu: true, render: meetings },
  { path: "/meeting", title: "meetings.one", roles: STAFF, render: meeting },
  { path: "/survey-results", title: "nav.survey_results", roles: STAFF, menu: true, render: surveyResults },
  { path: "/surveys", title: "nav.surveys", roles: ["youth"], menu: true, render: mySurveys },
];
