import { VOCABULARIES as V, type Vocabulary } from "../cbv/vocabulary.js";
import { expandCurie, expandKey } from "./context.js";
import { EpcisHashError } from "./errors.js";
import { formatNumber } from "./number.js";
import type { JsonLdContextMap } from "./types.js";
import { expandBareTerm } from "./vocabulary.js";

/**
 * An event as the pre-hash string sees it: named fields with a scalar value or child fields. Names are
 * canonical (`{namespace}local` for extensions), values are the JSON text after JSON-LD-level
 * expansion (CURIEs and bare CBV terms); the value canonicalisation proper happens when rendering.
 */
export interface HashNode {
  readonly name: string;
  readonly value?: string;
  readonly children: readonly HashNode[];
}

/** Per standard field: its bare-string vocabulary (JSON-LD `@type: @vocab`) and the scope of its sub-fields. */
interface FieldRule {
  readonly vocabulary?: Vocabulary;
  readonly fields?: Scope;
}
type Scope = Readonly<Record<string, FieldRule>>;

/** Where the EPCIS 2.0 JSON-LD context gives bare strings a CBV / GS1 Web Vocabulary meaning. */
export const EVENT_SCOPE: Scope = {
  bizStep: { vocabulary: V.bizStep },
  disposition: { vocabulary: V.disposition },
  persistentDisposition: {
    fields: { set: { vocabulary: V.disposition }, unset: { vocabulary: V.disposition } },
  },
  bizTransactionList: { fields: { type: { vocabulary: V.bizTransactionType } } },
  sourceList: { fields: { type: { vocabulary: V.sourceDestinationType } } },
  destinationList: { fields: { type: { vocabulary: V.sourceDestinationType } } },
  sensorElementList: {
    fields: {
      sensorReport: {
        fields: {
          type: { vocabulary: V.measurementType },
          exception: { vocabulary: V.sensorAlertType },
          component: { vocabulary: V.component },
        },
      },
    },
  },
  errorDeclaration: { fields: { reason: { vocabulary: V.errorReason } } },
};

const RDFS_COMMENT = "{http://www.w3.org/2000/01/rdf-schema#}comment";

/**
 * Keys that are not event data: JSON-LD keywords (`@context`, …), comments (`comment`,
 * `rdfs:comment`, as the reference implementation skips them) and XML-to-JSON text nodes (`#text`).
 */
function isIgnoredKey(key: string, name: string): boolean {
  return (
    key.startsWith("@") ||
    key === "#text" ||
    key === "comment" ||
    key === "rdfs:comment" ||
    name === RDFS_COMMENT
  );
}

/** List element names where the XML binding does not simply drop the `List` suffix. */
const LIST_ELEMENT: Readonly<Record<string, string>> = {
  inputEPCList: "epc",
  outputEPCList: "epc",
  quantityList: "quantityElement",
  childQuantityList: "quantityElement",
  inputQuantityList: "quantityElement",
  outputQuantityList: "quantityElement",
};

/**
 * The JSON binding writes a list as an array under `xxxList`; the pre-hash string (defined on the XML
 * binding) wants one `xxxList` element holding `xxx` elements (`epcList` → `epc`, `quantityList` →
 * `quantityElement`, `childEPCs` → `epc`). As in the reference implementation this applies to every
 * field whose name ends in `List`, extensions included (`example:fooList` → `{…}fooList{…}foo=…`).
 */
function groupLists(nodes: readonly HashNode[]): HashNode[] {
  const out: HashNode[] = [];
  const lists = new Map<string, HashNode[]>();
  for (const node of nodes) {
    let elementName: string | undefined;
    if (node.name === "childEPCs") elementName = "epc";
    else if (node.name.endsWith("List")) elementName = LIST_ELEMENT[node.name] ?? node.name.slice(0, -4);
    if (elementName === undefined) {
      out.push(node);
      continue;
    }
    let list = lists.get(node.name);
    if (list === undefined) {
      list = [];
      lists.set(node.name, list);
    }
    list.push({ ...node, name: elementName });
  }
  for (const [name, children] of lists) out.push({ name, children });
  return out;
}

function scalarText(text: string, rule: FieldRule | undefined, context: JsonLdContextMap): string {
  if (rule?.vocabulary !== undefined) {
    const iri = expandBareTerm(text, rule.vocabulary);
    if (iri !== undefined) return iri;
  }
  return expandCurie(text, context);
}

function toNode(
  name: string,
  item: unknown,
  rule: FieldRule | undefined,
  context: JsonLdContextMap,
  path: string,
): HashNode {
  switch (typeof item) {
    case "string":
      return { name, value: scalarText(item, rule, context), children: [] };
    case "number":
      return { name, value: formatNumber(item, path), children: [] };
    case "boolean":
      // The xsd:boolean lexical form, as the XML binding writes it.
      return { name, value: item ? "true" : "false", children: [] };
    case "object":
      if (item !== null && !Array.isArray(item)) {
        return {
          name,
          children: objectToNodes(item as Record<string, unknown>, rule?.fields ?? {}, context, path),
        };
      }
      break;
  }
  throw new EpcisHashError({
    code: "EPCIS_HASH_UNSUPPORTED_VALUE",
    message: `a ${Array.isArray(item) ? "nested array" : typeof item} has no place in a pre-hash string`,
    path,
  });
}

/** The fields of a JSON object as hash nodes (`null` values and empty arrays are absent fields). */
export function objectToNodes(
  object: Readonly<Record<string, unknown>>,
  scope: Scope,
  context: JsonLdContextMap,
  path = "",
): HashNode[] {
  const nodes: HashNode[] = [];
  for (const [key, raw] of Object.entries(object)) {
    const name = expandKey(key, context);
    if (isIgnoredKey(key, name) || raw === null || raw === undefined) continue;
    const rule = name === key && Object.hasOwn(scope, key) ? scope[key] : undefined;
    const keyPath = `${path}/${key}`;
    if (Array.isArray(raw)) {
      raw.forEach((item: unknown, i) => {
        if (item !== null && item !== undefined)
          nodes.push(toNode(name, item, rule, context, `${keyPath}/${i}`));
      });
    } else {
      nodes.push(toNode(name, raw, rule, context, keyPath));
    }
  }
  return groupLists(nodes);
}
