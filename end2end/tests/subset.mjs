// "Is the manifest contained in what the apiserver stored?" for the wizard's import tests.
//
// differences(expected, actual) lists every place where `expected` (a parsed input manifest) is
// not contained in `actual` (the object read back with `kubectl get -o json`):
// - every key of an expected object must exist in actual, with a recursively equal value; keys
//   only in actual (defaults, status, uid, ...) are fine;
// - arrays must have the same length and are compared item by item (order matters);
// - scalars are compared as strings, so YAML `1` equals JSON `1` or "1", and "10%" stays "10%".
//   A missing value is never equal, not even to an expected null.
// An empty array means "contained". Each string names the path, e.g.
//   spec.template.spec.containers[0].ports[1].hostPort: expected 9100, got undefined
//
// readManifests(file) parses a (multi-document) YAML file into an array of plain objects, with
// the `yaml` package, or `js-yaml` when `yaml` cannot be found. Empty documents are skipped.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const show = (value) => (value === undefined ? "undefined" : JSON.stringify(value));
// `a.b`, but `a["app.kubernetes.io/name"]` for keys that are not plain words.
const join = (path, key) =>
  /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

export function differences(expected, actual, path = "") {
  const here = path || "(root)";
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${here}: expected an array ${show(expected)}, got ${show(actual)}`];
    const found = [];
    if (expected.length !== actual.length) {
      found.push(`${here}: expected ${expected.length} items, got ${actual.length}`);
    }
    const common = Math.min(expected.length, actual.length);
    for (let i = 0; i < common; i++) found.push(...differences(expected[i], actual[i], `${path}[${i}]`));
    return found;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [`${here}: expected an object ${show(expected)}, got ${show(actual)}`];
    return Object.keys(expected).flatMap((key) => differences(expected[key], actual[key], join(path, key)));
  }
  if (actual === undefined || isObject(actual) || Array.isArray(actual) || String(expected) !== String(actual)) {
    return [`${here}: expected ${show(expected)}, got ${show(actual)}`];
  }
  return [];
}

const require = createRequire(import.meta.url);

/** The YAML documents of `file` as plain objects, in file order. */
export function readManifests(file) {
  const text = readFileSync(file, "utf8");
  let documents;
  try {
    const YAML = require("yaml");
    documents = YAML.parseAllDocuments(text).map((document) => {
      if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
      return document.toJS();
    });
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND") throw error;
    documents = require("js-yaml").loadAll(text); // throws MODULE_NOT_FOUND when neither is there
  }
  return documents.filter((document) => document != null);
}
