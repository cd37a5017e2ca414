// The console's shell: hash routes (#/posts) so the server serves one page, a menu per role,
// the language switch and sign-out. Each page module exports its pages:
// {path, title (a key), roles, render(main, params)}; "anonymous" pages are for the signed-out.

import { get, session, signOut } from "./api.js";
import { ACTIVITY_PAGES } from "./activities.js";
import { ADMIN_PAGES } from "./admin.js";
import { AUTH_PAGES } from "./auth.js";
import { BENEFIT_PAGES } from "./benefits.js";
import { BANK_PAGES } from "./bank.js";
import { CIRCLE_PAGES } from "./circle.js";
import { CIRCLE_ITEM_PAGES } from "./circlepages.js";
import { COLUMN_PAGES } from "./column.js";
import { COOPERATION_PAGES } from "./cooperation.js";
import { COURSE_PAGES } from "./courses.js";
import { DRAW_PAGES } from "./draws.js";
import { EMPLOYER_PAGES } from "./employer.js";
import { EMPLOYER_DESK_PAGES } from "./employerdesk.js";
import { EVIDENCE_PAGES } from "./evidence.js";
import { EVALUATION_PAGES } from "./evaluation.js";
import { FAIR_PAGES } from "./fairs.js";
import { HOUSING_OFFICE_PAGES } from "./housingoffice.js";
import { LOCALES, currentLocale, label, preferredLocale, setLocale, t } from "./i18n.js";
import { INDICATOR_PAGES } from "./indicators.js";
import { MEETING_PAGES } from "./meetings.js";
import { MONEY_PAGES } from "./money.js";
import { MY_HOUSING_PAGES } from "./myhousing.js";
import { OFFICER_PAGES } from "./officer.js";
import { PEOPLE_PAGES } from "./people.js";
import { ORGANISER_PAGES } from "./organiser.js";
import { RURAL_PAGES } from "./rural.js";
import { closeMenu, setUpMenu } from "./menu.js";
import { PORTAL_PAGES, STORY_PAGES } from "./portal.js";
import { POST_DESK_PAGES } from "./postdesk.js";
import { SECOND_FACTOR_PAGES } from "./secondfactor.js";
import { TEMPLATE_PAGES } from "./templates.js";
import { SHOWCASE_PAGES } from "./showcases.js";
import { STARTUP_PAGES } from "./startup.js";
import { STARTUP_RECORD_PAGES } from "./startuprecords.js";
import { watchSession } from "./timeout.js";
import { h, setDistrictZone, showProblem, statusArea } from "./ui.js";
import { WEBHOOK_PAGES } from "./webhooks.js";
import { ACCOUNT_PAGES, YOUTH_PAGES } from "./youth.js";
import { MORE_YOUTH_PAGES } from "./youthmore.js";

const PAGES = [
  ...PORTAL_PAGES,
  ...AUTH_PAGES,
  ...SECOND_FACTOR_PAGES,
  ...YOUTH_PAGES,
  ...MY_HOUSING_PAGES,
  ...MORE_YOUTH_PAGES,
  ...EVIDENCE_PAGES,
  ...BENEFIT_PAGES,
  ...EMPLOYER_PAGES,
  ...EMPLOYER_DESK_PAGES,
  ...POST_DESK_PAGES,
  ...OFFICER_PAGES,
  ...PEOPLE_PAGES,
  ...HOUSING_OFFICE_PAGES,
  ...FAIR_PAGES,
  ...STORY_PAGES,
  ...COLUMN_PAGES,
  ...COURSE_PAGES,
  ...INDICATOR_PAGES,
  ...MEETING_PAGES,
  ...RURAL_PAGES,
  ...STARTUP_PAGES,
  ...STARTUP_RECORD_PAGES,
  ...COOPERATION_PAGES,
  ...EVALUATION_PAGES,
  ...ACTIVITY_PAGES,
  ...ORGANISER_PAGES,
  ...SHOWCASE_PAGES,
  ...ACCOUNT_PAGES,
  ...DRAW_PAGES,
  ...MONEY_PAGES,
  ...BANK_PAGES,
  ...CIRCLE_PAGES,
  ...CIRCLE_ITEM_PAGES,
  ...ADMIN_PAGES,
  ...TEMPLATE_PAGES,
  ...WEBHOOK_PAGES,
];

const HOME = {
  anonymous: "/",
  youth: "/dashboard",
  employer: "/employer",
  officer: "/review",
  admin: "/indicators",
  partner: "/inbox",
};

let rendering = 0;
let firstRender = true;

function role() {
  return session.account?.role ?? "anonymous";
}

function allowed(page) {
  return page.roles.includes(role());
}

function home() {
  // the first administrator's initial password: nothing else works until it is changed
  if (session.account?.password_change_required) return "/password";
  // staff without a second factor where the district requires one: nothing else works either
  if (session.account?.second_factor_enrolment_required) return "/second-factor";
  return HOME[role()] ?? "/login";
}

function renderChrome(active) {
  document.getElementById("brand").replaceChildren(h("a", { href: `#${home()}` }, t("app.title")));
  const skip = document.getElementById("skip-link");
  skip.textContent = t("app.skip");
  const links = PAGES.filter((page) => page.menu && allowed(page)).map((page) =>
    h(
      "a",
      { href: `#${page.path}`, "aria-current": page === active ? "page" : null },
      t(page.menuTitle ?? page.title),
    ),
  );
  const nav = document.getElementById("nav");
  nav.setAttribute("aria-label", t("app.menu"));
  nav.replaceChildren(h("ul", {}, links.map((link) => h("li", {}, link))));
  closeMenu();
  const other = LOCALES.find((locale) => locale !== currentLocale());
  const tools = [
    h(
      "button",
      {
        type: "button",
        class: "link",
        lang: other,
        "data-action": "switch-language",
        title: t("app.switch_language"),
        onclick: async () => {
          await setLocale(other);
          render();
        },
      },
      t("app.other_language"),
    ),
  ];
  if (session.token) {
    const account = session.account ?? {};
    const name = account.display_name || account.username || "";
    tools.unshift(h("span", { class: "who" }, name, " · ", label("role", account.role)));
    tools.push(
      h(
        "button",
        {
          type: "button",
          class: "link",
          "data-action": "sign-out",
          onclick: async () => {
            await signOut();
            location.hash = "#/login";
          },
        },
        t("app.sign_out"),
      ),
    );
  }
  document.getElementById("tools").replaceChildren(...tools);
}

export async function render() {
  const ticket = ++rendering;
  // a page may take parameters after "?" (#/draws?id=…): the path alone picks the page
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const page = PAGES.find((candidate) => candidate.path === path);
  const mustChange = session.account?.password_change_required && path !== "/password";
  const mustEnrol = session.account?.second_factor_enrolment_required && path !== "/second-factor";
  if (!page || !allowed(page) || mustChange || mustEnrol) {
    location.replace(`#${home()}`); // the hashchange renders it
    return;
  }
  renderChrome(page);
  const main = document.getElementById("main");
  const heading = h("h1", { tabindex: "-1" }, t(page.title));
  // each render fills a view of its own: a slow page left behind writes into a detached view
  const view = h("div", { class: "view" }, heading);
  main.replaceChildren(view);
  main.dataset.page = page.path;
  main.dataset.ready = "false";
  main.setAttribute("aria-busy", "true");
  if (!firstRender) heading.focus();
  firstRender = false;
  try {
    await page.render(view, new URLSearchParams(query));
  } catch (error) {
    const status = statusArea();
    view.append(status);
    showProblem(status, error);
  }
  if (ticket === rendering) {
    main.removeAttribute("aria-busy");
    main.dataset.ready = "true";
  }
}

// the district's zone, for dates and times; the console still works (in its default) without it
async function learnDistrictZone() {
  try {
    setDistrictZone((await get("/api/v1/clock")).timezone);
  } catch {
    // keep the default zone
  }
}

async function start() {
  await Promise.all([setLocale(preferredLocale()), learnDistrictZone()]);
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    document.getElementById("main").focus();
  });
  window.addEventListener("hashchange", render);
  setUpMenu();
  window.addEventListener("youthcity:signed-out", () => {
    // an ended session: signing in again returns to the page the person was on
    const [path] = location.hash.replace(/^#/, "").split("?");
    const here = location.hash.replace(/^#/, "");
    location.hash = path && path !== "/login" ? `#/login?next=${encodeURIComponent(here)}&expired=1` : "#/login";
  });
  watchSession();
  render();
}

start();
