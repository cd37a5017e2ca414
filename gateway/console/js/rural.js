// Rural revitalisation (plan 三.3): the agriculture bureau publishes partnership projects of the
// rural partner plan, decides the applications and follows accepted partners up; the
// organisation department opens calls for village support teams (the young doers' plan),
// selects applicants and posts them to villages; young people and companies apply.

import { get, post, session } from "./api.js";
import { label, t } from "./i18n.js";
import { actionButton, dateTime, form, h, say, section, statusArea, table, today } from "./ui.js";

const STAFF = ["officer", "admin"];
const RURAL_UNIT = "agriculture";
const DOER_UNIT = "organisation";
const FORMS = ["capital", "technical_service", "company"];
const PROGRESS = ["on_track", "delayed", "completed", "ended"];
const BASE = "/api/v1/startup";

function actsFor(unit) {
  return session.account?.role === "admin" || session.account?.unit === unit;
}

function lines(text) {
  return (text ?? "").split("\n").map((line) => line.trim()).filter(Boolean);
}

function choices(group, values) {
  return values.map((value) => [value, label(group, value)]);
}

function stateTag(group, value) {
  return h("span", { class: `state state-${value}` }, label(group, value));
}

// a record's own page (startuprecords.js): its details, and closing or withdrawing it
function linkTo(page, id, text) {
  return h("a", { href: `#${page}?id=${encodeURIComponent(id)}`, "data-record": id }, text);
}

function listOf(items, render) {
  return items.length ? items.map(render) : [h("p", { class: "empty" }, t("common.none"))];
}

// -- the agriculture bureau: projects, the queue, follow-ups ------------------------------------

function decisionForm(name, path, options, refresh) {
  return form({
    name,
    fields: [
      { name: "decision", label: "rural.decision", type: "select", options },
      { name: "reason", label: "common.reason" },
    ],
    submit: "rural.decide",
    action: (data) => post(path, data),
    done: refresh,
  });
}

function partnerCard(application, projects, refresh, pageStatus) {
  const project = projects.get(application.project_id);
  const parts = [
    h("h3", {}, project?.title ?? application.project_id),
    h(
      "p",
      { class: "meta" },
      label("applicant_kind", application.applicant_kind),
      " · ",
      label("contribution", application.contribution_form),
      application.capital_cny ? ` · ${application.capital_cny}` : "",
      " · ",
      stateTag("partner_state", application.state),
    ),
    h("p", {}, application.contribution),
  ];
  const path = `${BASE}/partner-applications/${application.id}`;
  if (application.state === "applied") {
    parts.push(decisionForm(`decide-${application.id}`, `${path}/decision`, choices("partner_decision", ["accept", "decline"]), refresh));
  } else if (application.state === "accepted") {
    parts.push(
      form({
        name: `follow-up-${application.id}`,
        fields: [
          { name: "recorded_on", label: "rural.recorded_on", type: "date", required: true, value: today() },
          { name: "progress", label: "rural.progress", type: "select", options: choices("progress", PROGRESS) },
          { name: "invested_cny", label: "rural.invested" },
          { name: "jobs_created", label: "rural.jobs_created", type: "number", min: 0 },
          { name: "note", label: "rural.note", type: "textarea" },
        ],
        submit: "rural.follow_up",
        action: (data) => post(`${path}/follow-ups`, data),
        // the queue is drawn again, this form with it: the page's status says it was saved
        done: async () => {
          await refresh();
          say(pageStatus, t("common.saved"));
        },
      }),
    );
  }
  return h("section", { class: "card", "data-partner": application.id }, ...parts);
}

async function ruralProjects(main) {
  const status = statusArea();
  const projectList = h("div", { "aria-live": "polite" });
  const queue = h("div", { "aria-live": "polite" });
  const show = async () => {
    const projects = (await get(`${BASE}/rural-projects`, { limit: 100 })).items;
    projectList.replaceChildren(
      table(
        [
          ["rural.title", (p) => linkTo("/rural-project", p.id, p.title)],
          ["rural.village", (p) => p.village],
          ["rural.seeks", (p) => p.seeks.map((f) => label("contribution", f)).join(t("common.list_separator"))],
          ["rural.accepted", (p) => String(p.accepted_count)],
          ["common.state", (p) => label("call_state", p.state)],
        ],
        projects,
      ),
    );
    if (!actsFor(RURAL_UNIT)) return;
    const byId = new Map(projects.map((p) => [p.id, p]));
    const open = (await get(`${BASE}/partner-applications`, { state: "applied", limit: 100 })).items;
    const accepted = (await get(`${BASE}/partner-applications`, { state: "accepted", limit: 100 })).items;
    queue.replaceChildren(
      h("h2", {}, t("rural.queue")),
      ...listOf(open, (a) => partnerCard(a, byId, show, status)),
      h("h2", {}, t("rural.accepted_partners")),
      ...listOf(accepted, (a) => partnerCard(a, byId, show, status)),
    );
  };
  if (actsFor(RURAL_UNIT)) {
    main.append(
      section(
        "rural.publish",
        form({
          name: "rural-project",
          fields: [
            { name: "title", label: "rural.title", required: true },
            { name: "village", label: "rural.village", required: true },
            { name: "sector", label: "rural.sector", required: true },
            ...FORMS.map((f) => ({ name: `seeks_${f}`, label: `contribution.${f}`, type: "checkbox" })),
            { name: "needs", label: "rural.needs", type: "textarea" },
            { name: "closes_on", label: "rural.closes_on", type: "date" },
          ],
          submit: "rural.publish",
          action: (data) => {
            const body = { title: data.title, village: data.village, sector: data.sector, needs: data.needs ?? "" };
            body.seeks = FORMS.filter((f) => data[`seeks_${f}`]);
            if (data.closes_on) body.closes_on = data.closes_on;
            return post(`${BASE}/rural-projects`, body);
          },
          done: async (_, formStatus) => {
            await show();
            say(formStatus, t("common.saved"));
          },
        }),
      ),
    );
  } else {
    main.append(h("p", { class: "meta" }, t("rural.only_agriculture")));
  }
  main.append(section("rural.projects", projectList), status, queue);
  await show();
  if (actsFor(RURAL_UNIT) && session.account?.role === "officer") {
    const training = leadersTraining(status);
    main.append(training.element);
    await training.show();
  }
}

// -- the agriculture bureau's training of leaders of getting rich (致富带头人培训) ----------------

function leadersTraining(pageStatus) {
  const courses = h("div", { "aria-live": "polite" });
  const show = async () => {
    const listed = (await get(`${BASE}/courses`, { kind: "rural_leaders", limit: 100 })).items;
    const mine = new Map(listed.map((c) => [c.id, c]));
    const trainees = (await get(`${BASE}/enrolments`, { state: "enrolled", limit: 100 })).items.filter((e) => mine.has(e.course_id));
    courses.replaceChildren(
      table(
        [
          ["rural.title", (c) => linkTo("/course", c.id, c.title)],
          ["rural.starts_on", (c) => c.starts_on],
          ["rural.places_left", (c) => `${c.places_left}/${c.capacity}`],
        ],
        listed,
      ),
      h("h3", {}, t("rural.trainees")),
      table(
        [
          ["rural.course", (e) => mine.get(e.course_id)?.title ?? e.course_id],
          ["common.updated", (e) => dateTime(e.enrolled_at)],
          [
            "common.actions",
            (e) =>
              actionButton(
                "rural.complete",
                async () => {
                  await post(`${BASE}/enrolments/${e.id}/complete`);
                  await show();
                  say(pageStatus, t("common.saved"));
                },
                { status: pageStatus, name: `complete-${e.id}` },
              ),
          ],
        ],
        trainees,
      ),
    );
  };
  const element = section(
    "rural.courses",
    form({
      name: "rural-course",
      fields: [
        { name: "title", label: "rural.title", required: true },
        { name: "mode", label: "rural.course_mode", type: "select", options: choices("course_mode", ["onsite", "online"]) },
        { name: "venue", label: "rural.venue" },
        { name: "starts_on", label: "rural.starts_on", type: "date", required: true },
        { name: "ends_on", label: "rural.ends_on", type: "date", required: true },
        { name: "hours", label: "rural.hours", type: "number", min: 1, required: true },
        { name: "capacity", label: "rural.places", type: "number", min: 1, required: true },
      ],
      submit: "rural.new_course",
      action: (data) => post(`${BASE}/courses`, { ...data, kind: "rural_leaders" }),
      done: async (_, formStatus) => {
        await show();
        say(formStatus, t("common.saved"));
      },
    }),
    courses,
  );
  return { element, show };
}

// -- the organisation department: calls, selection, postings ------------------------------------

function doerCard(application, calls, refresh) {
  const call = calls.get(application.call_id);
  const path = `${BASE}/doer-applications/${application.id}`;
  const parts = [
    h("h3", {}, call?.title ?? application.call_id),
    h("p", { class: "meta" }, stateTag("doer_state", application.state), application.village ? ` · ${application.village}` : ""),
    h("p", {}, application.statement),
  ];
  if (application.state === "applied") {
    parts.push(decisionForm(`doer-decide-${application.id}`, `${path}/decision`, choices("doer_decision", ["select", "not_select"]), refresh));
  } else if (application.state === "selected") {
    parts.push(
      form({
        name: `posting-${application.id}`,
        fields: [
          { name: "village", label: "rural.village", type: "select", options: (call?.villages ?? []).map((v) => [v, v]) },
          { name: "posted_from", label: "rural.posted_from", type: "date", required: true },
          { name: "posted_until", label: "rural.posted_until", type: "date", required: true },
        ],
        submit: "rural.post",
        action: (data) => post(`${path}/posting`, data),
        done: refresh,
      }),
    );
  }
  return h("section", { class: "card", "data-doer": application.id }, ...parts);
}

async function doerCalls(main) {
  const callList = h("div", { "aria-live": "polite" });
  const queue = h("div", { "aria-live": "polite" });
  const show = async () => {
    const calls = (await get(`${BASE}/doer-calls`, { limit: 100 })).items;
    callList.replaceChildren(
      table(
        [
          ["rural.title", (c) => linkTo("/doer-call", c.id, c.title)],
          ["rural.villages", (c) => c.villages.join(t("common.list_separator"))],
          ["rural.places", (c) => `${c.selected_count}/${c.places}`],
          ["common.state", (c) => label("call_state", c.state)],
        ],
        calls,
      ),
    );
    if (!actsFor(DOER_UNIT)) return;
    const byId = new Map(calls.map((c) => [c.id, c]));
    const waiting = (await get(`${BASE}/doer-applications`, { state: "applied", limit: 100 })).items;
    const selected = (await get(`${BASE}/doer-applications`, { state: "selected", limit: 100 })).items;
    const posted = (await get(`${BASE}/doer-applications`, { state: "posted", limit: 100 })).items;
    queue.replaceChildren(
      h("h2", {}, t("rural.queue")),
      ...listOf([...waiting, ...selected], (a) => doerCard(a, byId, show)),
      h("h2", {}, t("rural.postings")),
      table(
        [
          ["rural.call", (a) => byId.get(a.call_id)?.title ?? a.call_id],
          ["rural.village", (a) => a.village],
          ["rural.posted_from", (a) => a.posted_from],
          ["rural.posted_until", (a) => a.posted_until],
        ],
        posted,
      ),
    );
  };
  if (actsFor(DOER_UNIT)) {
    main.append(
      section(
        "rural.open_call",
        form({
          name: "doer-call",
          fields: [
            { name: "title", label: "rural.title", required: true },
            { name: "villages", label: "rural.villages", type: "textarea", required: true },
            { name: "places", label: "rural.places", type: "number", min: 1, required: true },
            { name: "closes_on", label: "rural.closes_on", type: "date" },
            { name: "description", label: "rural.needs", type: "textarea" },
          ],
          submit: "rural.open_call",
          action: (data) => post(`${BASE}/doer-calls`, { ...data, villages: lines(data.villages) }),
          done: async (_, formStatus) => {
            await show();
            say(formStatus, t("common.saved"));
          },
        }),
      ),
    );
  } else {
    main.append(h("p", { class: "meta" }, t("rural.only_organisation")));
  }
  main.append(section("rural.calls", callList), queue);
  await show();
}

// -- young people and companies: apply ---------------------------------------------------------

function projectCard(project, refresh) {
  return h(
    "section",
    { class: "card", "data-project": project.id },
    h("h3", {}, linkTo("/rural-project", project.id, project.title)),
    h("p", { class: "meta" }, `${project.village} · ${project.sector}`),
    project.needs ? h("p", {}, project.needs) : null,
    form({
      name: `partner-${project.id}`,
      fields: [
        { name: "contribution_form", label: "rural.contribution_form", type: "select", options: choices("contribution", project.seeks) },
        { name: "contribution", label: "rural.contribution", type: "textarea", required: true },
        { name: "capital_cny", label: "rural.capital" },
      ],
      submit: "rural.apply",
      action: (data) => post(`${BASE}/rural-projects/${project.id}/applications`, data),
      done: async (_, status) => {
        await refresh();
        say(status, t("rural.applied"));
      },
    }),
  );
}

function callCard(call, refresh) {
  return h(
    "section",
    { class: "card", "data-call": call.id },
    h("h3", {}, linkTo("/doer-call", call.id, call.title)),
    h("p", { class: "meta" }, `${call.villages.join(t("common.list_separator"))} · ${t("rural.places")} ${call.places}`),
    form({
      name: `doer-${call.id}`,
      fields: [{ name: "statement", label: "rural.statement", type: "textarea", required: true }],
      submit: "rural.apply",
      action: (data) => post(`${BASE}/doer-calls/${call.id}/applications`, data),
      done: async (_, status) => {
        await refresh();
        say(status, t("rural.applied"));
      },
    }),
  );
}

async function ruralApply(main) {
  const youth = session.account?.role === "youth";
  const mine = h("div", { "aria-live": "polite" });
  const projects = h("div");
  const calls = h("div");
  const show = async () => {
    const partners = (await get(`${BASE}/partner-applications`, { limit: 100 })).items;
    const parts = [
      h("h2", {}, t("rural.my_applications")),
      table(
        [
          ["rural.contribution_form", (a) => linkTo("/partner-application", a.id, label("contribution", a.contribution_form))],
          ["common.state", (a) => stateTag("partner_state", a.state)],
          ["common.reason", (a) => a.decision_reason ?? ""],
          ["common.updated", (a) => dateTime(a.decided_at ?? a.applied_at)],
        ],
        partners,
      ),
    ];
    if (youth) {
      const doers = (await get(`${BASE}/doer-applications`, { limit: 100 })).items;
      parts.push(
        h("h2", {}, t("rural.my_postings")),
        table(
          [
            ["common.state", (a) => linkTo("/doer-application", a.id, stateTag("doer_state", a.state))],
            ["rural.village", (a) => a.village ?? ""],
            ["rural.posted_from", (a) => a.posted_from ?? ""],
            ["rural.posted_until", (a) => a.posted_until ?? ""],
            ["common.reason", (a) => a.decision_reason ?? ""],
          ],
          doers,
        ),
      );
    }
    mine.replaceChildren(...parts);
  };
  const open = (await get(`${BASE}/rural-projects`, { state: "open", limit: 50 })).items;
  projects.replaceChildren(...listOf(open, (p) => projectCard(p, show)));
  main.append(section("rural.projects", projects));
  if (youth) {
    const openCalls = (await get(`${BASE}/doer-calls`, { state: "open", limit: 50 })).items;
    calls.replaceChildren(...listOf(openCalls, (c) => callCard(c, show)));
    main.append(section("rural.calls", calls));
    const upcoming = (await get(`${BASE}/courses`, { kind: "rural_leaders", starts_from: today(), limit: 50 })).items;
    const status = statusArea();
    main.append(
      section(
        "rural.courses",
        status,
        table(
          [
            ["rural.title", (c) => linkTo("/course", c.id, c.title)],
            ["rural.starts_on", (c) => c.starts_on],
            ["rural.places_left", (c) => String(c.places_left)],
            [
              "common.actions",
              (c) =>
                actionButton(
                  "rural.enrol",
                  async () => {
                    await post(`${BASE}/courses/${c.id}/enrolments`);
                    say(status, t("rural.enrolled"));
                  },
                  { status, name: `enrol-${c.id}` },
                ),
            ],
          ],
          upcoming,
        ),
      ),
    );
  }
  main.append(mine);
  await show();
}

export const RURAL_PAGES = [
  { path: "/rural-projects", title: "nav.rural_projects", roles: STAFF, menu: true, render: ruralProjects },
  { path: "/doer-calls", title: "nav.doer_calls", roles: STAFF, menu: true, render: doerCalls },
  { path: "/rural", title: "nav.rural", roles: ["youth", "employer"], menu: true, render: ruralApply },
];
