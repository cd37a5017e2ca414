// The administrator's back office (issue 26): accounts (an officer is created with its unit;
// accounts are disabled and enabled again), partners and the purposes granted to them (each
// purpose a set of event types with its legal basis, granted against an agreement) and the facts
// they may report as verified (数据共享核验, each granted against a data-sharing agreement), the audit
// trail of every service (or one), and the erasure requests people made, confirmed here.

import { get, patch, post, put, remove, units } from "./api.js";
import { queryEnum } from "./enumerations.js";
import { FACTS } from "./evidence.js";
import { label, pick, t } from "./i18n.js";
import { cardTable, confirmed, facts, pageStatus, paged, tell } from "./pageparts.js";
import { actionButton, dateTime, form, h, section, statusArea } from "./ui.js";
import { state } from "./youth.js";

const ADMIN = ["admin"];
// the roles an administrator creates, from the API's document (this copy only when it cannot
// be read)
const STAFF_ROLES = ["officer", "admin", "partner"];
const ACCOUNT_ROLES = ["youth", "employer", "officer", "admin", "partner"];
const SERVICES = ["gateway", "jobs", "housing", "startup", "events", "notify"];

function sectionOf(name, titleKey, ...children) {
  const element = section(titleKey, ...children);
  element.dataset.section = name;
  return element;
}

function unitName(unitList, code) {
  if (!code) return "";
  return pick(unitList[code]?.name) || code;
}

// -- accounts ------------------------------------------------------------------------------------

async function accounts(view, params) {
  const status = pageStatus();
  const [unitList, roles] = await Promise.all([units(), queryEnum("/api/v1/admin/accounts", "role", ACCOUNT_ROLES)]);
  const chosen = roles.includes(params.get("role")) ? params.get("role") : "";
  const unitOptions = [["", t("admin.no_unit")], ...Object.keys(unitList).map((code) => [code, unitName(unitList, code)])];
  const list = h("div", {});

  async function show(message) {
    const page = await get("/api/v1/admin/accounts", { role: chosen, limit: 50 });
    list.replaceChildren(
      paged(page, (items) =>
        cardTable(
          [
            ["auth.username", (a) => a.username ?? ""],
            ["admin.display_name", (a) => a.display_name ?? ""],
            ["admin.role", (a) => label("role", a.role)],
            ["admin.unit", (a) => unitName(unitList, a.unit)],
            ["common.state", (a) => state("account_status", a.status)],
            ["admin.created_at", (a) => dateTime(a.created_at)],
            [
              "common.actions",
              (a) => {
                if (a.status === "erased") return "";
                const path = `/api/v1/admin/accounts/${encodeURIComponent(a.id)}`;
                if (a.status === "active") {
                  return confirmed("admin.disable", "admin.disable_prompt", async () => {
                    await patchStatus(path, "disabled");
                    await show(t("admin.disabled", { name: a.username }));
                  }, { status, name: "disable", params: { name: a.username } });
                }
                return actionButton("admin.enable", async () => {
                  await patchStatus(path, "active");
                  await show(t("admin.enabled", { name: a.username }));
                }, { status, name: "enable" });
              },
            ],
          ],
          items,
          { empty: "admin.no_accounts" },
        ),
      ),
    );
    for (const row of list.querySelectorAll("tbody tr")) row.dataset.account = row.cells[0].textContent;
    if (message) tell(status, message);
  }

  const create = form({
    name: "new-account",
    fields: [
      { name: "role", label: "admin.role", type: "select", required: true, value: "officer", options: STAFF_ROLES.map((role) => [role, label("role", role)]) },
      { name: "unit", label: "admin.unit_for_officers", type: "select", options: unitOptions },
      { name: "username", label: "auth.username", required: true, autocomplete: "off" },
      { name: "password", label: "admin.initial_password", type: "password", required: true, autocomplete: "new-password" },
      { name: "display_name", label: "admin.display_name" },
      { name: "email", label: "profile.email", type: "email" },
    ],
    submit: "admin.create",
    action: (body) => post("/api/v1/admin/accounts", body),
    done: async (account) => {
      create.reset();
      await show(t("admin.created", { name: account.username, role: label("role", account.role) }));
    },
  });
  const filter = form({
    name: "account-filter",
    fields: [{ name: "role", label: "admin.role", type: "select", value: chosen, options: [["", t("common.any")], ...roles.map((role) => [role, label("role", role)])] }],
    submit: "common.search",
    action: async (body) => {
      location.hash = `#/admin/accounts?role=${body.role ?? ""}`;
    },
  });
  view.append(
    status,
    sectionOf("new-account", "admin.new_account", h("p", { class: "hint" }, t("admin.new_account_hint")), create),
    sectionOf("accounts", "admin.accounts", filter, list),
  );
  await show();
}

function patchStatus(path, status) {
  return patch(path, { status });
}

// -- partners and their purposes ---------------------------------------------------------------

async function partners(view, params) {
  const status = pageStatus();
  const [partnerPage, purposes] = await Promise.all([get("/api/v1/admin/accounts", { role: "partner", limit: 100 }), get("/api/v1/purposes")]);
  const chosen = params.get("id") ?? "";
  const picker = form({
    name: "partner-choice",
    fields: [
      {
        name: "id",
        label: "admin.partner",
        type: "select",
        value: chosen,
        options: [["", t("admin.choose_partner")], ...partnerPage.items.filter((a) => a.status === "active").map((a) => [a.id, a.display_name || a.username])],
      },
    ],
    submit: "admin.show_partner",
    action: async (body) => {
      location.hash = `#/admin/partners?id=${encodeURIComponent(body.id ?? "")}`;
    },
  });
  const body = h("div", {});
  view.append(h("p", { class: "hint" }, t("admin.partners_hint")), status, picker, body);
  if (!chosen) return;
  const partner = partnerPage.items.find((a) => a.id === chosen);

  async function show(message) {
    const [grantList, factGrants, lenders] = await Promise.all([
      get(`/api/v1/partners/${encodeURIComponent(chosen)}/purposes`),
      get(`/api/v1/partners/${encodeURIComponent(chosen)}/facts`),
      get("/api/v1/startup/lenders", { limit: 100 }),
    ]);
    const grants = grantList.items;
    const lender = lenders.items.find((l) => l.partner_account_id === chosen);
    const active = Object.fromEntries(grants.filter((g) => g.active).map((g) => [g.purpose, g]));
    body.replaceChildren(
      h(
        "section",
        { class: "card", "data-partner": chosen },
        h("h2", {}, partner?.display_name || partner?.username || chosen),
        facts([
          ["auth.username", partner?.username],
          ["admin.granted_purposes", Object.keys(active).length ? Object.values(active).map((g) => pick(g.title) || g.purpose).join(t("common.list_separator")) : t("admin.none_granted")],
        ]),
      ),
      lenderSection(chosen, partner, lender, show),
      factSection(chosen, factGrants.items, show, status),
      ...purposes.items.map((purpose) => purposeCard(purpose, active[purpose.name], show, status)),
    );
    if (message) tell(status, message);
  }
  await show();
}

// a bank that lends startup guaranteed loans (经办银行) signs in with its partner account: once
// registered as a lender, young people can choose it and it sees their applications
function lenderSection(partnerId, partner, lender, show) {
  const element = section(
    "admin.lender",
    lender
      ? h("p", { class: "notice ok", "data-lender": lender.id }, t("admin.lender_registered", { name: lender.name }))
      : form({
          name: "new-lender",
          fields: [{ name: "name", label: "admin.lender_name", required: true, value: partner?.display_name ?? "" }],
          submit: "admin.register_lender",
          action: (body) => post("/api/v1/startup/lenders", { name: body.name, partner_account_id: partnerId }),
          done: (created) => show(t("admin.lender_registered", { name: created.name })),
        }),
  );
  element.dataset.section = "lender";
  return element;
}

// the facts a partner system may report as verified (a social-insurance agency, the months of
// local social insurance): each granted against the data-sharing agreement it rests on
function factSection(partnerId, grants, show, status) {
  const byFact = Object.fromEntries(grants.map((grant) => [grant.fact, grant]));
  return sectionOf(
    "facts",
    "admin.facts",
    h("p", { class: "hint" }, t("admin.facts_hint")),
    ...FACTS.map((fact) => factCard(partnerId, fact, byFact[fact], show, status)),
  );
}

function factCard(partnerId, fact, grant, show, status) {
  const path = `/api/v1/partners/${encodeURIComponent(partnerId)}/facts/${encodeURIComponent(fact)}`;
  const name = label("fact", fact);
  const live = grant && !grant.revoked_at;
  return h(
    "article",
    { class: "card", "data-fact": fact, "data-granted": live ? "true" : "false" },
    h("h3", {}, name),
    facts([
      live ? ["admin.granted", t("admin.granted_value", { at: dateTime(grant.granted_at), reference: grant.reference ?? "" })] : null,
      grant?.revoked_at ? ["admin.revoked_at", dateTime(grant.revoked_at)] : null,
    ]),
    live
      ? confirmed(
          "admin.revoke",
          "admin.revoke_fact_prompt",
          async () => {
            await remove(path);
            await show(t("admin.revoked", { purpose: name }));
          },
          { status, name: "revoke-fact", params: { fact: name } },
        )
      : form({
          name: `grant-fact-${fact}`,
          fields: [{ name: "reference", label: "admin.fact_reference", required: true }],
          submit: "admin.grant",
          action: (body) => put(path, body),
          done: () => show(t("admin.granted_done", { purpose: name })),
        }),
  );
}

function purposeCard(purpose, grant, show, status) {
  const partnerId = new URLSearchParams(location.hash.split("?")[1]).get("id");
  const path = `/api/v1/partners/${encodeURIComponent(partnerId)}/purposes/${encodeURIComponent(purpose.name)}`;
  const title = pick(purpose.title) || purpose.name;
  return h(
    "article",
    { class: "card", "data-purpose": purpose.name, "data-granted": grant ? "true" : "false" },
    h("h3", {}, title),
    facts([
      ["admin.recipients", pick(purpose.recipients)],
      ["admin.legal_basis", pick(purpose.legal_basis)],
      ["admin.event_types", h("span", { class: "codes" }, (purpose.event_types ?? []).map((type) => label("event_type", type)).join(t("common.list_separator")))],
      grant ? ["admin.granted", t("admin.granted_value", { at: dateTime(grant.granted_at), reference: grant.reference })] : null,
    ]),
    grant
      ? confirmed(
          "admin.revoke",
          "admin.revoke_prompt",
          async () => {
            await remove(path);
            await show(t("admin.revoked", { purpose: title }));
          },
          { status, name: "revoke", params: { purpose: title } },
        )
      : form({
          name: `grant-${purpose.name}`,
          fields: [{ name: "reference", label: "admin.reference", required: true }],
          submit: "admin.grant",
          action: (body) => put(path, body),
          done: () => show(t("admin.granted_done", { purpose: title })),
        }),
  );
}

// -- the audit trail -----------------------------------------------------------------------------

// an entry's action by name: its own, or that of the event it reports (most actions are one)
function actionName(entry) {
  const own = label("audit_action", entry.action);
  return own !== entry.action ? own : label(`event_type.${entry.service}`, entry.action);
}

async function audit(view, params) {
  const services = await queryEnum("/api/v1/admin/audit", "service", SERVICES);
  const query = {};
  for (const name of ["service", "subject_id", "action", "actor_id"]) if (params.get(name)) query[name] = params.get(name);
  if (query.service && !services.includes(query.service)) delete query.service;
  const filter = form({
    name: "audit-filter",
    fields: [
      { name: "service", label: "admin.service", type: "select", value: query.service ?? "", options: [["", t("admin.all_services")], ...services.map((s) => [s, label("audit_service", s)])] },
      { name: "subject_id", label: "admin.subject_id", value: query.subject_id },
      { name: "action", label: "admin.action_code", value: query.action },
      { name: "actor_id", label: "admin.actor_id", value: query.actor_id },
    ],
    submit: "common.search",
    action: async (body) => {
      location.hash = `#/admin/audit?${new URLSearchParams(body)}`;
    },
  });
  const [unitList, page] = await Promise.all([units(), get("/api/v1/admin/audit", { ...query, limit: 30 })]);
  view.append(
    h("p", { class: "hint" }, t("admin.audit_hint")),
    filter,
    h(
      "div",
      { "data-table": "audit" },
      paged(page, (items) =>
        cardTable(
          [
            ["admin.at", (e) => dateTime(e.at)],
            ["admin.service", (e) => label("audit_service", e.service)],
            ["admin.action", (e) => h("span", { "data-action-code": e.action }, actionName(e))],
            ["admin.actor", (e) => [label("role", e.actor_role), unitName(unitList, e.actor_unit)].filter(Boolean).join(" · ") || t("admin.system")],
            ["admin.subject", (e) => h("span", { class: "codes" }, `${label("audit_subject", e.subject_type)} ${e.subject_id}`)],
            ["common.reason", (e) => e.reason ?? ""],
          ],
          items,
          { empty: "admin.no_entries" },
        ),
      ),
    ),
  );
}

// -- erasure requests ----------------------------------------------------------------------------

const ERASURE_STATES = ["requested", "confirmed", "completed", "cancelled"];

async function erasures(view, params) {
  const status = pageStatus();
  const chosen = ERASURE_STATES.includes(params.get("status")) ? params.get("status") : "";
  const list = h("div", {});
  async function show(message) {
    const page = await get("/api/v1/admin/erasures", { status: chosen, limit: 20 });
    list.replaceChildren(
      paged(page, (items) =>
        items.length
          ? h("div", {}, items.map((request) => erasureCard(request, show, status)))
          : h("p", { class: "empty" }, t("admin.no_erasures")),
      ),
    );
    if (message) tell(status, message);
  }
  view.append(
    h("p", { class: "hint" }, t("admin.erasures_hint")),
    status,
    form({
      name: "erasure-filter",
      fields: [{ name: "status", label: "common.state", type: "select", value: chosen, options: [["", t("common.any")], ...ERASURE_STATES.map((s) => [s, label("erasure_status", s)])] }],
      submit: "common.search",
      action: async (body) => {
        location.hash = `#/admin/erasures?status=${body.status ?? ""}`;
      },
    }),
    list,
  );
  await show();
}

function erasureCard(request, show, status) {
  const local = statusArea();
  return h(
    "article",
    { class: "card", "data-erasure": request.id, "data-status": request.status },
    h("h3", {}, t("admin.erasure_title", { at: dateTime(request.requested_at) })),
    state("erasure_status", request.status),
    facts([
      ["admin.person", h("span", { class: "codes" }, request.person_id)],
      ["admin.requested_at", dateTime(request.requested_at)],
      request.status === "requested" ? ["admin.confirm_after", t("admin.confirm_after_value", { at: dateTime(request.confirm_after) })] : null,
      request.confirmed_at ? ["admin.confirmed_at", dateTime(request.confirmed_at)] : null,
      request.completed_at ? ["admin.completed_at", dateTime(request.completed_at)] : null,
    ]),
    request.services?.length
      ? cardTable(
          [
            ["admin.service", (s) => label("audit_service", s.service)],
            ["common.state", (s) => label("erasure_status", s.status)],
            ["admin.records", (s) => (s.records ?? "") + ""],
          ],
          request.services,
        )
      : null,
    request.status === "requested"
      ? h(
          "div",
          { class: "actions" },
          confirmed(
            "admin.confirm_erasure",
            "admin.confirm_erasure_prompt",
            async () => {
              await post(`/api/v1/admin/erasures/${encodeURIComponent(request.id)}/confirm`);
              await show(t("admin.erasure_confirmed"));
            },
            { status: local, name: "confirm-erasure" },
          ),
        )
      : null,
    local,
  );
}

export const ADMIN_PAGES = [
  { path: "/admin/accounts", title: "nav.accounts", roles: ADMIN, menu: true, render: accounts },
  { path: "/admin/partners", title: "nav.partners", roles: ADMIN, menu: true, render: partners },
  { path: "/admin/audit", title: "nav.audit", roles: ADMIN, menu: true, render: audit },
  { path: "/admin/erasures", title: "nav.erasures", roles: ADMIN, menu: true, render: erasures },
];
