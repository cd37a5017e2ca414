// District–university cooperation (区校合作, plan 一.3 and 一.5) for the responsible units'
// officers: 区委组织部 registers universities, publishes cooperation projects and works through
// their milestones (the queue: each active project with its open milestones, the next due first;
// a milestone may be added while it runs), records outcomes, closes a project as completed and
// organises roadshows at universities that employers join; 区人社局 lists the city-level job
// fairs young people register for. Other officers read the same lists.

import { get, post, session } from "./api.js";
import { options } from "./auth.js";
import { bodyEnum } from "./enumerations.js";
import { label, t } from "./i18n.js";
import { confirmed } from "./pageparts.js";
import { actionButton, dateTime, districtInstant, form, h, say, section, statusArea, table, today } from "./ui.js";

const STAFF = ["officer", "admin"];
// Employers see the open roadshows and join one (a verified employer, while places last).

// the units the jobs service's policy names (cooperation_unit, deciding_unit)
const COOPERATION_UNIT = "organisation";
const FAIR_UNIT = "hrss";
const KINDS = ["technology_transfer", "platform_building", "talent_exchange", "industry_education"];

function isOfficerOf(unit) {
  return session.account?.role === "officer" && session.account?.unit === unit;
}

function universityOptions(universities) {
  return universities.map((u) => [u.id, u.name]);
}

function milestoneRow(project, milestone, status, refresh) {
  if (milestone.done) return h("span", { class: "state state-done" }, t("cooperation.done"));
  if (!isOfficerOf(COOPERATION_UNIT) || project.state !== "active") return t("cooperation.open");
  return actionButton(
    "cooperation.mark_done",
    async () => {
      await post(`/api/v1/cooperation-projects/${project.id}/milestones/${milestone.id}/done`);
      await refresh();
      say(status, t("common.saved"));
    },
    { status, name: `done-${milestone.id}` },
  );
}

function projectCard(project, status, refresh) {
  const open = project.milestones.filter((m) => !m.done);
  const parts = [
    h("h3", {}, project.title),
    h("p", { class: "meta" }, label("cooperation_kind", project.kind), " · ", project.university_name, " · ", label("project_state", project.state)),
    h(
      "p",
      { class: "meta", "data-progress": `${project.milestones_done}/${project.milestone_count}` },
      t("cooperation.progress", { done: project.milestones_done, total: project.milestone_count, outcomes: project.outcome_count }),
    ),
    table(
      [
        ["cooperation.milestone", (m) => m.title],
        ["cooperation.due_on", (m) => (!m.done && m.due_on < today() ? h("span", { class: "state state-missed" }, `${m.due_on} ${t("cooperation.overdue")}`) : m.due_on)],
        ["cooperation.state", (m) => milestoneRow(project, m, status, refresh)],
      ],
      [...open, ...project.milestones.filter((m) => m.done)],
    ),
  ];
  if (project.outcomes.length) parts.push(h("ul", { class: "outcomes" }, project.outcomes.map((o) => h("li", {}, `${o.achieved_on} ${o.title}`))));
  if (isOfficerOf(COOPERATION_UNIT) && project.state === "active") {
    parts.push(
      form({
        name: `milestone-${project.id}`,
        fields: [
          { name: "title", label: "cooperation.milestone", required: true },
          { name: "due_on", label: "cooperation.due_on", type: "date", required: true },
        ],
        submit: "cooperation.add_milestone",
        action: (data) => post(`/api/v1/cooperation-projects/${project.id}/milestones`, data),
        done: async () => {
          await refresh();
          say(status, t("cooperation.milestone_added", { title: project.title }));
        },
      }),
      form({
        name: `outcome-${project.id}`,
        fields: [
          { name: "title", label: "cooperation.outcome", required: true },
          { name: "achieved_on", label: "cooperation.achieved_on", type: "date", required: true, value: today() },
        ],
        submit: "cooperation.record_outcome",
        action: (data) => post(`/api/v1/cooperation-projects/${project.id}/outcomes`, data),
        done: refresh,
      }),
      // closing it is final: its milestones and outcomes are then its record
      confirmed(
        "cooperation.complete",
        "cooperation.complete_prompt",
        async () => {
          await post(`/api/v1/cooperation-projects/${project.id}/complete`);
          await refresh();
          say(status, t("cooperation.completed", { title: project.title }));
        },
        { status, name: `complete-${project.id}`, params: { title: project.title, open: open.length } },
      ),
    );
  }
  return h("section", { class: "card project", "data-project": project.id }, ...parts);
}

async function projectsPart(status) {
  const list = h("div", { "aria-live": "polite" });
  const show = async () => {
    const page = await get("/api/v1/cooperation-projects", { state: "active", limit: 50 });
    const projects = await Promise.all(page.items.map((p) => get(`/api/v1/cooperation-projects/${p.id}`)));
    // the queue: the project whose next open milestone is due first comes first
    const next = (p) => p.milestones.filter((m) => !m.done).map((m) => m.due_on).sort()[0] ?? "9999-12-31";
    projects.sort((a, b) => next(a).localeCompare(next(b)));
    list.replaceChildren(...(projects.length ? projects.map((p) => projectCard(p, status, show)) : [h("p", { class: "empty" }, t("common.none"))]));
  };
  await show();
  return { list, show };
}

function publishForm(universities, refresh) {
  return form({
    name: "project",
    fields: [
      { name: "university_id", label: "cooperation.university", type: "select", options: universityOptions(universities) },
      { name: "kind", label: "cooperation.kind", type: "select", options: options("cooperation_kind", KINDS) },
      { name: "title", label: "cooperation.title", required: true },
      { name: "starts_on", label: "cooperation.starts_on", type: "date", required: true, value: today() },
      { name: "milestone_title", label: "cooperation.milestone", required: true },
      { name: "milestone_due_on", label: "cooperation.due_on", type: "date", required: true },
    ],
    submit: "cooperation.publish",
    action: (data) =>
      post("/api/v1/cooperation-projects", {
        university_id: data.university_id,
        kind: data.kind,
        title: data.title,
        starts_on: data.starts_on,
        milestones: [{ title: data.milestone_title, due_on: data.milestone_due_on }],
      }),
    done: async (_, formStatus) => {
      await refresh();
      say(formStatus, t("common.saved"));
    },
  });
}

async function roadshowsPart(universities) {
  const list = h("div", { "aria-live": "polite" });
  const show = async () => {
    const page = await get("/api/v1/roadshows", { limit: 50 });
    list.replaceChildren(
      table(
        [
          ["cooperation.roadshow", (r) => r.title],
          ["cooperation.university", (r) => r.university_name],
          ["cooperation.industry", (r) => label("industry", r.industry)],
          ["cooperation.starts_at", (r) => dateTime(r.starts_at)],
          ["cooperation.employers", (r) => h("span", { "data-roadshow": r.id }, `${r.employer_count}/${r.employer_capacity}`)],
        ],
        page.items,
      ),
    );
  };
  await show();
  const parts = [list];
  if (isOfficerOf(COOPERATION_UNIT) && universities.length) {
    const industries = await bodyEnum("post", "/api/v1/roadshows", ["industry"], ["culture_tourism"]);
    parts.push(
      form({
        name: "roadshow",
        fields: [
          { name: "university_id", label: "cooperation.university", type: "select", options: universityOptions(universities) },
          { name: "title", label: "cooperation.roadshow", required: true },
          { name: "industry", label: "cooperation.industry", type: "select", options: options("industry", industries) },
          { name: "venue", label: "cooperation.venue", required: true },
          { name: "starts_at", label: "cooperation.starts_at", type: "datetime-local", required: true },
          { name: "ends_at", label: "cooperation.ends_at", type: "datetime-local", required: true },
          { name: "employer_capacity", label: "cooperation.capacity", type: "number", min: 1, required: true, value: 10 },
        ],
        submit: "cooperation.organise",
        action: (data) => post("/api/v1/roadshows", { ...data, starts_at: districtInstant(data.starts_at), ends_at: districtInstant(data.ends_at) }),
        done: async (_, formStatus) => {
          await show();
          say(formStatus, t("common.saved"));
        },
      }),
    );
  }
  return section("cooperation.roadshows", ...parts);
}

async function cityFairsPart() {
  const list = h("div", { "aria-live": "polite" });
  const show = async () => {
    const page = await get("/api/v1/fairs", { level: "city", limit: 50 });
    list.replaceChildren(
      table(
        [
          ["cooperation.fair", (f) => f.title],
          ["cooperation.organiser", (f) => f.organiser],
          ["cooperation.starts_at", (f) => dateTime(f.starts_at)],
          ["cooperation.registrations", (f) => h("span", { "data-fair": f.id }, String(f.registration_count))],
        ],
        page.items,
      ),
    );
  };
  await show();
  const parts = [list];
  if (isOfficerOf(FAIR_UNIT)) {
    parts.push(
      form({
        name: "city-fair",
        fields: [
          { name: "title", label: "cooperation.fair", required: true },
          { name: "organiser", label: "cooperation.organiser", required: true },
          { name: "venue", label: "cooperation.venue", required: true },
          { name: "starts_at", label: "cooperation.starts_at", type: "datetime-local", required: true },
          { name: "ends_at", label: "cooperation.ends_at", type: "datetime-local", required: true },
        ],
        submit: "cooperation.list_fair",
        action: (data) =>
          post("/api/v1/city-fairs", { ...data, mode: "on_site", starts_at: districtInstant(data.starts_at), ends_at: districtInstant(data.ends_at) }),
        done: async (_, formStatus) => {
          await show();
          say(formStatus, t("common.saved"));
        },
      }),
    );
  }
  return section("cooperation.city_fairs", ...parts);
}

async function cooperation(main) {
  const status = statusArea();
  const universities = (await get("/api/v1/universities", { limit: 100 })).items;
  const universityPart = [
    table(
      [
        ["cooperation.university", (u) => u.name],
        ["cooperation.city", (u) => u.city],
      ],
      universities,
    ),
  ];
  if (isOfficerOf(COOPERATION_UNIT)) {
    universityPart.push(
      form({
        name: "university",
        fields: [
          { name: "name", label: "cooperation.university", required: true },
          { name: "city", label: "cooperation.city", required: true },
        ],
        submit: "cooperation.register",
        action: (data) => post("/api/v1/universities", data),
        // the university joins the lists and the forms' choices: the page is drawn again
        done: async () => {
          main.replaceChildren(main.firstChild);
          await cooperation(main);
        },
      }),
    );
  }
  const projects = await projectsPart(status);
  const projectPart = [status, projects.list];
  if (isOfficerOf(COOPERATION_UNIT) && universities.length) projectPart.unshift(publishForm(universities, projects.show));
  main.append(
    section("cooperation.projects", ...projectPart),
    await roadshowsPart(universities),
    await cityFairsPart(),
    section("cooperation.universities", ...universityPart),
  );
}

async function employerRoadshows(main) {
  const status = statusArea();
  const list = h("div", { "aria-live": "polite" });
  const show = async () => {
    const page = await get("/api/v1/roadshows", { limit: 50 });
    const joined = await Promise.all(page.items.map((r) => get(`/api/v1/roadshows/${r.id}`)));
    const mine = new Set(joined.filter((r) => r.employers.some((e) => e.employer_id === session.account?.id)).map((r) => r.id));
    list.replaceChildren(
      table(
        [
          ["cooperation.roadshow", (r) => r.title],
          ["cooperation.university", (r) => r.university_name],
          ["cooperation.industry", (r) => label("industry", r.industry)],
          ["cooperation.starts_at", (r) => dateTime(r.starts_at)],
          ["cooperation.venue", (r) => r.venue],
          ["cooperation.employers", (r) => h("span", { "data-roadshow": r.id }, `${r.employer_count}/${r.employer_capacity}`)],
          [
            "cooperation.state",
            (r) =>
              mine.has(r.id)
                ? h("span", { class: "state state-done" }, t("cooperation.joined"))
                : actionButton(
                    "cooperation.join",
                    async () => {
                      await post(`/api/v1/roadshows/${r.id}/employers`, {});
                      await show();
                      say(status, t("common.saved"));
                    },
                    { status, name: `join-${r.id}` },
                  ),
          ],
        ],
        page.items,
      ),
    );
  };
  main.append(h("p", { class: "lead" }, t("cooperation.roadshows_intro")), status, list);
  await show();
}

export const COOPERATION_PAGES = [
  { path: "/cooperation", title: "nav.cooperation", roles: STAFF, menu: true, render: cooperation },
  { path: "/roadshows", title: "nav.roadshows", roles: ["employer"], menu: true, render: employerRoadshows },
];
