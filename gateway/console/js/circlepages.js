// The 15-minute circle's single items (issue 26), each on its own page with its facts first: a
// youth sports club (anyone reads it; the education and sports bureau changes it or takes it
// off the register, with the reason), a venue the bureau changes, a counselling booking (its
// person and the health unit only; the health unit cancels one) and a mental-health session
// request (its requester withdraws it).

import { get, patch, post, session } from "./api.js";
import { options } from "./auth.js";
import { EVERY_DAY, VENUE_KINDS, isOfficerOf, sportsOf, stateBadge } from "./circle.js";
import { label, t } from "./i18n.js";
import { confirmed, facts, itemPage } from "./pageparts.js";
import { openingHours } from "./portal.js";
import { dateTime, form, h, section } from "./ui.js";

const ANYONE = ["anonymous", "youth", "employer", "officer", "admin", "partner"];
// the units of the events policy's defaults: club_register_units, venue_units, health_units
const SPORTS_UNIT = "education_sports";
const HEALTH = "health";
const OPEN = ["requested", "scheduled"];

// -- youth sports clubs ---------------------------------------------------------------------------

function clubFacts(club) {
  return facts([
    ["common.state", stateBadge(club.state)],
    ["circle.sports_list", club.sports.join(t("common.list_separator"))],
    ["circle.area", club.area],
    club.address ? ["circle.address", club.address] : null,
    club.registration_number ? ["circlepages.registration_number", club.registration_number] : null,
    ["circle.youth_members", String(club.youth_members)],
    ["circlepages.registered_at", dateTime(club.registered_at)],
    club.deregistered_at ? ["circlepages.deregistered_at", dateTime(club.deregistered_at)] : null,
    club.deregister_reason ? ["common.reason", club.deregister_reason] : null,
  ]);
}

function clubKeeping(path, club, status, refresh) {
  return [
    section(
      "circlepages.change_club",
      form({
        name: "edit-club",
        fields: [
          { name: "name", label: "circle.club_name", required: true, value: club.name },
          { name: "sports", label: "circle.sports", required: true, value: club.sports.join(", ") },
          { name: "area", label: "circle.area", required: true, value: club.area },
          { name: "address", label: "circle.address", value: club.address },
          { name: "youth_members", label: "circle.youth_members", type: "number", min: 0, value: club.youth_members },
          { name: "description", label: "circlepages.description", type: "textarea", value: club.description },
        ],
        submit: "common.save",
        action: (data) => patch(path, { ...data, sports: sportsOf(data.sports) }),
        done: () => refresh(t("common.saved")),
      }),
    ),
    section(
      "circlepages.deregister",
      h("p", { class: "hint" }, t("circlepages.deregister_hint")),
      confirmed(
        "circlepages.deregister",
        "circlepages.deregister_prompt",
        async (reason) => {
          await post(`${path}/deregister`, { reason });
          await refresh(t("circlepages.deregistered", { name: club.name }));
        },
        { status, name: "deregister-club", params: { name: club.name }, reason: { label: "common.reason", required: true } },
      ),
    ),
  ];
}

function clubPage(view, params) {
  const path = `/api/v1/sports-clubs/${encodeURIComponent(params.get("id"))}`;
  // the register is in the public finder, and in the bureau's keeping page for staff
  const staff = ["officer", "admin"].includes(session.account?.role);
  return itemPage(view, {
    back: staff ? "/circle/keep" : "/circle",
    backKey: "circlepages.all_clubs",
    load: () => get(path),
    draw: (club, status, refresh) => [
      h("section", { class: "card", "data-club": club.id, "data-state": club.state }, h("h2", {}, club.name), clubFacts(club), club.description ? h("p", { class: "prose" }, club.description) : null),
      ...(isOfficerOf(SPORTS_UNIT) && club.state === "registered" ? clubKeeping(path, club, status, refresh) : []),
    ],
  });
}

// -- venues -----------------------------------------------------------------------------------------

// opening hours change here only when there is one period: several (weekdays apart from
// weekends) are kept as they are rather than flattened into one
function venueForm(path, venue, refresh) {
  const [period, ...others] = venue.opening_hours;
  const oneTime = period && !others.length;
  return form({
    name: "edit-venue",
    fields: [
      { name: "name", label: "circle.venue", required: true, value: venue.name },
      { name: "kind", label: "circle.kind", type: "select", options: options("venue_kind", VENUE_KINDS), value: venue.kind },
      { name: "area", label: "circle.area", required: true, value: venue.area },
      { name: "address", label: "circle.address", value: venue.address },
      { name: "description", label: "circlepages.description", type: "textarea", value: venue.description },
      { name: "latitude", label: "circle.latitude", type: "number", step: "any", value: venue.latitude },
      { name: "longitude", label: "circle.longitude", type: "number", step: "any", value: venue.longitude },
      ...(oneTime
        ? [
            { name: "opens", label: "circlepages.opens", required: true, value: period.opens },
            { name: "closes", label: "circlepages.closes", required: true, value: period.closes },
          ]
        : []),
    ],
    submit: "common.save",
    action: ({ opens, closes, ...changes }) =>
      patch(path, oneTime ? { ...changes, opening_hours: [{ weekdays: period.weekdays ?? EVERY_DAY, opens, closes }] } : changes),
    done: () => refresh(t("common.saved")),
  });
}

function venuePage(view, params) {
  const path = `/api/v1/venues/${encodeURIComponent(params.get("id"))}`;
  return itemPage(view, {
    back: "/circle/keep",
    backKey: "circlepages.all_venues",
    load: () => get(path),
    draw: (venue, status, refresh) => [
      h(
        "section",
        { class: "card", "data-venue": venue.id },
        h("h2", {}, venue.name),
        facts([
          ["circle.kind", label("venue_kind", venue.kind)],
          ["circle.area", venue.area],
          ["circle.address", venue.address],
          ["portal.opening_hours", openingHours(venue.opening_hours)],
          ["circle.location", venue.latitude === null ? t("circle.no_location") : `${venue.latitude}, ${venue.longitude}`],
          ["circlepages.updated_at", dateTime(venue.updated_at)],
        ]),
      ),
      section("circlepages.change_venue", h("p", { class: "meta" }, t("circle.datum_hint")), venueForm(path, venue, refresh)),
    ],
  });
}

// -- counselling bookings (sensitive: its person and the health unit only) ------------------------

function counsellingPage(view, params) {
  const id = encodeURIComponent(params.get("id"));
  const health = isOfficerOf(HEALTH);
  // its person cancels their own; the health unit cancels through its queue's path
  const cancel = health ? `/api/v1/mental-health/counselling/${id}/cancel` : `/api/v1/me/counselling/${id}/cancel`;
  return itemPage(view, {
    back: health ? "/mental-health" : "/counselling",
    backKey: health ? "circlepages.back_to_queues" : "circlepages.back_to_counselling",
    load: () => get(`/api/v1/mental-health/counselling/${id}`),
    draw: (booking, status, refresh) => [
      health ? h("p", { class: "notice warn" }, t("circle.sensitive")) : null,
      h(
        "section",
        { class: "card", "data-counselling": booking.id, "data-state": booking.state },
        facts([
          ["common.state", stateBadge(booking.state)],
          ["circle.mode", label("counselling_mode", booking.mode)],
          ["circle.preferred_at", dateTime(booking.preferred_at)],
          ["circlepages.concern", booking.concern || t("circlepages.no_concern")],
          booking.scheduled_at ? ["circle.scheduled_at", `${dateTime(booking.scheduled_at)} ${booking.place ?? ""}`] : null,
          ["circlepages.requested_at", dateTime(booking.requested_at)],
          ["circlepages.consented_at", dateTime(booking.consented_at)],
          booking.completed_at ? ["circlepages.completed_at", dateTime(booking.completed_at)] : null,
          booking.cancelled_at ? ["circlepages.cancelled_at", dateTime(booking.cancelled_at)] : null,
        ]),
      ),
      OPEN.includes(booking.state)
        ? confirmed(
            "circle.cancel_booking",
            "circlepages.cancel_counselling_prompt",
            async () => {
              await post(cancel);
              await refresh(t("circlepages.counselling_cancelled"));
            },
            { status, name: "cancel-counselling" },
          )
        : null,
    ],
  });
}

// -- mental-health session requests -------------------------------------------------------------

function outreachPage(view, params) {
  const path = `/api/v1/mental-health/outreach/${encodeURIComponent(params.get("id"))}`;
  return itemPage(view, {
    back: "/mental-health",
    backKey: "circlepages.back_to_requests",
    load: () => get(path),
    draw: (request, status, refresh) => [
      h(
        "section",
        { class: "card", "data-outreach": request.id, "data-state": request.state },
        h("h2", {}, request.organisation),
        facts([
          ["common.state", stateBadge(request.state)],
          ["circle.setting", label("outreach_setting", request.setting)],
          request.area ? ["circle.area", request.area] : null,
          request.topic ? ["circle.topic", request.topic] : null,
          ["circle.audience", String(request.audience_size)],
          ["circle.preferred", `${request.preferred_from} – ${request.preferred_until}`],
          request.scheduled_at ? ["circle.scheduled_at", `${dateTime(request.scheduled_at)} ${request.place ?? ""}`] : null,
          request.held_at ? ["circlepages.held_at", dateTime(request.held_at)] : null,
          request.attendance === null || request.attendance === undefined ? null : ["circle.attendance", String(request.attendance)],
          request.decision_reason ? ["common.reason", request.decision_reason] : null,
          ["circlepages.requested_at", dateTime(request.requested_at)],
        ]),
      ),
      OPEN.includes(request.state) && request.requested_by === session.account?.id
        ? confirmed(
            "circlepages.withdraw",
            "circlepages.withdraw_prompt",
            async () => {
              await post(`${path}/withdraw`);
              await refresh(t("circlepages.withdrawn"));
            },
            { status, name: "withdraw-outreach" },
          )
        : null,
    ],
  });
}

export const CIRCLE_ITEM_PAGES = [
  { path: "/club", title: "circlepages.club", roles: ANYONE, render: clubPage },
  { path: "/circle/venue", title: "circlepages.venue", roles: ["officer", "admin"], render: venuePage },
  { path: "/counselling/booking", title: "circlepages.counselling", roles: ["youth", "officer"], render: counsellingPage },
  { path: "/mental-health/request", title: "circlepages.outreach", roles: ["officer", "employer"], render: outreachPage },
];
