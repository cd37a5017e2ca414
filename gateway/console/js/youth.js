// The youth portal: my dashboard, profile (with my identity appeals), posts and applications,
// eligibility, inbox and each message, and my data (housing is myhousing.js).

import { fetchFile, get, patch, post, put, units } from "./api.js";
import { DEGREES, EMPLOYMENT, options } from "./auth.js";
import { erasureSection } from "./erasure.js";
import { label, pick, t } from "./i18n.js";
import { facts, itemLink as pageLink } from "./pageparts.js";
import { actionButton, dateTime, form, h, saveFile, say, section, statusArea, table, today } from "./ui.js";

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

// an ID number I claimed at registration (身份申诉), while an officer decides and after
function appealsSection(appeals) {
  if (!appeals.length) return "";
  return section(
    "appeals.mine",
    table(
      [
        ["profile.citizen_id", (a) => a.citizen_id],
        ["common.state", (a) => h("span", { "data-appeal": a.id }, state("appeal_status", a.status))],
        ["appeals.filed_at", (a) => dateTime(a.filed_at)],
        ["appeals.decided_at", (a) => dateTime(a.decided_at)],
        ["common.reason", (a) => a.reason ?? ""],
      ],
      appeals,
    ),
  );
}

async function profile(main) {
  const [account, appeals] = await Promise.all([get("/api/v1/accounts/me"), get("/api/v1/me/identity-appeals")]);
  const person = account.profile ?? {};
  const details = [
    ["auth.username", account.username],
    ["profile.name", person.name],
    ["profile.citizen_id", person.citizen_id],
    ["profile.birth_date", person.birth_date],
    ["profile.age", person.age],
    ["profile.phone", account.phone],
    ["profile.email", account.email],
  ];
  main.append(
    appealsSection(appeals.items),
    section("profile.mine", h("dl", { class: "facts" }, details.flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value ?? "")]))),
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
          ["posts.title", (a) => pageLink("/application", a.id, a.post_title)],
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

export function rules(items) {
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

export function housingDeclarations() {
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
                h("h3", {}, h("a", { href: `#/message?id=${encodeURIComponent(m.id)}`, "data-message": m.id }, m.title)),
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

// one message, with how it went out on each channel (a skipped one says why)
async function message(main, params) {
  const m = await get(`/api/v1/me/messages/${encodeURIComponent(params?.get("id") ?? "")}`);
  main.append(
    h("p", {}, h("a", { href: "#/inbox" }, t("inbox.back"))),
    section(
      "inbox.message",
      h("h3", {}, m.title),
      h("p", {}, m.body),
      facts([
        ["preferences.category", label("category", m.category)],
        ["inbox.sent_at", dateTime(m.created_at)],
        ["inbox.read_at", m.read_at ? dateTime(m.read_at) : t("inbox.not_read")],
      ]),
      h("h3", {}, t("inbox.deliveries")),
      table(
        [
          ["inbox.channel", (d) => label("channel", d.channel)],
          ["common.state", (d) => state("delivery_state", d.state)],
          ["common.reason", (d) => (d.state === "skipped" ? label("skip_reason", d.reason) : "")],
          ["common.updated", (d) => dateTime(d.delivered_at ?? d.updated_at)],
        ],
        m.deliveries ?? [],
      ),
    ),
  );
}

// who revealed my ID number, phone and email, and why (PIPL art. 45): the export's own record
function revealsSection() {
  const status = statusArea();
  const list = h("div");
  return section(
    "data.reveals",
    h("p", {}, t("data.reveals_explain")),
    actionButton(
      "data.show_reveals",
      async () => {
        const [data, unitNames] = await Promise.all([get("/api/v1/me/data"), units()]);
        list.replaceChildren(
          table(
            [
              ["data.revealed_at", (r) => dateTime(r.at)],
              ["data.revealed_by_unit", (r) => pick(unitNames[r.unit]?.name) || r.unit],
              ["common.reason", (r) => r.reason],
            ],
            data.parts.gateway.personal_data_revealed ?? [],
            { empty: "data.no_reveals" },
          ),
        );
      },
      { status, name: "show-reveals" },
    ),
    status,
    list,
  );
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
          saveFile(`youthcity-my-data-${today()}.json`, await fetchFile("/api/v1/me/data/download"));
          say(status, t("data.downloaded"));
        },
        { status, kind: "primary", name: "download-data" },
      ),
      status,
    ),
    revealsSection(),
    await erasureSection(),
  );
}

export const YOUTH_PAGES = [
  { path: "/dashboard", title: "nav.dashboard", roles: YOUTH, menu: true, render: dashboard },
  { path: "/posts", title: "nav.posts", roles: YOUTH, menu: true, render: posts },
  { path: "/eligibility", title: "nav.eligibility", roles: YOUTH, menu: true, render: eligibility },
];

// the account's own pages, after the services' pages in the menu
export const ACCOUNT_PAGES = [
  { path: "/profile", title: "nav.profile", roles: YOUTH, menu: true, render: profile },
  { path: "/inbox", title: "nav.inbox", roles: EVERYONE, menu: true, render: inbox },
  { path: "/message", title: "nav.message", roles: EVERYONE, render: message },
  { path: "/preferences", title: "nav.preferences", roles: EVERYONE, menu: true, render: preferences },
  { path: "/data", title: "nav.data", roles: ["youth", "employer"], menu: true, render: myData },
];
