// Validates documented examples against their schemas with Ajv (JSON Schema
// 2020-12, every error reported), independently of apigen: the oracle that
// tells an example the spec gets wrong from one apigen gets wrong.
//
//   node validate-examples.mjs SPEC.json EXAMPLES.json
//
// EXAMPLES.json lists {pointer, schema, direction, value}: JSON pointers
// (in SPEC) of the example and of its schema, "request" or "response", and
// the value (as apigen reads it).
// Prints one JSON array, an entry per example:
//   {pointer, invalid: [message, …], undeclared: [pointer, …]}
// `invalid`: what makes the value invalid against its schema, read as
// JSON Schema reads it (keys a schema does not declare are allowed unless
// it says `additionalProperties: false`). `undeclared`: the JSON pointers
// (in SPEC) of keys of the value that no schema declares at their place.
//
// OpenAPI 3.0 schemas are read as 2020-12: `nullable` adds `null`, boolean
// `exclusiveMinimum`/`exclusiveMaximum` become numbers; required
// `readOnly` properties are not required in requests, nor `writeOnly`
// ones in responses; formats are not checked.

import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [specPath, examplesPath] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specPath, "utf8"));
const examples = JSON.parse(readFileSync(examplesPath, "utf8"));
const is30 = String(spec.openapi ?? "").startsWith("3.0");

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// Keywords whose value is a schema, a list of schemas, or a map of them.
const ONE = ["items", "additionalProperties", "not", "if", "then", "else", "contains",
  "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems"];
const MANY = ["allOf", "anyOf", "oneOf", "prefixItems"];
const MAP = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
// Positions whose object value must not have undeclared keys (`strict`):
// not the members of `allOf`/`anyOf`/`oneOf`, which see only part of it.
const CLOSED_ONE = ["items", "additionalProperties", "unevaluatedItems"];
const CLOSED_MAP = ["properties", "patternProperties"];

/** A schema of `direction` ("request"/"response"), as 2020-12; with
 * `strict`, objects declared at a closed position get
 * `unevaluatedProperties: false`. */
function convert(schema, direction, strict, closed, seen = 0) {
  if (!isObject(schema) || seen > 200) return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "example" || k === "examples" || k === "discriminator" || k === "xml") continue;
    if (ONE.includes(k)) out[k] = convert(v, direction, strict, CLOSED_ONE.includes(k), seen + 1);
    else if (MANY.includes(k)) out[k] = Array.isArray(v) ? v.map((s) => convert(s, direction, strict, k === "prefixItems", seen + 1)) : v;
    else if (MAP.includes(k) && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, convert(s, direction, strict, CLOSED_MAP.includes(k), seen + 1)]));
    } else out[k] = v;
  }
  if (is30) {
    for (const [bound, limit] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]]) {
      if (out[bound] === true && typeof out[limit] === "number") { out[bound] = out[limit]; delete out[limit]; }
      else if (out[bound] === false) delete out[bound];
    }
  }
  // Required properties a side never sends.
  if (Array.isArray(out.required) && isObject(out.properties)) {
    const skip = direction === "request" ? "readOnly" : "writeOnly";
    out.required = out.required.filter((n) => !(isObject(out.properties[n]) && out.properties[n][skip] === true));
  }
  let result = out;
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string" && out.$ref === undefined) {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      result = { anyOf: [out, { type: "null" }] };
    }
  }
  if (strict && closed && result.additionalProperties === undefined && result.unevaluatedProperties === undefined) {
    result = { ...result, unevaluatedProperties: false };
  }
  return result;
}

/** The document with every schema converted (components and inline). */
function convertDocument(direction, strict) {
  const doc = structuredClone(spec);
  const visit = (node, depth) => {
    if (depth > 64 || node === null || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      if (k === "example" || k === "examples") continue;
      if (k === "schema" && isObject(v)) node[k] = convert(v, direction, strict, true);
      else if (k === "schemas" && isObject(v)) {
        for (const [n, s] of Object.entries(v)) v[n] = convert(s, direction, strict, false);
      } else visit(v, depth + 1);
    }
  };
  visit(doc, 0);
  return doc;
}

const validators = new Map();
/** A validator of the schema at `pointer` for `direction` and `strict`. */
function validator(pointer, direction, strict) {
  const key = `${direction} ${strict} ${pointer}`;
  if (validators.has(key)) return validators.get(key);
  let instance = instances.get(`${direction} ${strict}`);
  if (!instance) {
    instance = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
    instance.addSchema(convertDocument(direction, strict), "spec");
    instances.set(`${direction} ${strict}`, instance);
  }
  const fragment = pointer.split("/").map((t) => encodeURIComponent(t)).join("/");
  let compiled;
  try {
    // Schemas at the root position are closed too: wrap them.
    const root = strict ? { $ref: `spec#${fragment}`, unevaluatedProperties: false } : { $ref: `spec#${fragment}` };
    compiled = instance.compile(root);
  } catch (e) {
    compiled = { error: String(e.message ?? e) };
  }
  validators.set(key, compiled);
  return compiled;
}
const instances = new Map();

const escape = (t) => String(t).replace(/~/g, "~0").replace(/\//g, "~1");
const results = examples.map(({ pointer, schema, direction, value }) => {
  const entry = { pointer, invalid: [], undeclared: [] };
  const lenient = validator(schema, direction, false);
  if (lenient.error) {
    entry.invalid.push(`the schema does not compile: ${lenient.error}`);
    return entry;
  }
  if (!lenient(value)) {
    for (const e of lenient.errors) entry.invalid.push(`${e.instancePath || "/"} ${e.message}`);
  }
  const strict = validator(schema, direction, true);
  if (!strict.error && !strict(value)) {
    for (const e of strict.errors) {
      const key = e.params?.unevaluatedProperty ?? e.params?.additionalProperty;
      if (key !== undefined) entry.undeclared.push(`${pointer}${e.instancePath}/${escape(key)}`);
    }
  }
  return entry;
});
process.stdout.write(JSON.stringify(results));
