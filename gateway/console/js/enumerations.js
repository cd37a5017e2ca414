// Choice lists from the API's own OpenAPI document rather than copies in the console: a value
// the services add (a failure reason, a loan state) appears without a console change. The
// document is fetched once per page load; when it cannot be read, the caller's list stands.

import { get } from "./api.js";

let document_ = null;

function openapi() {
  document_ ??= get("/api/v1/openapi.json").catch(() => null);
  return document_;
}

function resolved(doc, schema) {
  let found = schema;
  while (found?.$ref) found = doc.components?.schemas?.[found.$ref.split("/").pop()];
  return found?.type === "array" ? resolved(doc, found.items) : found;
}

async function listed(find, fallback) {
  const doc = await openapi();
  try {
    const values = doc ? find(doc) : null;
    return Array.isArray(values) && values.length ? values : fallback;
  } catch {
    return fallback;
  }
}

// the values a request body's property takes: bodyEnum("post", path, ["lines", "reason"], […])
export function bodyEnum(method, path, properties, fallback) {
  return listed((doc) => {
    let schema = resolved(doc, doc.paths[path][method].requestBody.content["application/json"].schema);
    for (const name of properties) schema = resolved(doc, schema.properties[name]);
    return schema.enum;
  }, fallback);
}

// the values a query parameter takes
export function queryEnum(path, name, fallback) {
  return listed((doc) => doc.paths[path].get.parameters.find((p) => p.name === name && p.in === "query").schema.enum, fallback);
}
