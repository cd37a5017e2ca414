// Employers: register the organisation, draft and submit posts, move applications along
// (viewed → interview → offer → hired) and claim the one-off hiring subsidy. Each post,
// application and claim has its own page (postdesk.js), where a post is changed or closed.

import { ApiError, get, patch, post } from "./api.js";
import { DEGREES, options } from "./auth.js";
import { label, t } from "./i18n.js";
import { actionButton, dateTime, field, form, h, say, section, statusArea, table, today } from "./ui.js";
import { itemLink } from "./pageparts.js";
import { state } from "./youth.js";

const EMPLOYER = ["employer"];
export const INDUSTRIES = [
  "culture_tourism",
  "hospitality",
  "retail_ecommerce",
  "agriculture",
  "manufacturing",
  "information_technology",
  "education",
  "health",
  "finance",
  "construction",
  "logistics",
  "public_service",
  "other",
];
// the next step an employer takes from each state (the jobs service's workflow)
const NEXT = { submitted: "viewed", viewed: "interview", interview: "offer", offer: "hired" };
const ACTIVE = ["submitted", "viewed", "interview", "offer"];
const OUTCOMES = ["completed", "retained", "left"];

function organisationFields(current = {}) {
  return [
    { name: "credit_code", label: "employer.credit_code", required: true, value: current.credit_code },
    {
      name: "industry",
      label: "employer.industry",
      type: "select",
      options: options("industry", INDUSTRIES),
      value: current.industry,
    },
    { name: "area", label: "employer.area", required: true, value: current.area },
    { name: "address", label: "employer.address", value: current.address },
    {
      name: "in_district",
      label: "employer.in_district",
      type: "checkbox",
      value: current.in_district ?? true,
    },
  ];
}

async function organisation(main) {
  let mine = null;
  try {
    mine = await get("/api/v1/employers/me");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
  }
  const reload = () => window.dispatchEvent(new HashChangeEvent("hashchange"));
  if (!mine) {
    main.append(
      section(
        "employer.register",
        form({
          name: "employer",
          fields: organisationFields(),
          submit: "employer.submit",
          action: (data) => post("/api/v1/employers", data),
          done: reload,
        }),
      ),
    );
    return;
  }
  main.append(
    section(
      "employer.mine",
      h(
        "dl",
        { class: "facts" },
        [
          ["employer.name", mine.name],
          ["employer.credit_code", mine.credit_code],
          ["employer.industry", label("industry", mine.industry)],
          ["employer.area", mine.area],
          ["common.state", state("state", mine.state)],
          ["common.reason", mine.rejection_reason ?? ""],
        ].flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)]),
      ),
    ),
  );
  if (mine.state === "rejected") {
    main.append(
      section(
        "employer.correct",
        form({
          name: "employer-update",
          fields: organisationFields(mine),
          submit: "employer.submit",
          action: (data) => patch("/api/v1/employers/me", data),
          done: reload,
        }),
      ),
    );
  }
}

function applicationRow(application, claimed, refresh, status) {
  const next = NEXT[application.state];
  const buttons = [];
  let contract = null;
  if (next === "hired") {
    contract = field({ name: "contract_with_social_insurance", label: "applications.contract", type: "checkbox", value: true });
    buttons.push(contract);
  }
  if (next) {
    buttons.push(
      actionButton(
        `applications.to_${next}`,
        async () => {
          const body = { status: next };
          if (contract) body.contract_with_social_insurance = contract.querySelector("input").checked;
          await post(`/api/v1/job-applications/${application.id}/status`, body);
          await refresh();
        },
        { status, kind: "primary", name: `to-${next}` },
      ),
    );
  }
  if (ACTIVE.includes(application.state)) {
    buttons.push(
      actionButton(
        "applications.reject",
        async () => {
          await post(`/api/v1/job-applications/${application.id}/status`, { status: "rejected" });
          await refresh();
        },
        { status, name: "reject" },
      ),
    );
  }
  if (application.state === "hired" && !claimed.has(application.id)) {
    buttons.push(
      actionButton(
        "subsidies.claim",
        async () => {
          const claim = await post("/api/v1/employment-subsidies", { application_id: application.id });
          await refresh();
          say(status, t("subsidies.claimed", { amount: claim.amount_cny }));
        },
        { status, name: "claim-subsidy" },
      ),
    );
  }
  return h("div", { class: "actions row", "data-application": application.id }, buttons);
}

// the applications the employer has already claimed the one-off hiring subsidy for
async function hiringClaims() {
  const claims = await get("/api/v1/employment-subsidies", { kind: "hiring", limit: 100 });
  return new Set(claims.items.map((c) => c.application_id));
}

function applicationsOf(postItem) {
  const box = h("div", { class: "applications" });
  const status = statusArea();
  const refresh = async () => {
    const page = await get(`/api/v1/posts/${postItem.id}/applications`, { limit: 100 });
    const claimed = page.items.some((a) => a.state === "hired") ? await hiringClaims() : new Set();
    box.replaceChildren(
      table(
        [
          [
            "applications.applicant",
            (a) => itemLink("/application", a.id, t("applications.facts", { age: a.applicant?.age ?? "", degree: label("degree", a.applicant?.degree) })),
          ],
          ["common.state", (a) => state("state", a.state)],
          ["common.updated", (a) => dateTime(a.updated_at)],
          ["common.actions", (a) => applicationRow(a, claimed, refresh, status)],
        ],
        page.items,
        { empty: "applications.none" },
      ),
      status,
    );
  };
  return { box, refresh };
}

async function posts(main) {
  const list = h("div");
  const show = async () => {
    const page = await get("/api/v1/me/posts", { limit: 50 });
    list.replaceChildren(
      ...(page.items.length ? [] : [h("p", { class: "empty" }, t("common.none"))]),
      ...page.items.map((item) => {
        const status = statusArea();
        const applications = applicationsOf(item);
        const actions = [];
        if (item.state === "draft" || item.state === "returned") {
          actions.push(
            actionButton("posts.submit", async () => {
              await post(`/api/v1/posts/${item.id}/submit`);
              await show();
            }, { status, kind: "primary", name: "submit-post" }),
          );
        }
        if (item.state !== "draft") {
          actions.push(actionButton("applications.show", applications.refresh, { status, name: "show-applications" }));
        }
        return h(
          "article",
          { class: "card post", "data-post": item.id },
          h("h3", {}, itemLink("/employer/post", item.id, item.title)),
          h(
            "p",
            { class: "meta" },
            label("kind", item.kind),
            " · ",
            state("state", item.state),
            " · ",
            t("posts.hired_of", { hired: item.hired_count ?? 0, positions: item.positions }),
          ),
          h("div", { class: "actions" }, actions),
          status,
          applications.box,
        );
      }),
    );
  };
  main.append(
    section("posts.mine", list),
    section(
      "posts.new",
      form({
        name: "new-post",
        fields: [
          {
            name: "kind",
            label: "posts.kind",
            type: "select",
            options: options("kind", ["job", "internship", "traineeship"]),
          },
          { name: "title", label: "posts.title", required: true },
          { name: "description", label: "posts.description", type: "textarea" },
          { name: "area", label: "posts.area", required: true },
          {
            name: "industry",
            label: "employer.industry",
            type: "select",
            options: options("industry", INDUSTRIES),
          },
          {
            name: "education",
            label: "posts.education",
            type: "select",
            options: options("degree", DEGREES),
          },
          { name: "salary_min", label: "posts.salary_min", type: "number", min: 0 },
          { name: "salary_max", label: "posts.salary_max", type: "number", min: 0 },
          { name: "positions", label: "posts.positions", type: "number", min: 1, value: 1 },
          { name: "traineeship_months", label: "posts.traineeship_months", type: "number", min: 1, max: 36 },
        ],
        submit: "posts.save_draft",
        action: (data) => post("/api/v1/posts", data),
        done: async (_, status) => {
          await show();
          say(status, t("posts.saved"));
        },
      }),
    ),
  );
  await show();
}

// a traineeship the employer hosts: end it (with its outcome), then claim its subsidy
function traineeshipActions(traineeship, claimed, status, reload) {
  if (traineeship.state === "active") {
    const outcome = field({
      name: "outcome",
      label: "traineeships.outcome",
      type: "select",
      options: options("traineeship_outcome", OUTCOMES),
    });
    return h(
      "div",
      { class: "actions row" },
      outcome,
      actionButton(
        "traineeships.end",
        async () => {
          const chosen = outcome.querySelector("select").value;
          await post(`/api/v1/traineeships/${traineeship.id}/end`, { outcome: chosen, ended_on: today() });
          await reload();
        },
        { status, name: "end-traineeship" },
      ),
    );
  }
  if (claimed.has(traineeship.id)) return "";
  return actionButton(
    "subsidies.claim_traineeship",
    async () => {
      const claim = await post("/api/v1/employment-subsidies", { traineeship_id: traineeship.id });
      await reload();
      say(status, t("subsidies.claimed", { amount: claim.amount_cny }));
    },
    { status, name: "claim-traineeship-subsidy" },
  );
}

async function subsidies(main) {
  const status = statusArea();
  const claims = h("div");
  const hosted = h("div");
  const reload = async () => {
    const [claimPage, traineeshipPage] = await Promise.all([
      get("/api/v1/employment-subsidies", { limit: 100 }),
      get("/api/v1/traineeships", { limit: 100 }),
    ]);
    const claimed = new Set(claimPage.items.map((c) => c.traineeship_id).filter(Boolean));
    claims.replaceChildren(
      table(
        [
          ["subsidies.kind", (c) => itemLink("/subsidy", c.id, label("subsidy_kind", c.kind))],
          ["subsidies.amount", (c) => c.amount_cny],
          ["common.state", (c) => state("state", c.state)],
          ["common.reason", (c) => c.reason ?? ""],
          ["subsidies.claimed_at", (c) => dateTime(c.claimed_at)],
        ],
        claimPage.items,
      ),
    );
    hosted.replaceChildren(
      table(
        [
          ["posts.title", (x) => x.post_title],
          ["traineeships.period", (x) => `${x.starts_on} – ${x.ended_on ?? x.planned_end_on}`],
          ["traineeships.subsidy", (x) => t("traineeships.subsidy_text", { monthly: x.monthly_subsidy_cny, months: x.subsidy_months })],
          ["common.state", (x) => state("state", x.state)],
          ["common.actions", (x) => traineeshipActions(x, claimed, status, reload)],
        ],
        traineeshipPage.items,
      ),
    );
  };
  main.append(
    status,
    section("subsidies.mine", h("p", { class: "hint" }, t("subsidies.hint")), claims),
    section("traineeships.hosted", hosted),
  );
  await reload();
}

export const EMPLOYER_PAGES = [
  { path: "/employer", title: "nav.organisation", roles: EMPLOYER, menu: true, render: organisation },
  { path: "/employer/posts", title: "nav.my_posts", roles: EMPLOYER, menu: true, render: posts },
  { path: "/employer/subsidies", title: "nav.subsidies", roles: EMPLOYER, menu: true, render: subsidies },
];

