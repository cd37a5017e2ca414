// The 15-minute fitness circle (15分钟健身圈, plan 三.4): young people find the venues within a
// walk of a point (GCJ-02, as Chinese maps give it), book a place in a school ground's or a
// court's time slot, read the register of youth sports clubs and book counselling with their
// separate consent; the education and sports bureau keeps the venues, their slots and the club
// register; the health commission handles mental-health sessions asked for by companies,
// villages and offices, and counselling bookings (seen by the person and its officers only).
// Each club, venue, booking and request has its own page (circlepages.js).

import { get, post, session } from "./api.js";
import { label, t } from "./i18n.js";
import { itemLink } from "./pageparts.js";
import { actionButton, dateTime, districtInstant, form, h, say, section, statusArea, table } from "./ui.js";

const STAFF = ["officer", "admin"];
export const VENUE_KINDS = [
  "fitness_centre",
  "multi_sport_court",
  "sports_park",
  "fitness_trail",
  "fitness_square",
  "football_pitch",
  "basketball_court",
  "school_ground",
  "youth_home",
];
const SETTINGS = ["enterprise", "village", "office"];
const MODES = ["in_person", "phone", "online"];
const HEALTH = "health";
export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

function options(group, values) {
  return values.map((value) => [value, label(group, value)]);
}

// the sports typed in one field, as a list: commas of either width, 、 or spaces between them
export function sportsOf(text) {
  return text.split(/[,,、\s]+/).filter(Boolean);
}

export function stateBadge(value) {
  return h("span", { class: `state state-${value}` }, label("circle_state", value));
}

export function isOfficerOf(unit) {
  return session.account?.role === "officer" && session.account?.unit === unit;
}

// -- young people: the finder, slots and my bookings ----------------------------------------------

function slotList(venue, status, refreshMine) {
  const box = h("div", { class: "slots", "data-slots": venue.id });
  const show = async () => {
    const page = await get(`/api/v1/venues/${venue.id}/slots`, { limit: 50 });
    box.replaceChildren(
      table(
        [
          ["circle.starts", (s) => dateTime(s.starts_at)],
          ["circle.ends", (s) => dateTime(s.ends_at)],
          ["circle.places_left", (s) => h("span", { "data-places": s.id }, String(s.places_left))],
          [
            "common.actions",
            (s) =>
              session.account?.role === "youth" &&
              actionButton(
                "circle.book",
                async () => {
                  await post(`/api/v1/slots/${s.id}/bookings`);
                  say(status, t("circle.booked"));
                  await show();
                  await refreshMine();
                },
                { status, name: `book-${s.id}`, kind: "primary" },
              ),
          ],
        ],
        page.items,
        { empty: "circle.no_slots" },
      ),
    );
  };
  return { box, show };
}

async function finder(main) {
  const status = statusArea();
  const results = h("div", { "aria-live": "polite", "data-results": "venues" });
  const mine = h("div", { "aria-live": "polite", "data-results": "my-slot-bookings" });
  const showMine = async () => {
    if (session.account?.role !== "youth") return;
    const page = await get("/api/v1/me/slot-bookings", { limit: 50 });
    mine.replaceChildren(
      table(
        [
          ["circle.venue", (b) => b.slot?.venue ?? ""],
          ["circle.starts", (b) => dateTime(b.slot?.starts_at)],
          ["common.state", (b) => stateBadge(b.state)],
          [
            "common.actions",
            (b) =>
              b.state === "booked"
                ? actionButton(
                    "circle.cancel_booking",
                    async () => {
                      await post(`/api/v1/me/slot-bookings/${b.id}/cancel`);
                      await showMine();
                    },
                    { status, name: `cancel-booking-${b.id}` },
                  )
                : "",
          ],
        ],
        page.items,
      ),
    );
  };
  const search = async (data) => {
    const answer = await get("/api/v1/venues", { near: data.near, minutes: data.minutes ?? 15, limit: 50 });
    results.replaceChildren(
      ...(answer.items.length
        ? answer.items.map((venue) => {
            const slots = slotList(venue, status, showMine);
            return h(
              "section",
              { class: "card venue", "data-venue": venue.id },
              h("h3", {}, venue.name),
              h(
                "p",
                { class: "meta" },
                t("circle.walk", { minutes: venue.walking_minutes, metres: venue.distance_m }),
                " · ",
                label("venue_kind", venue.kind),
                " · ",
                venue.open_now ? t("circle.open_now") : t("circle.closed_now"),
              ),
              venue.address ? h("p", { class: "meta" }, venue.address) : null,
              actionButton("circle.show_slots", slots.show, { status, name: `slots-${venue.id}` }),
              slots.box,
            );
          })
        : [h("p", { class: "empty" }, t("circle.none_near"))]),
    );
  };
  main.append(
    section(
      "circle.find",
      h("p", { class: "meta" }, t("circle.datum_hint")),
      form({
        name: "near",
        fields: [
          { name: "near", label: "circle.near", required: true },
          { name: "minutes", label: "circle.minutes", type: "number", min: 1, max: 120, value: 15 },
        ],
        submit: "circle.search",
        action: search,
      }),
    ),
    status,
    results,
  );
  if (session.account?.role === "youth") main.append(section("circle.my_bookings", mine));
  main.append(section("circle.clubs", await clubTable()));
  await showMine();
}

async function clubTable() {
  const page = await get("/api/v1/sports-clubs", { limit: 100 });
  return table(
    [
      ["circle.club_name", (c) => itemLink("/club", c.id, c.name)],
      ["circle.sports", (c) => c.sports.join(t("common.list_separator"))],
      ["circle.area", (c) => c.area],
      ["circle.youth_members", (c) => String(c.youth_members)],
    ],
    page.items,
  );
}

// -- young people: counselling --------------------------------------------------------------------

async function counselling(main) {
  const status = statusArea();
  const list = h("div", { "aria-live": "polite", "data-results": "my-counselling" });
  const show = async () => {
    const page = await get("/api/v1/me/counselling", { limit: 50 });
    list.replaceChildren(
      table(
        [
          ["circle.mode", (c) => itemLink("/counselling/booking", c.id, label("counselling_mode", c.mode))],
          ["common.state", (c) => stateBadge(c.state)],
          ["circle.scheduled_at", (c) => dateTime(c.scheduled_at)],
          ["circle.place", (c) => c.place ?? ""],
          [
            "common.actions",
            (c) =>
              ["requested", "scheduled"].includes(c.state)
                ? actionButton(
                    "circle.cancel_booking",
                    async () => {
                      await post(`/api/v1/me/counselling/${c.id}/cancel`);
                      await show();
                    },
                    { status, name: `cancel-counselling-${c.id}` },
                  )
                : "",
          ],
        ],
        page.items,
      ),
    );
  };
  main.append(
    section(
      "circle.counselling_book",
      h("p", { class: "notice", "data-consent-text": "counselling" }, t("circle.consent_text")),
      form({
        name: "counselling",
        fields: [
          { name: "mode", label: "circle.mode", type: "select", options: options("counselling_mode", MODES) },
          { name: "preferred_at", label: "circle.preferred_at", type: "datetime-local" },
          { name: "concern", label: "circle.concern", type: "textarea" },
          { name: "consent", label: "circle.consent", type: "checkbox" },
        ],
        submit: "circle.counselling_submit",
        action: (data) =>
          post("/api/v1/me/counselling", { ...data, consent: Boolean(data.consent), preferred_at: districtInstant(data.preferred_at) }),
        done: async (_, formStatus) => {
          say(formStatus, t("common.saved"));
          await show();
        },
      }),
    ),
    status,
    section("circle.my_counselling", list),
  );
  await show();
}

// -- the education and sports bureau: venues, slots, clubs ----------------------------------------

async function keep(main) {
  const status = statusArea();
  const venues = h("div", { "aria-live": "polite", "data-results": "venues" });
  let venueOptions = [];
  const slotForm = h("div");
  const drawSlotForm = () =>
    slotForm.replaceChildren(
      form({
        name: "slot",
        fields: [
          { name: "venue_id", label: "circle.venue", type: "select", options: venueOptions },
          { name: "starts_at", label: "circle.starts", type: "datetime-local", required: true },
          { name: "ends_at", label: "circle.ends", type: "datetime-local", required: true },
          { name: "capacity", label: "circle.capacity", type: "number", min: 1, required: true, value: 30 },
        ],
        submit: "circle.add_slot",
        action: (data) =>
          post(`/api/v1/venues/${data.venue_id}/slots`, {
            starts_at: districtInstant(data.starts_at),
            ends_at: districtInstant(data.ends_at),
            capacity: data.capacity,
          }),
        done: (_, formStatus) => say(formStatus, t("common.saved")),
      }),
    );
  const refresh = async () => {
    const page = await get("/api/v1/venues", { limit: 100 });
    venueOptions = page.items.map((v) => [v.id, v.name]);
    venues.replaceChildren(
      table(
        [
          ["circle.venue", (v) => itemLink("/circle/venue", v.id, v.name)],
          ["circle.kind", (v) => label("venue_kind", v.kind)],
          ["circle.area", (v) => v.area],
          ["circle.location", (v) => (v.latitude === null ? t("circle.no_location") : `${v.latitude}, ${v.longitude}`)],
        ],
        page.items,
      ),
    );
    drawSlotForm();
  };
  main.append(
    h("p", { class: "meta" }, t("circle.keeper_hint")),
    status,
    section("circle.venues", venues),
    section(
      "circle.add_venue",
      h("p", { class: "meta" }, t("circle.datum_hint")),
      form({
        name: "venue",
        fields: [
          { name: "name", label: "circle.venue", required: true },
          { name: "kind", label: "circle.kind", type: "select", options: options("venue_kind", VENUE_KINDS) },
          { name: "area", label: "circle.area", required: true },
          { name: "address", label: "circle.address" },
          { name: "latitude", label: "circle.latitude", type: "number", step: "any" },
          { name: "longitude", label: "circle.longitude", type: "number", step: "any" },
          { name: "opens", label: "circle.opens", value: "06:00", required: true },
          { name: "closes", label: "circle.closes", value: "22:00", required: true },
        ],
        submit: "circle.add_venue",
        action: ({ opens, closes, ...venue }) =>
          post("/api/v1/venues", { ...venue, opening_hours: [{ weekdays: EVERY_DAY, opens, closes }] }),
        done: async (_, formStatus) => {
          await refresh();
          say(formStatus, t("common.saved"));
        },
      }),
    ),
    section("circle.add_slot", slotForm),
    section(
      "circle.add_club",
      form({
        name: "club",
        fields: [
          { name: "name", label: "circle.club_name", required: true },
          { name: "sports", label: "circle.sports", required: true },
          { name: "area", label: "circle.area", required: true },
          { name: "youth_members", label: "circle.youth_members", type: "number", min: 0, value: 0 },
        ],
        submit: "circle.add_club",
        action: (data) =>
          post("/api/v1/sports-clubs", { ...data, sports: sportsOf(data.sports) }),
        done: async (_, formStatus) => {
          say(formStatus, t("common.saved"));
          clubs.replaceChildren(await clubTable());
        },
      }),
    ),
  );
  const clubs = h("div", { "data-results": "clubs" }, await clubTable());
  main.append(section("circle.clubs", clubs));
  await refresh();
}

// -- mental health: the health commission's queues, a requester's own -----------------------------

function scheduleControls(kind, item, status, refresh) {
  const id = `${kind}-${item.id}`;
  const when = h("input", { type: "datetime-local", id: `when-${id}`, "aria-label": t("circle.scheduled_at") });
  const place = h("input", { id: `place-${id}`, "aria-label": t("circle.place"), placeholder: t("circle.place") });
  const base = kind === "outreach" ? `/api/v1/mental-health/outreach/${item.id}` : `/api/v1/mental-health/counselling/${item.id}`;
  const controls = [];
  if (["requested", "scheduled"].includes(item.state)) {
    controls.push(
      when,
      place,
      actionButton(
        "circle.schedule",
        async () => {
          await post(`${base}/schedule`, { scheduled_at: districtInstant(when.value), place: place.value });
          await refresh();
          say(status, t("common.saved"));
        },
        { status, name: `schedule-${id}`, kind: "primary" },
      ),
    );
  }
  if (kind === "outreach" && ["requested", "scheduled"].includes(item.state)) {
    const reason = h("input", { id: `reason-${id}`, "aria-label": t("circle.reason"), placeholder: t("circle.reason") });
    controls.push(
      reason,
      actionButton(
        "circle.decline",
        async () => {
          await post(`${base}/decline`, { reason: reason.value });
          await refresh();
        },
        { status, name: `decline-${id}` },
      ),
    );
  }
  if (item.state === "scheduled") {
    if (kind === "outreach") {
      const attendance = h("input", { type: "number", min: 0, id: `attendance-${id}`, "aria-label": t("circle.attendance") });
      controls.push(
        attendance,
        actionButton(
          "circle.hold",
          async () => {
            await post(`${base}/hold`, { attendance: Number(attendance.value || 0) });
            await refresh();
          },
          { status, name: `hold-${id}` },
        ),
      );
    } else {
      controls.push(
        actionButton(
          "circle.complete",
          async () => {
            await post(`${base}/complete`);
            await refresh();
          },
          { status, name: `complete-${id}` },
        ),
      );
    }
  }
  return h("span", { class: "inline" }, ...controls);
}

async function mentalHealth(main) {
  const status = statusArea();
  const health = isOfficerOf(HEALTH);
  const outreach = h("div", { "aria-live": "polite", "data-results": "outreach" });
  const counsel = h("div", { "aria-live": "polite", "data-results": "counselling" });
  // both lists asked first and shown in one go: a half-refreshed page (new requests beside the
  // old bookings, whose controls are about to be replaced) is not one to act on
  const refresh = async () => {
    const [requests, bookings] = await Promise.all([
      get("/api/v1/mental-health/outreach", { limit: 100 }),
      health ? get("/api/v1/mental-health/counselling", { limit: 100 }) : null,
    ]);
    outreach.replaceChildren(
      table(
        [
          ["circle.setting", (r) => label("outreach_setting", r.setting)],
          ["circle.organisation", (r) => itemLink("/mental-health/request", r.id, r.organisation)],
          ["circle.audience", (r) => String(r.audience_size)],
          ["circle.preferred", (r) => `${r.preferred_from} – ${r.preferred_until}`],
          ["common.state", (r) => stateBadge(r.state)],
          ["circle.scheduled_at", (r) => (r.scheduled_at ? `${dateTime(r.scheduled_at)} ${r.place ?? ""}` : "")],
          ["common.actions", (r) => (health ? scheduleControls("outreach", r, status, refresh) : "")],
        ],
        requests.items,
      ),
    );
    if (!health) return;
    counsel.replaceChildren(
      table(
        [
          ["circle.mode", (c) => itemLink("/counselling/booking", c.id, label("counselling_mode", c.mode))],
          ["circle.preferred_at", (c) => dateTime(c.preferred_at)],
          ["circle.concern", (c) => h("span", { "data-counselling": c.id }, c.concern)],
          ["common.state", (c) => stateBadge(c.state)],
          ["circle.scheduled_at", (c) => (c.scheduled_at ? `${dateTime(c.scheduled_at)} ${c.place ?? ""}` : "")],
          ["common.actions", (c) => scheduleControls("counselling", c, status, refresh)],
        ],
        bookings.items,
      ),
    );
  };
  main.append(h("p", { class: "meta" }, t(health ? "circle.health_hint" : "circle.request_hint")), status);
  main.append(section(health ? "circle.outreach_queue" : "circle.my_requests", outreach));
  if (health) main.append(section("circle.counselling_queue", h("p", { class: "meta" }, t("circle.sensitive")), counsel));
  if (!health) {
    main.append(
      section(
        "circle.request",
        form({
          name: "outreach",
          fields: [
            { name: "setting", label: "circle.setting", type: "select", options: options("outreach_setting", SETTINGS) },
            { name: "organisation", label: "circle.organisation", required: true },
            { name: "topic", label: "circle.topic", type: "textarea" },
            { name: "audience_size", label: "circle.audience", type: "number", min: 1, required: true, value: 30 },
            { name: "preferred_from", label: "circle.preferred_from", type: "date", required: true },
            { name: "preferred_until", label: "circle.preferred_until", type: "date", required: true },
          ],
          submit: "circle.request_submit",
          action: (data) => post("/api/v1/mental-health/outreach", data),
          done: async (_, formStatus) => {
            say(formStatus, t("common.saved"));
            await refresh();
          },
        }),
      ),
    );
  }
  await refresh();
}

export const CIRCLE_PAGES = [
  { path: "/circle", title: "nav.circle", roles: ["youth", "anonymous"], menu: true, render: finder },
  { path: "/counselling", title: "nav.counselling", roles: ["youth"], menu: true, render: counselling },
  { path: "/circle/keep", title: "nav.circle_keep", roles: STAFF, menu: true, render: keep },
  { path: "/mental-health", title: "nav.mental_health", roles: ["officer", "employer"], menu: true, render: mentalHealth },
];
