// Farm-product showcases and live-commerce contests (青年助农平台, plan 三.3): a young person or
// a company enters one with what it shows and sells, while the showcase is open, and later
// reads the sales its organiser reported for the entry.

import { get, post } from "./api.js";
import { SHOWCASES } from "./activities.js";
import { label, t } from "./i18n.js";
import { facts, pageStatus, tell } from "./pageparts.js";
import { dateTime, form, h, section } from "./ui.js";

const ENTRANTS = ["youth", "employer"];

const entrantsOf = (activity) => `/api/v1/activities/${encodeURIComponent(activity.id)}/entrants`;

function entryFacts(entry) {
  const reported = entry.sales_cny !== null && entry.sales_cny !== undefined;
  return facts([
    ["showcases.products", entry.products],
    ["showcases.entered_at", dateTime(entry.entered_at)],
    ["showcases.sales", reported ? t("showcases.sales_value", { amount: t("money.cny", { amount: entry.sales_cny }), orders: entry.orders }) : t("showcases.not_reported")],
    reported ? ["showcases.reported_at", dateTime(entry.sales_reported_at)] : null,
  ]);
}

function entryForm(activity, refresh) {
  return form({
    name: `enter-${activity.id}`,
    fields: [{ name: "products", label: "showcases.products", type: "textarea", required: true }],
    submit: "showcases.enter",
    action: (body) => post(entrantsOf(activity), body),
    done: () => refresh(t("showcases.entered", { title: activity.title })),
  });
}

async function showcaseCard(activity, refresh) {
  const [mine] = (await get(entrantsOf(activity), { limit: 1 })).items;
  return h(
    "article",
    { class: "card", "data-showcase": activity.id },
    h("h3", {}, activity.title),
    h("p", { class: "meta" }, [label("category", activity.category), activity.venue, `${dateTime(activity.starts_at)} – ${dateTime(activity.ends_at)}`].filter(Boolean).join(" · ")),
    activity.description ? h("p", { class: "prose" }, activity.description) : null,
    mine ? h("div", { "data-entry": mine.id }, h("h4", {}, t("showcases.my_entry")), entryFacts(mine)) : entryForm(activity, refresh),
  );
}

async function showcases(view) {
  const status = pageStatus();
  const list = h("div", { class: "results" });
  view.append(h("p", { class: "hint" }, t("showcases.hint")), status, section("showcases.open", list));
  async function show(message) {
    const pages = await Promise.all(SHOWCASES.map((category) => get("/api/v1/activities", { category, limit: 50 })));
    const open = pages.flatMap((page) => page.items).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    const cards = await Promise.all(open.map((activity) => showcaseCard(activity, show)));
    list.replaceChildren(...(cards.length ? cards : [h("p", { class: "empty" }, t("showcases.none"))]));
    if (message) tell(status, message);
  }
  await show();
}

export const SHOWCASE_PAGES = [{ path: "/showcases", title: "nav.showcases", roles: ENTRANTS, menu: true, render: showcases }];
