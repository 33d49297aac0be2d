import { type FieldSpec, TYPED_PAIR_LISTS } from "./order.js";
import { normaliseTimestamp } from "./timestamp.js";
import type { HashNode } from "./tree.js";
import { canonicalValue, stripValue } from "./value.js";

/**
 * Code point order ("case-sensitive lexical ordering, considering UTF-8/ASCII code values"), which is
 * UTF-8 byte order; plain UTF-16 comparison would put U+E000-U+FFFF after supplementary characters.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (0xD800-0xDFFF) encode code points above 0xFFFF: move them above 0xE000-0xFFFF.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const sortedJoin = (parts: string[]): string => parts.sort(compareCodePoints).join("");

function valueText(node: HashNode, path: string, isTime: boolean): string {
  if (node.value === undefined) return "";
  const text = stripValue(node.value);
  if (text === "") return "";
  return `=${isTime ? normaliseTimestamp(text, path) : canonicalValue(text, path)}`;
}

/** One element of `bizTransactionList` / `sourceList` / `destinationList`: `type=…` first, then the id. */
function renderTypedPair(element: HashNode, path: string): string {
  const type = element.children.filter((c) => c.name === "type");
  const id = element.children.filter((c) => c.name === element.name);
  const other = element.children.filter((c) => c.name !== "type" && c.name !== element.name);
  const head = [...type, ...id].map((c) => renderGeneric(c, `${path}/${c.name}`)).join("");
  return (
    head +
    sortedJoin(other.map((c) => renderGeneric(c, `${path}/${c.name}`))) +
    valueText(element, path, false)
  );
}

/** A field outside the canonical order: name, `=value` if any, then its sub-fields sorted. */
export function renderGeneric(node: HashNode, path: string): string {
  const children = TYPED_PAIR_LISTS.has(node.name)
    ? node.children.map((c) => renderTypedPair(c, `${path}/${c.name}`))
    : node.children.map((c) => renderGeneric(c, `${path}/${c.name}`));
  return node.name + valueText(node, path, false) + sortedJoin(children);
}

/** A field of the canonical order; empty when it carries nothing (CBV 2.0 hash rule 4). */
function renderOrdered(node: HashNode, spec: FieldSpec, path: string): string {
  if (spec.kind !== "struct") {
    if (node.children.length > 0) return renderGeneric(node, path);
    const value = valueText(node, path, spec.kind === "time");
    return value === "" ? "" : node.name + value;
  }
  const [ordered, rest] = renderInOrder(node.children, spec.fields, path);
  const body =
    valueText(node, path, false) +
    ordered +
    sortedJoin(rest.map((c) => renderGeneric(c, `${path}/${c.name}`)));
  return body === "" ? "" : node.name + body;
}

/**
 * Renders the fields of `nodes` named in `order`, in that order (several of one name sorted), and
 * returns the text with the fields the order does not name.
 */
export function renderInOrder(
  nodes: readonly HashNode[],
  order: readonly FieldSpec[],
  path: string,
): [string, HashNode[]] {
  let text = "";
  const named = new Set(order.map((spec) => spec.name));
  for (const spec of order) {
    const parts = nodes
      .filter((n) => n.name === spec.name)
      .map((n) => renderOrdered(n, spec, `${path}/${n.name}`))
      .filter((s) => s !== "");
    text += sortedJoin(parts);
  }
  return [text, nodes.filter((n) => !named.has(n.name))];
}
