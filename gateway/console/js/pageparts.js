// Small pieces the pages share: the page's own notice area, a notice that takes the focus after
// an action, an amount in yuan, a definition list of facts, tables that become cards on a phone
// (a column squeezed to one character per line helps nobody), a destructive action asked twice,
// "check your answers", and lists that page on.

import { get } from "./api.js";
import { t } from "./i18n.js";
import { actionButton, field, form, h, say, showProblem, statusArea, table } from "./ui.js";

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

// a record named by the start of its id, where it has no name of its own
export const shortId = (id) => h("code", {}, String(id ?? "").slice(0, 8));

// an amount in yuan, or nothing when there is none
export const cny = (value) => (value === null || value === undefined ? "" : t("money.cny", { amount: value }));

// a definition list of [label key, value] pairs; a null pair is left out
export function facts(rows) {
  return h(
    "dl",
    { class: "facts stacked" },
    rows.filter(Boolean).flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value ?? "")]),
  );
}

// A destructive action asks once more, in the page, saying what it will do, before it is done.
// With `reason` ({label, required}) it asks why as well, and `run` is given what was typed; a
// refusal names that field beside it.
export function confirmed(key, promptKey, run, { status, name, params = {}, reason } = {}) {
  const box = h("span", { class: "inline", "data-confirm": name });
  const start = h("button", { type: "button", class: "secondary", "data-action": name }, t(key));
  start.addEventListener("click", () => {
    const why = reason ? field({ name: "reason", label: reason.label, required: reason.required }) : null;
    const yes = h("button", { type: "button", class: "primary", "data-action": `${name}-confirm` }, t("admin.yes"));
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      try {
        await run(why ? why.querySelector("input").value.trim() || undefined : undefined);
      } catch (error) {
        showProblem(status, error, box);
        yes.disabled = false;
      }
    });
    const no = h("button", { type: "button", class: "secondary", "data-action": `${name}-cancel`, onclick: () => box.replaceChildren(start) }, t("admin.no"));
    box.replaceChildren(h("span", { role: "alert" }, t(promptKey, params)), why, yes, no);
    (why?.querySelector("input") ?? yes).focus();
  });
  box.append(start);
  return box;
}

// a link to an item's own page (`#/page?id=…`)
export function itemLink(page, id, text) {
  return h("a", { href: `#${page}?id=${encodeURIComponent(id)}`, "data-open": id }, text);
}

// A page of one item: `load()` reads it, `draw(item, status, refresh)` gives its parts (its
// facts first); after each action `refresh(message)` draws it again with its new state and the
// page's notice says what was done.
export async function itemPage(view, { back, backKey, load, draw }) {
  const status = pageStatus();
  const body = h("div", {});
  view.append(back ? h("p", {}, h("a", { href: `#${back}` }, t(backKey))) : "", status, body);
  async function show(message) {
    const item = await load();
    body.replaceChildren(...(await draw(item, status, show)).filter(Boolean));
    if (message) tell(status, message);
  }
  await show();
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

// an answer as the person gave it: the option's text, yes or no for a box, or what was typed
function answerText(control) {
  if (control.tagName === "SELECT") return control.selectedOptions[0]?.textContent;
  if (control.type === "checkbox") return t(control.checked ? "common.yes" : "common.no");
  return control.value;
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
        .map((control) => [control.labels?.[0]?.firstChild?.textContent ?? control.name, answerText(control)]);
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
