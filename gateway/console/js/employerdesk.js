// An employer's papers and practice placements, and the employer's case as the deciding unit's
// officers see it (issue 26). The employer attaches its business licence (营业执照) and the
// labour contract (劳动合同) of each hire it claims the hiring subsidy for; a practice unit
// (产教融合实践单位) reports the students a university placed with it, as a count. Officers of
// 区人社局 read an employer's facts and documents, and designate a verified employer a practice
// unit with the universities and schools it serves.

import { ApiError, get, post, upload } from "./api.js";
import { EXTENSIONS, openButton, size } from "./evidence.js";
import { label, t } from "./i18n.js";
import { cardTable, facts, itemLink, itemPage, pageStatus, paged, tell } from "./pageparts.js";
import { dateTime, form, h, section, today } from "./ui.js";
import { state } from "./youth.js";

// the kinds of an employer's documents (gateway/evidence.py EMPLOYER_DOCUMENTS)
const DOCUMENT_KINDS = ["business_licence", "labour_contract"];
const EMPLOYER_STATES = ["pending", "verified", "rejected"];

function documentTable(documents, status) {
  return cardTable(
    [
      ["employerdesk.kind", (d) => label("employer_document", d.fact)],
      ["employerdesk.about", (d) => (d.reference ? itemLink("/application", d.reference, t("postdesk.see_application")) : "")],
      ["evidence.type", (d) => (EXTENSIONS[d.content_type] ?? d.content_type).toUpperCase()],
      ["evidence.size", (d) => size(d.size)],
      ["evidence.uploaded_at", (d) => dateTime(d.uploaded_at)],
      ["common.actions", (d) => h("div", { class: "actions", "data-document": d.id }, openButton(d, status))],
    ],
    documents,
    { empty: "evidence.none" },
  );
}

// the hires of the employer's posts, each a job application a labour contract is about
async function hires() {
  const posts = await get("/api/v1/me/posts", { limit: 50 });
  const pages = await Promise.all(
    posts.items.filter((p) => p.hired_count).map((p) => get(`/api/v1/posts/${encodeURIComponent(p.id)}/applications`, { state: "hired", limit: 100 })),
  );
  return pages.flatMap((page) => page.items);
}

function uploadForm(hired, refresh) {
  const element = form({
    name: "employer-document",
    fields: [
      { name: "kind", label: "employerdesk.kind", type: "select", required: true, options: DOCUMENT_KINDS.map((kind) => [kind, label("employer_document", kind)]) },
      {
        name: "application_id",
        label: "employerdesk.hire",
        type: "select",
        options: [["", t("employerdesk.no_hire")], ...hired.map((a) => [a.id, t("employerdesk.hire_value", { post: a.post_title, hired: dateTime(a.hired_at) })])],
      },
      { name: "document", label: "evidence.file", type: "file", required: true },
    ],
    submit: "evidence.upload",
    action: ({ kind, application_id }, formElement) => {
      const file = formElement.querySelector('input[type="file"]').files[0];
      return upload(`/api/v1/employer/evidence/${kind}`, file, kind === "labour_contract" ? { application_id } : undefined);
    },
    done: async () => {
      element.reset();
      await refresh(t("employerdesk.uploaded"));
    },
  });
  element.querySelector('input[type="file"]').setAttribute("accept", "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png");
  return element;
}

async function documents(view) {
  const status = pageStatus();
  const list = h("div", { id: "employer-documents" });
  view.append(h("p", { class: "hint" }, t("employerdesk.documents_hint")), status);
  async function show(message) {
    const answer = await get("/api/v1/employer/evidence");
    list.replaceChildren(documentTable(answer.items, status));
    if (message) tell(status, message);
  }
  view.append(section("employerdesk.attach", h("p", { class: "hint" }, t("evidence.file_hint_employer")), uploadForm(await hires(), show)), section("employerdesk.documents", list));
  await show();
}

// -- practice placements ----------------------------------------------------------------------------

async function placements(view) {
  const status = pageStatus();
  const mine = await get("/api/v1/employers/me").catch((error) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });
  view.append(h("p", { class: "hint" }, t("employerdesk.placements_hint")), status);
  if (!mine?.practice_unit) {
    view.append(h("p", { class: "empty" }, t("employerdesk.not_practice_unit")));
    return;
  }
  const universities = (await get("/api/v1/universities", { limit: 100 })).items;
  const names = Object.fromEntries(universities.map((u) => [u.id, u.name]));
  const list = h("div", {});
  async function show(message) {
    const page = await get("/api/v1/me/practice-placements", { limit: 50 });
    list.replaceChildren(
      cardTable(
        [
          ["cooperation.university", (p) => names[p.university_id] ?? ""],
          ["employerdesk.students", (p) => String(p.students)],
          ["employerdesk.period", (p) => `${p.starts_on} – ${p.ends_on}`],
          ["employerdesk.recorded_at", (p) => dateTime(p.recorded_at)],
        ],
        page.items,
      ),
    );
    if (message) tell(status, message);
  }
  view.append(
    section(
      "employerdesk.practice_unit",
      facts([
        ["employerdesk.partners", (mine.practice_partners ?? []).join(t("common.list_separator"))],
        ["employerdesk.term", `${mine.practice_from ?? ""} – ${mine.practice_until ?? ""}`],
        ["employerdesk.students_placed", String(mine.students_placed ?? 0)],
      ]),
    ),
    section(
      "employerdesk.report_placement",
      form({
        name: "placement",
        fields: [
          { name: "university_id", label: "cooperation.university", type: "select", required: true, options: universities.map((u) => [u.id, u.name]) },
          { name: "students", label: "employerdesk.students", type: "number", min: 1, required: true },
          { name: "starts_on", label: "employerdesk.starts_on", type: "date", required: true, value: today() },
          { name: "ends_on", label: "employerdesk.ends_on", type: "date", required: true },
        ],
        submit: "employerdesk.report",
        action: (body) => post("/api/v1/me/practice-placements", body),
        done: () => show(t("employerdesk.placement_recorded")),
      }),
    ),
    section("employerdesk.placements", list),
  );
  await show();
}

// -- the employer's case, for the deciding unit's officers ------------------------------------------

async function employers(view, params) {
  const chosen = EMPLOYER_STATES.includes(params.get("state")) ? params.get("state") : "verified";
  let page;
  try {
    page = await get("/api/v1/employers", { state: chosen, limit: 50 });
  } catch (error) {
    // employers are the deciding unit's cases: another unit's officer is told so, not refused
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
    view.append(h("p", { class: "empty" }, t("employerdesk.other_unit")));
    return;
  }
  view.append(
    h(
      "p",
      { class: "tabs", role: "group", "aria-label": t("employerdesk.by_state") },
      EMPLOYER_STATES.map((value) => h("a", { href: `#/employers?state=${value}`, class: "tab", "aria-current": value === chosen ? "true" : null }, label("state", value))),
    ),
    paged(page, (items) =>
      cardTable(
        [
          ["employer.name", (e) => itemLink("/employers/case", e.id, e.name)],
          ["employer.credit_code", (e) => e.credit_code],
          ["employer.industry", (e) => label("industry", e.industry)],
          ["employer.area", (e) => e.area],
          ["employerdesk.practice_unit", (e) => (e.practice_unit ? t("postdesk.yes") : "")],
        ],
        items,
      ),
    ),
  );
}

function designationForm(path, universities, refresh) {
  return form({
    name: "practice-unit",
    fields: [
      { name: "university_id", label: "cooperation.university", type: "select", options: [["", t("employerdesk.no_university")], ...universities.map((u) => [u.id, u.name])] },
      { name: "partners", label: "employerdesk.partner_schools" },
      { name: "valid_from", label: "employerdesk.valid_from", type: "date", value: today() },
      { name: "valid_until", label: "employerdesk.valid_until", type: "date" },
    ],
    submit: "employerdesk.designate",
    action: ({ university_id, partners, ...term }) =>
      post(`${path}/practice-unit`, {
        ...term,
        university_ids: university_id ? [university_id] : [],
        partners: (partners ?? "").split(/[,,、]+/).map((name) => name.trim()).filter(Boolean),
      }),
    done: () => refresh(t("employerdesk.designated")),
  });
}

function employerCase(view, params) {
  const path = `/api/v1/employers/${encodeURIComponent(params.get("id"))}`;
  return itemPage(view, {
    back: "/employers",
    backKey: "employerdesk.all_employers",
    load: async () => {
      const [employer, papers, universities] = await Promise.all([get(path), get(`${path}/evidence`), get("/api/v1/universities", { limit: 100 })]);
      return { employer, papers: papers.items, universities: universities.items };
    },
    draw: ({ employer, papers, universities }, status, refresh) => [
      h(
        "section",
        { class: "card", "data-employer": employer.id, "data-state": employer.state },
        h("h2", {}, employer.name),
        facts([
          ["common.state", state("state", employer.state)],
          ["employer.credit_code", employer.credit_code],
          ["employer.industry", label("industry", employer.industry)],
          ["employer.area", employer.area],
          employer.address ? ["employer.address", employer.address] : null,
          ["employer.in_district", t(employer.in_district ? "postdesk.yes" : "postdesk.no")],
          ["employerdesk.registered_at", dateTime(employer.registered_at)],
          employer.rejection_reason ? ["common.reason", employer.rejection_reason] : null,
          employer.practice_unit ? ["employerdesk.partners", (employer.practice_partners ?? []).join(t("common.list_separator"))] : null,
          employer.practice_unit ? ["employerdesk.term", `${employer.practice_from ?? ""} – ${employer.practice_until ?? ""}`] : null,
        ]),
      ),
      section("employerdesk.documents", documentTable(papers, status)),
      employer.state === "verified"
        ? section(employer.practice_unit ? "employerdesk.renew_designation" : "employerdesk.designate_title", h("p", { class: "hint" }, t("employerdesk.designate_hint")), designationForm(path, universities, refresh))
        : null,
    ],
  });
}

export const EMPLOYER_DESK_PAGES = [
  { path: "/employer/documents", title: "nav.employer_documents", roles: ["employer"], menu: true, render: documents },
  { path: "/employer/placements", title: "nav.practice_placements", roles: ["employer"], menu: true, render: placements },
  { path: "/employers", title: "nav.employers", roles: ["officer"], menu: true, render: employers },
  { path: "/employers/case", title: "employerdesk.case", roles: ["officer"], render: employerCase },
];
