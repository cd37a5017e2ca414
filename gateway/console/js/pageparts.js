// Small pieces the pages share: the page's own notice area, a notice that takes the focus after
// an action, an amount in yuan, a definition list of facts, tables that become cards on a phone
// (a column squeezed to one character per line helps nobody), a destructive action asked twice,
// "check your answers", and lists that page on.

import { get } from "./api.js";
import { t } from "./i18n.js";
import { actionButton, form, h, say, statusArea, table } from "./ui.js";

// the page's own notices, apart from the notices each form keeps inside it
export function pageStatus() {
  const area = statusArea();
  area.dataset.status = "page";
  return area;
}

// what an action did, where the page starts: the form that had the focus was drawn again, so
// the focus moves to the notice, which is scrolled into view and read out
export function tell(area, message) {
  say(area, message);
  area.setAttribute("tabindex", "-1");
  area.focus();
}

// an amount of money in yuan (the API's decimal string), or nothing
export const cny = (value) => (value === null || value === undefined ? "" : t("money.cny", { amount: value }));

// a definition list of [label key, value] pairs; a null pair is left out
export function facts(rows) {
  return h(
    "dl",
    { class: "facts stacked" },
    rows.filter(Boolean).flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value ?? "")]),
  );
}

// a table that is a list of cards under 600 px: each cell carries its column's heading
export function cardTable(columns, rows, options) {
  const element = table(columns, rows, options);
  const headings = columns.map(([key]) => t(key));
  for (const row of element.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, index) => cell.setAttribute("data-label", headings[index]));
  }
  element.classList.add("cards");
  return element;
}

// a destructive action asks once more, in the page, with what it will do, before it is done
export function confirmed(key, promptKey, run, { status, name, params = {} }) {
  const box = h("span", { class: "inline" });
  const start = h("button", { type: "button", class: "secondary", "data-action": name }, t(key));
  start.addEventListener("click", () => {
    const yes = actionButton("admin.yes", run, { status, kind: "primary", name: `${name}-confirm` });
    const no = h("button", { type: "button", class: "secondary", "data-action": `${name}-cancel`, onclick: () => box.replaceChildren(start) }, t("admin.no"));
    box.replaceChildren(h("span", { role: "alert" }, t(promptKey, params)), yes, no);
    yes.focus();
  });
  box.append(start);
  return box;
}

// "Check your answers" before a command that commits money or cannot be undone: the form's
// submit shows what will be sent, under the labels the person saw, and only the button there
// sends it; "change" goes back to the form, which keeps what was typed.
export function checkedForm({ name, fields, submit, summary, send, done }) {
  const check = h("div", {});
  const element = form({
    name,
    fields,
    submit,
    action: async (body) => body,
    done: (body) => {
      const answers = [...element.elements]
        .filter((control) => control.name && control.value !== "" && control.type !== "submit")
        .map((control) => [control.labels?.[0]?.firstChild?.textContent ?? control.name, control.tagName === "SELECT" ? control.selectedOptions[0]?.textContent : control.value]);
      const status = statusArea();
      check.replaceChildren(
        h(
          "div",
          { class: "card check", "data-check": name },
          h("h3", { tabindex: "-1" }, t("check.title")),
          summary ? h("p", {}, summary(body)) : null,
          h("dl", { class: "facts stacked" }, answers.flatMap(([text, value]) => [h("dt", {}, text), h("dd", {}, value)])),
          h(
            "div",
            { class: "actions" },
            actionButton(
              "check.confirm",
              async () => {
                const result = await send(body);
                check.replaceChildren();
                await done(result);
              },
              { status, kind: "primary", name: "confirm-check" },
            ),
            h("button", { type: "button", class: "secondary", "data-action": "change-answers", onclick: () => { check.replaceChildren(); element.querySelector("input, select, textarea")?.focus(); } }, t("check.change")),
          ),
          status,
        ),
      );
      check.querySelector("h3").focus();
    },
  });
  return h("div", {}, element, check);
}

// a list the API pages: `draw(items)` shows what is loaded, and "show more" follows the page's
// `next` link, so nothing past the first page is out of reach
export function paged(firstPage, draw) {
  const items = [...firstPage.items];
  const box = h("div", { class: "paged" });
  const status = statusArea();
  function redraw(next) {
    const more = next
      ? actionButton(
          "money.more",
          async () => {
            const page = await get(next);
            items.push(...page.items);
            redraw(page.next);
          },
          { status, name: "more" },
        )
      : null;
    box.replaceChildren(draw(items), more ? h("div", { class: "actions" }, more) : "", status);
  }
  redraw(firstPage.next);
  return box;
}
