// Officers run their unit's activities: draft and publish one, then check people in at the door
// with the one-time code each shows on their phone; each activity's own page (organiser.js)
// changes, cancels or finishes it and lists its registrations.

import { get, post, session } from "./api.js";
import { options } from "./auth.js";
import { t } from "./i18n.js";
import { itemLink } from "./pageparts.js";
import { actionButton, dateTime, districtInstant, field, form, h, say, section, statusArea, table } from "./ui.js";
import { state } from "./youth.js";

export const CATEGORIES = [
  "festival",
  "music_festival",
  "competition",
  "live_commerce_contest",
  "product_showcase",
  "youth_mixer",
  "fitness",
  "mental_health",
  "training",
  "volunteering",
  "rural_revitalisation_training",
];
// the categories that take entrants and their sales (farm-product showcases, live commerce)
export const SHOWCASES = ["live_commerce_contest", "product_showcase"];

function checkIn(activity, status, refresh) {
  const code = field({ name: `code-${activity.id}`, label: "manage.code" });
  return h(
    "div",
    { class: "actions row" },
    code,
    actionButton(
      "manage.check_in",
      async () => {
        await post(`/api/v1/activities/${activity.id}/check-ins`, { code: code.querySelector("input").value });
        await refresh();
        say(status, t("manage.checked_in"));
      },
      { status, name: "check-in" },
    ),
  );
}

async function manage(main) {
  const status = statusArea();
  const lists = h("div");
  const refresh = async () => {
    const [drafts, published] = await Promise.all([
      get("/api/v1/activities", { state: "draft", limit: 100 }),
      get("/api/v1/activities", { state: "published", limit: 100 }),
    ]);
    const ours = published.items.filter((a) => a.organiser_unit === session.account?.unit);
    lists.replaceChildren(
      section(
        "manage.drafts",
        table(
          [
            ["activities.activity", (a) => itemLink("/activities/activity", a.id, a.title)],
            ["manage.starts", (a) => dateTime(a.starts_at)],
            [
              "common.actions",
              (a) =>
                actionButton(
                  "manage.publish",
                  async () => {
                    await post(`/api/v1/activities/${a.id}/publish`);
                    await refresh();
                    say(status, t("manage.published"));
                  },
                  { status, kind: "primary", name: "publish" },
                ),
            ],
          ],
          drafts.items,
        ),
      ),
      section(
        "manage.published_list",
        table(
          [
            ["activities.activity", (a) => itemLink("/activities/activity", a.id, a.title)],
            ["manage.starts", (a) => dateTime(a.starts_at)],
            ["manage.counts", (a) => t("manage.count_text", { confirmed: a.confirmed_count, waitlisted: a.waitlisted_count, attended: a.attended_count })],
            ["common.state", (a) => state("state", a.state)],
            ["manage.check_in", (a) => checkIn(a, status, refresh)],
          ],
          ours,
        ),
      ),
    );
  };
  main.append(
    status,
    lists,
    section(
      "manage.new",
      form({
        name: "new-activity",
        fields: [
          { name: "title", label: "manage.title", required: true },
          { name: "category", label: "manage.category", type: "select", options: options("category", CATEGORIES) },
          { name: "venue", label: "manage.venue", required: true },
          { name: "starts_at", label: "manage.starts", type: "datetime-local", required: true },
          { name: "ends_at", label: "manage.ends", type: "datetime-local", required: true },
          { name: "capacity", label: "manage.capacity", type: "number", min: 1, required: true, value: 30 },
          { name: "min_age", label: "manage.min_age", type: "number", min: 0, value: 14 },
          { name: "max_age", label: "manage.max_age", type: "number", min: 0, value: 35 },
        ],
        submit: "manage.save_draft",
        action: (data) => post("/api/v1/activities", { ...data, starts_at: districtInstant(data.starts_at), ends_at: districtInstant(data.ends_at) }),
        done: async (_, formStatus) => {
          await refresh();
          say(formStatus, t("manage.saved"));
        },
      }),
    ),
  );
  await refresh();
}

export const ACTIVITY_PAGES = [
  { path: "/activities/manage", title: "nav.manage_activities", roles: ["officer"], menu: true, render: manage },
];
