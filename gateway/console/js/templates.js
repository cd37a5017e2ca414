// Message templates (消息模板) for administrators: the decision in force for every event type of
// every service (its message in both languages, or no message), changed by writing a new
// version that is previewed in both languages before it is saved, and every version kept.

import { get, post, put } from "./api.js";
import { label, pick, t } from "./i18n.js";
import { cardTable, facts, pageStatus, tell } from "./pageparts.js";
import { actionButton, dateTime, form, h, section, statusArea } from "./ui.js";

const ADMIN = ["admin"];
const TEMPLATES = "/api/v1/admin/templates";
const LANGUAGES = ["zh-CN", "en"];

// an event type by its name, as the purposes name their event types (source.type)
function eventName(template) {
  return label("event_type", `${template.source}.${template.event_type}`);
}

// what a decision does: its title in the reader's language, "no message", or not decided yet
function decision(template) {
  if (template.version === null || template.version === undefined) return t("templates.undecided");
  return template.sends ? pick(template.title) : t("templates.no_message");
}

// -- every event type's decision ---------------------------------------------------------------

async function templates(view) {
  const answer = await get(TEMPLATES);
  const bySource = new Map();
  for (const item of answer.items) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
  view.append(
    h("p", { class: "hint" }, t("templates.hint")),
    ...[...bySource].map(([source, items]) => {
      const list = cardTable(
        [
          ["templates.event", eventName],
          ["templates.message", decision],
          ["templates.category", (tpl) => (tpl.sends ? label("category", tpl.category) : "")],
          ["templates.version", (tpl) => String(tpl.version ?? "")],
          ["templates.changed_at", (tpl) => dateTime(tpl.created_at)],
          [
            "common.actions",
            (tpl) =>
              h(
                "a",
                { href: `#/admin/template?${new URLSearchParams({ source, event_type: tpl.event_type })}`, "data-action": "open-template" },
                t("templates.open"),
              ),
          ],
        ],
        items,
      );
      list.querySelectorAll("tbody tr").forEach((row, index) => (row.dataset.template = items[index].event_type));
      return h("section", { class: "card", "data-source": source }, h("h2", {}, t("templates.of_source", { source: label("audit_service", source) })), list);
    }),
  );
}

// -- one event type's decision: a new version, previewed first, and every version ------------

async function template(view, params) {
  const source = params.get("source") ?? "";
  const eventType = params.get("event_type") ?? "";
  const path = `${TEMPLATES}/${encodeURIComponent(source)}/${encodeURIComponent(eventType)}`;
  const status = pageStatus();
  const body = h("div", {});
  async function show(message) {
    const [all, versions] = await Promise.all([get(TEMPLATES), get(`${path}/versions`)]);
    const current = all.items.find((item) => item.source === source && item.event_type === eventType) ?? { source, event_type: eventType, version: null };
    // the categories every decision uses, so a new version picks one the preferences know
    const categories = [...new Set(all.items.map((item) => item.category).filter(Boolean))];
    body.replaceChildren(
      currentSection(current),
      editSection(path, current, categories, show),
      section("templates.versions", versionTable(versions.items)),
    );
    if (message) tell(status, message);
  }
  view.append(
    h("p", {}, h("a", { href: "#/admin/templates" }, t("templates.back"))),
    h("p", { class: "meta" }, label("audit_service", source), " · ", eventName({ source, event_type: eventType })),
    status,
    body,
  );
  await show();
}

function currentSection(current) {
  const element = section(
    "templates.in_force",
    facts([
      ["templates.version", current.version === null ? t("templates.undecided") : String(current.version)],
      ["templates.message", decision(current)],
      current.sends ? ["templates.category", label("category", current.category)] : null,
      current.sends ? ["templates.mandatory", t(current.mandatory ? "templates.mandatory_yes" : "templates.mandatory_no")] : null,
      current.created_at ? ["templates.changed_at", dateTime(current.created_at)] : null,
    ]),
  );
  element.dataset.section = "in-force";
  element.dataset.version = current.version ?? "";
  return element;
}

// the form starts from the version in force; its submit previews the draft in both languages
// (a placeholder the event's data does not fill is named), and only the preview's button saves
function editSection(path, current, categories, show) {
  const preview = h("div", {});
  const categoryOptions = categories.map((category) => [category, label("category", category)]);
  const element = form({
    name: "template",
    fields: [
      { name: "sends", label: "templates.sends", type: "checkbox", value: current.sends !== false },
      { name: "recipient", label: "templates.recipient", value: current.recipient },
      { name: "category", label: "templates.category", type: "select", options: categoryOptions, value: current.category },
      { name: "mandatory", label: "templates.mandatory", type: "checkbox", value: current.mandatory },
      // a name with a dot is read as a nested object ({title: {en: …}}), as the API takes it
      ...LANGUAGES.flatMap((language) =>
        ["title", "body"].map((part) => ({
          name: `${part}.${language}`,
          label: `templates.${part}_${language}`,
          type: part === "body" ? "textarea" : "text",
          value: current[part]?.[language],
        })),
      ),
    ],
    submit: "templates.preview",
    action: async (values) => {
      const draft = draftOf(values, current);
      return { draft, rendered: draft.sends ? await post(`${path}/preview`, { template: draft }) : null };
    },
    done: ({ draft, rendered }) => {
      // "change" goes back to the form, which keeps what was typed
      const change = () => {
        preview.replaceChildren();
        element.querySelector("input, select, textarea")?.focus();
      };
      preview.replaceChildren(previewCard(path, draft, rendered, show, change));
      preview.querySelector("h3").focus();
    },
  });
  const wrapper = section("templates.new_version", h("p", { class: "hint" }, t("templates.placeholders_hint")), element, preview);
  wrapper.dataset.section = "edit";
  return wrapper;
}

// the draft as the API takes it: "no message", or the message with the external channels and
// SMS template of the version in force, which this form does not change
function draftOf(values, current) {
  if (!values.sends) return { sends: false };
  const draft = { ...values, sends: true };
  if (current.channels) draft.channels = current.channels;
  if (current.sms_template) draft.sms_template = current.sms_template;
  return draft;
}

function previewCard(path, draft, rendered, show, close) {
  const status = statusArea();
  return h(
    "div",
    { class: "card check", "data-preview": "template" },
    h("h3", { tabindex: "-1" }, t("templates.preview_title")),
    rendered
      ? [
          ...LANGUAGES.map((language) =>
            h(
              "div",
              { lang: language, "data-language": language },
              h("p", { class: "problem-title" }, rendered.title[language]),
              h("p", {}, rendered.body[language]),
            ),
          ),
          rendered.missing?.length
            ? h("p", { class: "notice warn", "data-missing": rendered.missing.join(" ") }, t("templates.missing", { fields: rendered.missing.join(t("common.list_separator")) }))
            : null,
        ]
      : h("p", {}, t("templates.no_message_preview")),
    h(
      "div",
      { class: "actions" },
      actionButton(
        "templates.save",
        async () => {
          const saved = await put(path, draft);
          await show(t("templates.saved", { version: saved.version }));
        },
        { status, kind: "primary", name: "save-template" },
      ),
      h("button", { type: "button", class: "secondary", "data-action": "change-template", onclick: close }, t("check.change")),
    ),
    status,
  );
}

function versionTable(versions) {
  const element = cardTable(
    [
      ["templates.version", (v) => String(v.version)],
      ["templates.message", decision],
      ["templates.origin", (v) => label("template_origin", v.origin)],
      ["templates.changed_at", (v) => dateTime(v.created_at)],
    ],
    versions,
    { empty: "templates.no_versions" },
  );
  element.querySelectorAll("tbody tr").forEach((row, index) => (row.dataset.version = versions[index].version));
  return element;
}

export const TEMPLATE_PAGES = [
  { path: "/admin/templates", title: "nav.templates", roles: ADMIN, menu: true, render: templates },
  { path: "/admin/template", title: "templates.one", roles: ADMIN, render: template },
];
