// The one way the console calls the API: the bearer token and the language go with every
// request, a command goes with an Idempotency-Key, and a refusal (application/problem+json)
// becomes an ApiError that the page shows.

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

// Commands (POST, PUT, PATCH, DELETE) carry an Idempotency-Key, the same on every attempt: an
// answer that does not say whether the command was done (no answer, 503, or the first attempt
// still running) is asked again, and the gateway answers what was done instead of doing it twice.
const COMMANDS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const ATTEMPTS = 4;

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // outside a secure context there is no randomUUID; random bytes are enough for a key
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
}

function undecided(error) {
  const code = error.problem?.code;
  return (
    error.status === 0 ||
    error.status === 503 ||
    (error.status === 409 && code === "idempotency_key_in_progress")
  );
}

const pause = (seconds) => new Promise((done) => setTimeout(done, seconds * 1000));

export async function request(method, path, { body, query, raw = false } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": currentLocale() };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (!COMMANDS.has(method)) return send(method, withQuery(path, query), headers, body, raw);
  headers["Idempotency-Key"] = newKey();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send(method, withQuery(path, query), headers, body, raw);
    } catch (error) {
      if (!(error instanceof ApiError) || !undecided(error) || attempt === ATTEMPTS) throw error;
      await pause(Math.min(Number(error.retryAfter) || attempt, 5));
    }
  }
}

async function send(method, url, headers, body, raw) {
  let answer;
  try {
    answer = await fetch(url, {
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
    const error = new ApiError(answer.status, problem);
    error.retryAfter = answer.headers.get("Retry-After");
    throw error;
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
