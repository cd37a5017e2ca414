// Every visible string goes through t(key): the catalogues are flat JSON files under
// /console/i18n/ (zh-CN by default, en), with the same keys (a unit test checks).

export const LOCALES = ["zh-CN", "en"];
const STORED = "youthcity:locale";

let locale = LOCALES[0];
let catalog = {};

export function currentLocale() {
  return locale;
}

export function preferredLocale() {
  const stored = localStorage.getItem(STORED);
  return LOCALES.includes(stored) ? stored : LOCALES[0];
}

export async function setLocale(next) {
  const answer = await fetch(`/console/i18n/${next}.json`);
  catalog = await answer.json();
  locale = next;
  localStorage.setItem(STORED, next);
  document.documentElement.lang = next;
  document.title = t("app.title");
}

// t("posts.found", {count: 3}) fills {count}; a missing key shows itself, which the browser
// tests look for
export function t(key, params = {}) {
  let text = catalog[key] ?? key;
  for (const [name, value] of Object.entries(params)) {
    text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

// a value the API names (a state, a kind, a degree): its label when the catalogue has one,
// otherwise the value itself
export function label(group, value) {
  if (value === null || value === undefined || value === "") return "";
  return catalog[`${group}.${value}`] ?? String(value);
}

// an API text given in both languages ({"zh-CN": …, "en": …})
export function pick(texts) {
  if (!texts || typeof texts !== "object") return texts ?? "";
  return texts[locale] ?? texts[LOCALES[0]] ?? "";
}
