// The policy catalogue (政策目录, public, no sign-in) and a young person's benefits (政策找人):
// for every programme, eligible / not eligible / a fact missing, each rule with its reason and
// whether each fact it used is verified or declared. The rules and their texts are the
// services' own (GET /api/v1/policies, GET /api/v1/me/benefits): nothing is decided here.

import { get, units } from "./api.js";
import { label, pick, t } from "./i18n.js";
import { h, section } from "./ui.js";

const ANYONE = ["anonymous", "youth", "employer", "officer", "admin", "partner"];
const RULE_MARK = { passed: "✓", failed: "✗", declaration: "✎" };

function programmeLink(programme) {
  return h("a", { href: `#/policies?key=${encodeURIComponent(programme.key)}` }, pick(programme.name));
}

function automaticBadge(programme) {
  return programme.automatic ? h("span", { class: "badge", "data-automatic": "true" }, t("benefits.automatic")) : null;
}

function degradedNote(degraded) {
  if (!degraded?.length) return null;
  return h("p", { class: "muted", "data-degraded": "true" }, t("benefits.degraded", { services: degraded.map((d) => d.service).join(", ") }));
}

// the unit's name in the page's language (its code until the list arrives, or if unknown)
function unitName(programme, unitList) {
  const unit = unitList[programme.unit];
  return unit ? pick(unit.name) : programme.unit;
}

function programmeCard(programme, unitList) {
  return h(
    "section",
    { class: "card", "data-programme": programme.key },
    h("h2", {}, programmeLink(programme), " ", automaticBadge(programme)),
    h(
      "dl",
      {},
      h("dt", {}, t("benefits.unit")),
      h("dd", { "data-unit": programme.unit }, unitName(programme, unitList)),
      h("dt", {}, t("benefits.legal_source")),
      h("dd", {}, pick(programme.legal_source)),
      h("dt", {}, t("benefits.amount")),
      h("dd", { "data-amount": "" }, pick(programme.amount)),
      h("dt", {}, t("benefits.conditions")),
      h("dd", {}, h("ul", { "data-conditions": "" }, programme.conditions.map((c) => h("li", {}, pick(c))))),
    ),
    programme.automatic && programme.why_automatic ? h("p", { class: "muted" }, pick(programme.why_automatic)) : null,
  );
}

async function policies(view, params) {
  const key = params?.get("key");
  if (key) {
    const programme = await get(`/api/v1/policies/${encodeURIComponent(key)}`);
    view.querySelector("h1").textContent = pick(programme.name);
    view.append(
      programmeCard(programme, await units()),
      h("p", {}, h("a", { href: "#/policies" }, t("benefits.all_programmes"))),
    );
    return;
  }
  const [answer, unitList] = await Promise.all([get("/api/v1/policies"), units()]);
  view.append(
    ...[
      h("p", { class: "lead" }, t("benefits.policies_intro")),
      degradedNote(answer.degraded),
      ...answer.items.map((programme) => programmeCard(programme, unitList)),
    ].filter(Boolean),
  );
}

function factState(fact) {
  return h("li", { "data-fact": fact.fact, "data-state": fact.state }, label("fact", fact.fact), " · ", t(`benefits.fact_state_${fact.state}`));
}

function ruleItem(rule) {
  return h(
    "li",
    { "data-rule": rule.rule, "data-state": rule.state },
    `${RULE_MARK[rule.state] ?? ""} `,
    pick(rule.reason),
    rule.facts.length ? h("ul", { class: "facts" }, rule.facts.map(factState)) : null,
  );
}

function benefitCard(programme) {
  return h(
    "section",
    { class: "card", "data-benefit": programme.key, "data-verdict": programme.verdict },
    h("h2", {}, programmeLink(programme), " ", automaticBadge(programme)),
    h("p", { class: `verdict verdict-${programme.verdict}` }, t(`benefits.verdict_${programme.verdict}`), " · ", pick(programme.amount)),
    h("ul", { class: "rules" }, programme.rules.map(ruleItem)),
    programme.verdict === "eligible" && !programme.automatic && programme.apply_at
      ? h("p", { class: "muted" }, t("benefits.apply_hint"))
      : null,
  );
}

const VERDICT_ORDER = { eligible: 0, fact_missing: 1, not_eligible: 2 };

async function myBenefits(view) {
  const answer = await get("/api/v1/me/benefits");
  const programmes = [...answer.programmes].sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict]);
  const eligible = programmes.filter((p) => p.verdict === "eligible").length;
  const parts = [
    h("p", { class: "lead", "data-eligible-count": String(eligible) }, t("benefits.summary", { eligible, total: programmes.length })),
    degradedNote(answer.degraded),
    section(
      "benefits.my_facts",
      h("ul", { class: "facts" }, Object.entries(answer.facts).map(([fact, state]) => factState({ fact, state }))),
      h("p", {}, h("a", { href: "#/profile" }, t("benefits.edit_profile"))),
    ),
    ...programmes.map(benefitCard),
  ];
  view.append(...parts.filter(Boolean));
}

export const BENEFIT_PAGES = [
  { path: "/policies", title: "nav.policies", roles: ANYONE, menu: true, render: policies },
  { path: "/benefits", title: "nav.benefits", roles: ["youth"], menu: true, render: myBenefits },
];
