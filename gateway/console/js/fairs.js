// Job fairs (春风行动, issue 26): anyone sees the fairs still open and one fair's booths with
// the posts each shows; a young person registers to attend, an employer takes a free booth
// with its published posts, and the hiring bureau's officers open a fair. A visitor who acts is
// led to sign in and back to the same fair.

import { get, post, session } from "./api.js";
import { bodyEnum } from "./enumerations.js";
import { label, t } from "./i18n.js";
import { facts, pageStatus, tell } from "./pageparts.js";
import { signInLink } from "./portal.js";
import { dateTime, districtInstant, form, h, section } from "./ui.js";

const ANYONE = ["anonymous", "youth", "employer", "officer", "admin", "partner"];
// online or on site, from the API's document (this copy only when it cannot be read)
const MODES = ["online", "on_site"];

function role() {
  return session.account?.role ?? "anonymous";
}

function where(fair) {
  return fair.mode === "online" ? fair.url : [fair.venue, fair.area].filter(Boolean).join(" · ");
}

function fairCard(fair) {
  return h(
    "article",
    { class: "card item", "data-fair": fair.id },
    h("h3", {}, h("a", { href: `#/fair?id=${encodeURIComponent(fair.id)}`, "data-action": "open-fair" }, fair.title)),
    h("p", { class: "meta" }, [label("fair_mode", fair.mode), dateTime(fair.starts_at)].join(" · ")),
    h("p", { class: "prose" }, where(fair) ?? ""),
    h("p", {}, t("fairs.booths_left", { left: fair.booths_left ?? 0, capacity: fair.booth_capacity })),
  );
}

async function fairs(view) {
  const status = pageStatus();
  const page = await get("/api/v1/fairs", { limit: 50 });
  view.append(status, h("p", { class: "hint" }, t("fairs.hint")));
  if (role() === "officer") view.append(await newFair());
  view.append(page.items.length ? h("div", { class: "results" }, page.items.map(fairCard)) : h("p", { class: "empty" }, t("fairs.none")));
}

async function newFair() {
  const modes = await bodyEnum("post", "/api/v1/fairs", ["mode"], MODES);
  return section(
    "fairs.new",
    h("p", { class: "hint" }, t("fairs.new_hint")),
    form({
      name: "new-fair",
      fields: [
        { name: "title", label: "fairs.title", required: true },
        { name: "mode", label: "fairs.mode", type: "select", required: true, options: modes.map((mode) => [mode, label("fair_mode", mode)]) },
        { name: "venue", label: "fairs.venue" },
        { name: "url", label: "fairs.url", type: "url" },
        { name: "starts_at", label: "fairs.starts_at", type: "datetime-local", required: true },
        { name: "ends_at", label: "fairs.ends_at", type: "datetime-local", required: true },
        { name: "booth_capacity", label: "fairs.booth_capacity", type: "number", min: 1, required: true },
        { name: "description", label: "fairs.description", type: "textarea" },
      ],
      submit: "fairs.open",
      action: (body) => post("/api/v1/fairs", { ...body, starts_at: districtInstant(body.starts_at), ends_at: districtInstant(body.ends_at) }),
      done: (fair) => {
        location.hash = `#/fair?id=${encodeURIComponent(fair.id)}`;
      },
    }),
  );
}

async function youthPart(fair, refresh) {
  const mine = await get("/api/v1/me/fair-registrations", { limit: 100 });
  if (mine.items.some((r) => r.fair_id === fair.id)) return h("p", { class: "notice ok", "data-registered": "true" }, t("fairs.registered"));
  return section(
    "fairs.attend",
    form({
      name: "fair-registration",
      fields: [],
      submit: "fairs.register",
      action: () => post(`/api/v1/fairs/${encodeURIComponent(fair.id)}/registrations`),
      done: () => refresh(t("fairs.registered")),
    }),
  );
}

async function employerPart(fair, refresh) {
  const me = session.account?.id;
  if (fair.booths.some((booth) => booth.employer_id === me)) return h("p", { class: "notice ok", "data-booth": "mine" }, t("fairs.booth_taken"));
  const posts = (await get("/api/v1/me/posts", { state: "published", limit: 50 })).items;
  return section(
    "fairs.take_booth",
    h("p", { class: "hint" }, t("fairs.take_booth_hint")),
    form({
      name: "fair-booth",
      // each post is a checkbox labelled with its title (t() shows a text that is not a key as it is)
      fields: posts.map((item) => ({ name: `post:${item.id}`, label: item.title, type: "checkbox", value: true })),
      submit: "fairs.book",
      action: (body) => post(`/api/v1/fairs/${encodeURIComponent(fair.id)}/booths`, { post_ids: Object.keys(body).filter((name) => body[name]).map((name) => name.slice(5)) }),
      done: () => refresh(t("fairs.booth_booked")),
    }),
  );
}

async function fairPage(view, params) {
  const id = params.get("id");
  const status = pageStatus();
  const body = h("div", {});
  view.append(h("p", {}, h("a", { href: "#/fairs" }, t("fairs.all"))), status, body);
  async function show(message) {
    const fair = await get(`/api/v1/fairs/${encodeURIComponent(id)}`);
    let action = "";
    if (role() === "anonymous") action = h("p", { class: "actions", "data-act": "sign-in" }, signInLink(`/fair?id=${id}`, "fairs.sign_in_to_take_part"));
    else if (role() === "youth") action = await youthPart(fair, show);
    else if (role() === "employer") action = await employerPart(fair, show);
    body.replaceChildren(
      h(
        "section",
        { class: "card", "data-fair": fair.id, "data-state": fair.state },
        h("h2", {}, fair.title),
        facts([
          ["fairs.mode", label("fair_mode", fair.mode)],
          ["fairs.where", fair.mode === "online" && fair.url ? h("a", { href: fair.url, rel: "noopener" }, fair.url) : where(fair)],
          ["fairs.starts_at", dateTime(fair.starts_at)],
          ["fairs.ends_at", dateTime(fair.ends_at)],
          ["fairs.booths", h("span", { "data-figure": "booths" }, t("fairs.booths_left", { left: fair.booths_left ?? 0, capacity: fair.booth_capacity }))],
          ["fairs.registrations", h("span", { "data-figure": "registrations" }, String(fair.registration_count ?? 0))],
        ]),
        fair.description ? h("p", { class: "prose" }, fair.description) : null,
      ),
      action,
      section(
        "fairs.booth_list",
        fair.booths.length
          ? h(
              "ul",
              { class: "booths" },
              fair.booths.map((booth) =>
                h(
                  "li",
                  { "data-booth-of": booth.employer_id },
                  h("strong", {}, booth.employer_name),
                  booth.posts.length ? h("ul", {}, booth.posts.map((item) => h("li", {}, h("a", { href: `#/post?id=${encodeURIComponent(item.id)}` }, item.title)))) : null,
                ),
              ),
            )
          : h("p", { class: "empty" }, t("fairs.no_booths")),
      ),
    );
    if (message) tell(status, message);
  }
  await show();
}

export const FAIR_PAGES = [
  { path: "/fairs", title: "nav.fairs", roles: ["anonymous", "youth", "employer", "officer"], menu: true, render: fairs },
  { path: "/fair", title: "fairs.fair", roles: ANYONE, menu: false, render: fairPage },
];
