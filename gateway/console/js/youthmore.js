// The rest of the youth portal: one-stop business registration with its 2-hour clock, startup
// loans with their repayment and subsidy schedule, and activities with registration, waitlist
// and the check-in code.

import { get, post } from "./api.js";
import { options } from "./auth.js";
import { label, t } from "./i18n.js";
import { actionButton, dateTime, form, h, say, section, statusArea, table } from "./ui.js";
import { state } from "./youth.js";

const YOUTH = ["youth"];
const COMPANY_TYPES = [
  "limited_company",
  "joint_stock_company",
  "sole_proprietorship",
  "partnership",
  "individual_business",
  "farmer_cooperative",
];
export const REPAYMENT = ["interest_monthly", "equal_instalment", "equal_principal"];

// the 2-hour promise: business minutes used against the target, as a bar
function clock(time) {
  if (!time) return "";
  const used = Math.min(100, Number(time.used_percent ?? 0));
  return h(
    "span",
    { class: "inline", "data-clock": time.status },
    h("progress", { max: 100, value: used, "aria-label": t("startup.clock_label") }, `${used}%`),
    t("startup.elapsed", { minutes: time.elapsed_minutes, target: time.target_minutes }),
    " ",
    state("sla", time.status),
  );
}

async function startup(main) {
  const list = h("div");
  const show = async () => {
    const page = await get("/api/v1/startup/registrations", { limit: 50 });
    list.replaceChildren(
      ...(page.items.length ? [] : [h("p", { class: "empty" }, t("common.none"))]),
      ...page.items.map((r) =>
        h(
          "article",
          { class: "card", "data-registration": r.id },
          h("h3", {}, h("a", { href: `#/business-registration?id=${encodeURIComponent(r.id)}`, "data-action": "open" }, r.company_name)),
          h("p", {}, state("state", r.state), " ", clock(r.business_time)),
          table(
            [
              ["startup.step", (s) => label("step", s.step)],
              ["common.state", (s) => state("state", s.state)],
              ["startup.completed_at", (s) => dateTime(s.completed_at)],
            ],
            r.steps,
          ),
        ),
      ),
    );
  };
  main.append(
    section(
      "startup.apply",
      h("p", { class: "hint" }, t("startup.hint")),
      form({
        name: "business-registration",
        fields: [
          { name: "company_name", label: "startup.company_name", required: true },
          {
            name: "company_type",
            label: "startup.company_type",
            type: "select",
            options: options("company_type", COMPANY_TYPES),
          },
          {
            name: "registered_capital_cny",
            label: "startup.capital",
            type: "number",
            min: 0,
            required: true,
          },
          { name: "address", label: "housing.address", required: true },
          { name: "business_scope", label: "startup.scope", type: "textarea", required: true },
          { name: "founder_name", label: "startup.founder", required: true },
        ],
        submit: "startup.submit",
        action: (data) =>
          post("/api/v1/startup/registrations", {
            company_name: data.company_name,
            company_type: data.company_type,
            registered_capital_cny: String(data.registered_capital_cny),
            address: data.address,
            business_scope: data.business_scope,
            founders: [{ name: data.founder_name, share_percent: "100" }],
          }),
        done: async (_, status) => {
          await show();
          say(status, t("startup.submitted"));
        },
      }),
    ),
    section("startup.mine", list),
  );
  await show();
  // the service counts business time (working hours only): ask it again while the page shows
  const timer = setInterval(() => {
    if (document.body.contains(list)) show().catch(() => {});
    else clearInterval(timer);
  }, 30000);
}

// a loan's repayment and subsidy schedule, month by month (a quote's too)
export function schedule(answer) {
  return h(
    "div",
    {},
    h(
      "p",
      { class: "meta" },
      t("loans.rates", {
        contract: answer.contract_rate_percent,
        borrower: answer.borrower_rate_percent,
        months: answer.subsidised_months,
      }),
    ),
    answer.estimate ? h("p", { class: "notice warn" }, t("loans.estimate")) : null,
    table(
      [
        ["loans.number", (i) => String(i.number)],
        ["loans.due_on", (i) => i.due_on],
        ["loans.principal", (i) => i.principal],
        ["loans.interest", (i) => i.interest],
        ["loans.subsidy", (i) => i.subsidy],
        ["loans.payment", (i) => i.borrower_payment],
      ],
      answer.instalments,
    ),
  );
}

async function loans(main) {
  const lenders = await get("/api/v1/startup/lenders", { limit: 50 });
  const mine = h("div");
  const show = async () => {
    const page = await get("/api/v1/startup/loans", { limit: 50 });
    mine.replaceChildren(
      ...(page.items.length ? [] : [h("p", { class: "empty" }, t("common.none"))]),
      ...page.items.map((loan) => {
        const box = h("div");
        const status = statusArea();
        return h(
          "article",
          { class: "card", "data-loan": loan.id },
          h(
            "h3",
            {},
            h("a", { href: `#/startup-loan?id=${encodeURIComponent(loan.id)}`, "data-action": "open" }, t("review.amount", { amount: loan.amount_cny }), " · ", t("loans.term", { months: loan.term_months })),
          ),
          h("p", {}, state("state", loan.state), " ", loan.purpose),
          actionButton(
            "loans.show_schedule",
            async () => box.replaceChildren(schedule(await get(`/api/v1/startup/loans/${loan.id}/schedule`))),
            { status, name: "schedule" },
          ),
          status,
          box,
        );
      }),
    );
  };
  main.append(
    section(
      "loans.apply",
      h("p", { class: "hint" }, t("loans.hint"), " ", h("a", { href: "#/loan-quote" }, t("loans.quote_first"))),
      lenders.items.length
        ? form({
            name: "loan",
            fields: [
              {
                name: "lender_id",
                label: "loans.lender",
                type: "select",
                options: lenders.items.map((l) => [l.id, l.name]),
              },
              {
                name: "borrower_kind",
                label: "loans.borrower_kind",
                type: "select",
                options: options("borrower", ["individual", "small_business"]),
              },
              { name: "amount_cny", label: "loans.amount", type: "number", min: 1, required: true },
              {
                name: "term_months",
                label: "loans.term_months",
                type: "number",
                min: 1,
                max: 36,
                required: true,
                value: 24,
              },
              {
                name: "repayment_method",
                label: "loans.repayment",
                type: "select",
                options: options("repayment", REPAYMENT),
              },
              { name: "purpose", label: "loans.purpose", required: true },
              { name: "credit_code", label: "employer.credit_code" },
            ],
            submit: "loans.submit",
            action: (data) => post("/api/v1/startup/loans", { ...data, amount_cny: String(data.amount_cny) }),
            done: async (_, status) => {
              await show();
              say(status, t("loans.submitted"));
            },
          })
        : h("p", { class: "empty" }, t("loans.no_lenders")),
    ),
    section("loans.mine", mine),
  );
  await show();
}

async function activities(main) {
  const status = statusArea();
  const mine = h("div");
  const showMine = async () => {
    const page = await get("/api/v1/me/registrations", { limit: 50 });
    mine.replaceChildren(
      table(
        [
          ["activities.activity", (r) => r.activity?.title ?? ""],
          // a place the organiser's cancellation ended says so: the person did not cancel it
          ["common.state", (r) => (r.cancelled_by === "activity" ? h("span", {}, state("state", r.state), " · ", t("activities.cancelled_by_organiser")) : state("state", r.state))],
          ["activities.waitlist", (r) => (r.waitlist_position ? String(r.waitlist_position) : "")],
          [
            "activities.code",
            (r) => {
              if (r.state !== "confirmed") return "";
              const code = h("span", { class: "code", "data-code-for": r.id });
              return h(
                "span",
                { class: "inline" },
                actionButton("activities.show_code", async () => {
                  code.textContent = (await get(`/api/v1/me/registrations/${r.id}`)).check_in_code ?? "";
                }, { status, name: "show-code" }),
                code,
              );
            },
          ],
          [
            "common.actions",
            (r) =>
              ["confirmed", "waitlisted"].includes(r.state)
                ? actionButton("activities.cancel", async () => {
                    await post(`/api/v1/me/registrations/${r.id}/cancel`);
                    await showMine();
                  }, { status })
                : "",
          ],
        ],
        page.items,
      ),
    );
  };
  const open = await get("/api/v1/activities", { limit: 50 });
  main.append(
    status,
    section(
      "activities.open",
      open.items.length
        ? h(
            "div",
            { class: "results" },
            open.items.map((a) =>
              h(
                "article",
                { class: "card", "data-activity": a.id },
                h("h3", {}, a.title),
                h("p", { class: "meta" }, [label("category", a.category), a.venue, dateTime(a.starts_at)].filter(Boolean).join(" · ")),
                h("p", {}, t("activities.places", { left: a.places_left ?? "", capacity: a.capacity, waitlisted: a.waitlisted_count ?? 0 })),
                actionButton("activities.register", async () => {
                  const registration = await post(`/api/v1/activities/${a.id}/registrations`);
                  const text =
                    registration.state === "waitlisted"
                      ? t("activities.waitlisted", { position: registration.waitlist_position })
                      : t("activities.confirmed");
                  await showMine();
                  say(status, text); // after the list, so what the message says is on screen
                }, { status, kind: "primary", name: "register" }),
              ),
            ),
          )
        : h("p", { class: "empty" }, t("common.none")),
    ),
    section("activities.mine", mine),
  );
  await showMine();
}

export const MORE_YOUTH_PAGES = [
  { path: "/startup", title: "nav.startup", roles: YOUTH, menu: true, render: startup },
  { path: "/loans", title: "nav.loans", roles: YOUTH, menu: true, render: loans },
  { path: "/activities", title: "nav.activities", roles: YOUTH, menu: true, render: activities },
];
