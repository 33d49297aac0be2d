/**
 * Layer 1 runner: compiles the EPCIS 2.0 schemas (./schema.ts) with ajv (draft 2020-12, all errors)
 * and turns ajv errors into problems that name the JSON path and the offending value or field.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import type { ValidationProblem } from "./errors.js";
import { childPath, pointerToPath, show } from "./path.js";
import {
  aggregationEventSchema,
  associationEventSchema,
  documentSchema,
  objectEventSchema,
  transactionEventSchema,
  transformationEventSchema,
  withDefinitions,
} from "./schema.js";

export const EVENT_TYPES = [
  "ObjectEvent",
  "AggregationEvent",
  "TransactionEvent",
  "TransformationEvent",
  "AssociationEvent",
] as const;
export type EventTypeName = (typeof EVENT_TYPES)[number];

interface Validators {
  document: ValidateFunction;
  events: Record<EventTypeName, ValidateFunction>;
}

let compiled: Validators | undefined;

function validators(): Validators {
  if (compiled !== undefined) return compiled;
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
  });
  // ajv-formats is CommonJS: its module object is the plugin, with the plugin again as `default`.
  const addFormats = (ajvFormats as unknown as { default: (a: Ajv2020) => void }).default;
  addFormats(ajv);
  ajv.addKeyword({ keyword: "x-message", schemaType: "string" });
  ajv.addKeyword({ keyword: "x-extensible", schemaType: "boolean" });
  compiled = {
    document: ajv.compile(withDefinitions(documentSchema)),
    events: {
      ObjectEvent: ajv.compile(withDefinitions(objectEventSchema)),
      AggregationEvent: ajv.compile(withDefinitions(aggregationEventSchema)),
      TransactionEvent: ajv.compile(withDefinitions(transactionEventSchema)),
      TransformationEvent: ajv.compile(withDefinitions(transformationEventSchema)),
      AssociationEvent: ajv.compile(withDefinitions(associationEventSchema)),
    },
  };
  return compiled;
}

/** Shape problems of a capture document's envelope (events are checked one by one). */
export function documentShapeProblems(json: unknown): ValidationProblem[] {
  const validate = validators().document;
  return validate(json) ? [] : translate(validate.errors ?? [], "");
}

/** Shape problems of one event of a known type, with paths under `path`. */
export function eventShapeProblems(type: EventTypeName, json: unknown, path: string): ValidationProblem[] {
  const validate = validators().events[type];
  return validate(json) ? [] : translate(validate.errors ?? [], path);
}

type AnyRecord = Record<string, unknown>;

const FORMAT_NAMES: Record<string, string> = {
  uri: "URI",
  "date-time": "date-time (RFC 3339 with a time zone, e.g. 2024-05-01T10:00:00.000+02:00)",
  date: "date (YYYY-MM-DD)",
};

const article = (word: string) => (/^[aeiouAEIOU]/.test(word) ? `an ${word}` : `a ${word}`);

function message(e: ErrorObject): { path: string; message: string; value?: unknown } | undefined {
  const here = pointerToPath("", e.instancePath);
  const data: unknown = e.data;
  const parent = (e.parentSchema ?? {}) as AnyRecord;
  const primitive = data === null || typeof data !== "object";

  const params = e.params as AnyRecord;
  switch (e.keyword) {
    case "required": {
      const field = String(params.missingProperty);
      const title = typeof parent.title === "string" ? ` of ${article(parent.title)}` : "";
      return {
        path: childPath(here, field),
        message: `required field ${JSON.stringify(field)}${title} is missing`,
      };
    }
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      const title = typeof parent.title === "string" ? parent.title : "this object";
      const hint =
        parent["x-extensible"] === true
          ? ` (EPCIS 2.0 JSON schema); a user extension field must be namespaced, e.g. "example:${field}"`
          : " (EPCIS 2.0 JSON schema)";
      const value = (data as AnyRecord)[field];
      return {
        path: childPath(here, field),
        message: `field ${JSON.stringify(field)} is not allowed in ${article(title)}${hint}`,
        value,
      };
    }
    case "type":
      return { path: here, message: `${show(data)} is not ${article(String(params.type))}`, value: data };
    case "format": {
      const f = String(params.format);
      return { path: here, message: `${show(data)} is not a valid ${FORMAT_NAMES[f] ?? f}`, value: data };
    }
    case "enum":
      return {
        path: here,
        message: `${show(data)} is not one of ${(params.allowedValues as unknown[]).map((v) => String(v)).join(", ")}`,
        value: data,
      };
    case "const":
      return { path: here, message: `${show(data)} must be ${show(params.allowedValue)}`, value: data };
    case "pattern":
      return { path: here, message: `${show(data)} does not match ${String(params.pattern)}`, value: data };
    case "minItems":
      return { path: here, message: `must have at least ${String(params.limit)} item(s)` };
    case "uniqueItems": {
      const [first, dup] = [Number(params.i), Number(params.j)].sort((a, b) => a - b) as [number, number];
      const item = (data as unknown[])[dup];
      return {
        path: childPath(here, dup),
        message: `duplicate of item ${first}: ${show(item)}`,
        value: item,
      };
    }
    case "if":
    case "anyOf":
    case "allOf":
    case "not":
    case "oneOf":
      return undefined; // their causes are reported
    default:
      return { path: here, message: `${e.message ?? e.keyword}`, ...(primitive ? { value: data } : {}) };
  }
}

/**
 * ajv errors → problems. A subschema carrying `x-message` speaks for everything that failed inside
 * it: its own failing keyword (`anyOf`, `not`, `pattern`, ...) and the errors of its branches become
 * that one message at its instance. Combinators without a message give way to their causes.
 *
 * ajv reports schema paths relative to the schema a `$ref` points to, so "inside" is a schema-path
 * prefix within the same instance subtree, not a position in the root schema.
 */
function translate(errors: readonly ErrorObject[], base: string): ValidationProblem[] {
  interface Owner {
    readonly scope: string;
    readonly instancePath: string;
    readonly message: string;
  }
  const owners: Owner[] = [];
  for (const e of errors) {
    const custom = (e.parentSchema as AnyRecord | undefined)?.["x-message"];
    if (typeof custom === "string")
      owners.push({
        scope: e.schemaPath.slice(0, e.schemaPath.lastIndexOf("/") + 1),
        instancePath: e.instancePath,
        message: custom,
      });
  }
  const inside = (e: ErrorObject, o: Owner) =>
    e.schemaPath.startsWith(o.scope) &&
    (e.instancePath === o.instancePath || e.instancePath.startsWith(`${o.instancePath}/`));

  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  const push = (rel: string, msg: string, value?: unknown) => {
    const path =
      base === "" ? rel : rel === "" ? base : rel.startsWith("[") ? `${base}${rel}` : `${base}.${rel}`;
    const key = `${path}\u0000${msg}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(value === undefined ? { path, message: msg } : { path, message: msg, value });
  };
  for (const e of errors) {
    // The outermost owner (shortest scope) wins.
    const owner = owners.filter((o) => inside(e, o)).sort((a, b) => a.scope.length - b.scope.length)[0];
    if (owner !== undefined) {
      const data: unknown = e.data;
      const direct = e.instancePath === owner.instancePath && data !== null && typeof data !== "object";
      const rel = pointerToPath("", owner.instancePath);
      if (direct) push(rel, `${show(data)} ${owner.message}`, data);
      else push(rel, owner.message);
      continue;
    }
    const m = message(e);
    if (m !== undefined) push(m.path, m.message, m.value);
  }
  return problems;
}
