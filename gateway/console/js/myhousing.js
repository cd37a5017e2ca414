// A young person's housing (住房): the youth station's nights (the free beds shown before
// booking; a booking cancelled after a second question), the units and an application for one,
// each application with its explanation and, while it is open, withdrawn after a second
// question; an offer on its own page, its terms before the button that starts a lease; and a
// home-purchase subsidy (购房补贴) or housing-fund use (住房公积金) asked for after a check of
// the answers, since it claims money.

import { get, post } from "./api.js";
import { options } from "./auth.js";
import { bodyEnum } from "./enumerations.js";
import { label, t } from "./i18n.js";
import { cardTable, checkedForm, cny, confirmed, facts, pageStatus, paged, shortId, tell } from "./pageparts.js";
import { actionButton, dateTime, form, h, say, section, showProblem, statusArea, table, today, values } from "./ui.js";
import { housingDeclarations, rules, state } from "./youth.js";

const YOUTH = ["youth"];
const UNITS = "/api/v1/housing/units";
const APPLICATIONS = "/api/v1/housing/applications";
const BOOKINGS = "/api/v1/housing/station-bookings";
const SUBSIDIES = "/api/v1/housing/subsidy-applications";

const SUBSIDY_KINDS = ["purchase_subsidy", "housing_fund"];
// an application still in line may be withdrawn (a pending offer then goes to the next in line)
const OPEN_APPLICATIONS = ["submitted", "waitlisted", "offered"];


// an officer's reason as written; a refusal by the rules at submission is explained rule by rule,
// so it is named rather than shown as the service's English note
const decisionReason = (decided) => (decided.eligible ? (decided.decision_reason ?? "") : t("eligibility.not_eligible"));

// -- the youth station ---------------------------------------------------------------------------

// the chosen room's beds, night by night from the chosen first night, before it is booked
function freeNights(bookingForm) {
  const box = h("div", { "data-nights": "free", "aria-live": "polite" });
  let asked = 0;
  async function show() {
    const { unit_id, first_night, nights } = values(bookingForm);
    if (!unit_id || !first_night) return box.replaceChildren();
    // answers may come back out of order: only the last question's is shown
    const ticket = ++asked;
    try {
      const answer = await get(`${UNITS}/${encodeURIComponent(unit_id)}/nights`, { first_night, nights: nights ?? 1 });
      if (ticket !== asked) return;
      box.replaceChildren(
        h("h3", {}, t("housing.free_nights")),
        cardTable(
          [
            ["housing.night", (n) => n.night],
            ["housing.free_beds", (n) => h("span", { "data-free": n.night }, t("housing.beds_of", { free: n.free, beds: n.beds }))],
          ],
          answer.nights,
        ),
      );
    } catch (error) {
      if (ticket !== asked) return;
      const status = statusArea();
      box.replaceChildren(status);
      showProblem(status, error);
    }
  }
  bookingForm.addEventListener("change", show);
  return { box, show };
}

function bookingsTable(bookings, stations, cancel) {
  const room = (id) => stations.find((u) => u.id === id)?.title ?? shortId(id);
  return cardTable(
    [
      ["housing.room", (b) => room(b.unit_id)],
      ["housing.first_night", (b) => b.first_night],
      ["housing.nights", (b) => String(b.nights_booked)],
      ["common.state", (b) => state("state", b.state)],
      ["common.actions", (b) => (b.state === "confirmed" ? h("span", { "data-booking": b.id }, cancel(b)) : "")],
    ],
    bookings,
  );
}

async function stationSection(status) {
  const stations = (await get(UNITS, { kind: "station_bed", limit: 100 })).items;
  const mine = h("div");
  async function showBookings(message) {
    const page = await get("/api/v1/me/housing/station-bookings", { limit: 50 });
    const cancel = (booking) =>
      confirmed(
        "housing.cancel_booking",
        "housing.cancel_booking_prompt",
        async () => {
          await post(`${BOOKINGS}/${booking.id}/cancel`);
          await showBookings(t("housing.booking_cancelled", { first: booking.first_night }));
        },
        { status, name: "cancel-booking", params: { first: booking.first_night } },
      );
    mine.replaceChildren(bookingsTable(page.items, stations, cancel));
    if (message) tell(status, message);
  }
  await showBookings();
  if (!stations.length) {
    return [section("housing.station", h("p", { class: "empty" }, t("housing.no_station"))), section("housing.my_bookings", mine)];
  }
  const booking = form({
    name: "station-booking",
    fields: [
      { name: "unit_id", label: "housing.room", type: "select", required: true, options: stations.map((u) => [u.id, `${u.title} · ${u.address}`]) },
      { name: "first_night", label: "housing.first_night", type: "date", required: true, value: today() },
      { name: "nights", label: "housing.nights", type: "number", required: true, min: 1, max: 7, value: 1 },
    ],
    submit: "housing.book",
    action: (data) => post(BOOKINGS, data),
    done: async (answer, formStatus) => {
      await Promise.all([showBookings(), nights.show()]);
      say(formStatus, t("housing.booked", { nights: answer.nights_booked }));
    },
  });
  const nights = freeNights(booking);
  await nights.show();
  return [section("housing.station", h("p", { class: "hint" }, t("housing.station_hint")), booking, nights.box), section("housing.my_bookings", mine)];
}

// -- units, applications and offers --------------------------------------------------------------

function offerLink(offer) {
  return h("a", { href: `#/housing-offer?id=${encodeURIComponent(offer.id)}`, "data-offer": offer.id }, t("office.see_offer"));
}

function applicationLink(application) {
  return h("a", { href: `#/housing-application?id=${encodeURIComponent(application.id)}`, "data-application": application.id }, label("unit_kind", application.kind));
}

async function housing(main) {
  const status = pageStatus();
  main.append(status, ...(await stationSection(status)));
  const [units, applications, offers] = await Promise.all([
    get(UNITS, { limit: 50 }),
    get("/api/v1/me/housing/applications", { limit: 50 }),
    get("/api/v1/me/housing/offers", { limit: 50 }),
  ]);
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
        action: (data) => post(APPLICATIONS, data),
        done: (answer, formStatus) => say(formStatus, t("housing.application_state", { state: label("state", answer.state) })),
      }),
      table(
        [
          ["housing.kind", applicationLink],
          ["common.state", (a) => state("state", a.state)],
          ["housing.waitlist", (a) => (a.waitlist_position ? String(a.waitlist_position) : "")],
          ["common.reason", decisionReason],
        ],
        applications.items,
      ),
    ),
    // an offer is answered on its own page, after its terms: accepting starts a lease
    section(
      "housing.offers",
      table(
        [
          ["housing.unit", (o) => units.items.find((u) => u.id === o.unit_id)?.title ?? ""],
          ["housing.kind", (o) => label("unit_kind", o.kind)],
          ["common.state", (o) => state("state", o.state)],
          ["housing.respond_by", (o) => dateTime(o.respond_by)],
          ["common.actions", (o) => (o.state === "pending" ? offerLink(o) : "")],
        ],
        offers.items,
      ),
    ),
  );
}

// -- one application ------------------------------------------------------------------------------

async function applicationPage(view, params) {
  const id = params?.get("id") ?? "";
  const status = pageStatus();
  const box = h("div");
  view.append(h("p", {}, h("a", { href: "#/housing" }, t("office.back_to_housing"))), status, box);
  async function draw(message) {
    const application = await get(`${APPLICATIONS}/${encodeURIComponent(id)}`);
    const withdraw = OPEN_APPLICATIONS.includes(application.state)
      ? h(
          "div",
          { class: "actions" },
          confirmed(
            "housing.withdraw",
            "housing.withdraw_prompt",
            async () => {
              await post(`${APPLICATIONS}/${application.id}/withdraw`);
              await draw(t("housing.withdrawn"));
            },
            { status, name: "withdraw" },
          ),
        )
      : null;
    box.replaceChildren(
      section(
        "housing.application",
        facts([
          ["housing.kind", label("unit_kind", application.kind)],
          ["common.state", state("state", application.state)],
          ["office.household_size", String(application.household_size ?? "")],
          ["office.submitted_at", dateTime(application.submitted_at)],
          application.waitlist_position ? ["housing.waitlist", String(application.waitlist_position)] : null,
          application.decided_at ? ["housing.decided_at", dateTime(application.decided_at)] : null,
          application.decision_reason ? ["common.reason", decisionReason(application)] : null,
          ["office.eligibility", application.eligible ? t("eligibility.eligible") : t("eligibility.not_eligible")],
        ]),
        rules(application.eligibility ?? []),
        withdraw,
      ),
    );
    if (message) tell(status, message);
  }
  await draw();
}

// -- an offer: its terms, then accept (a lease starts) or decline ----------------------------------

function acceptCheck(offer, unit, answerStatus, draw) {
  return h(
    "div",
    { class: "card check", "data-check": "accept-offer" },
    h("h3", { tabindex: "-1" }, t("check.title")),
    h("p", {}, t("office.accept_check", { unit: unit?.title ?? "", rent: unit ? cny(unit.rent_cny) : "", date: today() })),
    h(
      "div",
      { class: "actions" },
      actionButton(
        "office.accept_and_start",
        async () => {
          const answer = await post(`/api/v1/housing/offers/${offer.id}/accept`);
          await draw(t("office.lease_started", { date: answer.lease?.starts_on ?? "" }));
        },
        { status: answerStatus, kind: "primary", name: "confirm-accept" },
      ),
      h("button", { type: "button", class: "secondary", "data-action": "change-answers", onclick: (event) => event.currentTarget.closest("[data-check]").remove() }, t("check.change")),
    ),
  );
}

async function offerPage(view, params) {
  const id = params?.get("id") ?? "";
  const status = pageStatus();
  const box = h("div", {});
  view.append(status, box);
  async function draw(message) {
    const offer = await get(`/api/v1/housing/offers/${encodeURIComponent(id)}`);
    const unit = await get(`${UNITS}/${encodeURIComponent(offer.unit_id)}`).catch(() => null);
    const pending = offer.state === "pending";
    const answerStatus = statusArea();
    const confirm = h("div", {});
    const accept = h("button", { type: "button", class: "primary", "data-action": "accept" }, t("housing.accept"));
    accept.addEventListener("click", () => {
      confirm.replaceChildren(acceptCheck(offer, unit, answerStatus, draw));
      confirm.querySelector("h3").focus();
    });
    const decline = actionButton(
      "housing.decline",
      async () => {
        await post(`/api/v1/housing/offers/${offer.id}/decline`);
        await draw(t("office.offer_declined"));
      },
      { status: answerStatus, name: "decline" },
    );
    box.replaceChildren(
      section(
        "office.offer_terms",
        facts([
          ["housing.unit", unit?.title ?? shortId(offer.unit_id)],
          ["housing.kind", label("unit_kind", offer.kind)],
          ["housing.address", unit?.address ?? ""],
          ["office.rooms", unit ? String(unit.rooms) : ""],
          ["office.monthly_rent", unit ? cny(unit.rent_cny) : ""],
          ["office.lease_starts", pending ? t("office.starts_when_accepted", { date: today() }) : ""],
          ["housing.respond_by", dateTime(offer.respond_by)],
          ["office.offer_state", label("offer_state", offer.state)],
        ]),
        pending ? h("div", { class: "actions" }, accept, decline) : h("p", {}, h("a", { href: "#/housing" }, t("office.back_to_housing"))),
        confirm,
        answerStatus,
      ),
    );
    if (message) tell(status, message);
  }
  await draw();
}

// -- subsidies: what is asked, checked before it is sent -------------------------------------------

function subsidyLink(subsidy) {
  return h("a", { href: `#/housing-subsidy?id=${encodeURIComponent(subsidy.id)}`, "data-subsidy": subsidy.id }, label("subsidy_kind", subsidy.kind));
}

function subsidyFields(kinds) {
  return [
    { name: "kind", label: "subsidy.kind", type: "select", required: true, options: options("subsidy_kind", kinds) },
    { name: "amount_requested_cny", label: "subsidy.amount", required: true },
    { name: "household_size", label: "subsidy.household_size", type: "number", min: 1, max: 20, value: 1, required: true },
    { name: "property_address", label: "subsidy.property_address" },
    { name: "contract_date", label: "subsidy.contract_date", type: "date" },
    { name: "on_government_payroll", label: "housing.on_payroll", type: "checkbox" },
    { name: "owns_property_in_district", label: "housing.owns_property", type: "checkbox" },
  ];
}

async function subsidies(view) {
  const status = pageStatus();
  const mine = h("div");
  async function showMine(message) {
    const page = await get("/api/v1/me/housing/subsidy-applications", { limit: 20 });
    mine.replaceChildren(
      paged(page, (items) =>
        cardTable(
          [
            ["subsidy.kind", subsidyLink],
            ["subsidy.amount", (s) => cny(s.amount_requested_cny)],
            ["common.state", (s) => state("state", s.state)],
            ["subsidy.amount_granted", (s) => cny(s.amount_granted_cny)],
            ["office.submitted_at", (s) => dateTime(s.submitted_at)],
          ],
          items,
          { empty: "subsidy.none" },
        ),
      ),
    );
    if (message) tell(status, message);
  }
  const kinds = await bodyEnum("post", SUBSIDIES, ["kind"], SUBSIDY_KINDS);
  view.append(
    h("p", { class: "lead" }, t("subsidy.intro")),
    status,
    section(
      "subsidy.apply",
      checkedForm({
        name: "housing-subsidy",
        fields: subsidyFields(kinds),
        submit: "subsidy.prepare",
        summary: (body) => t("subsidy.check", { kind: label("subsidy_kind", body.kind), amount: cny(body.amount_requested_cny) }),
        send: (body) => post(SUBSIDIES, body),
        done: (answer) => showMine(t("subsidy.submitted", { kind: label("subsidy_kind", answer.kind), state: label("state", answer.state) })),
      }),
    ),
    section("subsidy.mine", mine),
  );
  await showMine();
}

async function subsidyPage(view, params) {
  const subsidy = await get(`${SUBSIDIES}/${encodeURIComponent(params?.get("id") ?? "")}`);
  view.append(
    h("p", {}, h("a", { href: "#/housing-subsidies" }, t("subsidy.all"))),
    section(
      "subsidy.one",
      facts([
        ["subsidy.kind", label("subsidy_kind", subsidy.kind)],
        ["common.state", state("state", subsidy.state)],
        ["subsidy.amount", cny(subsidy.amount_requested_cny)],
        subsidy.amount_granted_cny ? ["subsidy.amount_granted", cny(subsidy.amount_granted_cny)] : null,
        ["subsidy.household_size", String(subsidy.household_size ?? "")],
        subsidy.property_address ? ["subsidy.property_address", subsidy.property_address] : null,
        subsidy.contract_date ? ["subsidy.contract_date", subsidy.contract_date] : null,
        ["office.submitted_at", dateTime(subsidy.submitted_at)],
        subsidy.decided_at ? ["housing.decided_at", dateTime(subsidy.decided_at)] : null,
        subsidy.decision_reason ? ["common.reason", decisionReason(subsidy)] : null,
        ["office.eligibility", subsidy.eligible ? t("eligibility.eligible") : t("eligibility.not_eligible")],
      ]),
      rules(subsidy.eligibility ?? []),
    ),
  );
}

export const MY_HOUSING_PAGES = [
  { path: "/housing", title: "nav.housing", roles: YOUTH, menu: true, render: housing },
  { path: "/housing-subsidies", title: "nav.housing_subsidies", roles: YOUTH, menu: true, render: subsidies },
  { path: "/housing-application", title: "nav.housing_application", roles: YOUTH, render: applicationPage },
  { path: "/housing-subsidy", title: "nav.housing_subsidy", roles: YOUTH, render: subsidyPage },
  { path: "/housing-offer", title: "nav.housing_offer", roles: YOUTH, render: offerPage },
];
