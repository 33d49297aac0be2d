/**
 * Layer 2: CBV 2.0 and EPCIS 2.0 rules the JSON schema does not express. Runs on any value (it checks
 * types before looking), so it can report next to shape problems; a field of the wrong JSON type is
 * left to layer 1.
 *
 * - vocabularies: bizStep, disposition, persistentDisposition set/unset, bizTransaction type,
 *   source/destination type, error reason, sensor measurement type, sensor alert type, component
 *   (CBV 2.0 standard vocabularies, via `checkCbvValue`);
 * - the sensor report measurement type is required (EPCIS 2.0 JSON schema `sensorReport.required`);
 * - AggregationEvent parentID is required unless action is OBSERVE (EPCIS 2.0 AggregationEvent);
 * - identifier syntax: instance-level identifiers in EPC lists and parentID, class-level identifiers
 *   in quantity lists, EPC URI / Digital Link syntax of locations, sources and destinations;
 * - namespaced user extensions: the prefix of a `prefix:name` field must be declared in `@context`
 *   (or be one of the EPCIS context's prefixes).
 */

import { type Namespaces, STANDARD_NAMESPACES } from "../validate/context.js";
import type { ValidationProblem } from "../validate/errors.js";
import { childPath, show } from "../validate/path.js";
import { checkCbvValue } from "./check.js";
import { checkClassIdentifier, checkIdentifierSyntax, checkInstanceIdentifier } from "./identifiers.js";
import type { VocabularyName } from "./vocabulary.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

class Collector {
  readonly problems: ValidationProblem[] = [];
  constructor(readonly namespaces: Namespaces) {}

  add(path: string, message: string, value?: unknown): void {
    this.problems.push(value === undefined ? { path, message } : { path, message, value });
  }

  vocabulary(name: VocabularyName, value: unknown, path: string): void {
    if (typeof value !== "string") return;
    const reason = checkCbvValue(name, value, this.namespaces);
    if (reason !== undefined) this.add(path, reason, value);
  }

  identifier(check: (v: string) => string | undefined, value: unknown, path: string): void {
    if (typeof value !== "string") return;
    const reason = check(value);
    if (reason !== undefined) this.add(path, `${show(value)} ${reason}`, value);
  }

  each(list: unknown, path: string, fn: (item: unknown, path: string) => void): void {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      fn(item, childPath(path, i));
    });
  }

  field(obj: unknown, key: string, path: string, fn: (value: unknown, path: string) => void): void {
    if (isObject(obj) && key in obj) fn(obj[key], childPath(path, key));
  }
}

const QUANTITY_LISTS = ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"];
const EPC_LISTS = ["epcList", "childEPCs", "inputEPCList", "outputEPCList"];

/** CBV 2.0 / EPCIS 2.0 rule problems of one event at `path`. */
export function cbvProblems(
  event: unknown,
  path: string,
  namespaces: Namespaces = STANDARD_NAMESPACES,
): ValidationProblem[] {
  if (!isObject(event)) return [];
  const c = new Collector(namespaces);

  c.field(event, "bizStep", path, (v, p) => c.vocabulary("bizStep", v, p));
  c.field(event, "disposition", path, (v, p) => c.vocabulary("disposition", v, p));
  c.field(event, "persistentDisposition", path, (pd, p) => {
    for (const key of ["set", "unset"])
      c.field(pd, key, p, (l, lp) => c.each(l, lp, (d, dp) => c.vocabulary("disposition", d, dp)));
  });
  c.field(event, "bizTransactionList", path, (l, p) =>
    c.each(l, p, (bt, bp) => c.field(bt, "type", bp, (v, vp) => c.vocabulary("bizTransactionType", v, vp))),
  );
  for (const [list, key] of [
    ["sourceList", "source"],
    ["destinationList", "destination"],
  ] as const) {
    c.field(event, list, path, (l, p) =>
      c.each(l, p, (sd, sp) => {
        c.field(sd, "type", sp, (v, vp) => c.vocabulary("sourceDestinationType", v, vp));
        c.field(sd, key, sp, (v, vp) => c.identifier(checkIdentifierSyntax, v, vp));
      }),
    );
  }
  c.field(event, "errorDeclaration", path, (ed, p) =>
    c.field(ed, "reason", p, (v, vp) => c.vocabulary("errorReason", v, vp)),
  );
  c.field(event, "sensorElementList", path, (l, p) =>
    c.each(l, p, (se, sp) =>
      c.field(se, "sensorReport", sp, (reports, rp) =>
        c.each(reports, rp, (r, p2) => {
          if (!isObject(r)) return;
          if (!("type" in r))
            c.add(
              childPath(p2, "type"),
              "sensor report has no measurement type: `type` is required (EPCIS 2.0 JSON schema sensorReport)",
            );
          c.field(r, "type", p2, (v, vp) => c.vocabulary("measurementType", v, vp));
          c.field(r, "exception", p2, (v, vp) => c.vocabulary("sensorAlertType", v, vp));
          c.field(r, "component", p2, (v, vp) => c.vocabulary("component", v, vp));
        }),
      ),
    ),
  );

  // What: identifiers.
  for (const list of EPC_LISTS)
    c.field(event, list, path, (l, p) =>
      c.each(l, p, (v, vp) => c.identifier(checkInstanceIdentifier, v, vp)),
    );
  c.field(event, "parentID", path, (v, p) => c.identifier(checkInstanceIdentifier, v, p));
  for (const list of QUANTITY_LISTS)
    c.field(event, list, path, (l, p) =>
      c.each(l, p, (q, qp) =>
        c.field(q, "epcClass", qp, (v, vp) => c.identifier(checkClassIdentifier, v, vp)),
      ),
    );
  // Where.
  for (const key of ["readPoint", "bizLocation"])
    c.field(event, key, path, (loc, p) =>
      c.field(loc, "id", p, (v, vp) => c.identifier(checkIdentifierSyntax, v, vp)),
    );

  // EPCIS 2.0 AggregationEvent: parentID "optional when action is OBSERVE, required otherwise".
  if (
    event.type === "AggregationEvent" &&
    (event.action === "ADD" || event.action === "DELETE") &&
    !("parentID" in event)
  )
    c.add(childPath(path, "parentID"), `an AggregationEvent with action ${event.action} needs a parentID`);

  extensionPrefixes(event, path, namespaces, c);
  return c.problems;
}

const COMPACT_KEY = /^([A-Za-z_][A-Za-z0-9_.+-]*):(?!\/\/)/;
/** URI schemes whose keys are absolute IRIs, not compact ones. */
const IRI_SCHEMES = new Set(["urn", "http", "https", "tag", "did"]);

/** Every `prefix:name` key (at any depth) must use a declared prefix. */
function extensionPrefixes(value: unknown, path: string, namespaces: Namespaces, c: Collector): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      extensionPrefixes(v, childPath(path, i), namespaces, c);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key === "@context") continue;
    const m = COMPACT_KEY.exec(key);
    const prefix = m?.[1];
    if (prefix !== undefined && !IRI_SCHEMES.has(prefix) && namespaces[prefix] === undefined)
      c.add(
        childPath(path, key),
        `extension field ${JSON.stringify(key)} uses prefix "${prefix}", which no @context declares`,
      );
    extensionPrefixes(v, childPath(path, key), namespaces, c);
  }
}

/** Undeclared-prefix problems of every `prefix:name` key in `value` (at any depth). */
export function extensionPrefixProblems(
  value: unknown,
  path: string,
  namespaces: Namespaces = STANDARD_NAMESPACES,
): ValidationProblem[] {
  const c = new Collector(namespaces);
  extensionPrefixes(value, path, namespaces, c);
  return c.problems;
}
