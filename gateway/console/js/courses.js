// Startup training courses (创业培训, e.g. SYB, issue 26): anyone reads the courses still ahead,
// with their dates, hours and places left; a young person enrols while places last and until the
// course starts, and sees their place; a visitor who wants a place is led to sign in and back.

import { get, post, session } from "./api.js";
import { label, t } from "./i18n.js";
import { facts, pageStatus, tell } from "./pageparts.js";
import { signInLink } from "./portal.js";
import { actionButton, h, today } from "./ui.js";

function role() {
  return session.account?.role ?? "anonymous";
}

function courseCard(course, mine, enrol, status) {
  let action = null;
  if (role() === "anonymous") action = h("p", { class: "actions", "data-act": "sign-in" }, signInLink("/courses", "courses.sign_in_to_enrol"));
  else if (mine) action = h("p", { class: "notice ok", "data-enrolment": mine.state }, t("courses.enrolled_state", { state: label("enrolment_state", mine.state) }));
  else if (role() === "youth" && (course.places_left ?? 0) > 0) action = h("p", { class: "actions" }, actionButton("courses.enrol", () => enrol(course), { status, kind: "primary", name: "enrol" }));
  return h(
    "article",
    { class: "card item", "data-course": course.id },
    h("h3", {}, h("a", { href: `#/course?id=${encodeURIComponent(course.id)}`, "data-action": "open" }, course.title)),
    facts([
      ["courses.mode", label("course_mode", course.mode)],
      course.venue ? ["courses.venue", course.venue] : null,
      ["courses.dates", t("courses.dates_value", { from: course.starts_on, to: course.ends_on })],
      ["courses.hours", t("courses.hours_value", { hours: course.hours })],
      ["courses.places", h("span", { "data-figure": "places" }, t("portal.places_left", { left: course.places_left ?? 0, capacity: course.capacity }))],
    ]),
    course.description ? h("p", { class: "prose" }, course.description) : null,
    action,
  );
}

async function courses(view) {
  const status = pageStatus();
  const list = h("div", {});
  async function show(message) {
    const [page, enrolments] = await Promise.all([
      get("/api/v1/startup/courses", { starts_from: today(), limit: 50 }),
      role() === "youth" ? get("/api/v1/startup/enrolments", { limit: 100 }) : { items: [] },
    ]);
    const mine = Object.fromEntries(enrolments.items.filter((e) => e.state !== "cancelled").map((e) => [e.course_id, e]));
    const enrol = async (course) => {
      await post(`/api/v1/startup/courses/${encodeURIComponent(course.id)}/enrolments`);
      await show(t("courses.enrolled"));
    };
    list.replaceChildren(
      page.items.length ? h("div", { class: "results" }, page.items.map((course) => courseCard(course, mine[course.id], enrol, status))) : h("p", { class: "empty" }, t("courses.none")),
    );
    if (message) tell(status, message);
  }
  view.append(h("p", { class: "hint" }, t("courses.hint")), status, list);
  await show();
}

export const COURSE_PAGES = [{ path: "/courses", title: "nav.courses", roles: ["anonymous", "youth"], menu: true, render: courses }];
