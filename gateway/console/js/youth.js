// The youth portal: my dashboard, profile, posts and applications, eligibility, housing and
// youth-station nights, inbox and my data.

import { get, patch, post, put, session } from "./api.js";
import { DEGREES, EMPLOYMENT, options } from "./auth.js";
import { erasureSection } from "./erasure.js";
import { offerLink } from "./housingoffice.js";
import { label, pick, t } from "./i18n.js";
import { actionButton, dateTime, download, form, h, say, section, statusArea, table, today } from "./ui.js";

const YOUTH = ["youth"];
const EVERYONE = ["youth", "employer", "officer", "admin", "partner"];

export function state(group, value) {
  return h("span", { class: `state state-${value}`, "data-state": value }, label(group, value));
}

// where in the console a dashboard item is looked after: its service's page, or its own
const SERVICE_PAGES = { jobs: "/posts", housing: "/housing", startup: "/my-startup", events: "/activities", notify: "/inbox" };
const KIND_PAGES = { traineeship: "/eligibility", loan: "/loans", partner_application: "/rural", doer_application: "/rural" };

function itemLink(item) {
  const [service, kind] = item.kind.split(".");
  const page = KIND_PAGES[kind] ?? SERVICE_PAGES[service];
  return page ? h("a", { href: `#${page}`, "data-kind": item.kind }, item.title) : item.title;
}

async function dashboard(main) {
  const answer = await get("/api/v1/me/dashboard");
  if (answer.degraded.length) {
    main.append(
      h(
        "p",
        { class: "notice warn", role: "status" },
        t("dashboard.degraded", { parts: answer.degraded.map((d) => label("service", d.service)).join(", ") }),
      ),
    );
  }
  main.append(h("p", { class: "lead" }, h("a", { href: "#/inbox" }, t("dashboard.unread", { count: answer.unread_messages ?? 0 }))));
  for (const [name, items] of Object.entries(answer.sections)) {
    if (name === "messages") continue;
    main.append(
      h(
        "section",
        { class: "card", "data-section": name },
        h("h2", {}, label("service", name)),
        table(
          [
            ["common.item", itemLink],
            ["common.state", (item) => state("state", item.state)],
            ["dashboard.next_step", (item) => item.next_step ?? ""],
            ["common.updated", (item) => dateTime(item.updated_at)],
          ],
          items,
        ),
      ),
    );
  }
}

async function profile(main) {
  const account = await get("/api/v1/accounts/me");
  const person = account.profile ?? {};
  const facts = [
    ["auth.username", account.username],
    ["profile.name", person.name],
    ["profile.citizen_id", person.citizen_id],
    ["profile.birth_date", person.birth_date],
    ["profile.age", person.age],
    ["profile.phone", account.phone],
    ["profile.email", account.email],
  ];
  main.append(
    section("profile.mine", h("dl", { class: "facts" }, facts.flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value ?? "")]))),
    section(
      "profile.update",
      form({
        name: "profile",
        fields: [
          { name: "school", label: "profile.school", value: person.school },
          {
            name: "degree",
            label: "profile.degree",
            type: "select",
            options: options("degree", DEGREES),
            value: person.degree,
          },
          {
            name: "graduation_date",
            label: "profile.graduation_date",
            type: "date",
            value: person.graduation_date,
          },
          {
            name: "employment_status",
            label: "profile.employment_status",
            type: "select",
            options: options("employment", EMPLOYMENT),
            value: person.employment_status,
          },
          { name: "residence", label: "profile.residence", value: person.residence },
          {
            name: "local_social_insurance_months",
            label: "profile.insurance_months",
            type: "number",
            min: 0,
            value: person.local_social_insurance_months,
          },
        ],
        submit: "common.save",
        action: (data) => patch("/api/v1/accounts/me/profile", data),
        done: (_, status) => say(status, t("common.saved")),
      }),
    ),
  );
}

function postCard(item, applied) {
  const status = statusArea();
  const salary = item.salary_min || item.salary_max ? t("posts.salary", { min: item.salary_min ?? "", max: item.salary_max ?? "" }) : "";
  const apply = actionButton(
    "posts.apply",
    async () => {
      await post(`/api/v1/posts/${item.id}/applications`, { cover_letter: "" });
      await applied();
      say(status, t("posts.applied"));
    },
    { status, kind: "primary", name: "apply" },
  );
  return h(
    "article",
    { class: "card post", "data-post": item.id },
    h("h3", {}, h("a", { href: `#/post?id=${encodeURIComponent(item.id)}`, "data-action": "open-post" }, item.title)),
    h("p", { class: "meta" }, [item.employer_name, label("kind", item.kind), item.area, salary].filter(Boolean).join(" · ")),
    item.description ? h("p", {}, item.description) : null,
    h("div", { class: "actions" }, apply),
    status,
  );
}

async function posts(main) {
  const results = h("div", { class: "results", "aria-live": "polite" });
  const mine = h("div");
  const showMine = async () => {
    const page = await get("/api/v1/me/job-applications", { limit: 50 });
    mine.replaceChildren(
      table(
        [
          ["posts.title", (a) => a.post_title],
          ["common.state", (a) => state("state", a.state)],
          ["common.updated", (a) => dateTime(a.updated_at)],
        ],
        page.items,
      ),
    );
  };
  const search = async (query) => {
    const page = await get("/api/v1/posts", { ...query, limit: 20 });
    const cards = page.items.map((item) => postCard(item, showMine));
    results.replaceChildren(h("p", {}, t("posts.found", { count: page.items.length })), ...cards);
    results.dataset.query = JSON.stringify(query); // which search the list shows
  };
  main.append(
    section(
      "posts.search",
      form({
        name: "post-search",
        fields: [
          { name: "keyword", label: "posts.keyword", type: "search" },
          {
            name: "kind",
            label: "posts.kind",
            type: "select",
            options: options("kind", ["job", "internship", "traineeship"], { blank: true }),
          },
          { name: "area", label: "posts.area" },
        ],
        submit: "common.search",
        action: search,
      }),
    ),
    results,
    section("posts.my_applications", mine),
  );
  await Promise.all([search({}), showMine()]);
}

function rules(items) {
  return h(
    "ul",
    { class: "rules" },
    items.map((rule) =>
      h(
        "li",
        { class: rule.passed ? "passed" : "failed" },
        h("span", { class: "mark" }, rule.passed ? t("common.passed") : t("common.failed")),
        " ",
        pick(rule.message ?? rule.explanation),
      ),
    ),
  );
}

function verdict(eligible) {
  return eligible
    ? h("p", { class: "notice ok" }, t("eligibility.eligible"))
    : h("p", { class: "notice warn" }, t("eligibility.not_eligible"));
}

async function eligibility(main) {
  const trainee = await get("/api/v1/traineeships/eligibility");
  const results = h("div", { "aria-live": "polite" });
  main.append(
    section(
      "eligibility.traineeship",
      verdict(trainee.eligible),
      trainee.summary ? h("p", {}, pick(trainee.summary)) : null,
      rules(trainee.rules ?? []),
    ),
    section(
      "eligibility.housing",
      form({
        name: "housing-eligibility",
        fields: housingDeclarations(),
        submit: "eligibility.check",
        action: (data) => post("/api/v1/housing/eligibility-checks", data),
        done: (answer) =>
          results.replaceChildren(
            verdict(answer.eligible),
            rules(answer.rules ?? []),
          ),
      }),
      results,
    ),
  );
}

function housingDeclarations() {
  return [
    {
      name: "kind",
      label: "housing.kind",
      type: "select",
      options: options("unit_kind", ["talent_apartment", "public_rental", "affordable_rental"]),
    },
    { name: "owns_property_in_district", label: "housing.owns_property", type: "checkbox" },
    { name: "on_government_payroll", label: "housing.on_payroll", type: "checkbox" },
  ];
}

async function housing(main) {
  const stations = await get("/api/v1/housing/units", { kind: "station_bed", limit: 100 });
  const bookings = h("div");
  const showBookings = async () => {
    const mine = await get("/api/v1/me/housing/station-bookings", { limit: 50 });
    bookings.replaceChildren(
      table(
        [
          ["housing.first_night", (b) => b.first_night],
          ["housing.nights", (b) => String(b.nights_booked)],
          ["common.state", (b) => state("state", b.state)],
        ],
        mine.items,
      ),
    );
  };
  main.append(
    section(
      "housing.station",
      h("p", { class: "hint" }, t("housing.station_hint")),
      stations.items.length
        ? form({
            name: "station-booking",
            fields: [
              {
                name: "unit_id",
                label: "housing.room",
                type: "select",
                required: true,
                options: stations.items.map((u) => [u.id, `${u.title} · ${u.address}`]),
              },
              {
                name: "first_night",
                label: "housing.first_night",
                type: "date",
                required: true,
                value: today(),
              },
              {
                name: "nights",
                label: "housing.nights",
                type: "number",
                required: true,
                min: 1,
                max: 7,
                value: 1,
              },
            ],
            submit: "housing.book",
            action: (data) => post("/api/v1/housing/station-bookings", data),
            done: async (booking, status) => {
              await showBookings();
              say(status, t("housing.booked", { nights: booking.nights_booked }));
            },
          })
        : h("p", { class: "empty" }, t("housing.no_station")),
    ),
    section("housing.my_bookings", bookings),
  );
  await showBookings();
  const units = await get("/api/v1/housing/units", { limit: 50 });
  const applications = await get("/api/v1/me/housing/applications", { limit: 50 });
  const offers = await get("/api/v1/me/housing/offers", { limit: 50 });
  const offerStatus = statusArea();
  const answer = (offer, verb) =>
    actionButton(`housing.${verb}`, async () => {
      await post(`/api/v1/housing/offers/${offer.id}/${verb}`);
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    }, { status: offerStatus, kind: verb === "accept" ? "primary" : "secondary", name: verb });
  main.append(
    section(
      "housing.units",
      table(
        [
          ["housing.unit", (u) => u.title],
          ["housing.kind", (u) => label("unit_kind", u.kind)],
          ["housing.address", (u) => u.address],
          ["housing.rent", (u) => u.rent_cny],
          ["common.state", (u) => state("state", u.state)],
        ],
        units.items.filter((u) => u.kind !== "station_bed"),
      ),
    ),
    section(
      "housing.apply",
      form({
        name: "housing-application",
        fields: housingDeclarations(),
        submit: "housing.submit_application",
        action: (data) => post("/api/v1/housing/applications", data),
        done: (answer, status) => say(status, t("housing.application_state", { state: label("state", answer.state) })),
      }),
      table(
        [
          ["housing.kind", (a) => label("unit_kind", a.kind)],
          ["common.state", (a) => state("state", a.state)],
          ["housing.waitlist", (a) => (a.waitlist_position ? String(a.waitlist_position) : "")],
          ["common.reason", (a) => a.decision_reason ?? ""],
        ],
        applications.items,
      ),
    ),
    section(
      "housing.offers",
      offerStatus,
      table(
        [
          ["housing.unit", (o) => units.items.find((u) => u.id === o.unit_id)?.title ?? ""],
          ["housing.kind", (o) => label("unit_kind", o.kind)],
          ["common.state", (o) => state("state", o.state)],
          ["housing.respond_by", (o) => dateTime(o.respond_by)],
          [
            "common.actions",
            (o) => (o.state === "pending" ? h("span", { class: "actions" }, offerLink(o), answer(o, "accept"), answer(o, "decline")) : ""),
          ],
        ],
        offers.items,
      ),
    ),
  );
}

async function inbox(main) {
  const status = statusArea();
  const list = h("div");
  const show = async () => {
    const page = await get("/api/v1/me/messages", { limit: 50 });
    list.replaceChildren(
      h("p", {}, t("inbox.unread", { count: page.unread ?? 0 })),
      page.items.length
        ? h(
            "ul",
            { class: "messages" },
            page.items.map((m) =>
              h(
                "li",
                { class: m.read_at ? "read" : "unread" },
                h("h3", {}, m.title),
                h("p", {}, m.body),
                h("p", { class: "meta" }, dateTime(m.created_at)),
                m.read_at
                  ? null
                  : actionButton("inbox.mark_read", async () => {
                      await post(`/api/v1/me/messages/${m.id}/read`);
                      await show();
                    }, { status }),
              ),
            ),
          )
        : h("p", { class: "empty" }, t("inbox.empty")),
    );
  };
  main.append(
    h(
      "div",
      { class: "actions" },
      actionButton("inbox.mark_all_read", async () => {
        await post("/api/v1/me/messages/read");
        await show();
      }, { status }),
    ),
    status,
    list,
  );
  await show();
}

// every category with a checkbox per channel; saving sends every choice (only changes apply)
async function preferences(main) {
  const status = statusArea();
  const answer = await get("/api/v1/me/preferences");
  const channels = [...new Set(answer.items.map((item) => item.channel))];
  const categories = [...new Set(answer.items.map((item) => item.category))];
  const enabled = new Map(answer.items.map((item) => [`${item.category}/${item.channel}`, item.enabled]));
  const box = (category, channel) =>
    h("input", {
      type: "checkbox",
      name: `${category}/${channel}`,
      checked: enabled.get(`${category}/${channel}`) ? true : null,
      "aria-label": `${label("category", category)}: ${label("channel", channel)}`,
    });
  const grid = table(
    [["preferences.category", (category) => label("category", category)]].concat(
      channels.map((channel) => [`channel.${channel}`, (category) => box(category, channel)]),
    ),
    categories,
  );
  const save = actionButton(
    "preferences.save",
    async () => {
      const items = [...grid.querySelectorAll("input[type=checkbox]")].map((input) => {
        const [category, channel] = input.name.split("/");
        return { category, channel, enabled: input.checked };
      });
      await put("/api/v1/me/preferences", { items });
      save.disabled = false;
      say(status, t("preferences.saved"));
    },
    { status, kind: "primary", name: "save-preferences" },
  );
  main.append(section("preferences.title", h("p", { class: "hint" }, t("preferences.hint")), grid, h("div", { class: "actions" }, save), status));
}

async function myData(main) {
  const status = statusArea();
  main.append(
    section(
      "data.title",
      h("p", {}, t("data.explain")),
      actionButton(
        "data.download",
        async () => {
          const data = await get("/api/v1/me/data");
          download(`youthcity-${session.account?.username ?? "me"}.json`, JSON.stringify(data, null, 2), "application/json");
          say(status, t("data.downloaded"));
        },
        { status, kind: "primary", name: "download-data" },
      ),
      status,
    ),
    await erasureSection(),
  );
}

export const YOUTH_PAGES = [
  { path: "/dashboard", title: "nav.dashboard", roles: YOUTH, menu: true, render: dashboard },
  { path: "/posts", title: "nav.posts", roles: YOUTH, menu: true, render: posts },
  { path: "/eligibility", title: "nav.eligibility", roles: YOUTH, menu: true, render: eligibility },
  { path: "/housing", title: "nav.housing", roles: YOUTH, menu: true, render: housing },
];

// the account's own pages, after the services' pages in the menu
export const ACCOUNT_PAGES = [
  { path: "/profile", title: "nav.profile", roles: YOUTH, menu: true, render: profile },
  { path: "/inbox", title: "nav.inbox", roles: EVERYONE, menu: true, render: inbox },
  { path: "/preferences", title: "nav.preferences", roles: EVERYONE, menu: true, render: preferences },
  { path: "/data", title: "nav.data", roles: ["youth", "employer"], menu: true, render: myData },
];
