// The public portal (issue 26): what a visitor reads before signing in. The start page says
// what the service is, who it is for and what they need; the public lists are the published
// posts (each with a detail page), activities, the fitness circle's venues and the stories
// column, beside the policy catalogue (/policies) and the open indicators (/open-data). Every
// list here is one the API answers without sign-in. Acting on an item (apply, register) leads
// to sign-in, which returns to the same page (`#/login?next=…`); a young person signed in acts
// on the same detail page.

import { get, post, session } from "./api.js";
import { DEGREES } from "./auth.js";
import { queryEnum } from "./enumerations.js";
import { label, t } from "./i18n.js";
import { cardTable, facts, pageStatus, tell } from "./pageparts.js";
import { actionButton, dateTime, form, h, section } from "./ui.js";
import { state } from "./youth.js";

const VISITOR = ["anonymous"];
const ANYONE = ["anonymous", "youth", "employer", "officer", "admin", "partner"];
// the post kinds, from the API's document (this copy only when it cannot be read)
const KINDS = ["job", "internship", "traineeship"];

function role() {
  return session.account?.role ?? "anonymous";
}

// a link to sign in (or register) that comes back to `path` afterwards
export function signInLink(path, key = "portal.sign_in_to_act", page = "/login") {
  return h("a", { href: `#${page}?next=${encodeURIComponent(path)}`, class: "button primary", "data-action": "sign-in-to-act" }, t(key));
}

function actOrSignIn(path, key) {
  return h(
    "p",
    { class: "actions", "data-act": "sign-in" },
    signInLink(path, key),
    h("a", { href: `#/register?next=${encodeURIComponent(path)}`, class: "button secondary" }, t("portal.register_to_act")),
  );
}

export function salary(item) {
  if (!item.salary_min && !item.salary_max) return t("portal.salary_open");
  return t("posts.salary", { min: item.salary_min ?? "", max: item.salary_max ?? "" });
}

function more(path, key) {
  return h("p", {}, h("a", { href: `#${path}`, "data-more": path }, t(key)));
}

// -- cards -------------------------------------------------------------------------------------

function postCard(item) {
  const href = `#/post?id=${encodeURIComponent(item.id)}`;
  return h(
    "article",
    { class: "card item", "data-post": item.id },
    h("h3", {}, h("a", { href, "data-action": "open-post" }, item.title)),
    h("p", { class: "meta" }, [item.employer_name, label("kind", item.kind), item.area].filter(Boolean).join(" · ")),
    h("p", {}, [salary(item), t("portal.education_at_least", { education: label("degree", item.education) })].join(" · ")),
  );
}

function activityCard(item) {
  const href = `#/activity?id=${encodeURIComponent(item.id)}`;
  return h(
    "article",
    { class: "card item", "data-activity": item.id },
    h("h3", {}, h("a", { href, "data-action": "open-activity" }, item.title)),
    h("p", { class: "meta" }, [label("category", item.category), item.venue, item.area].filter(Boolean).join(" · ")),
    h("p", {}, dateTime(item.starts_at), " · ", t("portal.places_left", { left: item.places_left ?? 0, capacity: item.capacity })),
  );
}

const WEEKDAY_KEYS = ["", "mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export function openingHours(periods) {
  if (!periods?.length) return t("portal.closed_for_now");
  return periods
    .map((period) => `${period.weekdays.map((day) => t(`portal.weekday_${WEEKDAY_KEYS[day]}`)).join(t("common.list_separator"))} ${period.opens}–${period.closes}`)
    .join("; ");
}

function venueCard(venue) {
  return h(
    "article",
    { class: "card item", "data-venue": venue.id },
    h("h3", {}, h("a", { href: `#/venue?id=${encodeURIComponent(venue.id)}`, "data-action": "open-venue" }, venue.name)),
    h("p", { class: "meta" }, [label("venue_kind", venue.kind), venue.area].filter(Boolean).join(" · ")),
    facts([
      ["portal.address", venue.address],
      ["portal.opening_hours", openingHours(venue.opening_hours)],
      ["portal.open_now", t(venue.open_now ? "portal.open" : "portal.closed")],
    ]),
    venue.description ? h("p", {}, venue.description) : null,
  );
}

function storyCard(story) {
  const text = story.body ?? "";
  return h(
    "article",
    { class: "card item", "data-story": story.id },
    h("h3", {}, h("a", { href: `#/story?id=${encodeURIComponent(story.id)}`, "data-action": "open-story" }, story.title)),
    h("p", { class: "meta" }, [story.byline, dateTime(story.published_at)].filter(Boolean).join(" · ")),
    h("p", {}, text.length > 80 ? `${text.slice(0, 80)}…` : text),
  );
}

function list(items, card, empty) {
  return items.length ? h("div", { class: "results" }, items.map(card)) : h("p", { class: "empty" }, t(empty));
}

// a list the portal shows may be missing while a service is down: the rest of the page stands
async function tryGet(path, query) {
  try {
    return (await get(path, query)).items ?? [];
  } catch {
    return null;
  }
}

function listSection(name, titleKey, items, card, empty, morePath, moreKey) {
  const element = section(
    titleKey,
    items === null ? h("p", { class: "notice warn" }, t("portal.unavailable")) : list(items, card, empty),
    more(morePath, moreKey),
  );
  element.dataset.section = name;
  return element;
}

// -- the start page ------------------------------------------------------------------------------

async function start(view) {
  const [posts, activities, venues, stories] = await Promise.all([
    tryGet("/api/v1/posts", { limit: 3 }),
    tryGet("/api/v1/activities", { limit: 3 }),
    tryGet("/api/v1/venues", { limit: 3 }),
    tryGet("/api/v1/stories", { limit: 3 }),
  ]);
  view.append(
    h(
      "section",
      { class: "card intro", "data-section": "about" },
      h("p", { class: "lead" }, t("portal.what")),
      h("h2", {}, t("portal.who_title")),
      h("ul", {}, ["portal.who_youth", "portal.who_employer", "portal.who_partner"].map((key) => h("li", {}, t(key)))),
      h("h2", {}, t("portal.need_title")),
      h("ul", {}, ["portal.need_id", "portal.need_phone", "portal.need_education", "portal.need_employer"].map((key) => h("li", {}, t(key)))),
      h(
        "p",
        { class: "actions" },
        h("a", { href: "#/register", class: "button primary", "data-action": "register" }, t("portal.register")),
        h("a", { href: "#/login", class: "button secondary", "data-action": "sign-in" }, t("portal.sign_in")),
      ),
      h(
        "p",
        {},
        h("a", { href: "#/policies" }, t("portal.see_policies")),
        " · ",
        h("a", { href: "#/open-data" }, t("portal.see_open_data")),
      ),
    ),
    listSection("posts", "portal.latest_posts", posts, postCard, "portal.no_posts", "/jobs", "portal.all_posts"),
    listSection("activities", "portal.coming_activities", activities, activityCard, "portal.no_activities", "/events", "portal.all_activities"),
    listSection("venues", "portal.venues", venues, venueCard, "portal.no_venues", "/venues", "portal.all_venues"),
    listSection("stories", "portal.stories", stories, storyCard, "portal.no_stories", "/stories", "portal.all_stories"),
  );
}

// -- posts ---------------------------------------------------------------------------------------

async function jobs(view, params) {
  const results = h("div", { "aria-live": "polite" });
  const query = Object.fromEntries(["keyword", "kind", "education"].filter((name) => params.get(name)).map((name) => [name, params.get(name)]));
  const [page, kinds, degrees] = await Promise.all([
    get("/api/v1/posts", { ...query, limit: 20 }),
    queryEnum("/api/v1/posts", "kind", KINDS),
    queryEnum("/api/v1/posts", "education", DEGREES),
  ]);
  results.append(h("p", {}, t("posts.found", { count: page.items.length })), list(page.items, postCard, "portal.no_posts"));
  view.append(
    section(
      "posts.search",
      form({
        name: "public-post-search",
        fields: [
          { name: "keyword", label: "posts.keyword", type: "search", value: query.keyword },
          { name: "kind", label: "posts.kind", type: "select", value: query.kind, options: [["", t("common.any")], ...kinds.map((kind) => [kind, label("kind", kind)])] },
          {
            name: "education",
            label: "portal.my_education",
            type: "select",
            value: query.education,
            options: [["", t("common.any")], ...degrees.map((d) => [d, label("degree", d)])],
          },
        ],
        submit: "common.search",
        action: async (body) => {
          location.hash = `#/jobs?${new URLSearchParams(body)}`;
        },
      }),
    ),
    results,
    h("p", {}, h("a", { href: "#/practice-units", "data-more": "/practice-units" }, t("portal.see_practice_units"))),
  );
}

// practice units (产教融合实践单位): employers the bureau designated, with their schools and the
// posts they offer students and graduates
async function practiceUnits(view) {
  const page = await get("/api/v1/practice-units", { limit: 50 });
  view.append(
    h("p", { class: "hint" }, t("portal.practice_hint")),
    page.items.length
      ? h(
          "div",
          { class: "results" },
          page.items.map((unit) =>
            h(
              "article",
              { class: "card item", "data-practice-unit": unit.employer_id },
              h("h3", {}, unit.name),
              h("p", { class: "meta" }, [label("industry", unit.industry), unit.area].filter(Boolean).join(" · ")),
              facts([
                unit.partners?.length ? ["portal.partner_schools", unit.partners.join(t("common.list_separator"))] : null,
                ["portal.open_posts", unit.posts?.length ? h("ul", {}, unit.posts.map((item) => h("li", {}, h("a", { href: `#/post?id=${encodeURIComponent(item.id)}` }, item.title)))) : t("portal.no_posts")],
              ]),
            ),
          ),
        )
      : h("p", { class: "empty" }, t("portal.no_practice_units")),
  );
}

async function applyPart(item, status) {
  if (role() === "anonymous") return actOrSignIn(`/post?id=${item.id}`, "portal.sign_in_to_apply");
  if (role() !== "youth") return null;
  const mine = await get("/api/v1/me/job-applications", { limit: 100 });
  const applied = mine.items.find((application) => application.post_id === item.id);
  if (applied) {
    return h("p", { class: "notice ok", "data-applied": applied.state }, t("portal.applied_state", { state: label("state", applied.state) }), " ", h("a", { href: "#/posts" }, t("portal.see_my_applications")));
  }
  if (item.state !== "published") return null;
  return section(
    "portal.apply",
    form({
      name: "apply",
      fields: [{ name: "cover_letter", label: "portal.cover_letter", type: "textarea" }],
      submit: "posts.apply",
      action: (body) => post(`/api/v1/posts/${encodeURIComponent(item.id)}/applications`, { cover_letter: body.cover_letter ?? "" }),
      done: () => status.refresh(t("posts.applied")),
    }),
  );
}

async function postPage(view, params) {
  const id = params.get("id");
  const status = pageStatus();
  const body = h("div", {});
  view.append(h("p", {}, h("a", { href: role() === "youth" ? "#/posts" : "#/jobs" }, t("portal.all_posts"))), status, body);
  status.refresh = async (message) => {
    await show();
    tell(status, message);
  };
  async function show() {
    const item = await get(`/api/v1/posts/${encodeURIComponent(id)}`);
    const open = Math.max(0, (item.positions ?? 0) - (item.hired_count ?? 0));
    body.replaceChildren(
      h(
        "section",
        { class: "card", "data-post": item.id, "data-state": item.state },
        h("h2", {}, item.title),
        facts([
          ["portal.employer", item.employer_name],
          ["posts.kind", label("kind", item.kind)],
          ["posts.education", label("degree", item.education)],
          ["portal.openings", t("portal.openings_value", { open, positions: item.positions })],
          ["portal.salary", salary(item)],
          ["portal.area", item.area],
          ["portal.address", item.address || t("portal.address_unknown")],
          ["portal.industry", label("industry", item.industry)],
          item.traineeship_months ? ["portal.traineeship_months", t("portal.months", { months: item.traineeship_months })] : null,
          item.published_at ? ["portal.published_at", dateTime(item.published_at)] : null,
          item.state !== "published" ? ["common.state", label("state", item.state)] : null,
        ]),
        item.description ? h("h3", {}, t("posts.description")) : null,
        item.description ? h("p", { class: "prose" }, item.description) : null,
        item.tags?.length ? h("p", { class: "meta" }, item.tags.join(t("common.list_separator"))) : null,
      ),
      (await applyPart(item, status)) ?? "",
    );
  }
  await show();
}

// -- activities, venues, stories ------------------------------------------------------------------

async function events(view) {
  const page = await get("/api/v1/activities", { limit: 50 });
  view.append(list(page.items, activityCard, "portal.no_activities"));
}

async function registerPart(item, status) {
  if (role() === "anonymous") return actOrSignIn(`/activity?id=${item.id}`, "portal.sign_in_to_register");
  if (role() !== "youth") return null;
  const mine = await get("/api/v1/me/registrations", { limit: 100 });
  const taken = mine.items.find((r) => r.activity_id === item.id && ["confirmed", "waitlisted", "checked_in"].includes(r.state));
  if (taken) {
    return h("p", { class: "notice ok", "data-registered": taken.state }, t("portal.registered_state", { state: label("state", taken.state) }), " ", h("a", { href: "#/activities" }, t("portal.see_my_registrations")));
  }
  if (item.state !== "published") return null;
  return h(
    "p",
    { class: "actions" },
    actionButton(
      "activities.register",
      async () => {
        const registration = await post(`/api/v1/activities/${encodeURIComponent(item.id)}/registrations`);
        await status.refresh(registration.state === "waitlisted" ? t("activities.waitlisted", { position: registration.waitlist_position }) : t("activities.confirmed"));
      },
      { status, kind: "primary", name: "register" },
    ),
  );
}

async function activityPage(view, params) {
  const id = params.get("id");
  const status = pageStatus();
  const body = h("div", {});
  view.append(h("p", {}, h("a", { href: role() === "youth" ? "#/activities" : "#/events" }, t("portal.all_activities"))), status, body);
  status.refresh = async (message) => {
    await show();
    tell(status, message);
  };
  async function show() {
    const item = await get(`/api/v1/activities/${encodeURIComponent(id)}`);
    const ages = item.min_age || item.max_age ? t("portal.ages_value", { min: item.min_age ?? "", max: item.max_age ?? "" }) : t("portal.ages_any");
    body.replaceChildren(
      h(
        "section",
        { class: "card", "data-activity": item.id, "data-state": item.state },
        h("h2", {}, item.title),
        facts([
          ["portal.category", label("category", item.category)],
          ["portal.starts_at", dateTime(item.starts_at)],
          ["portal.ends_at", dateTime(item.ends_at)],
          ["portal.venue", [item.venue, item.area].filter(Boolean).join(" · ")],
          ["portal.places", h("span", { "data-figure": "places" }, t("portal.places_left", { left: item.places_left ?? 0, capacity: item.capacity }))],
          ["portal.ages", ages],
          item.registration_closes_at ? ["portal.registration_closes", dateTime(item.registration_closes_at)] : null,
          item.state !== "published" ? ["common.state", label("state", item.state)] : null,
        ]),
        item.description ? h("p", { class: "prose" }, item.description) : null,
      ),
      (await registerPart(item, status)) ?? "",
    );
  }
  await show();
}

async function venues(view) {
  const page = await get("/api/v1/venues", { limit: 50 });
  view.append(h("p", { class: "hint" }, t("portal.venues_hint")), list(page.items, venueCard, "portal.no_venues"));
}

async function venuePage(view, params) {
  const id = encodeURIComponent(params.get("id"));
  const [venue, hosted] = await Promise.all([get(`/api/v1/venues/${id}`), get(`/api/v1/venues/${id}/activities`, { limit: 20 })]);
  view.append(
    h("p", {}, h("a", { href: "#/venues" }, t("portal.all_venues"))),
    venueCard(venue),
    section("portal.hosted_activities", list(hosted.items, activityCard, "portal.no_activities")),
  );
}

async function stories(view) {
  const page = await get("/api/v1/stories", { limit: 20 });
  view.append(h("p", { class: "hint" }, t("portal.stories_hint")));
  if (role() === "anonymous") view.append(h("p", {}, signInLink("/stories", "portal.sign_in_to_share")));
  if (role() === "youth") view.append(await myStories());
  view.append(list(page.items, storyCard, "portal.no_stories"));
}

// a young person's own stories: sent to the column's moderators, then published or returned
// with the reason
async function myStories() {
  const status = pageStatus();
  const mine = h("div", {});
  async function show(message) {
    const page = await get("/api/v1/me/stories", { limit: 50 });
    mine.replaceChildren(
      cardTable(
        [
          ["portal.story_title", (s) => s.title],
          ["common.state", (s) => state("story_state", s.state)],
          ["portal.submitted_at", (s) => dateTime(s.submitted_at)],
          ["common.reason", (s) => s.decision_reason ?? ""],
        ],
        page.items,
        { empty: "portal.no_stories_of_mine" },
      ),
    );
    if (message) tell(status, message);
  }
  const share = form({
    name: "story",
    fields: [
      { name: "title", label: "portal.story_title", required: true },
      { name: "body", label: "portal.story_body", type: "textarea", required: true },
      { name: "byline", label: "portal.byline" },
    ],
    submit: "portal.send_story",
    action: (body) => post("/api/v1/stories", body),
    done: async () => {
      share.reset();
      await show(t("portal.story_sent"));
    },
  });
  await show();
  const element = h("div", {}, status, section("portal.share_story", h("p", { class: "hint" }, t("portal.share_story_hint")), share), section("portal.my_stories", mine));
  element.dataset.section = "my-stories";
  return element;
}

async function storyPage(view, params) {
  const story = await get(`/api/v1/stories/${encodeURIComponent(params.get("id"))}`);
  view.append(
    h("p", {}, h("a", { href: "#/stories" }, t("portal.all_stories"))),
    h(
      "article",
      { class: "card", "data-story": story.id },
      h("h2", {}, story.title),
      h("p", { class: "meta" }, [story.byline, dateTime(story.published_at)].filter(Boolean).join(" · ")),
      ...String(story.body ?? "")
        .split(/\n+/)
        .map((paragraph) => h("p", { class: "prose" }, paragraph)),
    ),
  );
}

export const PORTAL_PAGES = [
  { path: "/", title: "portal.title", menuTitle: "nav.start", roles: VISITOR, menu: true, render: start },
  { path: "/jobs", title: "nav.public_posts", roles: VISITOR, menu: true, render: jobs },
  { path: "/practice-units", title: "portal.practice_units", roles: ANYONE, menu: false, render: practiceUnits },
  { path: "/post", title: "portal.post", roles: ANYONE, menu: false, render: postPage },
  { path: "/events", title: "nav.public_activities", roles: VISITOR, menu: true, render: events },
  { path: "/activity", title: "portal.activity", roles: ANYONE, menu: false, render: activityPage },
  { path: "/venues", title: "nav.venues", roles: VISITOR, menu: true, render: venues },
  { path: "/venue", title: "portal.venue_page", roles: ANYONE, menu: false, render: venuePage },
];

// the stories column: read by anyone, written by young people, after their own pages in the menu
export const STORY_PAGES = [
  { path: "/stories", title: "nav.stories", roles: ["anonymous", "youth"], menu: true, render: stories },
  { path: "/story", title: "portal.story", roles: ANYONE, menu: false, render: storyPage },
];
