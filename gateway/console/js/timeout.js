// The GOV.UK timeout warning: a session ends when its refresh token's lifetime passes unused
// (REFRESH_TOKEN_LIFETIME, told to the console as `refresh_expires_in`). Two minutes before, a
// modal dialog offers to stay signed in (the tokens are refreshed: a new full lifetime) or to
// sign out; when the time runs out the console signs out and the sign-in page says why and
// returns to the same page afterwards. The deadline is kept in sessionStorage
// ("youthcity:session-ends", ms since the epoch), which is also how a test brings it near.

import { refreshTokens, session, signOut } from "./api.js";
import { t } from "./i18n.js";
import { h } from "./ui.js";

const WARN_MS = 2 * 60 * 1000;
let dialog = null;
let countdown = null;

function remainingText(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes >= 1
    ? t("timeout.minutes", { minutes, seconds: String(seconds % 60).padStart(2, "0") })
    : t("timeout.seconds", { seconds });
}

function close() {
  if (!dialog) return;
  const open = dialog;
  dialog = null;
  countdown = null;
  if (open.open) open.close();
  open.remove();
}

function warn(remaining) {
  countdown = h("strong", { "data-countdown": "" }, remainingText(remaining));
  const stay = h(
    "button",
    {
      type: "button",
      class: "primary",
      "data-action": "stay-signed-in",
      onclick: async () => {
        stay.disabled = true;
        const refreshed = await refreshTokens();
        close();
        if (!refreshed) expire();
      },
    },
    t("timeout.stay"),
  );
  dialog = h(
    "dialog",
    {
      class: "timeout-warning",
      role: "alertdialog",
      "aria-modal": "true",
      "aria-labelledby": "timeout-title",
      "aria-describedby": "timeout-text",
      "data-dialog": "timeout",
    },
    h("h2", { id: "timeout-title" }, t("timeout.title")),
    h("p", { id: "timeout-text" }, t("timeout.text"), " ", countdown),
    h(
      "div",
      { class: "actions" },
      stay,
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          "data-action": "timeout-sign-out",
          onclick: async () => {
            close();
            await signOut();
            location.hash = "#/login";
          },
        },
        t("timeout.sign_out"),
      ),
    ),
  );
  // Escape keeps the person signed in, as GOV.UK's pattern does: closing is not signing out
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay.click();
  });
  document.body.append(dialog);
  dialog.showModal();
  stay.focus();
}

function expire() {
  close();
  session.clear();
  window.dispatchEvent(new Event("youthcity:signed-out"));
}

export function checkSession() {
  const ends = session.token ? session.endsAt : null;
  if (!ends) {
    close();
    return;
  }
  const remaining = ends - Date.now();
  if (remaining <= 0) expire();
  else if (remaining > WARN_MS) close();
  else if (!dialog) warn(remaining);
  else if (countdown) countdown.textContent = remainingText(remaining);
}

export function watchSession() {
  setInterval(checkSession, 1000);
}
