// The one way the console calls the API: the bearer token and the language go with every
// request, and a refusal (application/problem+json) becomes an ApiError that the page shows.

import { currentLocale, t } from "./i18n.js";

const TOKEN = "youthcity:token";
const ACCOUNT = "youthcity:account";

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN);
  },
  get account() {
    const stored = sessionStorage.getItem(ACCOUNT);
    return stored ? JSON.parse(stored) : null;
  },
  keep(token, account) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(ACCOUNT, JSON.stringify(account));
  },
  clear() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(ACCOUNT);
  },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || String(status));
    this.status = status;
    this.problem = problem;
  }
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.append(name, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request(method, path, { body, query, raw = false } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": currentLocale() };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let answer;
  try {
    answer = await fetch(withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { title: t("error.network") });
  }
  if (!answer.ok) {
    let problem;
    try {
      problem = await answer.json();
    } catch {
      problem = { title: t("error.unexpected", { status: answer.status }) };
    }
    if (answer.status === 401 && session.token) {
      session.clear();
      window.dispatchEvent(new Event("youthcity:signed-out"));
    }
    throw new ApiError(answer.status, problem);
  }
  if (raw) return answer;
  return answer.status === 204 ? null : answer.json();
}

export const get = (path, query) => request("GET", path, { query });
export const post = (path, body = {}) => request("POST", path, { body });
export const patch = (path, body) => request("PATCH", path, { body });
export const put = (path, body) => request("PUT", path, { body });

export async function signIn(username, password) {
  const token = await post("/api/v1/auth/token", { username, password });
  session.keep(token.access_token, {});
  const account = await get("/api/v1/accounts/me");
  session.keep(token.access_token, account);
  return account;
}

let unitCache = null;

// the plan's responsible units by code, each with its name in both languages
export async function units() {
  if (!unitCache) {
    const answer = await get("/api/v1/units");
    const list = Array.isArray(answer) ? answer : (answer.items ?? answer.units ?? []);
    unitCache = Object.fromEntries(list.map((unit) => [unit.code, unit]));
  }
  return unitCache;
}
