// The stories column (我的青春在XX) as its moderators keep it (issue 26): the published stories,
// each taken down after a second question with the reason its author is told, and the stories
// taken down so far. The moderators are the publicity department's officers (the events
// policy's story_moderator_units); other officers read the column as it stands.

import { get, post } from "./api.js";
import { isOfficerOf } from "./circle.js";
import { t } from "./i18n.js";
import { cardTable, confirmed, itemLink, pageStatus, paged, tell } from "./pageparts.js";
import { dateTime, h, section } from "./ui.js";

const MODERATORS = "publicity";

function takeDown(story, status, refresh) {
  return confirmed(
    "column.take_down",
    "column.take_down_prompt",
    async (reason) => {
      await post(`/api/v1/stories/${encodeURIComponent(story.id)}/take-down`, { reason });
      await refresh(t("column.taken_down", { title: story.title }));
    },
    { status, name: `take-down-${story.id}`, params: { title: story.title }, reason: { label: "column.reason", required: true } },
  );
}

async function column(view) {
  const moderator = isOfficerOf(MODERATORS);
  const status = pageStatus();
  const published = h("div", { "data-list": "published" });
  const takenDown = h("div", { "data-list": "taken-down" });
  view.append(h("p", { class: "hint" }, t(moderator ? "column.hint" : "column.read_only")), status, section("column.published", published));
  if (moderator) view.append(section("column.taken_down_list", takenDown));
  async function show(message) {
    const [live, gone] = await Promise.all([get("/api/v1/stories", { limit: 50 }), moderator ? get("/api/v1/stories", { state: "taken_down", limit: 50 }) : null]);
    published.replaceChildren(
      paged(live, (items) =>
        cardTable(
          [
            ["portal.story_title", (s) => itemLink("/story", s.id, s.title)],
            ["portal.byline", (s) => s.byline ?? ""],
            ["column.published_at", (s) => dateTime(s.published_at)],
            ["common.actions", (s) => (moderator ? takeDown(s, status, show) : "")],
          ],
          items,
          { empty: "portal.no_stories" },
        ),
      ),
    );
    if (gone) {
      takenDown.replaceChildren(
        paged(gone, (items) =>
          cardTable(
            [
              ["portal.story_title", (s) => s.title],
              ["column.taken_down_at", (s) => dateTime(s.decided_at)],
              ["common.reason", (s) => s.decision_reason ?? ""],
            ],
            items,
            { empty: "common.none" },
          ),
        ),
      );
    }
    if (message) tell(status, message);
  }
  await show();
}

export const COLUMN_PAGES = [{ path: "/stories/column", title: "nav.story_column", roles: ["officer"], menu: true, render: column }];
