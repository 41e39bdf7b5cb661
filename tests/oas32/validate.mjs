// Validates an OpenAPI 3.2 document (JSON, on standard input) against the
// OpenAPI Initiative's JSON Schema for 3.2 documents (`schema.json`, see
// README.md), with Ajv (JSON Schema 2020-12). Prints one JSON array of the
// errors, each `{pointer, message}`; empty when the document is valid.

import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const schema = JSON.parse(readFileSync(new URL("./schema.json", import.meta.url), "utf8"));
const doc = JSON.parse(readFileSync(0, "utf8"));
// Formats are not checked (`uri-reference`, `email`): the structure is.
const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(schema);
const errors = validate(doc)
  ? []
  : validate.errors.map((e) => ({ pointer: e.instancePath, message: `${e.keyword}: ${e.message}` }));
console.log(JSON.stringify(errors));
