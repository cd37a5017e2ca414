// The housing officer's back office (区住建局): the units, an allocation round with what it
// offered and the units it left, the leases (ended with a reason, after a check of the answers),
// the talent ledger (人才台账) with its follow-up visits, and the youth station's check-in and
// check-out (a young person's own housing pages are myhousing.js). Choice lists come from the API's
// OpenAPI document; the copies below stand only when it cannot be read (a unit test compares
// them with the service's vocabulary).

import { get, patch, post, session } from "./api.js";
import { bodyEnum } from "./enumerations.js";
import { label, pick, t } from "./i18n.js";
import { cardTable, checkedForm, cny, facts, pageStatus, paged, shortId, tell } from "./pageparts.js";
import { personLink } from "./people.js";
import { actionButton, dateTime, districtInstant, form, h, section, statusArea, today } from "./ui.js";

const STAFF = ["officer", "admin"];
const UNITS = "/api/v1/housing/units";
const ROUNDS = "/api/v1/housing/allocation-rounds";
const LEASES = "/api/v1/housing/leases";
const LEDGER = "/api/v1/housing/ledger";
const BOOKINGS = "/api/v1/housing/station-bookings";
const LOTTERIES = "/api/v1/housing/lotteries";
const SUBSIDIES = "/api/v1/housing/subsidy-applications";

const UNIT_KINDS = ["talent_apartment", "public_rental", "affordable_rental", "station_bed"];
const RENTAL_KINDS = ["talent_apartment", "public_rental", "affordable_rental"];
const FOLLOWUP_METHODS = ["visit", "phone", "online"];
const EMPLOYMENT = ["unemployed", "employed", "self_employed", "student"];

// the housing bureau's officers and administrators work here; another unit's officer is told so
// rather than shown the API's refusals
const HOUSING_UNIT = "housing";

function ourPage(view) {
  if (session.account?.role === "admin" || session.account?.unit === HOUSING_UNIT) return true;
  view.append(h("p", { class: "notice warn", "data-note": "other-unit" }, t("office.other_unit")));
  return false;
}

const choices = (values, group) => values.map((value) => [value, label(group, value)]);

// every unit, to name a unit by its title rather than its id
async function allUnits() {
  const page = await get(UNITS, { limit: 100 });
  return page.items;
}

function unitName(units, id) {
  const unit = units.find((u) => u.id === id);
  return unit ? unit.title : shortId(id);
}

// -- units -------------------------------------------------------------------------------------

// a unit's description, size, rent or beds corrected; its kind and state stay as they are
function unitEdit(unit, refresh) {
  return h(
    "details",
    { class: "unit-action" },
    h("summary", {}, t("office.edit_unit")),
    form({
      name: `edit-unit-${unit.id}`,
      fields: [
        { name: "title", label: "office.unit_title", required: true, value: unit.title },
        { name: "address", label: "housing.address", required: true, value: unit.address },
        { name: "area", label: "office.area", value: unit.area },
        { name: "area_m2", label: "office.area_m2", required: true, value: unit.area_m2 },
        { name: "rooms", label: "office.rooms", type: "number", min: 0, max: 20, required: true, value: unit.rooms },
        { name: "rent_cny", label: "office.rent_monthly", required: true, value: unit.rent_cny },
        unit.kind === "station_bed" ? { name: "beds", label: "office.beds", type: "number", min: 1, max: 200, value: unit.beds } : null,
      ].filter(Boolean),
      submit: "office.save_unit",
      action: (body) => patch(`${UNITS}/${unit.id}`, body),
      done: (changed) => refresh(t("office.unit_saved", { title: changed.title })),
    }),
  );
}

// an available unit taken out of service, or one in maintenance put back (a rental then goes to
// the next in line): each with its reason, which the API requires
function unitStateChange(unit, refresh) {
  const verb = { available: "maintenance", maintenance: "reopen" }[unit.state];
  if (!verb) return "";
  return h(
    "details",
    { class: "unit-action" },
    h("summary", {}, t(`office.unit_${verb}`)),
    form({
      name: `${verb}-${unit.id}`,
      fields: [{ name: "reason", label: "office.unit_reason", type: "textarea", required: true }],
      submit: `office.unit_${verb}`,
      action: (body) => post(`${UNITS}/${unit.id}/${verb}`, body),
      done: () => refresh(t(`office.unit_${verb}_done`, { title: unit.title })),
    }),
  );
}

function unitActions(unit, refresh) {
  return h("div", {}, unitEdit(unit, refresh), unitStateChange(unit, refresh));
}

function unitsSection(units, kinds, refresh) {
  return section(
    "office.units",
    h("p", { class: "hint" }, t("office.units_hint")),
    cardTable(
      [
        ["housing.unit", (u) => h("span", { "data-unit": u.id }, u.title)],
        ["housing.kind", (u) => label("unit_kind", u.kind)],
        ["office.rooms", (u) => String(u.rooms ?? "")],
        ["office.area_m2", (u) => t("office.square_metres", { area: u.area_m2 })],
        ["housing.rent", (u) => cny(u.rent_cny)],
        ["housing.address", (u) => u.address],
        ["office.unit_state", (u) => label("state", u.state)],
        ["office.actions", (u) => unitActions(u, refresh)],
      ],
      units,
      { empty: "office.no_units" },
    ),
    h("h3", {}, t("office.add_unit")),
    form({
      name: "housing-unit",
      fields: [
        { name: "kind", label: "housing.kind", type: "select", required: true, options: choices(kinds, "unit_kind") },
        { name: "title", label: "office.unit_title", required: true },
        { name: "address", label: "housing.address", required: true },
        { name: "area", label: "office.area" },
        { name: "area_m2", label: "office.area_m2", required: true },
        { name: "rooms", label: "office.rooms", type: "number", min: 0, max: 20, value: 1, required: true },
        { name: "rent_cny", label: "office.rent_monthly", required: true },
        { name: "beds", label: "office.beds", type: "number", min: 1, max: 200 },
        { name: "homestay", label: "office.homestay", type: "checkbox" },
      ],
      submit: "office.add_unit",
      action: (body) => post(UNITS, body),
      done: (unit) => refresh(t("office.unit_added", { title: unit.title })),
    }),
  );
}

// -- an allocation round -----------------------------------------------------------------------

function roundResult(answer, units) {
  return h(
    "div",
    { class: "card", "data-round": "result" },
    h("h3", { tabindex: "-1" }, t("office.round_done", { count: answer.offers.length, method: label("allocation_method", answer.method) })),
    cardTable(
      [
        ["housing.unit", (o) => h("span", { "data-offer": o.application_id }, unitName(units, o.unit_id))],
        ["office.application", (o) => shortId(o.application_id)],
        ["housing.respond_by", (o) => dateTime(o.respond_by)],
        ["office.offer_state", (o) => label("offer_state", o.state)],
      ],
      answer.offers,
      { empty: "office.round_no_offers" },
    ),
    h("h4", {}, t("office.units_left")),
    cardTable(
      [
        ["housing.unit", (u) => h("span", { "data-left": u.unit_id }, unitName(units, u.unit_id))],
        ["office.rooms", (u) => String(u.rooms)],
        ["office.household_fit", (u) => t("office.household_sizes", { fewest: u.fewest, most: u.most })],
      ],
      answer.units_left ?? [],
      { empty: "office.no_units_left" },
    ),
  );
}

async function roundSection(units, kinds) {
  const waiting = await get("/api/v1/housing/applications", { state: "waitlisted", limit: 100 });
  const available = units.filter((u) => u.state === "available" && kinds.includes(u.kind));
  const result = h("div", {});
  const count = (kind, list) => list.filter((item) => item.kind === kind).length;
  return section(
    "office.round",
    h("p", { class: "hint" }, t("office.round_rules")),
    cardTable(
      [
        ["housing.kind", (kind) => label("unit_kind", kind)],
        ["office.waiting", (kind) => String(count(kind, waiting.items))],
        ["office.available", (kind) => String(count(kind, available))],
      ],
      kinds,
    ),
    checkedForm({
      name: "allocation-round",
      fields: [
        { name: "kind", label: "housing.kind", type: "select", required: true, options: choices(kinds, "unit_kind") },
        {
          name: "unit_id",
          label: "office.round_unit",
          type: "select",
          options: [["", t("office.every_available_unit")], ...available.map((u) => [u.id, `${u.title} · ${label("unit_kind", u.kind)}`])],
        },
      ],
      submit: "office.prepare_round",
      summary: () => t("office.round_check"),
      send: (body) => post(ROUNDS, body),
      done: async (answer) => {
        result.replaceChildren(roundResult(answer, await allUnits()));
        result.querySelector("h3").focus();
      },
    }),
    result,
  );
}


// -- draw rounds (摇号): opened naming a public value, closed (entrants frozen), drawn with it ----

function roundActions(round, refresh) {
  const status = statusArea();
  const path = `${LOTTERIES}/${round.id}`;
  const done = (key) => refresh(t(key, { title: round.title ?? "" }));
  const parts = [];
  if (round.state === "open") {
    parts.push(
      actionButton("office.close_round", async () => { await post(`${path}/close`); await done("office.round_closed"); }, { status, kind: "primary", name: "close-round" }),
      h(
        "details",
        {},
        h("summary", {}, t("office.cancel_round")),
        h("p", { class: "hint" }, t("office.cancel_round_check")),
        actionButton("office.confirm_cancel_round", async () => { await post(`${path}/cancel`); await done("office.round_cancelled"); }, { status, name: "cancel-round" }),
      ),
    );
  }
  if (round.state === "closed") {
    parts.push(
      form({
        name: `draw-${round.id}`,
        fields: [{ name: "public_value", label: "office.public_value", required: true }],
        submit: "office.draw",
        action: (body) => post(`${path}/draw`, body),
        done: () => done("office.round_drawn"),
      }),
    );
  }
  return h("div", { class: "round-actions" }, ...parts, status);
}

function lotteriesSection(rounds, kinds, refresh) {
  return section(
    "office.lotteries",
    h("p", { class: "hint" }, t("office.lotteries_hint")),
    cardTable(
      [
        ["draws.round", (r) => h("a", { href: `#/draws?id=${encodeURIComponent(r.id)}`, "data-lottery": r.id }, r.title || label("unit_kind", r.kind))],
        ["housing.kind", (r) => label("unit_kind", r.kind)],
        ["draws.state", (r) => label("draw_state", r.state)],
        ["draws.entrants", (r) => r.entrant_count ?? "—"],
        ["draws.public_value_at", (r) => `${dateTime(r.public_value_at)} · ${r.public_value_source ?? ""}`],
        ["office.actions", (r) => roundActions(r, refresh)],
      ],
      rounds.items,
      { empty: "draws.none" },
    ),
    h("h3", {}, t("office.open_round")),
    form({
      name: "open-lottery",
      fields: [
        { name: "kind", label: "housing.kind", type: "select", required: true, options: choices(kinds, "unit_kind") },
        { name: "title", label: "office.round_title" },
        { name: "public_value_source", label: "office.public_value_source", required: true },
        { name: "public_value_at", label: "office.public_value_at", type: "datetime-local", required: true },
      ],
      submit: "office.open_round",
      action: (body) => post(LOTTERIES, { ...body, public_value_at: districtInstant(body.public_value_at) }),
      done: (round) => refresh(t("office.round_opened", { title: round.title ?? "" })),
    }),
  );
}

// -- subsidy applications: the case (what is asked, the household, each rule) before the decision --

function ruleList(items) {
  return h(
    "ul",
    { class: "rules" },
    (items ?? []).map((rule) =>
      h("li", { class: rule.passed ? "passed" : "failed" }, h("span", { class: "mark" }, rule.passed ? t("common.passed") : t("common.failed")), " ", pick(rule.message ?? rule.explanation)),
    ),
  );
}

function subsidyCase(subsidy, refresh) {
  return h(
    "article",
    { class: "card", "data-subsidy": subsidy.id },
    h("h3", {}, `${label("subsidy_kind", subsidy.kind)} · ${cny(subsidy.amount_requested_cny)}`),
    facts([
      ["office.applicant", personLink(subsidy.person_id)],
      ["office.amount_requested", cny(subsidy.amount_requested_cny)],
      ["office.household_size", subsidy.household_size ? String(subsidy.household_size) : "—"],
      subsidy.property_address ? ["office.property_address", subsidy.property_address] : null,
      subsidy.contract_date ? ["office.contract_date", subsidy.contract_date] : null,
      ["office.submitted_at", dateTime(subsidy.submitted_at)],
      ["office.eligibility", subsidy.eligible ? t("eligibility.eligible") : t("eligibility.not_eligible")],
    ]),
    ruleList(subsidy.eligibility),
    checkedForm({
      name: `subsidy-${subsidy.id}`,
      fields: [
        { name: "decision", label: "office.decision", type: "select", required: true, options: [["granted", t("office.grant")], ["refused", t("office.refuse")]] },
        { name: "amount_granted_cny", label: "office.amount_granted", value: subsidy.amount_requested_cny },
        { name: "reason", label: "office.decision_reason", type: "textarea" },
      ],
      submit: "office.prepare_decision",
      summary: () => t("office.subsidy_check"),
      send: (body) => post(`${SUBSIDIES}/${subsidy.id}/decision`, body.decision === "refused" ? { decision: body.decision, reason: body.reason } : body),
      done: (answer) => refresh(t("office.subsidy_decided", { state: label("state", answer.state) })),
    }),
  );
}

function subsidiesSection(page, refresh) {
  return section(
    "office.subsidies",
    page.items.length ? page.items.map((subsidy) => subsidyCase(subsidy, refresh)) : h("p", { class: "empty" }, t("office.no_subsidies")),
  );
}

// -- leases -------------------------------------------------------------------------------------

function endLease(lease, refresh) {
  return h(
    "details",
    { class: "end-lease" },
    h("summary", {}, t("office.end_lease")),
    checkedForm({
      name: `end-lease-${lease.id}`,
      fields: [
        { name: "ended_on", label: "office.ended_on", type: "date", value: today() },
        { name: "reason", label: "office.end_reason", type: "textarea", required: true },
      ],
      submit: "office.end_lease",
      summary: () => t("office.end_lease_check"),
      send: (body) => post(`${LEASES}/${lease.id}/end`, body),
      done: () => refresh(t("office.lease_ended")),
    }),
  );
}

function leasesSection(leases, units, refresh) {
  return section(
    "office.leases",
    paged(leases, (items) =>
      cardTable(
        [
          ["housing.unit", (l) => h("span", { "data-lease": l.id }, unitName(units, l.unit_id))],
          ["housing.kind", (l) => label("unit_kind", l.kind)],
          ["housing.rent", (l) => cny(l.rent_cny)],
          ["office.starts_on", (l) => l.starts_on],
          ["office.ends_on", (l) => l.ends_on ?? "—"],
          ["office.lease_state", (l) => label("state", l.state)],
          ["office.actions", (l) => (l.state === "active" ? endLease(l, refresh) : "")],
        ],
        items,
        { empty: "office.no_leases" },
      ),
    ),
  );
}

async function office(view) {
  if (!ourPage(view)) return;
  const status = pageStatus();
  const body = h("div", {});
  view.append(h("p", { class: "lead" }, t("office.intro")), status, body);
  const [unitKinds, rentalKinds] = await Promise.all([
    bodyEnum("post", UNITS, ["kind"], UNIT_KINDS),
    bodyEnum("post", ROUNDS, ["kind"], RENTAL_KINDS),
  ]);
  async function draw(message) {
    const [units, leases, rounds, subsidies] = await Promise.all([
      allUnits(),
      get(LEASES, { limit: 50 }),
      get(LOTTERIES, { limit: 20 }),
      get(SUBSIDIES, { state: "submitted", limit: 20 }),
    ]);
    body.replaceChildren(
      unitsSection(units, unitKinds, draw),
      lotteriesSection(rounds, rentalKinds, draw),
      await roundSection(units, rentalKinds),
      leasesSection(leases, units, draw),
      subsidiesSection(subsidies, draw),
    );
    if (message) tell(status, message);
  }
  await draw();
}

// -- the talent ledger ----------------------------------------------------------------------------

async function ledgerList(view) {
  const [entries, units] = await Promise.all([get(LEDGER, { limit: 50 }), allUnits()]);
  view.append(
    h("p", { class: "lead" }, t("office.ledger_intro")),
    paged(entries, (items) =>
      cardTable(
        [
          ["housing.unit", (e) => h("a", { href: `#/housing-ledger?id=${encodeURIComponent(e.id)}`, "data-entry": e.lease_id }, unitName(units, e.unit_id))],
          ["housing.kind", (e) => label("unit_kind", e.kind)],
          ["office.housed_since", (e) => e.housed_since],
          ["office.moved_out_on", (e) => e.moved_out_on ?? "—"],
          ["office.followups", (e) => String(e.followups)],
          ["office.last_followup", (e) => e.last_followup_on ?? t("office.never_visited")],
        ],
        items,
        { empty: "office.no_entries" },
      ),
    ),
    await stationSection(),
  );
}

async function ledgerEntry(view, id) {
  const status = pageStatus();
  const box = h("div", {});
  view.append(h("p", {}, h("a", { href: "#/housing-ledger" }, t("office.all_entries"))), status, box);
  const [methods, employment] = await Promise.all([
    bodyEnum("post", `${LEDGER}/{entry_id}/followups`, ["method"], FOLLOWUP_METHODS),
    bodyEnum("post", `${LEDGER}/{entry_id}/followups`, ["employment_status"], EMPLOYMENT),
  ]);
  async function draw(message) {
    const entry = await get(`${LEDGER}/${encodeURIComponent(id)}`);
    const unit = await get(`${UNITS}/${encodeURIComponent(entry.unit_id)}`).catch(() => null);
    box.replaceChildren(
      section(
        "office.entry",
        facts([
          ["housing.unit", unit ? `${unit.title} · ${unit.address}` : shortId(entry.unit_id)],
          ["housing.kind", label("unit_kind", entry.kind)],
          ["office.tenant", personLink(entry.person_id)],
          ["office.housed_since", entry.housed_since],
          ["office.moved_out_on", entry.moved_out_on ?? "—"],
          ["office.followups", String(entry.followups)],
        ]),
      ),
      section(
        "office.visits",
        cardTable(
          [
            ["office.visited_on", (v) => v.visited_on],
            ["office.method", (v) => label("followup_method", v.method)],
            ["office.employment", (v) => label("employment", v.employment_status) || "—"],
            ["office.notes", (v) => v.notes || "—"],
            ["office.recorded_at", (v) => dateTime(v.recorded_at)],
          ],
          entry.visits ?? [],
          { empty: "office.no_visits" },
        ),
        h("h3", {}, t("office.record_followup")),
        form({
          name: "followup",
          fields: [
            { name: "visited_on", label: "office.visited_on", type: "date", value: today(), required: true },
            { name: "method", label: "office.method", type: "select", required: true, options: choices(methods, "followup_method") },
            { name: "employment_status", label: "office.employment", type: "select", options: [["", t("office.not_asked")], ...choices(employment, "employment")] },
            { name: "notes", label: "office.notes", type: "textarea" },
          ],
          submit: "office.record_followup",
          action: (body) => post(`${LEDGER}/${encodeURIComponent(id)}/followups`, body),
          done: () => draw(t("office.followup_recorded")),
        }),
      ),
    );
    if (message) tell(status, message);
  }
  await draw();
}

async function ledger(view, params) {
  if (!ourPage(view)) return;
  const id = params?.get("id");
  if (id) await ledgerEntry(view, id);
  else await ledgerList(view);
}

// -- the youth station: a guest's booking, found by its number, checked in and out -----------------

function bookingCard(booking, unit, again) {
  const status = statusArea();
  const act = (verb, key) =>
    actionButton(
      key,
      async () => {
        const answer = await post(`${BOOKINGS}/${booking.id}/${verb}`);
        again(answer, t(`office.${verb.replace("-", "_")}_done`));
      },
      { status, kind: "primary", name: verb },
    );
  return h(
    "div",
    { class: "card", "data-booking": booking.id },
    facts([
      ["office.station_room", unit ? `${unit.title} · ${unit.address}` : shortId(booking.unit_id)],
      ["housing.first_night", booking.first_night],
      ["office.last_night", booking.last_night],
      ["housing.nights", String(booking.nights_booked)],
      ["office.booking_state", label("state", booking.state)],
      booking.checked_in_at ? ["office.checked_in_at", dateTime(booking.checked_in_at)] : null,
      booking.checked_out_at ? ["office.checked_out_at", dateTime(booking.checked_out_at)] : null,
    ]),
    h(
      "div",
      { class: "actions" },
      booking.state === "confirmed" ? act("check-in", "office.check_in") : null,
      booking.state === "checked_in" ? act("check-out", "office.check_out") : null,
    ),
    status,
  );
}

async function stationSection() {
  const found = h("div", {});
  const notice = statusArea();
  async function show(booking, message) {
    const unit = await get(`${UNITS}/${encodeURIComponent(booking.unit_id)}`).catch(() => null);
    found.replaceChildren(bookingCard(booking, unit, show));
    if (message) tell(notice, message);
  }
  return section(
    "office.station",
    h("p", { class: "hint" }, t("office.station_hint")),
    form({
      name: "station-booking",
      fields: [{ name: "booking_id", label: "office.booking_number", required: true }],
      submit: "office.find_booking",
      action: ({ booking_id }) => get(`${BOOKINGS}/${encodeURIComponent(booking_id.trim())}`),
      done: (booking) => show(booking),
    }),
    notice,
    found,
  );
}

export const HOUSING_OFFICE_PAGES = [
  { path: "/housing-office", title: "nav.housing_office", roles: STAFF, menu: true, render: office },
  { path: "/housing-ledger", title: "nav.housing_ledger", roles: STAFF, menu: true, render: ledger },
];

