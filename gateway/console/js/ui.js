// Small DOM helpers shared by the pages: elements, labelled fields, forms that show the API's
// refusals next to the fields they name, tables, and buttons that run an API call.

import { ApiError } from "./api.js";
import { t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

let serial = 0;

// a labelled control: {name, label (a key), type, required, options: [[value, text]], value}
export function field(spec) {
  const id = `field-${++serial}`;
  const type = spec.type ?? "text";
  const common = { id, name: spec.name, required: spec.required, "aria-describedby": `${id}-error` };
  let control;
  if (type === "select") {
    control = h(
      "select",
      common,
      ...spec.options.map(([value, text]) =>
        h("option", { value, selected: String(value) === String(spec.value ?? "") }, text),
      ),
    );
  } else if (type === "textarea") {
    control = h("textarea", { ...common, rows: 3 }, spec.value ?? "");
  } else if (type === "checkbox") {
    control = h("input", { ...common, type, checked: Boolean(spec.value) });
  } else {
    control = h("input", {
      ...common,
      type,
      value: spec.value ?? "",
      min: spec.min,
      max: spec.max,
      step: spec.step,
      autocomplete: spec.autocomplete,
    });
  }
  control.dataset.type = type;
  const text = h("label", { for: id }, t(spec.label), spec.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null);
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  return type === "checkbox"
    ? h("div", { class: "field check" }, control, text, error)
    : h("div", { class: "field" }, text, control, error);
}

// a form's values, typed by their controls; "profile.name" builds {profile: {name}}
export function values(formElement) {
  const result = {};
  for (const control of formElement.elements) {
    if (!control.name) continue;
    let value;
    if (control.dataset.type === "checkbox") value = control.checked;
    else if (control.value === "") continue;
    else if (control.dataset.type === "number") value = Number(control.value);
    else value = control.value;
    const path = control.name.split(".");
    let target = result;
    for (const part of path.slice(0, -1)) target = target[part] ??= {};
    target[path.at(-1)] = value;
  }
  return result;
}

export function statusArea() {
  return h("div", { class: "status", role: "status", "aria-live": "polite" });
}

export function say(area, text, kind = "ok") {
  area.replaceChildren(h("p", { class: `notice ${kind}` }, text));
}

// the API's refusal: its title, its detail, and each field's reason beside the field. In a form,
// the GOV.UK error summary: at the top of the form, a heading and a link to each field named,
// and the focus moved to it so a screen reader reads it and the keyboard starts from it.
export function showProblem(area, error, scope = document) {
  const summarySlot = scope !== document ? scope.querySelector(":scope > .error-summary-slot") : null;
  const target = summarySlot ?? area;
  if (summarySlot && area !== summarySlot) area.replaceChildren();
  if (!(error instanceof ApiError)) {
    console.error(error);
    target.replaceChildren(h("p", { class: "notice error", role: "alert" }, t("error.unexpected", { status: "" })));
    return;
  }
  const problem = error.problem;
  const items = [];
  for (const item of problem.errors ?? []) {
    const control = item.field ? scope.querySelector(`[name="${CSS.escape(item.field)}"]`) : null;
    if (control) {
      control.setAttribute("aria-invalid", "true");
      const note = document.getElementById(control.getAttribute("aria-describedby"));
      if (note) {
        note.textContent = item.message;
        note.hidden = false;
      }
    }
    // name the field as its label does; a field the form does not show keeps the API's name
    const name = control?.labels?.[0]?.firstChild?.textContent ?? item.field;
    const text = name ? `${name}: ${item.message}` : item.message;
    const line =
      control && control.id
        ? h(
            "a",
            {
              href: `#${control.id}`,
              onclick: (event) => {
                event.preventDefault(); // the hash is the console's route: focus, do not navigate
                control.scrollIntoView({ block: "center" });
                control.focus();
              },
            },
            text,
          )
        : text;
    items.push(h("li", {}, line));
  }
  const summary = h(
    "div",
    {
      class: summarySlot ? "notice error error-summary" : "notice error",
      role: "alert",
      tabindex: summarySlot ? "-1" : null,
      "aria-labelledby": summarySlot ? `${scope.dataset.form ?? "form"}-summary-title` : null,
    },
    summarySlot
      ? h("h2", { class: "error-summary-title", id: `${scope.dataset.form ?? "form"}-summary-title` }, t("error.summary_title"))
      : null,
    h("p", { class: "problem-title" }, problem.title ?? ""),
    problem.detail && !items.length ? h("p", { class: "problem-detail" }, problem.detail) : null,
    items.length ? h("ul", { class: "problem-errors" }, items) : null,
  );
  target.replaceChildren(summary);
  if (summarySlot) {
    summary.scrollIntoView({ block: "start" });
    summary.focus();
  }
}

function clearErrors(scope) {
  for (const control of scope.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  for (const note of scope.querySelectorAll(".field-error")) {
    note.hidden = true;
    note.textContent = "";
  }
}

// a form that calls `action(values)`, then `done(result, status)`; refusals shown in place
export function form({ fields, submit, action, done, name }) {
  const status = statusArea();
  const button = h("button", { type: "submit", class: "primary" }, t(submit));
  const summary = h("div", { class: "status error-summary-slot" });
  const element = h("form", { class: "form", "data-form": name }, summary, fields.map(field), h("div", { class: "actions" }, button), status);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(element);
    status.replaceChildren();
    summary.replaceChildren();
    button.disabled = true;
    try {
      const result = await action(values(element), element);
      if (done) await done(result, status);
    } catch (error) {
      showProblem(status, error, element);
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

// a button that runs an API call and reports to `status`
export function actionButton(key, run, { status, kind = "secondary", name } = {}) {
  const button = h("button", { type: "button", class: kind, "data-action": name });
  button.textContent = t(key);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      if (status) showProblem(status, error);
      button.disabled = false;
    }
  });
  return button;
}

// columns: [[headingKey, row => text or node]]
export function table(columns, rows, { caption, empty = "common.none" } = {}) {
  if (!rows.length) return h("p", { class: "empty" }, t(empty));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, columns.map(([key]) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, rows.map((row) => h("tr", {}, columns.map(([, cell]) => h("td", {}, cell(row)))))),
    ),
  );
}

export function section(titleKey, ...children) {
  return h("section", { class: "card" }, h("h2", {}, t(titleKey)), ...children);
}

// Business dates are the district's, whatever the zone of the device (a phone abroad, a server
// on UTC): times are shown, and dates proposed, in the zone GET /api/v1/clock names.
let districtZone = "Asia/Shanghai";

export function setDistrictZone(zone) {
  districtZone = zone;
}

export function dateTime(value) {
  if (!value) return "";
  return new Date(value).toLocaleString(document.documentElement.lang, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: districtZone,
  });
}

// the district's date, YYYY-MM-DD
export function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: districtZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

function districtOffset(moment) {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: districtZone, timeZoneName: "longOffset" }).formatToParts(moment);
  const name = parts.find((part) => part.type === "timeZoneName").value; // "GMT+08:00", or "GMT"
  return name === "GMT" ? "+00:00" : name.slice(3);
}

// a datetime-local value ("2026-12-20T14:00") read as the district's wall time, with its offset
export function districtInstant(wallTime) {
  if (!wallTime) return undefined;
  return `${wallTime}:00${districtOffset(new Date(`${wallTime}:00Z`))}`;
}

// an instant as the district's wall time, for a datetime-local control ("2026-12-20T14:00")
export function districtWallTime(value) {
  if (!value) return "";
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: districtZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const part = Object.fromEntries(format.formatToParts(new Date(value)).map(({ type, value: text }) => [type, text]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}`;
}

// a file saved through a link to the Blob (a link to the API could not carry the token); the
// address is kept a minute, long enough for a browser that opens it in a tab
export function saveFile(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// a client-side download of text made in the browser (CSV, JSON)
export function download(filename, text, type) {
  saveFile(filename, new Blob([text], { type }));
}
