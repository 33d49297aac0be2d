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
  return validate(json) ? [] : translate(validate.errors ?? [], "", validate.schema);
}

/** Shape problems of one event of a known type, with paths under `path`. */
export function eventShapeProblems(type: EventTypeName, json: unknown, path: string): ValidationProblem[] {
  const validate = validators().events[type];
  return validate(json) ? [] : translate(validate.errors ?? [], path, validate.schema);
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
    case "uniqueItems":
      return {
        path: childPath(here, Number(params.i)),
        message: `duplicate of item ${String(params.j)}: ${show((data as unknown[])[Number(params.i)])}`,
        value: (data as unknown[])[Number(params.i)],
      };
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

/** The node of `root` at a schema path (`#/allOf/0/anyOf`). */
function schemaAt(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const raw of pointer.replace(/^#\/?/, "").split("/")) {
    if (raw === "") continue;
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as AnyRecord)[key];
  }
  return node;
}

/** Schema keywords after which one more instance segment is entered. */
const DESCENDING = new Set(["properties", "patternProperties", "items", "additionalProperties", "contains"]);

/** How many instance segments the schema path `rest` (below an owner) descends. */
function instanceDepth(rest: string[]): number {
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const k = rest[i] as string;
    if (k === "properties" || k === "patternProperties") {
      depth++;
      i++; // the property name / pattern
    } else if (DESCENDING.has(k)) depth++;
  }
  return depth;
}

function dropSegments(pointer: string, n: number): string {
  if (n === 0) return pointer;
  const parts = pointer.split("/");
  return parts.slice(0, Math.max(1, parts.length - n)).join("/");
}

/**
 * ajv errors → problems. Errors raised inside a subschema that carries `x-message` become that one
 * message at that subschema's instance; combinators (`anyOf`, `if`, ...) give way to their causes.
 */
function translate(errors: readonly ErrorObject[], base: string, root: unknown): ValidationProblem[] {
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
    const segments = e.schemaPath.split("/");
    // The outermost enclosing subschema with an x-message, if any.
    let owner: { at: number; message: string } | undefined;
    for (let n = 1; n < segments.length; n++) {
      const node = schemaAt(root, segments.slice(0, n).join("/"));
      const custom = node !== null && typeof node === "object" ? (node as AnyRecord)["x-message"] : undefined;
      if (typeof custom === "string") {
        owner = { at: n, message: custom };
        break;
      }
    }
    if (owner !== undefined) {
      const pointer = dropSegments(e.instancePath, instanceDepth(segments.slice(owner.at, -1)));
      const direct = owner.at === segments.length - 1;
      const data: unknown = e.data;
      const primitive = data === null || typeof data !== "object";
      const rel = pointerToPath("", pointer);
      if (direct && primitive) push(rel, `${show(data)} ${owner.message}`, data);
      else push(rel, owner.message);
      continue;
    }
    const m = message(e);
    if (m !== undefined) push(m.path, m.message, m.value);
  }
  return problems;
}
