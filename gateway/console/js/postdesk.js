// The jobs side's single items (issue 26), each on its own page with its facts first: an
// employer's post (a draft is changed; a post is closed, or marked filled once published, each
// after a second question; every step of its history, by whom and why), one job application
// with its history (the applicant's, or one to the employer's posts), and one subsidy claim.

import { get, patch, post, session } from "./api.js";
import { DEGREES, options } from "./auth.js";
import { INDUSTRIES } from "./employer.js";
import { label, t } from "./i18n.js";
import { cardTable, confirmed, facts, itemLink, itemPage } from "./pageparts.js";
import { salary } from "./portal.js";
import { dateTime, form, h, section } from "./ui.js";
import { state } from "./youth.js";

const POSTS = "/api/v1/posts";
const CLOSABLE = ["draft", "pending_review", "published"];

// -- an employer's post ---------------------------------------------------------------------------

function postFacts(item) {
  return facts([
    ["common.state", state("state", item.state)],
    ["posts.kind", label("kind", item.kind)],
    ["posts.area", item.area],
    ["employer.industry", label("industry", item.industry)],
    ["posts.education", label("degree", item.education)],
    ["postdesk.salary", salary(item)],
    ["postdesk.positions", t("posts.hired_of", { hired: item.hired_count ?? 0, positions: item.positions })],
    item.traineeship_months ? ["posts.traineeship_months", String(item.traineeship_months)] : null,
    ["postdesk.created_at", dateTime(item.created_at)],
    item.published_at ? ["postdesk.published_at", dateTime(item.published_at)] : null,
    item.closed_at ? ["postdesk.closed_at", dateTime(item.closed_at)] : null,
  ]);
}

// only a draft (a returned post is one again) changes: what reviewers approved is what
// applicants see
function editForm(path, item, refresh) {
  return section(
    "postdesk.edit",
    form({
      name: "edit-post",
      fields: [
        { name: "title", label: "posts.title", required: true, value: item.title },
        { name: "description", label: "posts.description", type: "textarea", value: item.description },
        { name: "area", label: "posts.area", required: true, value: item.area },
        { name: "industry", label: "employer.industry", type: "select", options: options("industry", INDUSTRIES), value: item.industry },
        { name: "education", label: "posts.education", type: "select", options: options("degree", DEGREES), value: item.education },
        { name: "salary_min", label: "posts.salary_min", type: "number", min: 0, value: item.salary_min },
        { name: "salary_max", label: "posts.salary_max", type: "number", min: 0, value: item.salary_max },
        { name: "positions", label: "posts.positions", type: "number", min: 1, value: item.positions },
        item.kind === "traineeship" ? { name: "traineeship_months", label: "posts.traineeship_months", type: "number", min: 1, max: 36, value: item.traineeship_months } : null,
      ].filter(Boolean),
      submit: "postdesk.save_changes",
      action: (changes) => patch(path, changes),
      done: () => refresh(t("postdesk.changed")),
    }),
  );
}

function postSteps(path, item, status, refresh) {
  const steps = [];
  if (item.state === "published") {
    steps.push(
      confirmed(
        "postdesk.fill",
        "postdesk.fill_prompt",
        async () => {
          await post(`${path}/fill`);
          await refresh(t("postdesk.filled"));
        },
        { status, name: "fill-post", params: { title: item.title } },
      ),
    );
  }
  if (CLOSABLE.includes(item.state)) {
    steps.push(
      confirmed(
        "postdesk.close",
        "postdesk.close_prompt",
        async (reason) => {
          await post(`${path}/close`, reason ? { reason } : {});
          await refresh(t("postdesk.closed"));
        },
        { status, name: "close-post", params: { title: item.title }, reason: { label: "postdesk.close_reason" } },
      ),
    );
  }
  return steps.length ? section("postdesk.steps", h("div", { class: "actions" }, steps)) : null;
}

async function postHistory(path) {
  const history = await get(`${path}/history`);
  return section(
    "postdesk.history",
    cardTable(
      [
        ["postdesk.at", (step) => dateTime(step.at)],
        ["postdesk.step", (step) => label("post_step", step.action)],
        ["postdesk.by", (step) => label("role", step.actor_role)],
        ["common.state", (step) => state("state", step.to_state)],
        ["common.reason", (step) => step.reason ?? ""],
      ],
      history.items,
    ),
  );
}

function postPage(view, params) {
  const path = `${POSTS}/${encodeURIComponent(params.get("id"))}`;
  return itemPage(view, {
    back: "/employer/posts",
    backKey: "postdesk.all_posts",
    load: () => get(path),
    draw: async (item, status, refresh) => [
      h("section", { class: "card", "data-post": item.id, "data-state": item.state }, h("h2", {}, item.title), postFacts(item), item.description ? h("p", { class: "prose" }, item.description) : null),
      postSteps(path, item, status, refresh),
      item.state === "draft" ? editForm(path, item, refresh) : null,
      await postHistory(path),
    ],
  });
}

// -- one job application --------------------------------------------------------------------------

function applicantFacts(applicant) {
  if (!applicant) return null;
  return ["applications.applicant", t("applications.facts", { age: applicant.age ?? "", degree: label("degree", applicant.degree) })];
}

function applicationPage(view, params) {
  const role = session.account?.role;
  return itemPage(view, {
    back: { youth: "/posts", employer: "/employer/posts" }[role],
    backKey: "postdesk.back_to_applications",
    load: () => get(`/api/v1/job-applications/${encodeURIComponent(params.get("id"))}`),
    draw: async (application) => [
      h(
        "section",
        { class: "card", "data-application": application.id, "data-state": application.state },
        h("h2", {}, role === "employer" ? itemLink("/employer/post", application.post_id, application.post_title) : application.post_title),
        facts([
          ["common.state", state("state", application.state)],
          ["posts.kind", label("kind", application.post_kind)],
          role === "youth" ? null : applicantFacts(application.applicant),
          ["postdesk.submitted_at", dateTime(application.submitted_at)],
          ["common.updated", dateTime(application.updated_at)],
          application.hired_at ? ["postdesk.hired_at", dateTime(application.hired_at)] : null,
          application.hired_at ? ["applications.contract", t(application.contract_with_social_insurance ? "postdesk.yes" : "postdesk.no")] : null,
        ]),
        application.cover_letter ? h("p", { class: "prose" }, application.cover_letter) : null,
      ),
      section(
        "postdesk.history",
        cardTable(
          [
            ["postdesk.at", (step) => dateTime(step.at)],
            ["common.state", (step) => state("state", step.to_state)],
            ["postdesk.by", (step) => label("role", step.actor_role)],
            ["postdesk.note", (step) => step.note ?? ""],
          ],
          application.history ?? [],
        ),
      ),
    ],
  });
}

// -- one subsidy claim ----------------------------------------------------------------------------

function subsidyPage(view, params) {
  const employer = session.account?.role === "employer";
  return itemPage(view, {
    back: employer ? "/employer/subsidies" : "/review",
    backKey: employer ? "postdesk.all_claims" : "postdesk.back_to_review",
    load: () => get(`/api/v1/employment-subsidies/${encodeURIComponent(params.get("id"))}`),
    draw: async (claim) => [
      h(
        "section",
        { class: "card", "data-claim": claim.id, "data-state": claim.state },
        facts([
          ["subsidies.kind", label("subsidy_kind", claim.kind)],
          ["subsidies.amount", t("money.cny", { amount: claim.amount_cny })],
          ["common.state", state("state", claim.state)],
          claim.reason ? ["common.reason", claim.reason] : null,
          ["subsidies.claimed_at", dateTime(claim.claimed_at)],
          claim.decided_at ? ["postdesk.decided_at", dateTime(claim.decided_at)] : null,
          claim.application_id ? ["postdesk.application", itemLink("/application", claim.application_id, t("postdesk.see_application"))] : null,
        ]),
      ),
    ],
  });
}

export const POST_DESK_PAGES = [
  { path: "/employer/post", title: "postdesk.post", roles: ["employer"], render: postPage },
  { path: "/application", title: "postdesk.application_title", roles: ["youth", "employer", "officer"], render: applicationPage },
  { path: "/subsidy", title: "postdesk.claim", roles: ["employer", "officer"], render: subsidyPage },
];
