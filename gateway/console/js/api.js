// The one way the console calls the API: the bearer token and the language go with every
// request, a command goes with an Idempotency-Key, and a refusal (application/problem+json)
// becomes an ApiError that the page shows.
// Access tokens are short-lived: a 401 is answered once by exchanging the refresh token for new
// tokens (one exchange at a time: each refresh token may be used only once) and the request is
// sent again; when that fails too, the console is signed out.

import { currentLocale, t } from "./i18n.js";

const TOKEN = "youthcity:token";
const REFRESH = "youthcity:refresh";
const ACCOUNT = "youthcity:account";
// when the session ends unless refreshed (ms since the epoch): the refresh token's lifetime
const ENDS = "youthcity:session-ends";

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN);
  },
  get refreshToken() {
    return sessionStorage.getItem(REFRESH);
  },
  keepTokens(tokens) {
    sessionStorage.setItem(TOKEN, tokens.access_token);
    sessionStorage.setItem(REFRESH, tokens.refresh_token);
    if (tokens.refresh_expires_in) sessionStorage.setItem(ENDS, String(Date.now() + tokens.refresh_expires_in * 1000));
  },
  // when the session ends unless it is refreshed (ms since the epoch), or null
  get endsAt() {
    const stored = Number(sessionStorage.getItem(ENDS));
    return stored > 0 ? stored : null;
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
    sessionStorage.removeItem(REFRESH);
    sessionStorage.removeItem(ACCOUNT);
    sessionStorage.removeItem(ENDS);
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

let refreshing = null;

// new tokens for the refresh token, once for every request that met a 401 meanwhile (and when a
// person chooses to stay signed in: the session then lasts another full lifetime)
export function refreshTokens() {
  if (!refreshing) {
    const token = session.refreshToken;
    refreshing = (async () => {
      if (!token) return false;
      try {
        const answer = await fetch("/api/v1/auth/refresh", {
          method: "POST",
          headers: { Accept: "application/json", "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: token }),
        });
        if (!answer.ok) return false;
        session.keepTokens(await answer.json());
        return true;
      } catch {
        return false;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
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

async function send(method, path, { body, query, key, file }) {
  const headers = { Accept: "application/json", "Accept-Language": currentLocale() };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  // a file goes as the body itself; the server judges its type by its bytes, not this header
  if (file !== undefined) headers["Content-Type"] = file.type || "application/octet-stream";
  if (key) headers["Idempotency-Key"] = key;
  try {
    return await fetch(withQuery(path, query), {
      method,
      headers,
      body: file !== undefined ? file : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { title: t("error.network") });
  }
}

async function once(method, path, options) {
  let answer = await send(method, path, options);
  if (answer.status === 401 && session.token && (await refreshTokens())) {
    answer = await send(method, path, options);
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
  return answer;
}

export async function request(method, path, { body, query, file, raw = false } = {}) {
  let answer;
  if (!COMMANDS.has(method)) {
    answer = await once(method, path, { body, query });
  } else {
    const key = newKey();
    for (let attempt = 1; !answer; attempt += 1) {
      try {
        answer = await once(method, path, { body, query, key, file });
      } catch (error) {
        if (!(error instanceof ApiError) || !undecided(error) || attempt === ATTEMPTS) throw error;
        await pause(Math.min(Number(error.retryAfter) || attempt, 5));
      }
    }
  }
  if (raw) return answer;
  return answer.status === 204 ? null : answer.json();
}

export const get = (path, query) => request("GET", path, { query });
export const post = (path, body = {}) => request("POST", path, { body });
export const patch = (path, body) => request("PATCH", path, { body });
export const put = (path, body) => request("PUT", path, { body });
export const remove = (path) => request("DELETE", path);
// a file as the request's body (an evidence document), with what it is about in the query
export const upload = (path, file, query) => request("POST", path, { file, query });
// a file the API answers (an evidence document), as a Blob: links cannot carry the token
export const fetchFile = async (path) => (await request("GET", path, { raw: true })).blob();

// staff with a second factor also give its code (`secondFactorCode`): the gateway asks for it
// with 401 second_factor_required
export async function signIn(username, password, secondFactorCode) {
  const body = { username, password };
  if (secondFactorCode) body.second_factor_code = secondFactorCode;
  const tokens = await post("/api/v1/auth/token", body);
  return begin(tokens);
}

// a session's tokens (from signing in, a password change or enrolling a second factor), and the
// account they belong to, with what it must do before anything else
export async function begin(tokens) {
  session.keepTokens(tokens);
  const account = await get("/api/v1/accounts/me");
  account.password_change_required = tokens.password_change_required;
  account.second_factor_enrolment_required = tokens.second_factor_enrolment_required;
  session.keep(tokens.access_token, account);
  return account;
}

// ends this session on the server too: its tokens stop working everywhere at once
export async function signOut() {
  try {
    if (session.token) await post("/api/v1/auth/logout");
  } catch {
    // signed out here whatever the server answers: the tokens are forgotten below
  } finally {
    session.clear();
  }
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
