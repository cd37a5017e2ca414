// A person's record for officers (个人信息), and identity appeals (身份申诉). The record shows
// the account and profile masked; an officer of a unit whose work needs the ID number, phone and
// email reveals them for a stated purpose, which the server records and the person sees in
// their data export. An appeal is decided on its case (the number claimed, the claimant's
// statement, the account holding the number now) with a reason, after a check of the answers:
// approval takes the number from the account holding it.

import { get, post, session } from "./api.js";
import { label, t } from "./i18n.js";
import { cardTable, checkedForm, facts, pageStatus, paged, shortId, tell } from "./pageparts.js";
import { dateTime, form, h, section, statusArea } from "./ui.js";
import { openButton } from "./evidence.js";
import { state } from "./youth.js";

const OFFICER = ["officer"];
const STAFF = ["officer", "admin"];
const PEOPLE = "/api/v1/people";
const APPEALS = "/api/v1/identity-appeals";
const APPEAL_STATUSES = ["pending", "approved", "rejected"];

// a person named by their account, linked to their record
export function personLink(id) {
  return h("a", { href: `#/person?id=${encodeURIComponent(id)}`, "data-person": id }, shortId(id));
}

// -- a person's record ----------------------------------------------------------------------------

function recordSection(person, revealed) {
  const profile = person.profile ?? {};
  return section(
    "person.record",
    h(
      "p",
      { class: revealed ? "notice warn" : "hint", "data-revealed": String(revealed) },
      t(revealed ? "person.revealed_note" : "person.masked_note"),
    ),
    facts([
      ["auth.username", person.username],
      ["person.role", label("role", person.role)],
      ["profile.name", profile.name ?? person.display_name],
      ["profile.citizen_id", h("span", { "data-field": "citizen_id" }, profile.citizen_id ?? "—")],
      ["profile.phone", h("span", { "data-field": "phone" }, person.phone ?? "—")],
      ["profile.email", h("span", { "data-field": "email" }, person.email ?? "—")],
      profile.birth_date ? ["profile.birth_date", profile.birth_date] : null,
      ["person.status", label("account_status", person.status)],
      ["person.created_at", dateTime(person.created_at)],
    ]),
    Object.keys(profile.facts ?? {}).length
      ? cardTable(
          [
            ["evidence.fact", ([fact]) => label("fact", fact)],
            ["evidence.fact_state", ([, value]) => label("fact_state", value)],
          ],
          Object.entries(profile.facts),
        )
      : "",
  );
}

function evidenceSection(documents) {
  const status = statusArea();
  return section(
    "person.evidence",
    cardTable(
      [
        ["evidence.fact", (d) => label("fact", d.fact)],
        ["evidence.uploaded_at", (d) => dateTime(d.uploaded_at)],
        ["common.actions", (d) => openButton(d, status)],
      ],
      documents,
      { empty: "evidence.none" },
    ),
    status,
  );
}

function revealSection(id, shown) {
  return section(
    "person.reveal",
    h("p", { class: "hint" }, t("person.reveal_hint")),
    form({
      name: "reveal",
      fields: [
        { name: "reason", label: "person.reveal_reason", type: "textarea", required: true },
        { name: "reference", label: "person.reveal_reference" },
      ],
      submit: "person.reveal_submit",
      action: (body) => post(`${PEOPLE}/${encodeURIComponent(id)}/reveal`, body),
      done: (person) => shown(person),
    }),
  );
}

async function personPage(view, params) {
  const id = params?.get("id") ?? "";
  const status = pageStatus();
  const box = h("div");
  view.append(status, box);
  // an administrator sees the record; an officer also reveals it and opens the evidence
  const officer = session.account?.role === "officer";
  const person = await get(`${PEOPLE}/${encodeURIComponent(id)}`);
  const withEvidence = officer && person.role === "youth";
  const documents = withEvidence ? (await get(`${PEOPLE}/${encodeURIComponent(id)}/evidence`)).items : [];
  function draw(shown, revealed) {
    box.replaceChildren(
      recordSection(shown, revealed),
      officer && !revealed ? revealSection(id, (answer) => draw(answer, true)) : "",
      withEvidence ? evidenceSection(documents) : "",
    );
    if (revealed) tell(status, t("person.revealed"));
  }
  draw(person, false);
}

// -- identity appeals -----------------------------------------------------------------------------

function appealFacts(appeal) {
  return facts([
    ["appeals.citizen_id", appeal.citizen_id],
    ["appeals.statement", appeal.statement],
    ["appeals.claimant", personLink(appeal.claimant_id)],
    appeal.status === "pending" ? ["appeals.held_by", appeal.held_by ? personLink(appeal.held_by) : t("appeals.held_by_nobody")] : null,
    appeal.released_from ? ["appeals.released_from", personLink(appeal.released_from)] : null,
    ["appeals.filed_at", dateTime(appeal.filed_at)],
    ["common.state", state("appeal_status", appeal.status)],
    appeal.decided_at ? ["appeals.decided_at", dateTime(appeal.decided_at)] : null,
    appeal.reason ? ["common.reason", appeal.reason] : null,
  ]);
}

function appealCard(appeal, decided) {
  const card = h("article", { class: "card", "data-appeal": appeal.id }, appealFacts(appeal));
  if (appeal.status === "pending") {
    card.append(
      h("p", { class: "hint" }, t("appeals.approve_means")),
      checkedForm({
        name: `appeal-${appeal.id}`,
        fields: [
          { name: "decision", label: "appeals.decision", type: "select", required: true, options: [["approve", t("appeals.approve")], ["reject", t("appeals.reject")]] },
          { name: "reason", label: "appeals.reason", type: "textarea", required: true },
        ],
        submit: "appeals.prepare",
        summary: (body) => t(body.decision === "approve" ? "appeals.approve_check" : "appeals.reject_check"),
        send: (body) => post(`${APPEALS}/${appeal.id}/decision`, body),
        done: (answer) => {
          Object.assign(appeal, answer); // the list keeps it decided when "show more" draws it again
          card.replaceWith(appealCard(appeal, decided));
          decided(appeal);
        },
      }),
    );
  }
  return card;
}

async function appealsPage(view, params) {
  const chosen = APPEAL_STATUSES.includes(params?.get("status")) ? params.get("status") : "pending";
  const status = pageStatus();
  const told = (appeal) => tell(status, t("appeals.decided", { status: label("appeal_status", appeal.status) }));
  const page = await get(APPEALS, { status: chosen, limit: 20 });
  view.append(
    h("p", { class: "lead" }, t("appeals.intro")),
    h(
      "nav",
      { class: "tabs", "aria-label": t("appeals.by_status") },
      APPEAL_STATUSES.map((value) =>
        h("a", { href: `#/identity-appeals?status=${value}`, class: "tab", "aria-current": value === chosen ? "page" : null }, label("appeal_status", value)),
      ),
    ),
    status,
    paged(page, (items) => (items.length ? h("div", {}, items.map((appeal) => appealCard(appeal, told))) : h("p", { class: "empty" }, t("appeals.none")))),
  );
}

export const PEOPLE_PAGES = [
  { path: "/identity-appeals", title: "nav.identity_appeals", roles: OFFICER, menu: true, render: appealsPage },
  { path: "/person", title: "nav.person", roles: STAFF, render: personPage },
];
