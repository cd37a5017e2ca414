// A partner's event subscriptions (webhooks, issue 26): the purposes an administrator granted it
// decide which event types it may choose; the signing secret is shown once, when a subscription
// is made or its secret rotated; each subscription shows its deliveries, and is enabled again,
// or deleted after a second question.

import { get, post, remove, session } from "./api.js";
import { label, pick, t } from "./i18n.js";
import { cardTable, confirmed, facts, pageStatus, tell } from "./pageparts.js";
import { actionButton, dateTime, form, h, section, statusArea } from "./ui.js";
import { state } from "./youth.js";

const HOOKS = "/api/v1/webhooks";
// the CloudEvents types are the purposes' event types under the platform's first word
const SOURCE = "youthcity.";

function secretNotice(secret, key) {
  return h(
    "div",
    { class: "notice warn", "data-secret": "shown" },
    h("p", {}, t(key)),
    h("p", {}, h("code", { class: "codes", "data-value": "secret" }, secret)),
  );
}

async function deliveries(hook, box) {
  const page = await get(`${HOOKS}/${encodeURIComponent(hook.id)}/deliveries`, { limit: 20 });
  box.replaceChildren(
    cardTable(
      [
        ["webhooks.event_type", (d) => d.event_type],
        ["webhooks.event_time", (d) => dateTime(d.event_time)],
        ["common.state", (d) => state("delivery_state", d.state)],
        ["webhooks.attempts", (d) => String(d.attempts ?? 0)],
        ["webhooks.last_error", (d) => (d.last_error ? label("delivery_error", d.last_error) : "")],
      ],
      page.items,
      { empty: "webhooks.no_deliveries" },
    ),
  );
}

function hookCard(hook, show, reveal) {
  const local = statusArea();
  const path = `${HOOKS}/${encodeURIComponent(hook.id)}`;
  const list = h("div", { "data-deliveries": hook.id });
  return h(
    "article",
    { class: "card", "data-webhook": hook.id, "data-state": hook.state },
    h("h3", { class: "codes" }, hook.url),
    state("webhook_state", hook.state),
    facts([
      hook.description ? ["webhooks.description", hook.description] : null,
      ["webhooks.event_types", h("span", { class: "codes" }, hook.event_types.join(t("common.list_separator")))],
      ["webhooks.failures", String(hook.consecutive_failures ?? 0)],
      hook.disabled_at ? ["webhooks.disabled_at", dateTime(hook.disabled_at)] : null,
      hook.previous_secret_expires_at ? ["webhooks.previous_secret", dateTime(hook.previous_secret_expires_at)] : null,
      ["webhooks.created_at", dateTime(hook.created_at)],
    ]),
    h(
      "div",
      { class: "actions" },
      actionButton("webhooks.show_deliveries", () => deliveries(hook, list).then(() => undefined), { status: local, name: "deliveries" }),
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
          await show(t("webhooks.deleted"));
        },
        { status: local, name: "delete" },
      ),
    ),
    list,
    local,
  );
}

async function webhooks(view) {
  const status = pageStatus();
  const me = session.account?.id;
  const [grants, purposes] = await Promise.all([get(`/api/v1/partners/${encodeURIComponent(me)}/purposes`), get("/api/v1/purposes")]);
  const active = grants.items.filter((g) => g.active);
  const secretBox = h("div", {});
  const list = h("div", {});
  // the secret is shown once, above the list, until the page is drawn again
  const reveal = (secret, key) => secretBox.replaceChildren(secretNotice(secret, key));
  async function show(message) {
    const page = await get(HOOKS, { limit: 50 });
    secretBox.replaceChildren();
    list.replaceChildren(...(page.items.length ? page.items.map((hook) => hookCard(hook, show, reveal)) : [h("p", { class: "empty" }, t("webhooks.none"))]));
    if (message) tell(status, message);
  }
  const types = active.flatMap((grant) => (grant.event_types ?? []).map((type) => [type, pick(grant.title) || grant.purpose]));
  const create = types.length
    ? form({
        name: "new-webhook",
        fields: [
          { name: "url", label: "webhooks.url", type: "url", required: true },
          { name: "description", label: "webhooks.description" },
          // each event type granted is a checkbox labelled with its type and purpose (t() shows
          // a text that is not a key as it is)
          // (named by their place: a name with dots would be read as a nested field)
          ...types.map(([type, purpose], index) => ({ name: `type_${index}`, label: `${type} · ${purpose}`, type: "checkbox", value: true })),
        ],
        submit: "webhooks.create",
        action: (body) => {
          const chosen = types.filter((_, index) => body[`type_${index}`]);
          return post(HOOKS, { url: body.url, description: body.description, event_types: chosen.map(([type]) => SOURCE + type) });
        },
        done: async (created) => {
          create.reset();
          await show(t("webhooks.created"));
          reveal(created.secret, "webhooks.secret_once");
        },
      })
    : h("p", { class: "notice warn", "data-grants": "none" }, t("webhooks.no_grants"));
  view.append(
    h("p", { class: "hint" }, t("webhooks.hint")),
    status,
    secretBox,
    section(
      "webhooks.granted",
      active.length
        ? h("ul", {}, active.map((grant) => h("li", { "data-grant": grant.purpose }, `${pick(grant.title) || grant.purpose}: ${pick(purposes.items.find((p) => p.name === grant.purpose)?.legal_basis) ?? ""}`)))
        : h("p", { class: "empty" }, t("webhooks.no_grants")),
    ),
    section("webhooks.new", create),
    section("webhooks.mine", list),
  );
  await show();
}

export const WEBHOOK_PAGES = [{ path: "/webhooks", title: "nav.webhooks", roles: ["partner"], menu: true, render: webhooks }];
