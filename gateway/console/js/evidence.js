// Evidence documents (证明材料): a young person gives a document for a fact a decision rests on
// (a degree certificate, a labour contract, a social-insurance record), sees what they gave and
// whether each fact is verified, opens or takes one back; officers open one from their review
// queue (officer.js), each opening recorded by the server.

import { fetchFile, get, remove, upload } from "./api.js";
import { label, t } from "./i18n.js";
import { actionButton, dateTime, h, saveFile, say, section, showProblem, statusArea, table } from "./ui.js";

const YOUTH = ["youth"];
export const FACTS = ["graduation_date", "degree", "employment_status", "local_social_insurance_months"];
export const EXTENSIONS = { "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png" };

export function size(bytes) {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

// opens the document in a new tab where the browser can show it, or saves it
async function openDocument(document_) {
  const blob = await fetchFile(`/api/v1/evidence/${document_.id}`);
  saveFile(`evidence-${document_.id}.${EXTENSIONS[document_.content_type] ?? "bin"}`, blob);
}

// a button that opens the document, again and again (an action button stays disabled on success)
export function openButton(document_, status) {
  const button = h("button", { type: "button", class: "secondary", "data-action": "open" }, t("evidence.open"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await openDocument(document_);
    } catch (error) {
      showProblem(status, error);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function uploadForm(done) {
  const status = statusArea();
  const fact = h(
    "select",
    { id: "evidence-fact", name: "fact", required: true },
    FACTS.map((name) => h("option", { value: name }, label("fact", name))),
  );
  const file = h("input", {
    id: "evidence-file",
    name: "document",
    type: "file",
    required: true,
    accept: "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png",
    "aria-describedby": "evidence-file-hint",
  });
  const button = h("button", { type: "submit", class: "primary" }, t("evidence.upload"));
  const element = h(
    "form",
    { class: "form", "data-form": "evidence" },
    h("div", { class: "field" }, h("label", { for: "evidence-fact" }, t("evidence.fact")), fact),
    h(
      "div",
      { class: "field" },
      h("label", { for: "evidence-file" }, t("evidence.file")),
      file,
      h("p", { class: "hint", id: "evidence-file-hint" }, t("evidence.file_hint")),
    ),
    h("div", { class: "actions" }, button),
    status,
  );
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.replaceChildren();
    if (!file.files.length) return;
    button.disabled = true;
    try {
      await upload(`/api/v1/me/evidence/${fact.value}`, file.files[0]);
      element.reset();
      await done();
      say(status, t("evidence.uploaded"));
    } catch (error) {
      showProblem(status, error);
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

async function myEvidence(main) {
  const list = h("div", { id: "my-evidence" });
  const status = statusArea();
  const show = async () => {
    const [documents, me] = await Promise.all([get("/api/v1/me/evidence"), get("/api/v1/accounts/me")]);
    const facts = me.profile?.facts ?? {};
    list.replaceChildren(
      table(
        [
          ["evidence.fact", (d) => label("fact", d.fact)],
          ["evidence.fact_state", (d) => label("fact_state", facts[d.fact])],
          ["evidence.type", (d) => (EXTENSIONS[d.content_type] ?? d.content_type).toUpperCase()],
          ["evidence.size", (d) => size(d.size)],
          ["evidence.uploaded_at", (d) => dateTime(d.uploaded_at)],
          [
            "common.actions",
            (d) =>
              h(
                "div",
                { class: "actions", "data-document": d.id },
                openButton(d, status),
                actionButton(
                  "evidence.delete",
                  async () => {
                    await remove(`/api/v1/me/evidence/${d.id}`);
                    await show();
                    say(status, t("evidence.deleted"));
                  },
                  { status, name: "delete" },
                ),
              ),
          ],
        ],
        documents.items,
        { empty: "evidence.none" },
      ),
    );
  };
  main.append(
    h("p", { class: "hint" }, t("evidence.hint")),
    section("evidence.give", uploadForm(show)),
    section("evidence.mine", status, list),
  );
  await show();
}

export const EVIDENCE_PAGES = [
  { path: "/evidence", title: "nav.evidence", roles: YOUTH, menu: true, render: myEvidence },
];
