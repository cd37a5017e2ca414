// Housing draws anyone can check (摇号公示): public, no sign-in. The list of rounds, and one
// round's page (#/draws?id=…) with every input of its draw, the order, the checks the platform
// made, and how to re-run it with the published script. Entrants are application ids only.

import { get } from "./api.js";
import { label, t } from "./i18n.js";
import { dateTime, h, section, table } from "./ui.js";

const ANYONE = ["anonymous", "youth", "employer", "officer", "admin", "partner"];
const API = "/api/v1/housing/lotteries";
const SCRIPT = "/api/v1/housing/verify_draw.py";

function roundLink(round) {
  return h("a", { href: `#/draws?id=${encodeURIComponent(round.id)}` }, round.title || round.id);
}

async function list(view) {
  const answer = await get(API, { limit: 50 });
  view.append(
    h("p", { class: "lead" }, t("draws.intro")),
    table(
      [
        ["draws.round", roundLink],
        ["draws.kind", (r) => label("unit_kind", r.kind)],
        ["draws.state", (r) => label("draw_state", r.state)],
        ["draws.entrants", (r) => r.entrant_count ?? "—"],
        ["draws.public_value_at", (r) => dateTime(r.public_value_at)],
      ],
      answer.items,
      { empty: "draws.none" },
    ),
  );
}

// one input of the draw: its name, its value in a code element the tests and readers can copy
function input(name, value, note) {
  return h(
    "div",
    { class: "draw-input", "data-input": name },
    h("dt", {}, t(`draws.input_${name}`)),
    h(
      "dd",
      {},
      value === null || value === undefined ? h("span", { class: "muted" }, t(`draws.pending_${name}`)) : h("code", {}, String(value)),
      note ? h("p", { class: "muted" }, note) : null,
    ),
  );
}

function checks(round) {
  if (!round.checks) return h("p", { class: "muted", "data-checks": "pending" }, t("draws.checks_pending"));
  const rows = Object.entries(round.checks).filter(([, passed]) => passed !== null);
  return h(
    "ul",
    { class: "checks", "data-checks": round.reproduced ? "passed" : "failed" },
    rows.map(([name, passed]) =>
      h("li", { "data-check": name }, passed ? "✓ " : "✗ ", t(`draws.check_${name}`), " · ", t(passed ? "draws.ok" : "draws.mismatch")),
    ),
  );
}

function orderTable(round) {
  if (!round.order) return h("p", { class: "muted" }, t("draws.order_pending"));
  const groups = Object.fromEntries(round.entrants.map((e) => [e.application_id, e.group]));
  return table(
    [
      ["draws.position", (row) => String(row.position)],
      ["draws.application", (row) => h("code", {}, row.id)],
      ["draws.group", (row) => label("draw_group", groups[row.id])],
    ],
    round.order.map((id, index) => ({ id, position: index + 1 })),
    { caption: t("draws.order_caption") },
  );
}

function entrantList(round) {
  if (!round.entrants) return h("p", { class: "muted" }, t("draws.entrants_pending"));
  return h(
    "details",
    { "data-list": "entrants" },
    h("summary", {}, t("draws.entrant_list", { count: round.entrant_count })),
    h("pre", { class: "entrant-list" }, round.entrants.map((e) => `${e.application_id} ${e.group}\n`).join("")),
  );
}

function howToVerify(round) {
  const url = `${location.origin}${API}/${round.id}`;
  const steps = ["draws.verify_step_commitment", "draws.verify_step_list", "draws.verify_step_order"];
  return section(
    "draws.how_to_verify",
    h("p", {}, t("draws.verify_intro")),
    h("ol", {}, steps.map((key) => h("li", {}, t(key)))),
    h("pre", { "data-command": "verify" }, `python3 verify_draw.py ${url}`),
    h(
      "p",
      {},
      h("a", { href: SCRIPT, download: SCRIPT.split("/").pop(), "data-link": "script" }, t("draws.download_script")),
      " · ",
      h("a", { href: `${API}/${encodeURIComponent(round.id)}`, "data-link": "json" }, t("draws.public_json")),
    ),
  );
}

async function one(view, id) {
  const round = await get(`${API}/${encodeURIComponent(id)}`);
  view.querySelector("h1").textContent = round.title || t("draws.round");
  view.append(
    h(
      "p",
      { class: "lead", "data-state": round.state },
      label("unit_kind", round.kind),
      " · ",
      label("draw_state", round.state),
      " · ",
      h("a", { href: "#/draws" }, t("draws.all_rounds")),
    ),
    section(
      "draws.inputs",
      h(
        "dl",
        { class: "draw-inputs" },
        input("public_value_source", round.public_value_source, t("draws.public_value_at_note", { at: dateTime(round.public_value_at) })),
        input("entrants_hash", round.entrants_hash),
        input("commitment", round.commitment),
        input("seed", round.seed),
        input("public_value", round.public_value),
        input("algorithm", round.algorithm),
      ),
      entrantList(round),
    ),
    section("draws.checks", checks(round)),
    section("draws.order", orderTable(round)),
    howToVerify(round),
  );
}

async function draws(view, params) {
  const id = params?.get("id");
  if (id) await one(view, id);
  else await list(view);
}

export const DRAW_PAGES = [{ path: "/draws", title: "nav.draws", roles: ANYONE, menu: true, render: draws }];
