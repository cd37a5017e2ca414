// A partner's event subscriptions (webhooks, issue 26): the purposes an administrator granted it
// decide which event types it may choose; the signing secret is shown once, when a subscription
// is made or its secret rotated; each subscription shows its deliveries, each sent again on
// request, and is enabled again, or deleted after a second question. A subscription's own page
// changes its endpoint, description or event types and sends a time range's events again. An
// administrator follows every partner's subscriptions the same way.

import { get, patch, post, remove, session } from "./api.js";
import { label, pick, t } from "./i18n.js";
import { cardTable, confirmed, facts, pageStatus, paged, tell } from "./pageparts.js";
import { actionButton, dateTime, districtInstant, form, h, section, statusArea } from "./ui.js";
import { state } from "./youth.js";

const HOOKS = "/api/v1/webhooks";
// the CloudEvents types are the purposes' event types under the platform's first word
const SOURCE = "youthcity.";

// an event type by its name (the purposes name their types without the platform's word)
const eventName = (type) => label("event_type", type.startsWith(SOURCE) ? type.slice(SOURCE.length) : type);

function secretNotice(secret, key) {
  return h(
    "div",
    { class: "notice warn", "data-secret": "shown" },
    h("p", {}, t(key)),
    h("p", {}, h("code", { class: "codes", "data-value": "secret" }, secret)),
  );
}

// a subscription's deliveries, newest first; each may be sent again (same webhook-id, signed
// afresh), after which the list is drawn again with its new state
async function deliveries(hook, box, status) {
  const path = `${HOOKS}/${encodeURIComponent(hook.id)}`;
  const page = await get(`${path}/deliveries`, { limit: 20 });
  const redraw = async (message) => {
    await deliveries(hook, box, status);
    tell(status, message);
  };
  box.replaceChildren(
    paged(page, (items) =>
      cardTable(
        [
          ["webhooks.event_type", (d) => eventName(d.event_type)],
          ["webhooks.event_time", (d) => dateTime(d.event_time)],
          ["common.state", (d) => h("span", { "data-delivery": d.id, "data-state": d.state }, state("delivery_state", d.state))],
          ["webhooks.attempts", (d) => String(d.attempts ?? 0)],
          ["webhooks.last_error", (d) => (d.last_error ? label("delivery_error", d.last_error) : "")],
          [
            "common.actions",
            // a delivery still waiting goes out anyway: only a finished one is sent again
            (d) =>
              d.state !== "pending" &&
              actionButton(
                "webhooks.replay_one",
                async () => {
                  const answer = await post(`${path}/deliveries/${encodeURIComponent(d.id)}/replay`);
                  await redraw(t("webhooks.replayed", { count: answer.replayed }));
                },
                { status, name: "replay-delivery" },
              ),
          ],
        ],
        items,
        { empty: "webhooks.no_deliveries" },
      ),
    ),
  );
}

// `show` draws the page again with a message; `reveal` shows a new secret once; `gone` follows
// the deletion; on the list, `opened` is false and the card links to the subscription's page
function hookCard(hook, { show, reveal, gone = show, opened = false }) {
  const local = statusArea();
  const path = `${HOOKS}/${encodeURIComponent(hook.id)}`;
  const list = h("div", { "data-deliveries": hook.id });
  return h(
    "article",
    { class: "card", "data-webhook": hook.id, "data-state": hook.state },
    h("h3", { class: "codes" }, opened ? hook.url : h("a", { href: `#/webhook?id=${encodeURIComponent(hook.id)}`, "data-action": "open" }, hook.url)),
    state("webhook_state", hook.state),
    facts([
      hook.description ? ["webhooks.description", hook.description] : null,
      ["webhooks.event_types", h("span", { class: "codes" }, hook.event_types.join(t("common.list_separator")))],
      ["webhooks.failures", String(hook.consecutive_failures ?? 0)],
      hook.disabled_at ? ["webhooks.disabled_at", dateTime(hook.disabled_at)] : null,
      hook.previous_secret_expires_at ? ["webhooks.previous_secret", dateTime(hook.previous_secret_expires_at)] : null,
      ["webhooks.created_at", dateTime(hook.created_at)],
      hook.updated_at && hook.updated_at !== hook.created_at ? ["webhooks.updated_at", dateTime(hook.updated_at)] : null,
    ]),
    h(
      "div",
      { class: "actions" },
      actionButton("webhooks.show_deliveries", () => deliveries(hook, list, local), { status: local, name: "deliveries" }),
      hook.state !== "active"
        ? actionButton("webhooks.enable", async () => {
            await post(`${path}/enable`);
            await show(t("webhooks.enabled"));
          }, { status: local, name: "enable" })
        : null,
      confirmed(
        "webhooks.rotate",
        "webhooks.rotate_prompt",
        async () => {
          const answer = await post(`${path}/secret/rotate`);
          await show(t("webhooks.rotated"));
          reveal(answer.secret, "webhooks.new_secret");
        },
        { status: local, name: "rotate" },
      ),
      confirmed(
        "webhooks.delete",
        "webhooks.delete_prompt",
        async () => {
          await remove(path);
          await gone(t("webhooks.deleted"));
        },
        { status: local, name: "delete" },
      ),
    ),
    list,
    local,
  );
}

// the event types a partner may choose: those of its live purposes, each [CloudEvents type,
// purpose title], and any pattern a subscription already holds besides them
function choosableTypes(grants, held = []) {
  const granted = grants.items
    .filter((grant) => grant.active)
    .flatMap((grant) => (grant.event_types ?? []).map((type) => [SOURCE + type, pick(grant.title) || grant.purpose]));
  const known = new Set(granted.map(([type]) => type));
  return [...granted, ...held.filter((type) => !known.has(type)).map((type) => [type, ""])];
}

// each event type a checkbox labelled with its type and purpose (t() shows a text that is not a
// key as it is), named by its place: a name with dots would be read as a nested field
function typeFields(types, checked) {
  return types.map(([type, purpose], index) => ({
    name: `type_${index}`,
    label: purpose ? `${eventName(type)} · ${purpose}` : type,
    type: "checkbox",
    value: checked(type),
  }));
}

const chosenTypes = (types, body) => types.filter((_, index) => body[`type_${index}`]).map(([type]) => type);

// a partner's own subscriptions with what it may subscribe to; an administrator's view is every
// partner's subscriptions (the API answers it all), to follow and replay their deliveries
async function webhooks(view) {
  const status = pageStatus();
  const secretBox = h("div", {});
  const list = h("div", {});
  // the secret is shown once, above the list, until the page is drawn again
  const reveal = (secret, key) => secretBox.replaceChildren(secretNotice(secret, key));
  async function show(message) {
    const page = await get(HOOKS, { limit: 50 });
    secretBox.replaceChildren();
    list.replaceChildren(...(page.items.length ? page.items.map((hook) => hookCard(hook, { show, reveal })) : [h("p", { class: "empty" }, t("webhooks.none"))]));
    if (message) tell(status, message);
  }
  view.append(h("p", { class: "hint" }, t(isPartner() ? "webhooks.hint" : "webhooks.admin_hint")), status, secretBox);
  if (isPartner()) view.append(...(await partnerSections(show, reveal)));
  view.append(section(isPartner() ? "webhooks.mine" : "webhooks.all", list));
  await show();
}

const isPartner = () => session.account?.role === "partner";

// the purposes granted to the partner, and a new subscription to their event types
async function partnerSections(show, reveal) {
  const me = session.account?.id;
  const [grants, purposes] = await Promise.all([get(`/api/v1/partners/${encodeURIComponent(me)}/purposes`), get("/api/v1/purposes")]);
  const active = grants.items.filter((g) => g.active);
  const types = choosableTypes(grants);
  const create = types.length
    ? form({
        name: "new-webhook",
        fields: [
          { name: "url", label: "webhooks.url", type: "url", required: true },
          { name: "description", label: "webhooks.description" },
          ...typeFields(types, () => true),
        ],
        submit: "webhooks.create",
        action: (body) => post(HOOKS, { url: body.url, description: body.description, event_types: chosenTypes(types, body) }),
        done: async (created) => {
          create.reset();
          await show(t("webhooks.created"));
          reveal(created.secret, "webhooks.secret_once");
        },
      })
    : h("p", { class: "notice warn", "data-grants": "none" }, t("webhooks.no_grants"));
  return [
    section(
      "webhooks.granted",
      active.length
        ? h("ul", {}, active.map((grant) => h("li", { "data-grant": grant.purpose }, `${pick(grant.title) || grant.purpose}: ${pick(purposes.items.find((p) => p.name === grant.purpose)?.legal_basis) ?? ""}`)))
        : h("p", { class: "empty" }, t("webhooks.no_grants")),
    ),
    section("webhooks.new", create),
  ];
}

// one subscription: its card, its deliveries (each may be sent again), a change of its endpoint,
// description or event types, and the events of a time range sent again
async function webhook(view, params) {
  const id = params.get("id") ?? "";
  const path = `${HOOKS}/${encodeURIComponent(id)}`;
  const status = pageStatus();
  const secretBox = h("div", {});
  const body = h("div", {});
  const reveal = (secret, key) => secretBox.replaceChildren(secretNotice(secret, key));
  const gone = () => {
    location.hash = "#/webhooks";
  };
  async function show(message) {
    const hook = await get(path);
    // the owner's purposes: an administrator changes a partner's subscription within them too
    const grants = await get(`/api/v1/partners/${encodeURIComponent(hook.owner_id)}/purposes`);
    const card = hookCard(hook, { show, reveal, gone, opened: true });
    const shown = card.querySelector("[data-deliveries]");
    secretBox.replaceChildren();
    body.replaceChildren(card, editSection(hook, choosableTypes(grants, hook.event_types), show), replaySection(hook, shown, status));
    await deliveries(hook, shown, status);
    if (message) tell(status, message);
  }
  view.append(h("p", {}, h("a", { href: "#/webhooks" }, t("webhooks.back"))), status, secretBox, body);
  await show();
}

function editSection(hook, types, show) {
  const element = section(
    "webhooks.edit",
    form({
      name: "edit-webhook",
      fields: [
        { name: "url", label: "webhooks.url", type: "url", required: true, value: hook.url },
        { name: "description", label: "webhooks.description", value: hook.description },
        ...typeFields(types, (type) => hook.event_types.includes(type)),
      ],
      submit: "webhooks.save",
      action: (body) =>
        patch(`${HOOKS}/${encodeURIComponent(hook.id)}`, { url: body.url, description: body.description ?? null, event_types: chosenTypes(types, body) }),
      done: () => show(t("webhooks.saved")),
    }),
  );
  element.dataset.section = "edit";
  return element;
}

// every delivery of the events of a time range (district time) queued again, in order
function replaySection(hook, list, status) {
  const element = section(
    "webhooks.replay",
    h("p", { class: "hint" }, t("webhooks.replay_hint")),
    form({
      name: "replay-webhook",
      fields: [
        { name: "since", label: "webhooks.since", type: "datetime-local", required: true },
        { name: "until", label: "webhooks.until", type: "datetime-local", required: true },
      ],
      submit: "webhooks.replay_submit",
      action: (body) =>
        post(`${HOOKS}/${encodeURIComponent(hook.id)}/replay`, { since: districtInstant(body.since), until: districtInstant(body.until) }),
      done: async (answer) => {
        await deliveries(hook, list, status);
        tell(status, t("webhooks.replayed", { count: answer.replayed }));
      },
    }),
  );
  element.dataset.section = "replay";
  return element;
}

export const WEBHOOK_PAGES = [
  { path: "/webhooks", title: "nav.webhooks", roles: ["partner", "admin"], menu: true, render: webhooks },
  { path: "/webhook", title: "webhooks.one", roles: ["partner", "admin"], render: webhook },
];
