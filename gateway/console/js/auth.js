// Signing in, and registering as a young person or an employer (both register themselves;
// officers and administrators are created by an administrator); changing a password, and
// resetting a forgotten one with a code sent by email or SMS.

import { begin, get, post, signIn } from "./api.js";
import { label, t } from "./i18n.js";
import { actionButton, h, field, form, say, section, statusArea } from "./ui.js";

export const DEGREES = ["none", "junior_high", "high_school", "vocational", "associate", "bachelor", "master", "doctor"];
export const EMPLOYMENT = ["unemployed", "employed", "self_employed", "student"];

export function options(group, values, { blank = false } = {}) {
  const list = values.map((value) => [value, label(group, value)]);
  return blank ? [["", t("common.any")], ...list] : list;
}

function goHome() {
  location.hash = "#/";
}

// after signing in (or registering), back to the page that asked for it (`?next=/post?id=…`):
// only a path of the console itself; the shell sends a page the account may not see home
function returnTo(params) {
  const next = params?.get("next") ?? "";
  return () => {
    location.hash = next.startsWith("/") && !next.startsWith("//") ? `#${next}` : "#/";
  };
}

// Staff with a second factor: the code field appears when the gateway asks for it (401
// second_factor_required, whose title says what to type), and the same form is sent again.
function secondFactorField() {
  const code = field({ name: "second_factor_code", label: "auth.second_factor_code", autocomplete: "one-time-code" });
  code.hidden = true;
  return code;
}

function askForCode(code, error) {
  if (error.problem?.code !== "second_factor_required") return;
  code.hidden = false;
  const input = code.querySelector("input");
  input.required = true;
  input.setAttribute("inputmode", "numeric");
  // after the form's error summary took the focus (it still announces what to type): the code
  // it asks for is where the person goes next
  setTimeout(() => input.focus());
}

function signInPage(main, params) {
  const code = secondFactorField();
  const signInForm = form({
    name: "sign-in",
    fields: [
      { name: "username", label: "auth.username", required: true, autocomplete: "username" },
      {
        name: "password",
        label: "auth.password",
        type: "password",
        required: true,
        autocomplete: "current-password",
      },
    ],
    submit: "auth.sign_in",
    action: async (data) => {
      try {
        return await signIn(data.username, data.password, data.second_factor_code);
      } catch (error) {
        askForCode(code, error);
        throw error;
      }
    },
    done: returnTo(params),
  });
  signInForm.querySelector(".actions").before(code);
  const next = params?.get("next");
  const registerHref = next ? `#/register?next=${encodeURIComponent(next)}` : "#/register";
  main.append(
    params?.get("expired") ? h("p", { class: "notice warn", "data-notice": "expired" }, t("auth.session_ended")) : "",
    next && !params?.get("expired") ? h("p", { class: "notice warn", "data-notice": "sign-in-first" }, t("auth.sign_in_first")) : "",
    section(
      "auth.sign_in",
      signInForm,
      h("p", {}, h("a", { href: registerHref }, t("auth.no_account"))),
      h("p", {}, h("a", { href: "#/forgot" }, t("auth.forgot"))),
    ),
  );
}

const NEW_PASSWORD = {
  name: "new_password",
  label: "auth.new_password",
  type: "password",
  required: true,
  autocomplete: "new-password",
};

function changePasswordPage(main) {
  main.append(
    section(
      "auth.change_password",
      h("p", { class: "hint" }, t("auth.change_password_hint")),
      form({
        name: "change-password",
        fields: [
          {
            name: "current_password",
            label: "auth.current_password",
            type: "password",
            required: true,
            autocomplete: "current-password",
          },
          NEW_PASSWORD,
        ],
        submit: "auth.change_password",
        action: async (data) => begin(await post("/api/v1/me/password", data)),
        done: goHome,
      }),
    ),
  );
}

function forgotPasswordPage(main) {
  const confirm = form({
    name: "reset-password",
    fields: [
      { name: "username", label: "auth.username", required: true, autocomplete: "username" },
      { name: "code", label: "auth.code", required: true, autocomplete: "one-time-code" },
      NEW_PASSWORD,
    ],
    submit: "auth.reset",
    action: (data) => post("/api/v1/auth/password-reset/confirm", data),
    done: () => {
      location.hash = "#/login";
    },
  });
  main.append(
    section(
      "auth.forgot",
      h("p", { class: "hint" }, t("auth.forgot_hint")),
      form({
        name: "ask-code",
        fields: [
          { name: "username", label: "auth.username", required: true, autocomplete: "username" },
          {
            name: "channel",
            label: "auth.channel",
            type: "select",
            options: [
              ["email", t("auth.channel_email")],
              ["sms", t("auth.channel_sms")],
            ],
          },
        ],
        submit: "auth.send_code",
        action: (data) => post("/api/v1/auth/password-reset", data),
        done: (_, status) => status.replaceChildren(h("p", { role: "status" }, t("auth.code_sent"))),
      }),
      confirm,
    ),
  );
}

// A phone is proven by a code sent to it before an ID number is bound (where the platform
// requires it: GET /api/v1/accounts/registration); the code is asked beside the phone.
function phoneCode(formElement, required) {
  const status = statusArea();
  const send = actionButton(
    "auth.send_phone_code",
    async () => {
      const phone = formElement.querySelector('[name="phone"]').value;
      await post("/api/v1/accounts/phone-codes", { phone, channel: "sms" });
      say(status, t("auth.phone_code_sent"));
      send.disabled = false;
    },
    { status, name: "send-phone-code" },
  );
  const code = formElement.querySelector('[name="phone_code"]');
  code.closest(".field").after(h("div", { class: "phone-code-send" }, send, status));
  if (!required) return;
  for (const name of ["phone", "phone_code"]) {
    const control = formElement.querySelector(`[name="${name}"]`);
    control.required = true;
    // not yet in the document: its label is found beside it, not through `labels`
    const text = control.closest(".field").querySelector("label");
    text.append(h("span", { class: "required", "aria-hidden": "true" }, " *"));
  }
}

async function registerPage(main, params) {
  const account = [
    { name: "username", label: "auth.username", required: true, autocomplete: "username" },
    {
      name: "password",
      label: "auth.password",
      type: "password",
      required: true,
      autocomplete: "new-password",
    },
  ];
  const register = async (body) => {
    await post("/api/v1/accounts", body);
    return signIn(body.username, body.password);
  };
  const rules = await get("/api/v1/accounts/registration");
  const youthForm = form({
    name: "register-youth",
    fields: [
      ...account,
      { name: "profile.name", label: "profile.name", required: true, autocomplete: "name" },
      { name: "profile.citizen_id", label: "profile.citizen_id", required: true },
      { name: "phone", label: "profile.phone", type: "tel", autocomplete: "tel" },
      { name: "phone_code", label: "auth.phone_code", autocomplete: "one-time-code" },
      { name: "email", label: "profile.email", type: "email", autocomplete: "email" },
      { name: "profile.school", label: "profile.school" },
      {
        name: "profile.degree",
        label: "profile.degree",
        type: "select",
        options: options("degree", DEGREES),
        value: "bachelor",
      },
      { name: "profile.graduation_date", label: "profile.graduation_date", type: "date" },
      {
        name: "profile.employment_status",
        label: "profile.employment_status",
        type: "select",
        options: options("employment", EMPLOYMENT),
      },
    ],
    submit: "auth.register",
    action: (data) => register({ ...data, role: "youth" }),
    done: returnTo(params),
  });
  phoneCode(youthForm, rules.phone_proof_required);
  main.append(
    section("auth.register_youth", h("p", { class: "hint" }, t("auth.register_youth_hint")), youthForm),
    section(
      "auth.register_employer",
      form({
        name: "register-employer",
        fields: [...account, { name: "display_name", label: "employer.name", required: true }],
        submit: "auth.register",
        action: (data) => register({ ...data, role: "employer" }),
        done: returnTo(params),
      }),
    ),
    h("p", {}, h("a", { href: "#/login" }, t("auth.have_account"))),
  );
}

export const AUTH_PAGES = [
  { path: "/login", title: "auth.sign_in", roles: ["anonymous"], menu: true, render: signInPage },
  { path: "/register", title: "auth.register", roles: ["anonymous"], menu: true, render: registerPage },
  { path: "/forgot", title: "auth.forgot", roles: ["anonymous"], menu: false, render: forgotPasswordPage },
  {
    path: "/password",
    title: "auth.change_password",
    roles: ["youth", "employer", "officer", "admin", "partner"],
    menu: true,
    render: changePasswordPage,
  },
];
