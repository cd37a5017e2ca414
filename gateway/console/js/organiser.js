// One activity, as its organiser sees it (issue 26): its facts first, then what its state
// allows — a draft is changed; a draft or a published activity is cancelled, after a second
// question and with the reason everyone registered is told; one that has begun is finished,
// its attendance then final. Below, the registrations in arrival order (person numbers and
// states, never a check-in code) and, at a farm-product showcase or a live-commerce contest,
// the entrants with the sales the organiser reports for each.

import { get, patch, post } from "./api.js";
import { CATEGORIES, SHOWCASES } from "./activities.js";
import { options } from "./auth.js";
import { label, t } from "./i18n.js";
import { cardTable, confirmed, facts, itemPage, paged } from "./pageparts.js";
import { dateTime, districtInstant, districtWallTime, form, h, section } from "./ui.js";
import { state } from "./youth.js";

const ACTIVITIES = "/api/v1/activities";
const cny = (value) => (value === null || value === undefined ? "" : t("money.cny", { amount: value }));
// a person is shown by the start of their number: the roster names nobody
const personNumber = (id) => (id ? id.slice(0, 8) : "");

function activityFacts(activity) {
  const ages = activity.min_age ?? activity.max_age;
  return facts([
    ["common.state", state("state", activity.state)],
    ["manage.category", label("category", activity.category)],
    ["manage.starts", dateTime(activity.starts_at)],
    ["manage.ends", dateTime(activity.ends_at)],
    ["manage.venue", [activity.venue, activity.area].filter(Boolean).join(" · ")],
    ["manage.capacity", String(activity.capacity)],
    ["manage.counts", t("manage.count_text", { confirmed: activity.confirmed_count ?? 0, waitlisted: activity.waitlisted_count ?? 0, attended: activity.attended_count ?? 0 })],
    ages === null || ages === undefined ? null : ["portal.ages", t("portal.ages_value", { min: activity.min_age ?? "", max: activity.max_age ?? "" })],
    activity.cancelled_at ? ["organiser.cancelled_at", dateTime(activity.cancelled_at)] : null,
    activity.cancel_reason ? ["organiser.cancel_reason", activity.cancel_reason] : null,
    activity.finished_at ? ["organiser.finished_at", dateTime(activity.finished_at)] : null,
  ]);
}

// only a draft changes: what people registered for stays what they saw
function editForm(path, activity, refresh) {
  return section(
    "organiser.edit",
    form({
      name: "edit-activity",
      fields: [
        { name: "title", label: "manage.title", required: true, value: activity.title },
        { name: "description", label: "organiser.description", type: "textarea", value: activity.description },
        { name: "category", label: "manage.category", type: "select", options: options("category", CATEGORIES), value: activity.category },
        { name: "venue", label: "manage.venue", required: true, value: activity.venue },
        { name: "starts_at", label: "manage.starts", type: "datetime-local", required: true, value: districtWallTime(activity.starts_at) },
        { name: "ends_at", label: "manage.ends", type: "datetime-local", required: true, value: districtWallTime(activity.ends_at) },
        { name: "capacity", label: "manage.capacity", type: "number", min: 1, required: true, value: activity.capacity },
        { name: "min_age", label: "manage.min_age", type: "number", min: 0, value: activity.min_age },
        { name: "max_age", label: "manage.max_age", type: "number", min: 0, value: activity.max_age },
      ],
      submit: "organiser.save_changes",
      action: (data) => patch(path, { ...data, starts_at: districtInstant(data.starts_at), ends_at: districtInstant(data.ends_at) }),
      done: () => refresh(t("organiser.changed")),
    }),
  );
}

function decisions(path, activity, status, refresh) {
  const parts = [];
  if (["draft", "published"].includes(activity.state)) {
    parts.push(
      confirmed(
        "organiser.cancel",
        "organiser.cancel_prompt",
        async (reason) => {
          await post(`${path}/cancel`, { reason });
          await refresh(t("organiser.cancelled"));
        },
        { status, name: "cancel-activity", params: { count: (activity.confirmed_count ?? 0) + (activity.waitlisted_count ?? 0) }, reason: { label: "organiser.cancel_reason", required: true } },
      ),
    );
  }
  if (activity.state === "published") {
    parts.push(
      confirmed(
        "organiser.finish",
        "organiser.finish_prompt",
        async (reason) => {
          await post(`${path}/finish`, reason ? { reason } : {});
          await refresh(t("organiser.finished"));
        },
        { status, name: "finish-activity", reason: { label: "organiser.finish_note" } },
      ),
    );
  }
  return parts.length ? section("organiser.decisions", h("div", { class: "actions" }, parts)) : null;
}

async function registrations(path) {
  const page = await get(`${path}/registrations`, { limit: 50 });
  return section(
    "organiser.registrations",
    h("p", { class: "hint" }, t("organiser.registrations_hint")),
    paged(page, (items) =>
      cardTable(
        [
          ["organiser.arrival", (r) => String(r.sequence ?? "")],
          ["organiser.person", (r) => h("code", { "data-person": r.person_id }, personNumber(r.person_id))],
          ["common.state", (r) => state("state", r.state)],
          ["activities.waitlist", (r) => (r.waitlist_position ? String(r.waitlist_position) : "")],
          ["organiser.queued_at", (r) => dateTime(r.queued_at)],
          ["organiser.checked_in_at", (r) => dateTime(r.checked_in_at)],
        ],
        items,
        { empty: "organiser.no_registrations" },
      ),
    ),
  );
}

function salesForm(path, entry, refresh) {
  return form({
    name: `sales-${entry.id}`,
    fields: [
      { name: "sales_cny", label: "organiser.sales_cny", type: "number", min: 0, step: "0.01", required: true, value: entry.sales_cny },
      { name: "orders", label: "organiser.orders", type: "number", min: 0, required: true, value: entry.orders },
    ],
    submit: "organiser.report_sales",
    action: (data) => post(`${path}/entrants/${encodeURIComponent(entry.id)}/sales`, { sales_cny: String(data.sales_cny), orders: data.orders }),
    done: () => refresh(t("organiser.sales_reported")),
  });
}

async function entrants(path, refresh) {
  const page = await get(`${path}/entrants`, { limit: 50 });
  return section(
    "organiser.entrants",
    h("p", { class: "hint" }, t("organiser.entrants_hint")),
    paged(page, (items) =>
      cardTable(
        [
          ["organiser.entrant", (e) => label("entrant_kind", e.entrant_kind)],
          ["showcases.products", (e) => e.products],
          ["showcases.entered_at", (e) => dateTime(e.entered_at)],
          ["showcases.sales", (e) => h("span", { "data-sales": e.id }, e.sales_cny === null || e.sales_cny === undefined ? t("showcases.not_reported") : t("showcases.sales_value", { amount: cny(e.sales_cny), orders: e.orders }))],
          ["organiser.report_sales", (e) => salesForm(path, e, refresh)],
        ],
        items,
        { empty: "showcases.no_entrants" },
      ),
    ),
  );
}

function activityPage(view, params) {
  const path = `${ACTIVITIES}/${encodeURIComponent(params.get("id"))}`;
  return itemPage(view, {
    back: "/activities/manage",
    backKey: "organiser.all_activities",
    load: () => get(path),
    draw: async (activity, status, refresh) => {
      const underWay = activity.state !== "draft";
      return [
        h("section", { class: "card", "data-activity": activity.id, "data-state": activity.state }, h("h2", {}, activity.title), activityFacts(activity)),
        decisions(path, activity, status, refresh),
        underWay ? null : editForm(path, activity, refresh),
        underWay ? await registrations(path) : null,
        underWay && SHOWCASES.includes(activity.category) ? await entrants(path, refresh) : null,
      ];
    },
  });
}

export const ORGANISER_PAGES = [{ path: "/activities/activity", title: "organiser.title", roles: ["officer"], render: activityPage }];
